package io.kccr.node.security;

import io.kccr.core.error.InvalidRequestException;
import java.security.SecureRandom;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * Password hashing and rules, as Elasticsearch's native realm has them: bcrypt (cost 10, its default
 * {@code xpack.security.authc.password_hashing.algorithm}), at least 6 characters. Stateless and thread-safe.
 */
public final class Passwords {
    /** Elasticsearch's minimum password length for native users. */
    public static final int MIN_LENGTH = 6;
    /** bcrypt takes at most 72 bytes; anything past them would be silently ignored, so it is refused. */
    static final int MAX_BYTES = 72;
    private static final int COST = 10;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789_-";

    private Passwords() {
    }

    /**
     * Checks a new password.
     *
     * @throws io.kccr.core.error.KccrException 400 {@code action_request_validation_exception} in Elasticsearch's
     *                                          words when it is too short, or too long for bcrypt
     */
    public static void validate(char[] password) {
        if (password == null || password.length < MIN_LENGTH) {
            throw InvalidRequestException.validation("Validation Failed: 1: passwords must be at least [" + MIN_LENGTH
                    + "] characters long;");
        }
        if (new String(password).getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw InvalidRequestException.validation("Validation Failed: 1: passwords must be at most [" + MAX_BYTES
                    + "] bytes long (bcrypt ignores the rest);");
        }
    }

    /** The bcrypt hash of {@code secret}. */
    public static String hash(String secret) {
        return BCrypt.hashpw(secret, BCrypt.gensalt(COST, RANDOM));
    }

    /** Whether {@code secret} matches bcrypt {@code hash}; false for a malformed hash. */
    public static boolean verify(String secret, String hash) {
        try {
            return hash != null && BCrypt.checkpw(secret, hash);
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }

    /** A random password of {@code length} characters, easy to copy (no look-alike characters). */
    public static String generate(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    /** A random URL-safe secret of {@code bytes} random bytes (API keys, session ids, CSRF tokens). */
    public static String randomToken(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
