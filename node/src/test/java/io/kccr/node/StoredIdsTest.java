package io.kccr.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ids a node keeps are made once per {@code path.data} and kept across starts. */
class StoredIdsTest {
    @TempDir
    Path data;

    @Test
    void madeOnTheFirstStartAndKeptAfterwards() throws Exception {
        String uuid = StoredIds.clusterUuid(data);
        assertThat(uuid).isNotBlank();
        assertThat(Files.readString(data.resolve("cluster_uuid"), StandardCharsets.UTF_8)).isEqualTo(uuid);
        assertThat(StoredIds.clusterUuid(data)).isEqualTo(uuid);
        try (var files = Files.list(data)) {
            assertThat(files).containsExactly(data.resolve("cluster_uuid")); // no temp file left behind
        }
    }

    @Test
    void anEmptyFileGetsANewUuid() throws Exception {
        Files.writeString(data.resolve("cluster_uuid"), "");
        String uuid = StoredIds.clusterUuid(data);
        assertThat(uuid).isNotBlank();
        assertThat(StoredIds.clusterUuid(data)).isEqualTo(uuid);
    }

    @Test
    void theNodeIdIsKeptApartFromTheClusterUuid() throws Exception {
        String node = StoredIds.nodeId(data);
        String cluster = StoredIds.clusterUuid(data);
        assertThat(node).isNotEqualTo(cluster);
        assertThat(StoredIds.nodeId(data)).isEqualTo(node);
        assertThat(Files.readString(data.resolve("node_id"), StandardCharsets.UTF_8)).isEqualTo(node);
    }
}
