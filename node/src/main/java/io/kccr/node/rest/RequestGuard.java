package io.kccr.node.rest;

import io.javalin.http.Context;
import io.kccr.core.error.AuthenticationException;
import io.kccr.core.error.AuthorizationException;
import io.kccr.node.security.Access;
import io.kccr.node.security.Authentication;
import io.kccr.node.security.Authenticator;
import io.kccr.node.security.Authorizer;
import io.kccr.node.security.ConsoleSessions;
import io.kccr.node.security.CorsPolicy;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What every request passes before its controller: a body must be JSON or NDJSON (406 otherwise, as Elasticsearch
 * answers); a browser request from a foreign {@code Origin} is refused unless {@code http.cors.*} allows it; and,
 * with security on, the caller is authenticated (Basic, ApiKey, or the console's session cookie with its CSRF token
 * on every change) and authorized for the route's {@link Access}. The {@link Authentication} is kept on the request
 * for the controllers that authorize each item ({@link #authorizeIndex}). Thread-safe.
 */
final class RequestGuard {
    /** The console's session cookie. */
    static final String SESSION_COOKIE = "kccr_session";
    /** The header the console sends its session's CSRF token in. */
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final String AUTHENTICATION = "kccr.authentication";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    private static final Set<String> MEDIA_TYPES = Set.of("application/json", "application/x-ndjson",
            "application/vnd.elasticsearch+json", "application/vnd.elasticsearch+x-ndjson");

    private final Authenticator authenticator;
    private final ConsoleSessions sessions;
    private final CorsPolicy cors;

    /** {@code authenticator}: null when security is off (then only the body and origin checks apply). */
    RequestGuard(Authenticator authenticator, ConsoleSessions sessions, CorsPolicy cors) {
        this.authenticator = authenticator;
        this.sessions = sessions;
        this.cors = cors;
    }

    boolean securityEnabled() {
        return authenticator != null;
    }

    ConsoleSessions sessions() {
        return sessions;
    }

    Authenticator authenticator() {
        return authenticator;
    }

    /**
     * The checks of every request: the content type of a body, the origin; answers a CORS preflight itself.
     *
     * @throws HttpError 406 for a body that is not JSON or NDJSON; 403 for a foreign origin not allowed
     */
    void before(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin != null && !sameOrigin(ctx, origin)) {
            if (!cors.allows(origin)) {
                throw new HttpError(403, "security_exception", "cross-origin request from [" + origin + "] refused:"
                        + " this node answers browsers only from its own origin; to allow another, set"
                        + " http.cors.enabled: true and http.cors.allow-origin");
            }
            ctx.header("Access-Control-Allow-Origin", origin);
            ctx.header("Vary", "Origin");
            if (cors.allowCredentials()) {
                ctx.header("Access-Control-Allow-Credentials", "true");
            }
            if (ctx.method().name().equals("OPTIONS") && ctx.header("Access-Control-Request-Method") != null) {
                ctx.header("Access-Control-Allow-Methods", cors.allowMethods());
                ctx.header("Access-Control-Allow-Headers", cors.allowHeaders());
                ctx.header("Access-Control-Max-Age", "1728000");
                ctx.status(200);
                ctx.skipRemainingHandlers();
                return;
            }
        }
        if (hasBody(ctx)) {
            String type = ctx.header("Content-Type");
            String media = type == null ? null : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
            if (media == null || !MEDIA_TYPES.contains(media)) {
                throw new HttpError(406, "media_type_header_exception", type == null
                        ? "Content-Type header is missing: send the body as application/json (or application/x-ndjson"
                        + " for _bulk and _msearch)"
                        : "Content-Type header [" + type + "] is not supported: send the body as application/json (or"
                        + " application/x-ndjson for _bulk and _msearch)");
            }
        }
    }

    private static boolean hasBody(Context ctx) {
        long length = ctx.req().getContentLengthLong();
        return length > 0 || length < 0 && ctx.header("Transfer-Encoding") != null;
    }

    /** Whether {@code origin} is this node's own (scheme, host and port of the request's {@code Host}). */
    private static boolean sameOrigin(Context ctx, String origin) {
        try {
            URI o = URI.create(origin);
            String host = ctx.header("Host");
            return host != null && o.getScheme() != null && o.getScheme().equalsIgnoreCase(ctx.scheme())
                    && o.getRawAuthority() != null && o.getRawAuthority().equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Authenticates and authorizes the request for {@code access}; nothing when security is off or the route is
     * open.
     *
     * @throws io.kccr.core.error.KccrException 401 for missing or wrong credentials (or a cross-cluster key on a
     *                                          route that takes none), 403 for a missing privilege or CSRF token
     */
    void check(Context ctx, Access access) {
        if (authenticator == null || access.isOpen()) {
            return;
        }
        Authentication auth = authenticate(ctx);
        if (auth.crossCluster() && !access.allowsCrossCluster()) {
            throw new AuthenticationException("authentication expected API key type of [rest], but API key ["
                    + auth.apiKey().id() + "] has type [cross_cluster]: a cross-cluster API key only serves a follower"
                    + " cluster (cluster.remote.<name>.credentials)");
        }
        String address = ctx.ip();
        for (Access.Check check : access.checks()) {
            if (check.byController()) {
                continue;
            }
            if (check.index()) {
                String index = ctx.pathParamMap().get("index");
                Authorizer.index(auth, check.action(), index == null ? "*" : index, address);
            } else {
                Authorizer.cluster(auth, check.action(), address);
            }
        }
    }

    /** {@link #check} of index action {@code action} on the route's {@code {index}}. */
    void checkIndex(Context ctx, String action) {
        check(ctx, Access.index(action));
    }

    private Authentication authenticate(Context ctx) {
        Authentication known = ctx.attribute(AUTHENTICATION);
        if (known != null) {
            return known;
        }
        String action = ctx.method().name() + " " + ctx.path();
        String authorization = ctx.header("Authorization");
        Authentication auth;
        if (authorization == null && ctx.cookie(SESSION_COOKIE) != null) {
            auth = session(ctx, action);
        } else {
            auth = authenticator.authenticate(authorization, ctx.ip(), action);
        }
        ctx.attribute(AUTHENTICATION, auth);
        return auth;
    }

    private Authentication session(Context ctx, String action) {
        Optional<ConsoleSessions.Session> session = sessions.use(ctx.cookie(SESSION_COOKIE));
        Optional<Authentication> auth = session.flatMap(authenticator::session);
        if (auth.isEmpty()) {
            throw new AuthenticationException("the console session has ended (logged out, expired, or the user's"
                    + " password changed): log in again");
        }
        if (!SAFE_METHODS.contains(ctx.method().name())
                && !ConsoleSessions.csrfMatches(session.get(), ctx.header(CSRF_HEADER))) {
            throw new AuthorizationException("action [" + action + "] refused: the console session's CSRF token is"
                    + " missing or wrong (header " + CSRF_HEADER + "); reload the console");
        }
        return auth.get();
    }

    /** The request's authentication, or null when security is off or the route is open. */
    static Authentication authentication(Context ctx) {
        return ctx.attribute(AUTHENTICATION);
    }

    /**
     * Checks index action {@code action} on {@code index} for an item of the request (a bulk item, a multi-get
     * document, a search); nothing when security is off.
     *
     * @throws io.kccr.core.error.KccrException 403 when the caller may not
     */
    static void authorizeIndex(Context ctx, String action, String index) {
        Authentication auth = authentication(ctx);
        if (auth != null) {
            Authorizer.index(auth, action, index, ctx.ip());
        }
    }

    /**
     * Checks cluster action {@code action} for the request (e.g. clearing every scroll); nothing when security is off.
     *
     * @throws io.kccr.core.error.KccrException 403 when the caller may not
     */
    static void authorizeCluster(Context ctx, String action) {
        Authentication auth = authentication(ctx);
        if (auth != null) {
            Authorizer.cluster(auth, action, ctx.ip());
        }
    }

    /** Elasticsearch's challenges, sent with a 401; not to the console, where a browser would pop up its dialog. */
    static void challenge(Context ctx) {
        if (ctx.header("X-Requested-With") == null) {
            ctx.res().addHeader("WWW-Authenticate", "Basic realm=\"security\", charset=\"UTF-8\"");
            ctx.res().addHeader("WWW-Authenticate", "ApiKey");
        }
    }
}
