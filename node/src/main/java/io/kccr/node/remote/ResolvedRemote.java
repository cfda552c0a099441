package io.kccr.node.remote;

import io.kccr.node.settings.NodeSettings;
import io.kccr.core.kafka.TopicNames;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * What a follower needs to read a remote (leader) cluster: where its Kafka is, how to talk to it, and the prefix of
 * its topics. Made by {@link RemoteClusters#resolve}.
 *
 * @param name                  the remote's name
 * @param httpAddress           {@code http://host:port} of the remote's REST API ({@code http}, else the seed that
 *                              answered, else the first seed), or null when only Kafka was configured
 * @param topicPrefix           the remote's {@code ccr.topic.prefix}: its topics are
 *                              {@code new TopicNames(topicPrefix)} ({@link #topics()})
 * @param kafkaClientProperties the properties for every Kafka client reading the remote: {@code bootstrap.servers}
 *                              plus the remote's {@code cluster.remote.<name>.kafka.*} ones; unmodifiable — copy it
 *                              to add deserializers, group id etc.
 */
public record ResolvedRemote(String name, String httpAddress, String topicPrefix,
                             Map<String, Object> kafkaClientProperties) {

    public ResolvedRemote {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(topicPrefix, "topicPrefix");
        Objects.requireNonNull(kafkaClientProperties.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG),
                "kafkaClientProperties must hold bootstrap.servers");
        kafkaClientProperties = Collections.unmodifiableMap(new LinkedHashMap<>(kafkaClientProperties));
    }

    /** {@code bootstrap.servers} of the remote's Kafka. */
    public String bootstrapServers() {
        return String.valueOf(kafkaClientProperties.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
    }

    /** The remote's topic names ({@code <prefix>.indices}, {@code <prefix>.<index>.ops}, ...). */
    public TopicNames topics() {
        return new TopicNames(topicPrefix);
    }

    /** The values of secret-looking Kafka properties masked, for logs. */
    @Override
    public String toString() {
        Map<String, Object> masked = new TreeMap<>();
        kafkaClientProperties.forEach((k, v) -> masked.put(k, NodeSettings.isSecretKey(k) ? "****" : v));
        return "ResolvedRemote[name=" + name + ", httpAddress=" + httpAddress + ", topicPrefix=" + topicPrefix
                + ", kafkaClientProperties=" + masked + "]";
    }
}
