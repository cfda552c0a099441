package io.kccr.leader.topics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.TopicConfig;

/**
 * How durable the topics a node creates are, and the one test of whether a topic's settings can lose
 * an acknowledged write. With {@code acks=all}, a write is acknowledged once every in-sync replica has
 * it; it survives the loss of a broker only if at least two replicas must have it
 * ({@code min.insync.replicas} ≥ 2, hence a replication factor ≥ 2) and an out-of-sync replica can
 * never become leader ({@code unclean.leader.election.enable=false}).
 *
 * @param replicationFactor  replication factor of new topics
 * @param minInsyncReplicas  {@code min.insync.replicas} of new topics
 * @param allowUnsafe        whether writing to a topic that can lose acknowledged writes is accepted
 *                           ({@code ccr.topic.allow_unsafe_durability})
 */
public record TopicDurability(int replicationFactor, int minInsyncReplicas, boolean allowUnsafe) {

    /** The settings that make a topic unsafe to write to, and whether they are accepted. */
    public static final String ALLOW_UNSAFE_SETTING = "ccr.topic.allow_unsafe_durability";

    public TopicDurability {
        if (replicationFactor < 1 || minInsyncReplicas < 1) {
            throw new IllegalArgumentException("replication factor and min.insync.replicas must be at least 1");
        }
    }

    /**
     * The durability of new topics on a cluster of {@code brokers} brokers: the replication factor given, or
     * min(3, brokers); {@code min.insync.replicas} given, or min(2, replication factor).
     *
     * @throws IllegalArgumentException when the replication factor exceeds the brokers, or
     *                                  {@code min.insync.replicas} exceeds the replication factor
     */
    public static TopicDurability resolve(int brokers, Optional<Integer> replicationFactor,
                                          Optional<Integer> minInsyncReplicas, boolean allowUnsafe) {
        int rf = replicationFactor.orElse(Math.max(1, Math.min(3, brokers)));
        if (rf > brokers) {
            throw new IllegalArgumentException("ccr.topic.replication_factor is " + rf + " but the Kafka cluster has "
                    + brokers + " broker(s): lower it to at most " + brokers + " or add brokers");
        }
        int minIsr = minInsyncReplicas.orElse(Math.min(2, rf));
        if (minIsr > rf) {
            throw new IllegalArgumentException("ccr.topic.min_insync_replicas is " + minIsr + " but the replication"
                    + " factor is " + rf + ": no write could ever be acknowledged; lower it to at most " + rf);
        }
        return new TopicDurability(rf, minIsr, allowUnsafe);
    }

    /** The topic configs that go with this durability on every topic the node creates. */
    public Map<String, String> topicConfigs() {
        return Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInsyncReplicas),
                TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG, "false");
    }

    /** Why new topics would lose acknowledged writes; null when they would not. */
    public String unsafeReason() {
        return unsafeReason(replicationFactor, minInsyncReplicas, false);
    }

    /**
     * Why a topic with these settings can lose an acknowledged write; null when it cannot.
     *
     * @param replicationFactor the smallest replica count of its partitions
     */
    public static String unsafeReason(int replicationFactor, int minInsyncReplicas, boolean uncleanElection) {
        List<String> why = new ArrayList<>();
        if (replicationFactor < 2) {
            why.add("replication factor " + replicationFactor + " (one broker's disk holds every acknowledged write)");
        }
        if (minInsyncReplicas < 2) {
            why.add("min.insync.replicas " + minInsyncReplicas + " (a write is acknowledged once the leader alone has"
                    + " it)");
        }
        if (uncleanElection) {
            why.add("unclean.leader.election.enable true (a replica missing acknowledged writes may become leader)");
        }
        return why.isEmpty() ? null : String.join(", ", why);
    }

    /** What to do about topic {@code topic} that is unsafe for {@code reason}: the message a refusal carries. */
    public static String advice(String topic, String reason) {
        return "Kafka topic [" + topic + "] can lose acknowledged writes: " + reason + ". Raise its replication factor"
                + " to 3 (kafka-reassign-partitions.sh) and set min.insync.replicas=2 and"
                + " unclean.leader.election.enable=false on it (kafka-configs.sh --alter --entity-type topics"
                + " --entity-name " + topic + " --add-config min.insync.replicas=2,unclean.leader.election.enable=false),"
                + " or set " + ALLOW_UNSAFE_SETTING + "=true to accept the risk";
    }
}
