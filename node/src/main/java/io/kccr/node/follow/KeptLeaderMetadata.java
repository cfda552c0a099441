package io.kccr.node.follow;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kccr.core.index.IndexMetadata;
import io.kccr.core.io.StateFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader index's metadata (settings, mappings) as a follower last read it, kept in its directory
 * ({@code leader_metadata.json}) each time it opens and when it closes: a follower reopened while its leader's log
 * cannot be read (the leader's cluster is down, as in a disaster it is the follower's purpose to outlive) opens with
 * it, searchable, and follows again once the log answers.
 */
final class KeptLeaderMetadata {
    private static final Logger log = LoggerFactory.getLogger(KeptLeaderMetadata.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String FILE = "leader_metadata.json";

    private KeptLeaderMetadata() {
    }

    /** The metadata kept under follower directory {@code dir}; null when none is. */
    static IndexMetadata read(Path dir) {
        Path file = dir.resolve(FILE);
        try {
            return Files.exists(file) ? IndexMetadata.fromJson(JSON.readTree(file.toFile())) : null;
        } catch (IOException | RuntimeException e) {
            log.warn("could not read the leader's metadata kept in {}", file, e);
            return null;
        }
    }

    /** Keeps {@code meta} under follower directory {@code dir} (nothing when null); a failure is logged only. */
    static void write(Path dir, IndexMetadata meta) {
        if (meta == null) {
            return;
        }
        Path file = dir.resolve(FILE);
        try {
            Files.createDirectories(dir);
            StateFile.write(file, JSON.writeValueAsBytes(meta.toJson()));
        } catch (IOException | RuntimeException e) {
            log.warn("could not keep the leader's metadata in {}", file, e);
        }
    }
}
