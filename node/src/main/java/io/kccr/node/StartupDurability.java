package io.kccr.node;

import io.kccr.leader.topics.MetadataLog;
import io.kccr.leader.topics.TopicDurability;
import io.kccr.node.settings.NodeSettings;

/** How durable a starting node's topics are: decided from its Kafka cluster and settings, checked before it serves. */
final class StartupDurability {
    private StartupDurability() {
    }

    /**
     * Decides how durable the node's topics are and checks the cluster's indices topic: a node refuses to start when
     * its topics could lose acknowledged writes, unless that is allowed ({@code ccr.topic.allow_unsafe_durability},
     * which the embedded single broker allows for itself unless it is set).
     *
     * @return a note for the start-up line when acknowledged writes are not safe from a broker's loss; null if they are
     */
    static String use(MetadataLog log, MetadataLog.KafkaClusterInfo cluster, NodeSettings settings,
                      boolean embedded) throws Exception {
        boolean allowUnsafe = settings.allowUnsafeDurabilitySet() ? settings.allowUnsafeDurability() : embedded;
        TopicDurability durability;
        try {
            durability = TopicDurability.resolve(cluster.brokers(), settings.topicReplicationFactor(),
                    settings.topicMinInsyncReplicas(), allowUnsafe);
        } catch (IllegalArgumentException e) {
            throw new NodeStartException(e.getMessage(), e);
        }
        String unsafe = durability.unsafeReason();
        if (unsafe != null && !allowUnsafe) {
            throw new NodeStartException("the Kafka cluster has " + cluster.brokers() + " broker(s), so new topics would"
                    + " have " + unsafe + ": an acknowledged write could be lost with one broker. Use a Kafka cluster of"
                    + " at least 3 brokers (ccr.topic.replication_factor, ccr.topic.min_insync_replicas), or set "
                    + TopicDurability.ALLOW_UNSAFE_SETTING + "=true to accept the risk", null);
        }
        log.useDurability(durability);
        log.ensureIndicesTopic();
        String indicesTopic = log.names().indices();
        String existing = log.describe(indicesTopic).unsafeReason();
        if (existing != null && !allowUnsafe) {
            throw new NodeStartException(TopicDurability.advice(indicesTopic, existing), null);
        }
        if (unsafe == null && existing == null) {
            return null;
        }
        return (embedded ? "embedded single broker: " : "") + "topics have " + (unsafe != null ? unsafe : existing)
                + "; acknowledged writes are only as safe as " + (embedded ? "this machine's disk" : "that")
                + " (" + TopicDurability.ALLOW_UNSAFE_SETTING + "=true)";
    }

}
