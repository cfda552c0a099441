package io.kccr.node.security;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The web console's login sessions on this node: a random id (the {@code HttpOnly} cookie) and a random CSRF token
 * (sent back in a header with every change), bound to the user's password hash at login, so that a changed
 * password, a disabled or deleted user ends the session. A session ends after {@link #IDLE} without use, after
 * {@link #MAX_AGE} at most, or on logout. Only the id's SHA-256 is kept. Thread-safe; time from the {@link Clock}.
 */
public final class ConsoleSessions {
    public static final Duration IDLE = Duration.ofMinutes(30);
    public static final Duration MAX_AGE = Duration.ofHours(8);
    private static final int MAX_SESSIONS = 10_000;

    /** A session: its user, the hash the password had at login, its CSRF token. */
    public record Session(String username, String passwordHash, String csrfToken, long created, long lastUsed) {
    }

    /** A new session's id (for the cookie) and CSRF token (for the page). */
    public record Login(String id, String csrfToken) {
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Clock clock;

    public ConsoleSessions(Clock clock) {
        this.clock = clock;
    }

    /** Starts a session for {@code user}, who has just authenticated. */
    public Login start(User user) {
        long now = clock.millis();
        if (sessions.size() >= MAX_SESSIONS) {
            sessions.values().removeIf(s -> expired(s, now));
        }
        String id = Passwords.randomToken(32);
        String csrf = Passwords.randomToken(32);
        sessions.put(digest(id), new Session(user.username(), user.passwordHash(), csrf, now, now));
        return new Login(id, csrf);
    }

    /** The live session of cookie value {@code id}, marked used now; empty when unknown or expired. */
    public Optional<Session> use(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        long now = clock.millis();
        String key = digest(id);
        Session s = sessions.get(key);
        if (s == null) {
            return Optional.empty();
        }
        if (expired(s, now)) {
            sessions.remove(key);
            return Optional.empty();
        }
        Session used = new Session(s.username(), s.passwordHash(), s.csrfToken(), s.created(), now);
        sessions.put(key, used);
        return Optional.of(used);
    }

    /** Ends the session of cookie value {@code id}, if any. */
    public void end(String id) {
        if (id != null) {
            sessions.remove(digest(id));
        }
    }

    /** Whether {@code token} is the session's CSRF token (compared in constant time). */
    public static boolean csrfMatches(Session session, String token) {
        return token != null && MessageDigest.isEqual(session.csrfToken().getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean expired(Session s, long now) {
        return now - s.lastUsed() >= IDLE.toMillis() || now - s.created() >= MAX_AGE.toMillis();
    }

    private static String digest(String id) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
