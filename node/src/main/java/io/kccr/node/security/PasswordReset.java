package io.kccr.node.security;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.kccr.core.io.StateFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A password reset handed from {@code kccr reset-password} to the node of a {@code path.data}: the command writes the
 * new password's bcrypt hash to {@code <path.data>/security/password_reset.json} (mode 600; never the password); the
 * node applies it to the security topic at start-up and, while it runs, within a second, then deletes the file. So a
 * reset works on a stopped and on a running node, with no credentials, by whoever may write the node's data.
 */
public final class PasswordReset {
    private static final Logger log = LoggerFactory.getLogger(PasswordReset.class);

    /** The reset: whose password, and its new bcrypt hash. */
    public record Request(String username, @JsonProperty("password_hash") String passwordHash) {
        @Override
        public String toString() {
            return "Request[" + username + "]";
        }
    }

    private PasswordReset() {
    }

    /** The reset file of the node whose {@code path.data} is {@code data}. */
    public static Path file(Path data) {
        return data.resolve("security").resolve("password_reset.json");
    }

    /** Writes a reset request (the caller hashed the password) for the node of {@code data}. */
    public static void request(Path data, String username, String passwordHash) throws IOException {
        Path file = file(data);
        StateFile.write(file, SecurityJson.MAPPER.writeValueAsBytes(new Request(username, passwordHash)), true);
    }

    /** Applies and deletes a pending reset of the node of {@code data}, if any; returns the user it reset. */
    public static Optional<String> apply(Path data, SecurityService security) {
        Path file = file(data);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            Request request = SecurityJson.MAPPER.readValue(Files.readAllBytes(file), Request.class);
            security.setPasswordHash(request.username(), request.passwordHash());
            Files.deleteIfExists(file);
            log.warn("the password of user [{}] was reset (kccr reset-password)", request.username());
            return Optional.of(request.username());
        } catch (IOException | RuntimeException e) {
            log.warn("could not apply the password reset in [{}]: {}", file, e.getMessage());
            return Optional.empty();
        }
    }
}
