package io.kccr.node.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secrets that passed a bcrypt check, so that the next request with the same credentials costs an HMAC instead
 * of a bcrypt (tens of milliseconds), as Elasticsearch's realm cache does. Holds, per principal, the bcrypt hash the
 * secret was checked against and an HMAC-SHA256 of the secret under a key made at start and never stored: no secret
 * in memory in clear, and a changed password or key (another hash) misses. Bounded; thread-safe.
 */
final class VerifiedSecrets {
    private static final int MAX_ENTRIES = 10_000;

    private record Entry(String bcryptHash, byte[] mac) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final SecretKeySpec key = new SecretKeySpec(Passwords.randomToken(32).getBytes(StandardCharsets.UTF_8),
            "HmacSHA256");

    /** Whether {@code secret} of {@code principal} matches {@code bcryptHash}: from the cache, else by bcrypt. */
    boolean verify(String principal, String secret, String bcryptHash) {
        byte[] mac = mac(secret);
        Entry e = entries.get(principal);
        if (e != null && e.bcryptHash().equals(bcryptHash) && MessageDigest.isEqual(e.mac(), mac)) {
            return true;
        }
        if (!Passwords.verify(secret, bcryptHash)) {
            return false;
        }
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear(); // rare; refilled by the next requests
        }
        entries.put(principal, new Entry(bcryptHash, mac));
        return true;
    }

    private byte[] mac(String secret) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(key);
            return m.doFinal(secret.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
