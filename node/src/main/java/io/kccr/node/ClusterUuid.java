package io.kccr.node;

import io.kccr.core.index.Ids;
import io.kccr.core.io.StateFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The cluster's UUID ({@code GET /}'s {@code cluster_uuid}), kept in {@code <path.data>/cluster_uuid}. */
final class ClusterUuid {
    private ClusterUuid() {
    }

    /**
     * The UUID, made on the first start and written crash-safe: a crash leaves the file absent or whole. An empty
     * file (cut short by a crash of a version that wrote it in place) gets a new UUID.
     */
    static String of(Path data) throws IOException {
        Path file = data.resolve("cluster_uuid");
        if (Files.exists(file)) {
            String uuid = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (!uuid.isEmpty()) {
                return uuid;
            }
        }
        String uuid = Ids.random();
        StateFile.write(file, uuid.getBytes(StandardCharsets.UTF_8));
        return uuid;
    }
}
