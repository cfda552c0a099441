package io.kccr.node.remote;

import io.kccr.node.settings.RemoteClusterSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Checks that a resolved remote's Kafka is usable: with a short-lived Admin client (the remote's client properties,
 * TLS/SASL included), its cluster must answer {@code describeCluster} and its {@code <prefix>.indices} topic must
 * exist, each within the timeout. Never throws for an unreachable remote: {@link #check} says why, and which
 * settings to look at. Stateless and thread-safe.
 */
final class RemoteKafkaCheck {

    private final Duration timeout;

    RemoteKafkaCheck(Duration timeout) {
        this.timeout = timeout;
    }

    /** Null when the remote's Kafka answers and has its indices topic; else why not and what to check. */
    String check(RemoteCluster config, ResolvedRemote remote) {
        String bootstrap = remote.bootstrapServers();
        String where = config.needsDiscovery()
                ? "the address the remote reported; if this node reaches that Kafka by another address, set "
                        + RemoteClusterSettings.remoteKey(config.name(), "kafka.bootstrap.servers")
                : RemoteClusterSettings.remoteKey(config.name(), "kafka.bootstrap.servers");
        String check = "check " + where + ", that Kafka runs, and the " + RemoteClusterSettings.remoteKey(config.name(),
                "kafka.*") + " client properties (TLS/SASL)";
        int ms = (int) Math.max(1, timeout.toMillis());
        Map<String, Object> props = new HashMap<>(remote.kafkaClientProperties());
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "kccr-remote-check-" + config.name());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
        props.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, (long) Math.min(ms, 1000));
        props.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, (long) ms);
        Admin admin;
        try {
            admin = Admin.create(props);
        } catch (KafkaException e) {
            return "cannot create a Kafka client for [" + bootstrap + "]: " + message(e) + "; " + check;
        }
        try {
            try {
                admin.describeCluster(new DescribeClusterOptions().timeoutMs(ms)).nodes()
                        .get(ms + 1000L, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                return "Kafka at [" + bootstrap + "] did not answer within " + ms + "ms (" + message(cause) + "); "
                        + check;
            }
            String topic = remote.topics().indices();
            try {
                admin.describeTopics(List.of(topic), new DescribeTopicsOptions().timeoutMs(ms)).allTopicNames()
                        .get(ms + 1000L, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    return "topic [" + topic + "] does not exist on Kafka [" + bootstrap + "]: no Kafka CCR cluster "
                            + "with topic prefix [" + remote.topicPrefix() + "] uses this Kafka; check "
                            + RemoteClusterSettings.remoteKey(config.name(), "topic_prefix")
                            + " (the remote's ccr.topic.prefix) and that the remote cluster has started";
                }
                return "cannot describe topic [" + topic + "] on Kafka [" + bootstrap + "]: " + message(e.getCause())
                        + "; " + check;
            } catch (TimeoutException e) {
                return "Kafka at [" + bootstrap + "] did not describe topic [" + topic + "] within " + ms + "ms; "
                        + check;
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while checking Kafka at [" + bootstrap + "]";
        } finally {
            admin.close(Duration.ofSeconds(1));
        }
    }

    private static String message(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }
}
