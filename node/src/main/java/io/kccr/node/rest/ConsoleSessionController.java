package io.kccr.node.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.kccr.core.error.InvalidRequestException;
import io.kccr.node.security.Authentication;
import io.kccr.node.security.ConsoleSessions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The console's login: {@code POST /_console/session} with {@code {"username","password"}} starts a session (an
 * {@code HttpOnly}, {@code SameSite=Strict} cookie, {@code Secure} over TLS, and a CSRF token the page sends back in
 * {@value RequestGuard#CSRF_HEADER} with every change); {@code GET /_console/session} tells the page who is logged in
 * and what they may do, so it shows only the actions they have the privileges for; {@code DELETE} logs out. Client
 * IO only.
 */
final class ConsoleSessionController {
    /** What the console offers, the action it takes and the privilege that grants it (shown when missing). */
    private record Offer(String action, boolean cluster, String privilege) {
    }

    private static final Map<String, Offer> OFFERS = offers();

    private final RequestGuard guard;

    ConsoleSessionController(RequestGuard guard) {
        this.guard = guard;
    }

    private static Map<String, Offer> offers() {
        Map<String, Offer> out = new LinkedHashMap<>();
        out.put("view_followers", new Offer("cluster:monitor/ccr/stats", true, "monitor"));
        out.put("follow", new Offer("cluster:admin/xpack/ccr/resume_follow", true, "manage_ccr"));
        out.put("pause_follow", new Offer("cluster:admin/xpack/ccr/pause_follow", true, "manage_ccr"));
        out.put("resume_follow", new Offer("cluster:admin/xpack/ccr/resume_follow", true, "manage_ccr"));
        out.put("rebootstrap", new Offer("cluster:admin/xpack/ccr/rebootstrap", true, "manage_ccr"));
        out.put("unfollow", new Offer("indices:admin/xpack/ccr/unfollow", false, "manage_follow_index"));
        out.put("view_auto_follow", new Offer("cluster:admin/xpack/ccr/auto_follow_pattern/get", true, "manage_ccr"));
        out.put("auto_follow", new Offer("cluster:admin/xpack/ccr/auto_follow_pattern/put", true, "manage_ccr"));
        out.put("view_remotes", new Offer("cluster:monitor/remote/info", true, "monitor"));
        return out;
    }

    /** {@code POST /_console/session}. */
    void login(Context ctx) {
        if (!guard.securityEnabled()) {
            session(ctx);
            return;
        }
        JsonNode body = Json.parseObject(ctx.bodyAsBytes());
        if (!body.path("username").isTextual() || !body.path("password").isTextual()) {
            throw InvalidRequestException.validation("Validation Failed: 1: username and password must be given;");
        }
        Authentication auth = guard.authenticator().password(body.get("username").asText(),
                body.get("password").asText(), ctx.ip(), "POST /_console/session");
        ConsoleSessions.Login login = guard.sessions().start(auth.user());
        ctx.res().addHeader("Set-Cookie", cookie(ctx, login.id(), false));
        Responses.json(ctx, 200, view(auth, login.csrfToken()));
    }

    /** {@code GET /_console/session}. */
    void session(Context ctx) {
        if (!guard.securityEnabled()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("authenticated", true);
            out.put("security_enabled", false);
            Map<String, Object> may = new LinkedHashMap<>();
            OFFERS.forEach((name, offer) -> may.put(name, Map.of("allowed", true, "privilege", offer.privilege())));
            out.put("privileges", may);
            Responses.json(ctx, 200, out);
            return;
        }
        Optional<ConsoleSessions.Session> session = guard.sessions().use(ctx.cookie(RequestGuard.SESSION_COOKIE));
        Optional<Authentication> auth = session.flatMap(guard.authenticator()::session);
        if (auth.isEmpty()) {
            Responses.json(ctx, 200, Map.of("authenticated", false, "security_enabled", true));
            return;
        }
        Responses.json(ctx, 200, view(auth.get(), session.get().csrfToken()));
    }

    /** {@code DELETE /_console/session}. */
    void logout(Context ctx) {
        guard.sessions().end(ctx.cookie(RequestGuard.SESSION_COOKIE));
        ctx.res().addHeader("Set-Cookie", cookie(ctx, "", true));
        Responses.json(ctx, 200, Map.of("authenticated", false));
    }

    private static String cookie(Context ctx, String value, boolean expire) {
        return RequestGuard.SESSION_COOKIE + "=" + value + "; Path=/; HttpOnly; SameSite=Strict"
                + ("https".equals(ctx.scheme()) ? "; Secure" : "") + (expire ? "; Max-Age=0" : "");
    }

    private static Map<String, Object> view(Authentication auth, String csrf) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("authenticated", true);
        out.put("security_enabled", true);
        out.put("username", auth.username());
        out.put("roles", auth.roles());
        out.put("csrf_token", csrf);
        Map<String, Object> may = new LinkedHashMap<>();
        OFFERS.forEach((name, offer) -> may.put(name, Map.of("allowed", offer.cluster()
                ? auth.permission().grantsCluster(offer.action()) : auth.permission().grantsIndex(offer.action(), "*"),
                "privilege", offer.privilege())));
        out.put("privileges", may);
        return out;
    }
}
