package io.kccr.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.kccr.core.io.StateFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Which log a node's data belongs to: the Kafka cluster id and topic prefix it last started with, kept in
 * {@code <path.data>/node_metadata.json}. A node started against another Kafka cluster (a wrong
 * {@code kafka.bootstrap.servers}, an embedded broker whose log was lost) or another {@code ccr.topic.prefix} would
 * find none of its indices listed; it refuses to start unless told ({@code ccr.kafka.allow_cluster_change}), and even
 * then deletes nothing: the indices the new log does not list are dangling ({@code GET /_dangling}).
 *
 * @param kafkaClusterId the Kafka cluster id (Admin {@code describeCluster})
 * @param topicPrefix    {@code ccr.topic.prefix}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record KafkaBinding(String kafkaClusterId, String topicPrefix) {
    static final String FILE = "node_metadata.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    KafkaBinding {
        Objects.requireNonNull(kafkaClusterId, "kafkaClusterId");
        Objects.requireNonNull(topicPrefix, "topicPrefix");
    }

    /** The binding recorded in {@code data}; null on a node's first start. */
    static KafkaBinding read(Path data) throws IOException {
        Path file = data.resolve(FILE);
        return Files.exists(file) ? JSON.readValue(file.toFile(), KafkaBinding.class) : null;
    }

    /** Records this binding in {@code data}, crash-safe. */
    void write(Path data) throws IOException {
        StateFile.write(data.resolve(FILE), JSON.writeValueAsBytes(this));
    }

    /**
     * Checks that {@code now} is the log {@code data} was used with; records it on a first start or when allowed.
     *
     * @throws NodeStartException when it differs and {@code allowChange} is false, naming both and what to do
     */
    static void check(Path data, KafkaBinding now, boolean allowChange) throws IOException {
        KafkaBinding before = read(data);
        if (now.equals(before)) {
            return;
        }
        if (before != null && !allowChange) {
            String what = !before.kafkaClusterId.equals(now.kafkaClusterId)
                    ? "Kafka cluster [" + before.kafkaClusterId + "], but kafka.bootstrap.servers now reaches cluster ["
                    + now.kafkaClusterId + "]"
                    : "ccr.topic.prefix [" + before.topicPrefix + "], but it is now [" + now.topicPrefix + "]";
            throw new NodeStartException("path.data [" + data + "] holds the indices of " + what + ": this node's"
                    + " indices are not in that log, and starting would leave them behind. Point the node at its Kafka"
                    + " (kafka.bootstrap.servers, ccr.topic.prefix); or, if the old log is gone for good, start with"
                    + " -E ccr.kafka.allow_cluster_change=true: nothing is deleted, the indices the new log does not"
                    + " list are kept as dangling indices (GET /_dangling), to import or delete", null);
        }
        now.write(data);
    }
}
