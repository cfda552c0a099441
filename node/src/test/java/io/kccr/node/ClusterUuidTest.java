package io.kccr.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster UUID is made once per {@code path.data} and kept across starts. */
class ClusterUuidTest {
    @TempDir
    Path data;

    @Test
    void madeOnTheFirstStartAndKeptAfterwards() throws Exception {
        String uuid = ClusterUuid.of(data);
        assertThat(uuid).isNotBlank();
        assertThat(Files.readString(data.resolve("cluster_uuid"), StandardCharsets.UTF_8)).isEqualTo(uuid);
        assertThat(ClusterUuid.of(data)).isEqualTo(uuid);
        try (var files = Files.list(data)) {
            assertThat(files).containsExactly(data.resolve("cluster_uuid")); // no temp file left behind
        }
    }

    @Test
    void anEmptyFileGetsANewUuid() throws Exception {
        Files.writeString(data.resolve("cluster_uuid"), "");
        String uuid = ClusterUuid.of(data);
        assertThat(uuid).isNotBlank();
        assertThat(ClusterUuid.of(data)).isEqualTo(uuid);
    }
}
