package io.kccr.node.security;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A user of the native realm as the security topic stores it: the password only as a bcrypt hash.
 *
 * @param passwordHash bcrypt ({@code $2a$...}); never shown by any API
 * @param reserved     a built-in user ({@code elastic}): only its password can change
 */
public record User(String username, @JsonProperty("password_hash") String passwordHash, List<String> roles,
                   @JsonProperty("full_name") String fullName, String email, Map<String, Object> metadata,
                   boolean enabled, boolean reserved) {
    public User {
        roles = roles == null ? List.of() : List.copyOf(roles);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** The built-in superuser's name. */
    public static final String ELASTIC = "elastic";

    /** This user with another password hash. */
    public User withPasswordHash(String hash) {
        return new User(username, hash, roles, fullName, email, metadata, enabled, reserved);
    }

    /** The user as {@code GET /_security/user} shows it: everything but the hash. */
    public Map<String, Object> view() {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("username", username);
        out.put("roles", roles);
        out.put("full_name", fullName);
        out.put("email", email);
        out.put("metadata", reserved ? Map.of("_reserved", true) : metadata);
        out.put("enabled", enabled);
        return out;
    }

    /** Masks the hash: records print their fields. */
    @Override
    public String toString() {
        return "User[" + username + ", roles=" + roles + ", enabled=" + enabled + "]";
    }
}
