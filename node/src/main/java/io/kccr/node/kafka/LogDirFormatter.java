package io.kccr.node.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * Prepares an {@link EmbeddedKafka} data directory, as {@code kafka-storage.sh format} would, the first time only: a
 * directory without {@code meta.properties} is formatted with a new random cluster id, the latest production
 * metadata version and a bootstrap snapshot for the static quorum; a directory that has one is left as it is, so
 * its log is reused. Stateless; the caller holds the directory's {@link LogDirLock}.
 */
final class LogDirFormatter {

    private LogDirFormatter() {
    }

    /**
     * Formats {@code dir} unless it already holds {@code meta.properties}; returns the cluster id.
     *
     * @throws UncheckedIOException  when the directory cannot be read or written
     * @throws IllegalStateException when Kafka's formatter refuses it
     */
    static String formatIfNeeded(Path dir, KafkaConfig config) {
        Path meta = dir.resolve("meta.properties");
        try {
            if (Files.exists(meta)) {
                Properties existing = new Properties();
                try (var in = Files.newInputStream(meta)) {
                    existing.load(in);
                }
                return existing.getProperty("cluster.id");
            }
            String clusterId = Uuid.randomUuid().toString();
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(BrokerConfig.NODE_ID)
                    .setClusterId(clusterId)
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setControllerListenerName(BrokerConfig.CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .setDirectories(config.logDirs())
                    .setHasDynamicQuorum(false)
                    .setWriteBootstrapSnapshot(true)
                    .run();
            return clusterId;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot format Kafka log dir " + dir, e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka log dir " + dir, e);
        }
    }
}
