package io.kccr.node.rest;

import io.kccr.node.remote.RemoteIndexNames;
import io.kccr.core.error.InvalidRequestException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.kccr.leader.IndexCatalog;
import io.kccr.node.indices.BulkWrites;
import io.kccr.node.indices.Documents;
import io.kccr.node.indices.IndexAdmin;
import io.kccr.node.indices.IndexExpressions;
import io.kccr.node.indices.IndexResolver;
import io.kccr.node.indices.WriteGuard;
import io.kccr.node.remote.RemoteClusters;
import io.kccr.node.verify.FollowerVerification;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The node's Elasticsearch-compatible REST API. The whole route table is {@link #routes}; the
 * controllers do client IO only. Every response carries {@code X-Elastic-Product: Elasticsearch},
 * which the official client checks; every error is rendered by {@link RestErrors}.
 */
public final class RestServer implements AutoCloseable {

    /** One route: method, Javalin path, handler. */
    private record Route(HandlerType method, String path, Handler handler, Pattern pattern) {
        Route(HandlerType method, String path, Handler handler) {
            this(method, path, handler, Pattern.compile("^" + path.replaceAll("\\{[^}]+}", "[^/]+") + "/?$"));
        }
    }

    private final Javalin app;
    private final List<Route> routes = new ArrayList<>();

    /**
     * Starts the server on {@code host:port} (0 = any free port).
     *
     * @param maxContentLength the largest request body accepted; larger ones get a 413
     */
    public RestServer(String host, int port, long maxContentLength, NodeServices node) {
        IndexCatalog catalog = node.leaders();
        IndexResolver resolver = new IndexResolver(catalog, node.followers(), node.closed());
        WriteGuard guard = new WriteGuard(catalog, node.followers(), node.closed());
        DocumentController docs = new DocumentController(new Documents(resolver, guard, node.writeTimeout()));
        BulkController bulk = new BulkController(new BulkWrites(guard, node.writeTimeout()));
        IndexController indices = new IndexController(new IndexAdmin(catalog, node.followers(), resolver, node.closed()),
                resolver);
        SearchController search = new SearchController(resolver, node.search());
        ScrollController scroll = new ScrollController(resolver, node.search());
        MultiGetController mget = new MultiGetController(resolver);
        MultiSearchController msearch = new MultiSearchController(resolver, node.search());
        ClusterController cluster = new ClusterController(resolver, node.clusterName(), node.nodeName(),
                node.clusterUuid());
        RemoteController remote = new RemoteController(node.remotes(), node.clusterName(), node.clusterUuid(),
                node.nodeName(), node.kafkaBootstrapServers());
        CcrController ccr = new CcrController(node.followers(), resolver, node.closed(), node.unfollowing(),
                node.autoFollower());
        AutoFollowController autoFollow = new AutoFollowController(node.autoFollower());
        RestoreController restore = new RestoreController(catalog, node.restoreSessions());
        RecoveryController recovery = new RecoveryController(resolver, Clock.systemUTC());
        IndexStatsController indexStats = new IndexStatsController(resolver);
        MetricsController metrics = new MetricsController(node.metrics());
        ConsoleController console = new ConsoleController();
        ResolveIndexController resolve = new ResolveIndexController(new IndexExpressions(resolver,
                RemoteIndexNames.fromKafka(node.remotes(), node.writeTimeout())));
        DanglingController danglingIndices = new DanglingController(node.dangling(), node.clusterName(),
                node.nodeName());
        VerifyController verify = new VerifyController(new FollowerVerification(resolver, node.followers(),
                node.remotes(), Clock.systemUTC()));

        route(HandlerType.GET, "/_ccr/auto_follow", autoFollow::get);
        route(HandlerType.GET, "/_ccr/auto_follow/{name}", autoFollow::get);
        route(HandlerType.PUT, "/_ccr/auto_follow/{name}", autoFollow::put);
        route(HandlerType.DELETE, "/_ccr/auto_follow/{name}", autoFollow::delete);
        route(HandlerType.POST, "/_ccr/auto_follow/{name}/pause", autoFollow::pause);
        route(HandlerType.POST, "/_ccr/auto_follow/{name}/resume", autoFollow::resume);
        route(HandlerType.PUT, "/{index}/_ccr/follow", ccr::follow);
        route(HandlerType.POST, "/{index}/_ccr/pause_follow", ccr::pause);
        route(HandlerType.POST, "/{index}/_ccr/resume_follow", ccr::resume);
        route(HandlerType.POST, "/{index}/_ccr/unfollow", ccr::unfollow);
        route(HandlerType.POST, "/{index}/_ccr/rebootstrap", ccr::rebootstrap);
        route(HandlerType.POST, "/{index}/_ccr/rebuild", ccr::rebuild);
        route(HandlerType.POST, "/{index}/_ccr/verify", verify::verify);
        route(HandlerType.GET, "/{index}/_ccr/digest/{shard}", verify::digest);
        route(HandlerType.GET, "/_dangling", danglingIndices::list);
        route(HandlerType.POST, "/_dangling/{uuid}", danglingIndices::importIndex);
        route(HandlerType.DELETE, "/_dangling/{uuid}", danglingIndices::delete);
        route(HandlerType.GET, "/_recovery", recovery::recovery);
        route(HandlerType.GET, "/{index}/_recovery", recovery::recovery);
        route(HandlerType.GET, "/{index}/_ccr/info", ccr::info);
        route(HandlerType.GET, "/_ccr/stats", ccr::allStats);
        route(HandlerType.GET, "/{index}/_ccr/stats", ccr::stats);
        route(HandlerType.POST, "/{index}/_ccr/restore_session", restore::open);
        route(HandlerType.POST, "/{index}/_ccr/forget_follower", restore::forgetFollower);
        route(HandlerType.GET, "/_ccr/restore_session/{session}/{shard}/{file}", restore::file);
        route(HandlerType.DELETE, "/_ccr/restore_session/{session}", restore::release);
        route(HandlerType.POST, "/{index}/_close", ccr::close);
        route(HandlerType.POST, "/{index}/_open", ccr::open);
        route(HandlerType.GET, "/", ctx -> console.root(ctx, cluster::root));
        route(HandlerType.GET, "/_console/{file}", console::asset);
        route(HandlerType.GET, "/_console/lib/{file}", console::lib);
        route(HandlerType.GET, "/_resolve/index/{name}", resolve::resolve);
        route(HandlerType.HEAD, "/", cluster::root);
        route(HandlerType.GET, "/metrics", metrics::scrape);
        route(HandlerType.GET, "/_cluster/health", cluster::health);
        route(HandlerType.GET, "/_cluster/health/{index}", cluster::health);
        route(HandlerType.GET, "/_cat/indices", cluster::catIndices);
        route(HandlerType.GET, "/_cat/indices/{index}", cluster::catIndices);
        route(HandlerType.GET, "/_cluster/settings", remote::getSettings);
        route(HandlerType.PUT, "/_cluster/settings", remote::putSettings);
        route(HandlerType.GET, "/_remote/info", remote::remoteInfo);
        route(HandlerType.GET, RemoteClusters.DISCOVERY_PATH, remote::kccrCluster);
        route(HandlerType.POST, "/_refresh", indices::refresh);
        route(HandlerType.GET, "/_refresh", indices::refresh);
        io.kccr.node.indices.IndexingPressure pressure = node.pressure();
        for (HandlerType m : List.of(HandlerType.POST, HandlerType.PUT)) {
            route(m, "/_bulk", pressured(pressure, bulk::bulk));
            route(m, "/{index}/_bulk", pressured(pressure, bulk::bulk));
            route(m, "/{index}/_doc/{id}", pressured(pressure, docs::index));
            route(m, "/{index}/_create/{id}", pressured(pressure, docs::create));
            route(m, "/{index}/_refresh", indices::refresh);
            route(m, "/{index}/_flush", indices::flush);
            route(m, "/{index}/_mapping", indices::putMapping);
        }
        route(HandlerType.POST, "/{index}/_pit", scroll::openPit);
        route(HandlerType.DELETE, "/_pit", scroll::closePit);
        route(HandlerType.DELETE, "/_search/scroll", scroll::clearScroll);
        route(HandlerType.DELETE, "/_search/scroll/{id}", scroll::clearScroll);
        for (HandlerType m : List.of(HandlerType.GET, HandlerType.POST)) {
            route(m, "/_search/scroll", scroll::scroll);
            route(m, "/_search/scroll/{id}", scroll::scroll);
            route(m, "/_mget", mget::mget);
            route(m, "/{index}/_mget", mget::mget);
            route(m, "/_msearch", msearch::msearch);
            route(m, "/{index}/_msearch", msearch::msearch);
            route(m, "/_search", search::searchAll);
            route(m, "/{index}/_search", search::search);
            route(m, "/{index}/_count", search::count);
        }
        route(HandlerType.POST, "/{index}/_doc", pressured(pressure, docs::index));
        route(HandlerType.POST, "/{index}/_update/{id}", pressured(pressure, docs::update));
        route(HandlerType.GET, "/{index}/_doc/{id}", docs::get);
        route(HandlerType.HEAD, "/{index}/_doc/{id}", docs::get);
        route(HandlerType.GET, "/{index}/_source/{id}", docs::source);
        route(HandlerType.DELETE, "/{index}/_doc/{id}", pressured(pressure, docs::delete));
        route(HandlerType.GET, "/{index}/_mapping", indices::getMapping);
        route(HandlerType.GET, "/_stats", indexStats::stats);
        route(HandlerType.GET, "/{index}/_stats", indexStats::stats);
        route(HandlerType.GET, "/_settings", indexStats::getSettings);
        route(HandlerType.GET, "/{index}/_settings", indexStats::getSettings);
        route(HandlerType.GET, "/{index}/_flush", indices::flush);
        route(HandlerType.PUT, "/{index}", indices::create);
        route(HandlerType.GET, "/{index}", indices::get);
        route(HandlerType.HEAD, "/{index}", indices::exists);
        route(HandlerType.DELETE, "/{index}", indices::delete);

        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.maxRequestSize = maxContentLength;
            config.http.prefer405over404 = false;
            config.router.ignoreTrailingSlashes = true;
            config.jetty.modifyServer(server -> server.setErrorHandler(new JettyErrors()));
            config.concurrency.useVirtualThreads = true;
            config.routes.before(ctx -> {
                ctx.header("X-Elastic-Product", "Elasticsearch");
                long length = ctx.req().getContentLengthLong();
                if (length > maxContentLength) {
                    throw new HttpError(413, "content_too_long_exception", "request body is " + length
                            + " bytes, over the limit of " + maxContentLength + " bytes (http.max_content_length);"
                            + " send smaller requests (e.g. split the _bulk) or raise http.max_content_length");
                }
                checkMethod(ctx);
            });
            for (Route r : routes) {
                config.routes.addHttpHandler(r.method(), r.path(), r.handler());
            }
            for (HandlerType m : List.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.DELETE,
                    HandlerType.HEAD, HandlerType.PATCH, HandlerType.OPTIONS)) {
                config.routes.addHttpHandler(m, "/<path>", this::unknownEndpoint);
            }
            config.routes.exception(Exception.class, (e, ctx) -> {
                RestErrors.Reply reply = RestErrors.reply(e);
                Responses.json(ctx, reply.status(), RestErrors.body(reply));
            });
            // Javalin renders its own HttpResponseExceptions (e.g. the 413 of a chunked body over
            // maxRequestSize) as text unless a handler is registered for exactly this class
            config.routes.exception(HttpResponseException.class, (e, ctx) -> {
                RestErrors.Reply reply = RestErrors.reply(e);
                Responses.json(ctx, reply.status(), RestErrors.body(reply));
            });
        });
        app.start(host, port);
    }

    /**
     * A write route whose request holds its bytes against the node's indexing pressure while it runs: taken from the
     * Content-Length before the body is read (a chunked body is counted once read), refused with 429 past the limit.
     */
    private static Handler pressured(io.kccr.node.indices.IndexingPressure pressure, Handler handler) {
        return ctx -> {
            for (String param : ctx.queryParamMap().keySet()) {
                if (!WRITE_PARAMS.contains(param)) {
                    throw InvalidRequestException.illegalArgument("request [" + ctx.path() + "] contains unrecognized"
                            + " parameter: [" + param + "]");
                }
            }
            long length = ctx.req().getContentLengthLong();
            long bytes = length >= 0 ? length : ctx.bodyAsBytes().length;
            try (var held = pressure.acquire(Math.max(bytes, 1))) {
                handler.handle(ctx);
            }
        };
    }

    /** The query parameters Elasticsearch's document and bulk APIs take; any other is a 400, as there. */
    private static final Set<String> WRITE_PARAMS = Set.of("refresh", "op_type", "if_seq_no", "if_primary_term",
            "retry_on_conflict", "routing", "timeout", "wait_for_active_shards", "version", "version_type", "pipeline",
            "require_alias", "require_data_stream", "_source", "_source_includes", "_source_excludes", "filter_path",
            "pretty", "human", "error_trace", "list_executed_pipelines", "include_source_on_error");

    private void route(HandlerType method, String path, Handler handler) {
        routes.add(new Route(method, path, handler));
    }

    /** Elasticsearch's answers for paths it has no handler for (400) or methods a path does not take (405). */
    private void unknownEndpoint(Context ctx) {
        String path = ctx.path();
        Set<String> allowed = new TreeSet<>();
        for (Route r : routes) {
            if (r.pattern().matcher(path).matches()) {
                allowed.add(r.method().name());
            }
        }
        if (!allowed.isEmpty()) {
            throw methodNotAllowed(ctx, allowed);
        }
        throw InvalidRequestException.illegalArgument("no handler found for uri [" + path + "] and method ["
                + ctx.method().name() + "]");
    }

    /**
     * Elasticsearch's method check: of the path templates matching the request, the most specific
     * one (literal segments win over {params}, left to right) decides; when it takes other methods
     * only, the answer is 405, so {@code GET /_bulk} is a 405 although {@code GET /{index}} matches.
     */
    private void checkMethod(Context ctx) {
        String path = ctx.path();
        String best = null;
        for (Route r : routes) {
            if (r.pattern().matcher(path).matches() && (best == null || moreSpecific(r.path(), best))) {
                best = r.path();
            }
        }
        if (best == null) {
            return;
        }
        Set<String> allowed = new TreeSet<>();
        for (Route r : routes) {
            if (r.path().equals(best)) {
                allowed.add(r.method().name());
            }
        }
        if (!allowed.contains(ctx.method().name())) {
            throw methodNotAllowed(ctx, allowed);
        }
    }

    /** Whether template {@code a} has a literal segment where {@code b} has a parameter, first from the left. */
    private static boolean moreSpecific(String a, String b) {
        String[] x = a.split("/");
        String[] y = b.split("/");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            boolean literalX = !x[i].startsWith("{");
            boolean literalY = !y[i].startsWith("{");
            if (literalX != literalY) {
                return literalX;
            }
        }
        return false;
    }

    private static HttpError methodNotAllowed(Context ctx, Set<String> allowed) {
        ctx.header("Allow", String.join(",", allowed));
        return new HttpError(405, "method_not_allowed_exception", "Incorrect HTTP method for uri [" + ctx.path()
                + "] and method [" + ctx.method().name() + "], allowed: " + allowed);
    }

    /**
     * Errors Jetty answers itself, before any route runs (e.g. a URI it cannot canonicalize, such as
     * {@code PUT /..}): rendered in Elasticsearch's error shape too, instead of Jetty's HTML page.
     */
    private static final class JettyErrors extends ErrorHandler {
        @Override
        protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                        Callback callback) throws IOException {
            String reason = HttpStatus.getMessage(code);
            String detail = message != null && !message.isBlank() ? message : cause == null ? null : cause.getMessage();
            if (detail != null && !detail.contains(reason)) {
                reason += ": " + detail;
            }
            reason += " (rejected by the HTTP server before routing, e.g. a path with '..' segments or a malformed"
                    + " request line)";
            String type = code == 413 ? "content_too_long_exception" : code >= 500 ? "exception"
                    : "illegal_argument_exception";
            byte[] body = Json.MAPPER.writeValueAsBytes(RestErrors.body(new RestErrors.Reply(code, type, reason, Map.of(), null)));
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.getHeaders().put("X-Elastic-Product", "Elasticsearch");
            response.write(true, ByteBuffer.wrap(body), callback);
        }
    }

    /** The port the server listens on. */
    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
