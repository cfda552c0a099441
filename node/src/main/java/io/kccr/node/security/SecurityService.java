package io.kccr.node.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.error.NotFoundException;
import io.kccr.core.settings.TimeValue;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The native realm's users and roles and the API keys, as Elasticsearch's security APIs manage them: each change
 * checked, then written to the {@link SecurityLog}. Knows nothing of HTTP. Thread-safe.
 */
public final class SecurityService {
    /** Elasticsearch's rule for user and role names: 1 to 507 printable characters, no leading whitespace. */
    private static final Pattern NAME = Pattern.compile("[\\p{Graph}&&[^\\s]][\\p{Graph} ]{0,506}");
    private static final Set<String> USER_FIELDS = Set.of("password", "roles", "full_name", "email", "metadata",
            "enabled");

    private final SecurityLog store;
    private final Authenticator authenticator;
    private final Clock clock;

    public SecurityService(SecurityLog store, Authenticator authenticator, Clock clock) {
        this.store = store;
        this.authenticator = authenticator;
        this.clock = clock;
    }

    public Authenticator authenticator() {
        return authenticator;
    }

    // ------------------------------------------------------------------------------------------ bootstrap

    /**
     * Makes sure the built-in superuser {@code elastic} exists: with {@code bootstrapPassword} when given (and it
     * does not exist yet), else with a generated one.
     *
     * @return the generated password, to be shown once; empty when the user existed or the password was given
     */
    public Optional<String> bootstrapElastic(String bootstrapPassword) {
        if (store.user(User.ELASTIC).isPresent()) {
            return Optional.empty();
        }
        String password = bootstrapPassword != null ? bootstrapPassword : Passwords.generate(20);
        Passwords.validate(password.toCharArray());
        store.putUser(new User(User.ELASTIC, Passwords.hash(password), List.of("superuser"), null, null, Map.of(),
                true, true));
        return bootstrapPassword != null ? Optional.empty() : Optional.of(password);
    }

    /** Sets {@code username}'s password hash (a reset from the command line: the hash was made there). */
    public void setPasswordHash(String username, String bcryptHash) {
        User user = store.user(username).orElseThrow(() -> NotFoundException.resource("user [" + username
                + "] does not exist"));
        store.putUser(user.withPasswordHash(bcryptHash));
    }

    // ------------------------------------------------------------------------------------------ users

    /**
     * {@code PUT /_security/user/<name>}: creates or updates; a new user needs a password.
     *
     * @return whether the user was created
     */
    public boolean putUser(String name, JsonNode body) {
        checkName("user", name);
        if (body == null || !body.isObject()) {
            throw InvalidRequestException.parse("failed to parse user [" + name + "]: expected an object");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!USER_FIELDS.contains(field)) {
                throw InvalidRequestException.parse("failed to parse add user request. unexpected field [" + field
                        + "]; a user takes " + USER_FIELDS.stream().sorted().toList());
            }
        }
        Optional<User> existing = store.user(name);
        if (existing.isPresent() && existing.get().reserved() || BuiltinUsers.isReserved(name)) {
            throw InvalidRequestException.validation("Validation Failed: 1: user [" + name + "] is reserved and only"
                    + " the password can be changed (POST /_security/user/" + name + "/_password);");
        }
        String hash;
        if (body.hasNonNull("password")) {
            if (!body.get("password").isTextual()) {
                throw InvalidRequestException.parse("failed to parse add user request. [password] must be a string");
            }
            char[] password = body.get("password").asText().toCharArray();
            Passwords.validate(password);
            hash = Passwords.hash(new String(password));
        } else if (existing.isPresent()) {
            hash = existing.get().passwordHash();
        } else {
            throw InvalidRequestException.validation("Validation Failed: 1: password must be specified unless you"
                    + " are updating an existing user;");
        }
        List<String> roles = RoleDescriptor.strings(name, body, "roles");
        Map<String, Object> metadata = body.path("metadata").isObject()
                ? SecurityJson.MAPPER.convertValue(body.get("metadata"), SecurityJson.MAP) : Map.of();
        store.putUser(new User(name, hash, roles, text(body, "full_name"), text(body, "email"), metadata,
                body.path("enabled").asBoolean(true), false));
        return existing.isEmpty();
    }

    private static String text(JsonNode body, String field) {
        return body.hasNonNull(field) ? body.get(field).asText() : null;
    }

    /** {@code GET /_security/user[/<names>]}: the users by name (names comma-separated, or all when null). */
    public Map<String, Map<String, Object>> users(String names) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        if (names == null) {
            store.users().stream().sorted(java.util.Comparator.comparing(User::username))
                    .forEach(u -> out.put(u.username(), u.view()));
        } else {
            for (String name : names.split(",")) {
                store.user(name).ifPresent(u -> out.put(name, u.view()));
            }
        }
        return out;
    }

    /** {@code DELETE /_security/user/<name>}: whether it existed. */
    public boolean deleteUser(String name) {
        Optional<User> user = store.user(name);
        if (user.isPresent() && user.get().reserved()) {
            throw InvalidRequestException.validation("Validation Failed: 1: user [" + name + "] is reserved and"
                    + " cannot be deleted;");
        }
        if (user.isEmpty()) {
            return false;
        }
        store.deleteUser(name);
        return true;
    }

    /** {@code POST /_security/user/<name>/_password}. */
    public void changePassword(String name, JsonNode body) {
        if (body == null || !body.isObject() || !body.path("password").isTextual()) {
            throw InvalidRequestException.validation("Validation Failed: 1: password must be specified;");
        }
        User user = store.user(name).orElseThrow(() -> NotFoundException.resource("user [" + name
                + "] does not exist; create it with PUT /_security/user/" + name));
        char[] password = body.get("password").asText().toCharArray();
        Passwords.validate(password);
        store.putUser(user.withPasswordHash(Passwords.hash(new String(password))));
    }

    // ------------------------------------------------------------------------------------------ roles

    /** {@code PUT /_security/role/<name>}: whether it was created. */
    public boolean putRole(String name, JsonNode body) {
        checkName("role", name);
        if (BuiltinRoles.isBuiltin(name)) {
            throw InvalidRequestException.validation("Validation Failed: 1: role [" + name + "] is reserved and"
                    + " cannot be modified;");
        }
        RoleDescriptor role = RoleDescriptor.parse(name, body);
        boolean created = store.role(name).isEmpty();
        store.putRole(name, role);
        return created;
    }

    /** {@code GET /_security/role[/<names>]}: the roles by name, built-in ones included. */
    public Map<String, RoleDescriptor> roles(String names) {
        Map<String, RoleDescriptor> out = new LinkedHashMap<>();
        if (names == null) {
            out.putAll(BuiltinRoles.ALL);
            new java.util.TreeMap<>(store.roles()).forEach(out::put);
        } else {
            for (String name : names.split(",")) {
                BuiltinRoles.get(name).or(() -> store.role(name)).ifPresent(r -> out.put(name, r));
            }
        }
        return out;
    }

    /** {@code DELETE /_security/role/<name>}: whether it existed. */
    public boolean deleteRole(String name) {
        if (BuiltinRoles.isBuiltin(name)) {
            throw InvalidRequestException.validation("Validation Failed: 1: role [" + name + "] is reserved and"
                    + " cannot be deleted;");
        }
        if (store.role(name).isEmpty()) {
            return false;
        }
        store.deleteRole(name);
        return true;
    }

    // ------------------------------------------------------------------------------------------ API keys

    /** A new API key as {@code POST /_security/api_key} answers it: the secret is shown here only. */
    public record CreatedKey(String id, String name, Long expiration, String apiKey, String encoded) {
    }

    /**
     * {@code POST /_security/api_key}: a REST key whose privileges are its {@code role_descriptors} limited by the
     * creator's current roles (or the creator's roles when none are given).
     */
    public CreatedKey createApiKey(Authentication creator, JsonNode body) {
        if (body == null || !body.isObject()) {
            body = SecurityJson.MAPPER.createObjectNode();
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!Set.of("name", "expiration", "role_descriptors", "metadata").contains(field)) {
                throw InvalidRequestException.parse("failed to parse create api key request. unexpected field ["
                        + field + "]");
            }
        }
        Map<String, RoleDescriptor> roles = new LinkedHashMap<>();
        JsonNode descriptors = body.get("role_descriptors");
        if (descriptors != null && !descriptors.isNull()) {
            if (!descriptors.isObject()) {
                throw InvalidRequestException.parse("[role_descriptors] must be an object of roles by name");
            }
            descriptors.fields().forEachRemaining(e -> roles.put(e.getKey(), RoleDescriptor.parse(e.getKey(),
                    e.getValue())));
        }
        Map<String, RoleDescriptor> limitedBy = new LinkedHashMap<>();
        if (creator.apiKey() != null) {
            throw InvalidRequestException.illegalArgument("an API key cannot create another API key; authenticate"
                    + " as a user");
        }
        List<RoleDescriptor> creatorRoles = authenticator.resolve(creator.roles());
        for (int i = 0; i < creatorRoles.size(); i++) {
            limitedBy.put(creator.roles().get(i), creatorRoles.get(i));
        }
        return store(creator, body, ApiKey.REST, roles, limitedBy, List.of());
    }

    /**
     * {@code POST /_security/cross_cluster/api_key}: a key for a follower cluster, granting the leader side of
     * replication on the indices {@code access.replication[].names} matches, and nothing else.
     */
    public CreatedKey createCrossClusterKey(Authentication creator, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw InvalidRequestException.parse("failed to parse create cross-cluster api key request: expected an"
                    + " object with name and access");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!Set.of("name", "expiration", "access", "metadata").contains(field)) {
                throw InvalidRequestException.parse("failed to parse create cross-cluster api key request."
                        + " unexpected field [" + field + "]");
            }
        }
        JsonNode access = body.path("access");
        if (access.has("search")) {
            throw InvalidRequestException.illegalArgument("[access.search] is not supported: this cluster serves"
                    + " replication only; give access.replication");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode entry : access.path("replication")) {
            List<String> entryNames = entry.path("names").isTextual() ? List.of(entry.get("names").asText())
                    : RoleDescriptor.strings("access.replication", entry, "names");
            for (Iterator<String> it = entry.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                if (!field.equals("names")) {
                    throw InvalidRequestException.parse("failed to parse [access.replication]. unexpected field ["
                            + field + "]");
                }
            }
            names.addAll(entryNames);
        }
        if (names.isEmpty()) {
            throw InvalidRequestException.validation("Validation Failed: 1: must specify non-empty access for"
                    + " either [search] or [replication];");
        }
        return store(creator, body, ApiKey.CROSS_CLUSTER, Map.of(), Map.of(), names);
    }

    private CreatedKey store(Authentication creator, JsonNode body, String type, Map<String, RoleDescriptor> roles,
                             Map<String, RoleDescriptor> limitedBy, List<String> replication) {
        if (!body.path("name").isTextual() || body.get("name").asText().isBlank()) {
            throw InvalidRequestException.validation("Validation Failed: 1: api key name is required;");
        }
        String name = body.get("name").asText();
        if (name.length() > 1024) {
            throw InvalidRequestException.validation("Validation Failed: 1: api key name may not be more than"
                    + " [1024] characters long;");
        }
        Long expiration = null;
        long now = clock.millis();
        if (body.hasNonNull("expiration")) {
            TimeValue ttl;
            try {
                ttl = TimeValue.parse(body.get("expiration").asText(), "expiration");
            } catch (IllegalArgumentException e) {
                throw InvalidRequestException.parse(e.getMessage());
            }
            if (ttl.nanos() <= 0) {
                throw InvalidRequestException.validation("Validation Failed: 1: expiration must be positive;");
            }
            expiration = now + ttl.toDuration().toMillis();
        }
        Map<String, Object> metadata = body.path("metadata").isObject()
                ? SecurityJson.MAPPER.convertValue(body.get("metadata"), SecurityJson.MAP) : Map.of();
        String id = Passwords.randomToken(15);
        String secret = Passwords.randomToken(16);
        store.putApiKey(new ApiKey(id, name, type, Passwords.hash(secret), now, expiration, false, null,
                creator.username(), creator.realm(), roles, limitedBy, replication, metadata));
        String encoded = Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return new CreatedKey(id, name, expiration, secret, encoded);
    }

    /**
     * {@code GET /_security/api_key}: the keys matching the filters (each may be null); only the caller's own when
     * {@code ownOnly}.
     */
    public List<ApiKey> apiKeys(String id, String name, String username, boolean ownOnly, Authentication caller) {
        return store.apiKeys().stream()
                .filter(k -> !ApiKey.NODE.equals(k.type()))
                .filter(k -> id == null || k.id().equals(id))
                .filter(k -> name == null || io.kccr.core.index.Wildcards.simpleMatch(name, k.name()))
                .filter(k -> username == null || k.username().equals(username))
                .filter(k -> !ownOnly || k.username().equals(caller.username()))
                .sorted(java.util.Comparator.comparingLong(ApiKey::creation))
                .toList();
    }

    /** The outcome of {@code DELETE /_security/api_key}. */
    public record Invalidation(List<String> invalidated, List<String> previouslyInvalidated) {
    }

    /** {@code DELETE /_security/api_key}: invalidates the keys the filters name (only own ones when {@code ownOnly}). */
    public Invalidation invalidate(List<String> ids, String name, String username, boolean ownOnly,
                                   Authentication caller) {
        if ((ids == null || ids.isEmpty()) && name == null && username == null && !ownOnly) {
            throw InvalidRequestException.validation("Validation Failed: 1: One of [api key id(s), api key name,"
                    + " username, realm name] must be specified if [owner] flag is false;");
        }
        List<String> done = new ArrayList<>();
        List<String> before = new ArrayList<>();
        for (ApiKey key : store.apiKeys()) {
            boolean match = !ApiKey.NODE.equals(key.type()) && (ids == null || ids.isEmpty() || ids.contains(key.id()))
                    && (name == null || io.kccr.core.index.Wildcards.simpleMatch(name, key.name()))
                    && (username == null || key.username().equals(username))
                    && (!ownOnly || key.username().equals(caller.username()));
            if (!match) {
                continue;
            }
            if (key.invalidated()) {
                before.add(key.id());
            } else {
                store.putApiKey(key.invalidate(clock.instant()));
                done.add(key.id());
            }
        }
        return new Invalidation(done, before);
    }

    /**
     * Makes this node's key for calling the other nodes of its cluster, under the id {@code node-<nodeId>} with a
     * new secret at each start (the previous one stops working), and returns its {@code Authorization} header value.
     * Only the secret's hash is stored; the secret stays in this node's memory.
     */
    public String nodeKey(String nodeId, String nodeName) {
        String secret = Passwords.randomToken(16);
        String id = "node-" + nodeId;
        store.putApiKey(new ApiKey(id, "node " + nodeName, ApiKey.NODE, Passwords.hash(secret), clock.millis(), null,
                false, null, ApiKey.NODE, ApiKey.NODE, Map.of(), Map.of(), List.of(), Map.of()));
        return "ApiKey " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    private static void checkName(String what, String name) {
        if (name == null || !NAME.matcher(name).matches() || name.startsWith("_")) {
            throw InvalidRequestException.validation("Validation Failed: 1: Invalid " + what + " name [" + name
                    + "]. Valid names have 1 to 507 printable characters, do not start with whitespace or [_];");
        }
    }
}
