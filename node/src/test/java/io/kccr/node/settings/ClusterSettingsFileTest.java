package io.kccr.node.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The persistent cluster settings file: its format, and that only its owner can read it. */
class ClusterSettingsFileTest {

    /** A file as the version before the settings rework wrote it (Jackson's default pretty printer). */
    private static final String EARLIER_FILE = """
            {
              "version" : 1,
              "persistent" : {
                "ccr.indices.recovery.chunk_size" : "2mb",
                "cluster.remote.leader.kafka.sasl.jaas.config" : "secret",
                "cluster.remote.leader.seeds" : "127.0.0.1:9200"
              }
            }""";

    @TempDir
    Path dir;

    @Test
    void readsWhatTheEarlierVersionWroteAndWritesTheSameFormat() throws Exception {
        Path file = dir.resolve(ClusterSettings.FILE_NAME);
        Files.writeString(file, EARLIER_FILE);
        ClusterSettings settings = ClusterSettings.load(dir, NodeSettings.defaults());
        assertThat(settings.persistent()).containsOnly(
                Map.entry("ccr.indices.recovery.chunk_size", "2mb"),
                Map.entry("cluster.remote.leader.kafka.sasl.jaas.config", "secret"),
                Map.entry("cluster.remote.leader.seeds", "127.0.0.1:9200"));
        assertThat(settings.recoveryChunkSize()).isEqualTo(2L << 20);

        Map<String, String> update = new HashMap<>();
        update.put("ccr.indices.recovery.chunk_size", null);
        settings.update(update, null);
        settings.update(Map.of("ccr.indices.recovery.chunk_size", "2mb"), null);
        assertThat(Files.readString(file)).isEqualTo(EARLIER_FILE);
    }

    @Test
    void theFileIsReadableByItsOwnerOnly() throws Exception {
        ClusterSettings settings = ClusterSettings.load(dir, NodeSettings.defaults());
        settings.update(Map.of("cluster.remote.leader.seeds", "127.0.0.1:9200",
                "cluster.remote.leader.kafka.ssl.keystore.password", "changeit"), null);
        Path file = dir.resolve(ClusterSettings.FILE_NAME);
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
        assertThat(ClusterSettings.load(dir, NodeSettings.defaults()).persistent())
                .containsEntry("cluster.remote.leader.kafka.ssl.keystore.password", "changeit");
    }
}
