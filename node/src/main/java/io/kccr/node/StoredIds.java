package io.kccr.node;

import io.kccr.core.index.Ids;
import io.kccr.core.io.StateFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The ids a node keeps under {@code path.data}, each made on the first start and written crash-safe (a crash leaves
 * the file absent or whole; an empty file, cut short by a crash of a version that wrote it in place, gets a new id).
 */
final class StoredIds {
    private StoredIds() {
    }

    /** The cluster's UUID ({@code GET /}'s {@code cluster_uuid}), in {@code <path.data>/cluster_uuid}. */
    static String clusterUuid(Path data) throws IOException {
        return kept(data.resolve("cluster_uuid"));
    }

    /**
     * This node's id in a cluster of nodes, in {@code <path.data>/node_id}, so that the cluster knows a restarted
     * node and the copies it still holds.
     */
    static String nodeId(Path data) throws IOException {
        return kept(data.resolve("node_id"));
    }

    private static String kept(Path file) throws IOException {
        if (Files.exists(file)) {
            String id = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (!id.isEmpty()) {
                return id;
            }
        }
        String id = Ids.random();
        StateFile.write(file, id.getBytes(StandardCharsets.UTF_8));
        return id;
    }
}
