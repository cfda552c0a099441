package io.kccr.core.feed;

import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.TopicPartition;

/**
 * One shard to apply: which partition of which Kafka cluster, from where, with what limits, into what.
 *
 * @param clientProperties the Kafka client properties of the cluster that holds the partition (bootstrap servers,
 *                         security); shards with equal properties share that cluster's consumers
 * @param partition        the partition to read
 * @param startOffset      the first offset to read
 * @param offsetsGroup     the consumer group to which the shard's position is committed, so that Kafka's tools show
 *                         its lag; null for none. The group never has members: nothing reads through it
 * @param limits           read-ahead and batching limits
 * @param sink             what applies the records
 */
public record ShardAssignment(Map<String, Object> clientProperties, TopicPartition partition, long startOffset,
                              String offsetsGroup, FeedLimits limits, ShardSink sink) {
    public ShardAssignment {
        clientProperties = Map.copyOf(clientProperties);
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(sink, "sink");
        if (startOffset < 0) {
            throw new IllegalArgumentException("negative start offset " + startOffset);
        }
    }
}
