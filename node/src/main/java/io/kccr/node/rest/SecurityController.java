package io.kccr.node.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.kccr.core.error.InvalidRequestException;
import io.kccr.node.security.ApiKey;
import io.kccr.node.security.Authentication;
import io.kccr.node.security.Authorizer;
import io.kccr.node.security.Privileges;
import io.kccr.node.security.SecurityService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Elasticsearch's security APIs: users, roles, API keys (REST and cross-cluster), {@code _authenticate} and
 * {@code _has_privileges}. Client IO only; {@link SecurityService} does the work.
 */
final class SecurityController {
    private static final String MANAGE_API_KEY = "manage_api_key";

    private final SecurityService security;

    SecurityController(SecurityService security) {
        this.security = security;
    }

    /** {@code PUT|POST /_security/user/<username>}: {@code {"created":bool}}. */
    void putUser(Context ctx) {
        boolean created = security.putUser(ctx.pathParam("username"), Json.parseObject(ctx.bodyAsBytes()));
        Responses.json(ctx, 200, Map.of("created", created));
    }

    /** {@code GET /_security/user[/<username>]}: the users by name; 404 with {@code {}} for an unknown one. */
    void getUsers(Context ctx) {
        String names = ctx.pathParamMap().get("username");
        Map<String, Map<String, Object>> users = security.users(names);
        Responses.json(ctx, names != null && users.isEmpty() ? 404 : 200, users);
    }

    /** {@code DELETE /_security/user/<username>}: {@code {"found":bool}}, 404 when not found. */
    void deleteUser(Context ctx) {
        boolean found = security.deleteUser(ctx.pathParam("username"));
        Responses.json(ctx, found ? 200 : 404, Map.of("found", found));
    }

    /**
     * {@code POST|PUT /_security/user[/<username>]/_password}: every user may change their own; another's takes
     * {@code manage_security}.
     */
    void changePassword(Context ctx) {
        Authentication auth = RequestGuard.authentication(ctx);
        String name = ctx.pathParamMap().getOrDefault("username", auth == null ? null : auth.username());
        if (name == null) {
            throw InvalidRequestException.validation("Validation Failed: 1: username must be specified;");
        }
        if (auth != null && (auth.apiKey() != null || !name.equals(auth.username()))) {
            Authorizer.cluster(auth, "cluster:admin/xpack/security/user/change_password", ctx.ip());
        }
        security.changePassword(name, Json.parseObject(ctx.bodyAsBytes()));
        Responses.json(ctx, 200, Map.of());
    }

    /** {@code PUT|POST /_security/role/<name>}: {@code {"role":{"created":bool}}}. */
    void putRole(Context ctx) {
        boolean created = security.putRole(ctx.pathParam("name"), Json.parseObject(ctx.bodyAsBytes()));
        Responses.json(ctx, 200, Map.of("role", Map.of("created", created)));
    }

    /** {@code GET /_security/role[/<name>]}; 404 with {@code {}} for an unknown one. */
    void getRoles(Context ctx) {
        String names = ctx.pathParamMap().get("name");
        Map<String, ?> roles = security.roles(names);
        Responses.json(ctx, names != null && roles.isEmpty() ? 404 : 200, roles);
    }

    /** {@code DELETE /_security/role/<name>}: {@code {"found":bool}}, 404 when not found. */
    void deleteRole(Context ctx) {
        boolean found = security.deleteRole(ctx.pathParam("name"));
        Responses.json(ctx, found ? 200 : 404, Map.of("found", found));
    }

    /** {@code GET /_security/_authenticate}: who the caller is, in Elasticsearch's shape. */
    void authenticate(Context ctx) {
        Responses.json(ctx, 200, whoAmI(RequestGuard.authentication(ctx)));
    }

    static Map<String, Object> whoAmI(Authentication auth) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("username", auth.username());
        out.put("roles", auth.roles());
        out.put("full_name", auth.user() == null ? null : auth.user().fullName());
        out.put("email", auth.user() == null ? null : auth.user().email());
        out.put("metadata", auth.user() == null ? Map.of() : auth.user().view().get("metadata"));
        out.put("enabled", true);
        Map<String, String> realm = Map.of("name", auth.realm(), "type", auth.apiKey() == null
                ? auth.realm() : auth.realm());
        out.put("authentication_realm", realm);
        out.put("lookup_realm", realm);
        out.put("authentication_type", auth.type());
        if (auth.apiKey() != null) {
            out.put("api_key", Map.of("id", auth.apiKey().id(), "name", auth.apiKey().name()));
        }
        return out;
    }

    /**
     * {@code GET|POST /_security/user/_has_privileges}: which of the cluster and index privileges asked for the
     * caller holds. Asking of another user ({@code /_security/user/<username>/_has_privileges}) is refused.
     */
    void hasPrivileges(Context ctx) {
        Authentication auth = RequestGuard.authentication(ctx);
        String user = ctx.pathParamMap().get("username");
        if (user != null && !user.equals(auth.username())) {
            throw InvalidRequestException.illegalArgument("checking the privileges of another user is not"
                    + " supported; authenticate as [" + user + "] and call GET /_security/user/_has_privileges");
        }
        Responses.json(ctx, 200, privileges(auth, Json.parseObject(ctx.bodyAsBytes())));
    }

    static Map<String, Object> privileges(Authentication auth, JsonNode body) {
        Map<String, Boolean> cluster = new LinkedHashMap<>();
        for (JsonNode p : body.path("cluster")) {
            Privileges.validateCluster(List.of(p.asText()));
            cluster.put(p.asText(), auth.permission().holdsCluster(p.asText()));
        }
        Map<String, Map<String, Boolean>> index = new LinkedHashMap<>();
        for (JsonNode entry : body.path("index")) {
            List<String> names = new ArrayList<>();
            entry.path("names").forEach(n -> names.add(n.asText()));
            if (entry.path("names").isTextual()) {
                names.add(entry.get("names").asText());
            }
            for (String name : names) {
                Map<String, Boolean> held = index.computeIfAbsent(name, n -> new LinkedHashMap<>());
                for (JsonNode p : entry.path("privileges")) {
                    Privileges.validateIndex(List.of(p.asText()));
                    held.put(p.asText(), auth.permission().holdsIndex(p.asText(), name));
                }
            }
        }
        boolean all = cluster.values().stream().allMatch(b -> b)
                && index.values().stream().allMatch(m -> m.values().stream().allMatch(b -> b));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("username", auth.username());
        out.put("has_all_requested", all);
        out.put("cluster", cluster);
        out.put("index", index);
        out.put("application", Map.of());
        return out;
    }

    /** {@code POST|PUT /_security/api_key}. */
    void createApiKey(Context ctx) {
        Responses.json(ctx, 200, created(security.createApiKey(RequestGuard.authentication(ctx),
                Json.parseObject(ctx.bodyAsBytes()))));
    }

    /** {@code POST /_security/cross_cluster/api_key}. */
    void createCrossClusterKey(Context ctx) {
        Responses.json(ctx, 200, created(security.createCrossClusterKey(RequestGuard.authentication(ctx),
                Json.parseObject(ctx.bodyAsBytes()))));
    }

    private static Map<String, Object> created(SecurityService.CreatedKey key) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", key.id());
        out.put("name", key.name());
        if (key.expiration() != null) {
            out.put("expiration", key.expiration());
        }
        out.put("api_key", key.apiKey());
        out.put("encoded", key.encoded());
        return out;
    }

    /** {@code GET /_security/api_key}: {@code id}, {@code name}, {@code username}, {@code owner} filters. */
    void getApiKeys(Context ctx) {
        Authentication auth = RequestGuard.authentication(ctx);
        boolean own = Boolean.parseBoolean(ctx.queryParam("owner")) || !auth.permission().holdsCluster(MANAGE_API_KEY);
        List<ApiKey> keys = security.apiKeys(ctx.queryParam("id"), ctx.queryParam("name"), ctx.queryParam("username"),
                own, auth);
        Responses.json(ctx, 200, Map.of("api_keys", keys.stream().map(ApiKey::view).toList()));
    }

    /** {@code DELETE /_security/api_key}: {@code ids}, {@code name}, {@code username}, {@code owner}. */
    void invalidateApiKeys(Context ctx) {
        Authentication auth = RequestGuard.authentication(ctx);
        JsonNode body = Json.parseObject(ctx.bodyAsBytes());
        List<String> ids = new ArrayList<>();
        body.path("ids").forEach(n -> ids.add(n.asText()));
        if (body.path("id").isTextual()) {
            ids.add(body.get("id").asText());
        }
        boolean own = body.path("owner").asBoolean(false) || !auth.permission().holdsCluster(MANAGE_API_KEY);
        SecurityService.Invalidation result = security.invalidate(ids, body.path("name").textValue(),
                body.path("username").textValue(), own, auth);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("invalidated_api_keys", result.invalidated());
        out.put("previously_invalidated_api_keys", result.previouslyInvalidated());
        out.put("error_count", 0);
        Responses.json(ctx, 200, out);
    }
}
