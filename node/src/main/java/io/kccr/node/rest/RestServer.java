package io.kccr.node.rest;

import io.kccr.node.remote.RemoteIndexNames;
import io.javalin.Javalin;
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
import io.kccr.node.cluster.ClusterRouting;
import io.kccr.node.cluster.ClusterPit;
import io.kccr.node.cluster.ClusterSearch;
import io.kccr.node.cluster.ClusterView;
import io.kccr.node.cluster.PitParts;
import io.kccr.node.cluster.ShardRouter;
import io.kccr.node.follow.FollowerSource;
import io.kccr.node.remote.RemoteClusters;
import io.kccr.node.security.Access;
import io.kccr.node.verify.FollowerVerification;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import static io.kccr.node.cluster.ShardRouter.Kind.DELETE;
import static io.kccr.node.cluster.ShardRouter.Kind.READ;
import static io.kccr.node.cluster.ShardRouter.Kind.WRITE;

/**
 * The node's Elasticsearch-compatible REST API. The whole route table is {@link #routes}; the
 * controllers do client IO only. Every response carries {@code X-Elastic-Product: Elasticsearch},
 * which the official client checks; every error is rendered by {@link RestErrors}.
 */
public final class RestServer implements AutoCloseable {

    /** One route: method, Javalin path, handler, and what the caller needs ({@link Access}). */
    private record Route(HandlerType method, String path, Handler handler, Access access) {
    }

    /** Indexing a document that may exist (Elasticsearch's implied action of an index request). */
    private static final String INDEX = "indices:data/write/index:op_type/index";
    /** Indexing a document that must not exist yet ({@code _create}, {@code op_type=create}, an automatic id). */
    private static final String CREATE = "indices:data/write/index:op_type/create";
    /** The leader side of replication, as Elasticsearch documents it: {@code read_ccr}, {@code monitor} and
     * {@code read} on the leader index; a follower's cross-cluster API key may call it. */
    private static final Access LEADER_READ = Access.cluster("cluster:monitor/state").andIndex("indices:monitor/stats")
            .crossCluster();
    /** A restore session's files and release: the controller checks the session's index. */
    private static final Access LEADER_SESSION = Access.cluster("cluster:monitor/state").crossCluster();

    private final Javalin app;
    private final List<Route> routes = new ArrayList<>();
    private final ClusterRouting cluster;

    /**
     * Starts the server on {@code host:port} (0 = any free port).
     *
     * @param maxContentLength the largest request body accepted; larger ones get a 413
     */
    public RestServer(String host, int port, long maxContentLength, NodeServices node) {
        this.cluster = node.cluster();
        IndexCatalog catalog = node.leaders();
        IndexResolver resolver = new IndexResolver(catalog, node.followers(), node.closed());
        WriteGuard writeGuard = new WriteGuard(catalog, node.followers(), node.closed());
        DocumentController docs = new DocumentController(new Documents(resolver, writeGuard, node.writeTimeout()));
        BulkController bulk = new BulkController(new BulkWrites(writeGuard, node.writeTimeout()));
        IndexController indices = new IndexController(new IndexAdmin(catalog, node.followers(), resolver, node.closed()),
                resolver);
        ClusterSearch overNodes = cluster == null ? null : cluster.search();
        ClusterPit pits = cluster == null ? null : cluster.pits();
        SearchController search = new SearchController(resolver, node.search(), overNodes, pits);
        ScrollController scroll = new ScrollController(resolver, node.search(), overNodes, pits);
        MultiGetController mget = new MultiGetController(resolver, cluster == null ? null : cluster.followers().spread());
        MultiSearchController msearch = new MultiSearchController(resolver, node.search(), overNodes);
        ClusterController clusterApi = new ClusterController(resolver, node.clusterName(), node.nodeName(),
                node.clusterUuid());
        RemoteController remote = new RemoteController(node.remotes(), node.clusterName(), node.clusterUuid(),
                node.nodeName(), node.kafkaBootstrapServers());
        CcrController ccr = new CcrController(node.followers(), resolver, node.closed(), node.unfollowing(),
                node.autoFollower(), cluster);
        AutoFollowController autoFollow = new AutoFollowController(node.autoFollower());
        RestoreController restore = new RestoreController(catalog, node.followers(), node.restoreSessions(),
                cluster == null ? null : cluster.restore(), node.remotes());
        RecoveryController recovery = new RecoveryController(resolver, Clock.systemUTC());
        IndexStatsController indexStats = new IndexStatsController(resolver, node.followers());
        MetricsController metrics = new MetricsController(node.metrics());
        ConsoleController console = new ConsoleController();
        ResolveIndexController resolve = new ResolveIndexController(new IndexExpressions(resolver,
                RemoteIndexNames.fromKafka(node.remotes(), node.writeTimeout())));
        DanglingController danglingIndices = new DanglingController(node.dangling(), node.clusterName(),
                node.nodeName());
        VerifyController verify = new VerifyController(new FollowerVerification(resolver, node.followers(),
                node.remotes(), Clock.systemUTC()));
        RequestGuard guard = new RequestGuard(node.security() == null ? null : node.security().authenticator(),
                node.consoleSessions(), node.cors());
        ConsoleSessionController consoleSession = new ConsoleSessionController(guard);

        route(HandlerType.POST, "/_console/session", consoleSession::login, Access.open());
        route(HandlerType.GET, "/_console/session", consoleSession::session, Access.open());
        route(HandlerType.DELETE, "/_console/session", consoleSession::logout, Access.open());
        if (node.security() != null) {
            securityRoutes(new SecurityController(node.security()));
        }

        route(HandlerType.GET, "/_ccr/auto_follow", autoFollow::get, cluster("cluster:admin/xpack/ccr/auto_follow_pattern/get"));
        route(HandlerType.GET, "/_ccr/auto_follow/{name}", autoFollow::get, cluster("cluster:admin/xpack/ccr/auto_follow_pattern/get"));
        route(HandlerType.PUT, "/_ccr/auto_follow/{name}", autoFollow::put, cluster("cluster:admin/xpack/ccr/auto_follow_pattern/put"));
        route(HandlerType.DELETE, "/_ccr/auto_follow/{name}", autoFollow::delete, cluster("cluster:admin/xpack/ccr/auto_follow_pattern/delete"));
        route(HandlerType.POST, "/_ccr/auto_follow/{name}/pause", autoFollow::pause, cluster("cluster:admin/xpack/ccr/auto_follow_pattern/activate"));
        route(HandlerType.POST, "/_ccr/auto_follow/{name}/resume", autoFollow::resume, cluster("cluster:admin/xpack/ccr/auto_follow_pattern/activate"));
        route(HandlerType.PUT, "/{index}/_ccr/follow", ccr::follow, index("indices:admin/xpack/ccr/put_follow")
                .andCluster("cluster:admin/xpack/ccr/resume_follow").andIndex("indices:monitor/stats")
                .andIndex("indices:data/read/search").andIndex("indices:data/write/bulk_shard_operations[s]"));
        route(HandlerType.POST, "/{index}/_ccr/pause_follow", ccr::pause, cluster("cluster:admin/xpack/ccr/pause_follow"));
        route(HandlerType.POST, "/{index}/_ccr/resume_follow", ccr::resume, cluster("cluster:admin/xpack/ccr/resume_follow"));
        route(HandlerType.POST, "/{index}/_ccr/unfollow", ccr::unfollow, index("indices:admin/xpack/ccr/unfollow"));
        route(HandlerType.POST, "/{index}/_ccr/rebootstrap", ccr::rebootstrap, cluster("cluster:admin/xpack/ccr/rebootstrap").andIndex("indices:admin/xpack/ccr/rebootstrap"));
        route(HandlerType.POST, "/{index}/_ccr/rebuild", ccr::rebuild, cluster("cluster:admin/xpack/ccr/rebuild").andIndex("indices:admin/xpack/ccr/rebuild"));
        route(HandlerType.POST, "/{index}/_ccr/verify", verify::verify, cluster("cluster:admin/xpack/ccr/verify").andIndex("indices:admin/xpack/ccr/verify"));
        route(HandlerType.GET, "/{index}/_ccr/digest/{shard}", verify::digest, LEADER_READ.andIndex("indices:data/read/xpack/ccr/digest"));
        route(HandlerType.GET, "/_dangling", danglingIndices::list, cluster("cluster:admin/indices/dangling/list"));
        route(HandlerType.POST, "/_dangling/{uuid}", danglingIndices::importIndex,
                cluster("cluster:admin/indices/dangling/import"));
        route(HandlerType.DELETE, "/_dangling/{uuid}", danglingIndices::delete,
                cluster("cluster:admin/indices/dangling/delete"));
        route(HandlerType.GET, "/_recovery", recovery::recovery, index("indices:monitor/recovery"));
        route(HandlerType.GET, "/{index}/_recovery", recovery::recovery, index("indices:monitor/recovery"));
        route(HandlerType.GET, "/{index}/_ccr/info", ccr::info, cluster("cluster:monitor/ccr/follow_info"));
        route(HandlerType.GET, "/_ccr/stats", ccr::allStats, cluster("cluster:monitor/ccr/stats"));
        route(HandlerType.GET, "/{index}/_ccr/stats", ccr::stats, cluster("cluster:monitor/ccr/follow_stats"));
        route(HandlerType.POST, "/{index}/_ccr/restore_session", restore::open, LEADER_READ.andIndex("indices:data/read/xpack/ccr/restore_session/put"));
        // the leader side, called by an operator (Elasticsearch's manage_leader_index), not by a follower's key
        route(HandlerType.POST, "/{index}/_ccr/forget_follower", everywhere(restore::forgetFollower),
                index("indices:admin/xpack/ccr/forget_follower"));
        route(HandlerType.GET, "/_ccr/restore_session/{session}/{shard}/{file}", restore::file, LEADER_SESSION);
        route(HandlerType.DELETE, "/_ccr/restore_session/{session}", restore::release, LEADER_SESSION);
        route(HandlerType.POST, "/{index}/_close", ccr::close, index("indices:admin/close"));
        route(HandlerType.POST, "/{index}/_open", ccr::open, index("indices:admin/open"));
        route(HandlerType.GET, "/", ctx -> console.root(ctx, json -> {
            guard.check(json, cluster("cluster:monitor/main"));
            clusterApi.root(json);
        }), Access.open());
        route(HandlerType.GET, "/_console/{file}", console::asset, Access.open());
        route(HandlerType.GET, "/_console/lib/{file}", console::lib, Access.open());
        route(HandlerType.GET, "/_resolve/index/{name}", resolve::resolve, cluster("cluster:monitor/state"));
        route(HandlerType.HEAD, "/", clusterApi::root, cluster("cluster:monitor/main"));
        route(HandlerType.GET, "/metrics", metrics::scrape, cluster("cluster:monitor/prometheus/metrics"));
        ClusterStateController state = this.cluster == null ? null : new ClusterStateController(this.cluster.view(),
                this.cluster.search(), resolver, node.clusterName(), this.cluster.listings());
        for (String path : List.of("/_cluster/health", "/_cluster/health/{index}")) {
            route(HandlerType.GET, path, state == null ? clusterApi::health : state::health,
                    cluster("cluster:monitor/health"));
        }
        for (String path : List.of("/_cat/indices", "/_cat/indices/{index}")) {
            route(HandlerType.GET, path, state == null ? clusterApi::catIndices : state::catIndices,
                    cluster("cluster:monitor/state"));
        }
        if (state != null) {
            route(HandlerType.GET, "/_cat/shards", state::catShards, cluster("cluster:monitor/state"));
            route(HandlerType.GET, "/_cat/shards/{index}", state::catShards, cluster("cluster:monitor/state"));
            route(HandlerType.GET, "/_cat/nodes", state::catNodes, cluster("cluster:monitor/nodes/info"));
            route(HandlerType.GET, "/_nodes", state::nodes, cluster("cluster:monitor/nodes/info"));
            route(HandlerType.GET, "/_nodes/{selector}", state::nodes, cluster("cluster:monitor/nodes/info"));
            route(HandlerType.GET, ClusterView.STATUS_PATH, state::status, cluster(ClusterView.STATUS_ACTION));
            route(HandlerType.POST, ClusterSearch.SHARDS_PATH + "{index}/_search", state::shardSearch,
                    index("indices:data/read/search"));
            route(HandlerType.POST, PitParts.PATH + "{index}/_open", scroll::openPart,
                    index("indices:data/read/open_point_in_time"));
            route(HandlerType.POST, PitParts.PATH + "{index}/_search", scroll::searchPart,
                    index("indices:data/read/search"));
            route(HandlerType.POST, PitParts.PATH + "{index}/_close", scroll::closePart,
                    index("indices:data/read/close_point_in_time"));
            route(HandlerType.GET, FollowerSource.PATH + "{index}/source", restore::followerSource,
                    cluster(FollowerSource.ACTION));
        }
        route(HandlerType.GET, "/_cluster/settings", remote::getSettings, cluster("cluster:monitor/settings"));
        route(HandlerType.PUT, "/_cluster/settings", remote::putSettings, cluster("cluster:admin/settings/update"));
        route(HandlerType.GET, "/_remote/info", remote::remoteInfo, cluster("cluster:monitor/remote/info"));
        route(HandlerType.GET, RemoteClusters.DISCOVERY_PATH, remote::kccrCluster, cluster("cluster:monitor/state").crossCluster());
        route(HandlerType.POST, "/_refresh", everywhere(indices::refresh), index("indices:admin/refresh"));
        route(HandlerType.POST, "/_flush", everywhere(indices::flush), index("indices:admin/flush"));
        route(HandlerType.GET, "/_refresh", everywhere(indices::refresh), index("indices:admin/refresh"));
        io.kccr.node.indices.IndexingPressure pressure = node.pressure();
        for (HandlerType m : List.of(HandlerType.POST, HandlerType.PUT)) {
            // each bulk item is authorized on its own index by the controller, as Elasticsearch does
            route(m, "/_bulk", PressuredWrites.wrap(pressure, bulks(bulk::bulk)), Access.item("indices:data/write/bulk"));
            route(m, "/{index}/_bulk", PressuredWrites.wrap(pressure, bulks(bulk::bulk)), Access.item("indices:data/write/bulk"));
            route(m, "/{index}/_doc/{id}", PressuredWrites.wrap(pressure, routed(WRITE, ctx -> {
                guard.checkIndex(ctx, "create".equals(ctx.queryParam("op_type")) ? CREATE : INDEX);
                docs.index(ctx);
            })), Access.item(INDEX));
            route(m, "/{index}/_create/{id}", PressuredWrites.wrap(pressure, routed(WRITE, docs::create)), index(CREATE));
            route(m, "/{index}/_refresh", everywhere(indices::refresh), index("indices:admin/refresh"));
            route(m, "/{index}/_flush", everywhere(indices::flush), index("indices:admin/flush"));
            route(m, "/{index}/_mapping", indices::putMapping, index("indices:admin/mapping/put"));
        }
        route(HandlerType.POST, "/{index}/_pit", scroll::openPit, index("indices:data/read/open_point_in_time"));
        route(HandlerType.DELETE, "/_pit", scroll::closePit, Access.item("indices:data/read/close_point_in_time"));
        route(HandlerType.DELETE, "/_search/scroll", scroll::clearScroll, Access.item("indices:data/read/scroll/clear"));
        route(HandlerType.DELETE, "/_search/scroll/{id}", scroll::clearScroll, Access.item("indices:data/read/scroll/clear"));
        for (HandlerType m : List.of(HandlerType.GET, HandlerType.POST)) {
            route(m, "/_search/scroll", scroll::scroll, Access.item("indices:data/read/scroll"));
            route(m, "/_search/scroll/{id}", scroll::scroll, Access.item("indices:data/read/scroll"));
            route(m, "/_mget", mget::mget, Access.item("indices:data/read/mget"));
            route(m, "/{index}/_mget", mget::mget, Access.item("indices:data/read/mget"));
            route(m, "/_msearch", msearch::msearch, Access.item("indices:data/read/msearch"));
            route(m, "/{index}/_msearch", msearch::msearch, Access.item("indices:data/read/msearch"));
            route(m, "/_search", search::searchAll, Access.item("indices:data/read/search"));
            route(m, "/{index}/_search", search::search, index("indices:data/read/search"));
            route(m, "/{index}/_count", search::count, index("indices:data/read/search"));
        }
        route(HandlerType.POST, "/{index}/_doc", PressuredWrites.wrap(pressure, routed(WRITE, docs::index)), index(CREATE));
        route(HandlerType.POST, "/{index}/_update/{id}", PressuredWrites.wrap(pressure, routed(WRITE, docs::update)),
                index("indices:data/write/update"));
        route(HandlerType.GET, "/{index}/_doc/{id}", routed(READ, docs::get), index("indices:data/read/get"));
        route(HandlerType.HEAD, "/{index}/_doc/{id}", routed(READ, docs::get), index("indices:data/read/get"));
        route(HandlerType.GET, "/{index}/_source/{id}", routed(READ, docs::source), index("indices:data/read/get"));
        route(HandlerType.DELETE, "/{index}/_doc/{id}", PressuredWrites.wrap(pressure, routed(DELETE, docs::delete)),
                index("indices:data/write/delete"));
        route(HandlerType.GET, "/{index}/_mapping", indices::getMapping, index("indices:admin/mappings/get"));
        for (String all : List.of("", "/{index}")) { // every index, or those named
            route(HandlerType.GET, all + "/_stats", indexStats::stats, index("indices:monitor/stats"));
            route(HandlerType.GET, all + "/_settings", indexStats::getSettings, index("indices:monitor/settings/get"));
            route(HandlerType.PUT, all + "/_settings", indexStats::putSettings, index("indices:admin/settings/update"));
            route(HandlerType.GET, all + "/_flush", everywhere(indices::flush), index("indices:admin/flush"));
        }
        route(HandlerType.PUT, "/{index}", indices::create, index("indices:admin/create"));
        route(HandlerType.GET, "/{index}", indices::get, index("indices:admin/get").crossCluster());
        route(HandlerType.HEAD, "/{index}", indices::exists, index("indices:admin/get"));
        route(HandlerType.DELETE, "/{index}", indices::delete, index("indices:admin/delete"));

        MethodCheck methods = new MethodCheck(routes.stream().map(r -> new MethodCheck.Template(r.method(), r.path()))
                .toList());
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.maxRequestSize = maxContentLength;
            config.http.prefer405over404 = false;
            config.router.ignoreTrailingSlashes = true;
            config.jetty.modifyServer(server -> server.setErrorHandler(new JettyParts.Errors()));
            // room for an ApiKey or Basic header with a long password and a session cookie; longer headers get 431
            config.jetty.modifyHttpConfiguration(http -> http.setRequestHeaderSize(16 * 1024));
            if (node.tls() != null) {
                config.jetty.addConnector((server, http) -> JettyParts.tlsConnector(server, http, node.tls(), host, port));
            }
            config.concurrency.useVirtualThreads = true;
            config.routes.before(ctx -> {
                ctx.header("X-Elastic-Product", "Elasticsearch");
                long length = ctx.req().getContentLengthLong();
                if (length > maxContentLength) {
                    throw new HttpError(413, "content_too_long_exception", "request body is " + length
                            + " bytes, over the limit of " + maxContentLength + " bytes (http.max_content_length);"
                            + " send smaller requests (e.g. split the _bulk) or raise http.max_content_length");
                }
                methods.check(ctx);
                guard.before(ctx);
            });
            for (Route r : routes) {
                boolean namesIndex = r.path().contains("{index}");
                config.routes.addHttpHandler(r.method(), r.path(), ctx -> {
                    guard.check(ctx, r.access());
                    if (namesIndex && cluster != null && cluster.followers().forward(ctx)) {
                        return; // a follower index another node of the cluster hosts answered
                    }
                    r.handler().handle(ctx);
                });
            }
            for (HandlerType m : List.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.DELETE,
                    HandlerType.HEAD, HandlerType.PATCH, HandlerType.OPTIONS)) {
                config.routes.addHttpHandler(m, "/<path>", methods::unknownEndpoint);
            }
            config.routes.exception(Exception.class, (e, ctx) -> {
                RestErrors.Reply reply = RestErrors.reply(e);
                if (reply.status() == 401) {
                    RequestGuard.challenge(ctx);
                }
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

    /** Elasticsearch's security APIs (only with security on: off, they are unknown endpoints, as in Elasticsearch). */
    private void securityRoutes(SecurityController security) {
        String users = "cluster:admin/xpack/security/user/";
        String keys = "cluster:admin/xpack/security/api_key/";
        for (HandlerType m : List.of(HandlerType.GET, HandlerType.POST)) {
            route(m, "/_security/user/_has_privileges", security::hasPrivileges,
                    Access.own("cluster:admin/xpack/security/user/has_privileges"));
            route(m, "/_security/user/{username}/_has_privileges", security::hasPrivileges,
                    Access.own("cluster:admin/xpack/security/user/has_privileges"));
        }
        for (HandlerType m : List.of(HandlerType.PUT, HandlerType.POST)) {
            route(m, "/_security/user/_password", security::changePassword,
                    Access.own("cluster:admin/xpack/security/user/change_password"));
            route(m, "/_security/user/{username}/_password", security::changePassword,
                    Access.own("cluster:admin/xpack/security/user/change_password"));
            route(m, "/_security/user/{username}", security::putUser, cluster(users + "put"));
            route(m, "/_security/role/{name}", security::putRole, cluster("cluster:admin/xpack/security/role/put"));
            route(m, "/_security/api_key", security::createApiKey, cluster(keys + "create"));
        }
        route(HandlerType.GET, "/_security/_authenticate", security::authenticate,
                Access.own("cluster:admin/xpack/security/user/authenticate"));
        route(HandlerType.GET, "/_security/user", security::getUsers, cluster(users + "get"));
        route(HandlerType.GET, "/_security/user/{username}", security::getUsers, cluster(users + "get"));
        route(HandlerType.DELETE, "/_security/user/{username}", security::deleteUser, cluster(users + "delete"));
        route(HandlerType.GET, "/_security/role", security::getRoles, cluster("cluster:admin/xpack/security/role/get"));
        route(HandlerType.GET, "/_security/role/{name}", security::getRoles,
                cluster("cluster:admin/xpack/security/role/get"));
        route(HandlerType.DELETE, "/_security/role/{name}", security::deleteRole,
                cluster("cluster:admin/xpack/security/role/delete"));
        route(HandlerType.GET, "/_security/api_key", security::getApiKeys, cluster(keys + "get"));
        route(HandlerType.DELETE, "/_security/api_key", security::invalidateApiKeys, cluster(keys + "invalidate"));
        route(HandlerType.POST, "/_security/cross_cluster/api_key", security::createCrossClusterKey,
                cluster("cluster:admin/xpack/security/cross_cluster/api_key/create"));
    }

    /** Adds a route to the table; see {@link #requireDeclared}. */
    private void route(HandlerType method, String path, Handler handler, Access access) {
        routes.add(new Route(method, path, handler, requireDeclared(method, path, access)));
    }

    /**
     * {@code access}, when it names an Elasticsearch action or is explicitly open.
     *
     * @throws IllegalArgumentException otherwise: every route says what its caller must be allowed
     */
    static Access requireDeclared(HandlerType method, String path, Access access) {
        if (!access.declares()) {
            throw new IllegalArgumentException("route [" + method + " " + path + "] declares no Elasticsearch action:"
                    + " give it Access.cluster/index/item/own(action), or Access.open() for a page without login");
        }
        return access;
    }

    private static Access cluster(String action) {
        return Access.cluster(action);
    }

    private static Access index(String action) {
        return Access.index(action);
    }

    /** {@code handler}, unless the cluster router sends the request to the node of its shard. */
    private Handler routed(ShardRouter.Kind kind, Handler handler) {
        if (cluster == null) {
            return handler;
        }
        return ctx -> {
            if (!cluster.documents().forward(ctx, kind)) {
                handler.handle(ctx);
            }
        };
    }

    /**
     * {@code handler}, then the same request on the other nodes of the cluster for their copies, before the answer
     * goes out (a request {@code handler} rejects goes nowhere else).
     */
    private Handler everywhere(Handler handler) {
        if (cluster == null) {
            return handler;
        }
        return ctx -> {
            handler.handle(ctx);
            cluster.broadcast().toOthers(ctx);
        };
    }

    /** {@code handler}, unless the bulk's items go to several nodes: then the cluster router splits it. */
    private Handler bulks(Handler handler) {
        if (cluster == null) {
            return handler;
        }
        return ctx -> {
            if (!cluster.bulks().forward(ctx)) {
                handler.handle(ctx);
            }
        };
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
