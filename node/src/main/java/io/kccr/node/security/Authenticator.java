package io.kccr.node.security;

import io.kccr.core.error.AuthenticationException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a request's credentials into an {@link Authentication}: {@code Authorization: Basic} (a native or reserved
 * user and password) or {@code Authorization: ApiKey} (the {@code encoded} value of an API key, base64 of
 * {@code id:key}; the other nodes of the cluster call with their own, {@link ApiKey#NODE}), checked against the
 * users and keys of the {@link SecurityLog}. Failures are counted per client
 * address ({@link FailedLogins}) and written to the audit log (user, address, action; never the secret).
 * Thread-safe.
 */
public final class Authenticator {
    /** The audit trail: one line per failed authentication or denied action. */
    static final Logger AUDIT = LoggerFactory.getLogger("io.kccr.security.audit");
    /** Longest {@code Authorization} value taken; a longer one is malformed (Elasticsearch's are far shorter). */
    static final int MAX_HEADER_LENGTH = 4096;

    private final SecurityLog store;
    private final Clock clock;
    private final FailedLogins failures;
    private final VerifiedSecrets verified = new VerifiedSecrets();

    public Authenticator(SecurityLog store, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.failures = new FailedLogins(clock);
    }

    /**
     * Authenticates a request.
     *
     * @param authorization the {@code Authorization} header, or null
     * @param address       the client's address (rate limiting, audit)
     * @param action        {@code METHOD path}, for messages and the audit log
     * @throws io.kccr.core.error.KccrException 401 {@code security_exception} for missing, malformed or wrong
     *                                          credentials; 429 when the address failed too often lately
     */
    public Authentication authenticate(String authorization, String address, String action) {
        if (authorization == null || authorization.isBlank()) {
            throw AuthenticationException.missing(action);
        }
        failures.check(address);
        int space = authorization.indexOf(' ');
        String scheme = space < 0 ? authorization : authorization.substring(0, space);
        String value = space < 0 ? "" : authorization.substring(space + 1).strip();
        if (authorization.length() > MAX_HEADER_LENGTH) {
            throw fail(address, action, "?", "the Authorization header is longer than " + MAX_HEADER_LENGTH
                    + " characters", new AuthenticationException("invalid Authorization header: longer than "
                    + MAX_HEADER_LENGTH + " characters"));
        }
        return switch (scheme.toLowerCase(Locale.ROOT)) {
            case "basic" -> basic(value, address, action);
            case "apikey" -> apiKey(value, address, action);
            default -> throw fail(address, action, "?", "scheme [" + scheme + "]", new AuthenticationException(
                    "unsupported authentication scheme [" + scheme + "] for REST request [" + action
                    + "]: use Basic (a user and password) or ApiKey (the encoded value of an API key)"));
        };
    }

    private Authentication basic(String value, String address, String action) {
        String decoded = decode(value);
        int colon = decoded == null ? -1 : decoded.indexOf(':');
        if (colon <= 0) {
            throw fail(address, action, "?", "malformed Basic credentials", new AuthenticationException(
                    "invalid basic authentication header encoding: expected base64 of user:password"));
        }
        return password(decoded.substring(0, colon), decoded.substring(colon + 1), address, action);
    }

    /**
     * Authenticates {@code username} with {@code password} (Basic, and the console's login form).
     *
     * @throws io.kccr.core.error.KccrException as {@link #authenticate}
     */
    public Authentication password(String username, String password, String address, String action) {
        failures.check(address);
        Optional<User> user = store.user(username);
        if (!matches(user, username, password) && store.catchUpAfterMiss()) {
            user = store.user(username); // made or changed through another node just before
        }
        if (!matches(user, username, password)) {
            throw fail(address, action, username, user.isEmpty() ? "unknown user" : !user.get().enabled()
                    ? "user disabled" : "wrong password", AuthenticationException.failed(username, action));
        }
        return forUser(user.get());
    }

    private boolean matches(Optional<User> user, String username, String password) {
        return user.isPresent() && user.get().enabled() && verified.verify("user:" + username, password,
                user.get().passwordHash());
    }

    /**
     * The authentication of a console session's user, as long as the user exists, is enabled and has the password
     * it logged in with; else empty (the session is over).
     */
    public Optional<Authentication> session(ConsoleSessions.Session session) {
        return store.user(session.username()).filter(User::enabled)
                .filter(u -> u.passwordHash().equals(session.passwordHash())).map(this::forUser);
    }

    private boolean keyMatches(Optional<ApiKey> key, String id, String secret) {
        return key.isPresent() && verified.verify("api_key:" + id, secret, key.get().keyHash());
    }

    /** The authentication of {@code user}, with its roles resolved now (unknown role names grant nothing). */
    public Authentication forUser(User user) {
        return new Authentication(user.username(), user.roles(), Permission.of(resolve(user.roles())),
                user.reserved() ? "reserved" : "native", user, null);
    }

    private Authentication apiKey(String value, String address, String action) {
        String decoded = decode(value);
        int colon = decoded == null ? -1 : decoded.indexOf(':');
        if (colon <= 0) {
            throw fail(address, action, "?", "malformed ApiKey credentials", new AuthenticationException(
                    "invalid ApiKey value: expected the encoded value of an API key (base64 of id:api_key)"));
        }
        String id = decoded.substring(0, colon);
        String secret = decoded.substring(colon + 1);
        Optional<ApiKey> found = store.apiKey(id);
        if (!keyMatches(found, id, secret) && store.catchUpAfterMiss()) {
            found = store.apiKey(id); // made through another node just before
        }
        if (!keyMatches(found, id, secret)) {
            throw fail(address, action, "api key [" + id + "]", "unknown id or wrong key",
                    new AuthenticationException("unable to authenticate with provided credentials and anonymous"
                            + " access is not allowed for this request"));
        }
        ApiKey key = found.get();
        if (key.invalidated()) {
            throw fail(address, action, "api key [" + id + "]", "invalidated", new AuthenticationException(
                    "api key [" + id + "] has been invalidated"));
        }
        if (key.expired(clock.instant())) {
            throw fail(address, action, "api key [" + id + "]", "expired", new AuthenticationException(
                    "api key is expired"));
        }
        if (ApiKey.NODE.equals(key.type())) { // another node of this cluster: it acts for the cluster itself
            return new Authentication(key.username(), List.of(), Permission.of(List.of(BuiltinRoles.ALL.get(
                    "superuser"))), ApiKey.NODE, null, key);
        }
        if (ApiKey.CROSS_CLUSTER.equals(key.type())) {
            return new Authentication(key.username(), List.of(), Permission.crossClusterReplication(
                    key.replication()), "_es_cross_cluster_api_key", null, key);
        }
        Permission owner = Permission.of(List.copyOf(key.limitedBy().values()));
        Permission permission = key.roleDescriptors().isEmpty() ? owner
                : Permission.of(List.copyOf(key.roleDescriptors().values())).limitedBy(owner);
        return new Authentication(key.username(), List.of(), permission, "_es_api_key", null, key);
    }

    /** The role descriptors of {@code names}: built-in ones first, then those of the security topic. */
    public List<RoleDescriptor> resolve(List<String> names) {
        List<RoleDescriptor> out = new ArrayList<>();
        for (String name : names) {
            BuiltinRoles.get(name).or(() -> store.role(name)).ifPresent(out::add);
        }
        return out;
    }

    private AuthenticationException fail(String address, String action, String principal, String why,
                                         AuthenticationException e) {
        failures.failed(address);
        AUDIT.warn("authentication_failed principal=[{}] address=[{}] action=[{}] reason=[{}]", principal, address,
                action, why);
        return e;
    }

    private static String decode(String base64) {
        try {
            return new String(Base64.getDecoder().decode(base64.strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
