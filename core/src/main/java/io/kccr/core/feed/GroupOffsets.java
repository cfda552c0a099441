package io.kccr.core.feed;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * The committed offsets of consumer groups that have no members: where the feed shows each shard's position, so
 * that Kafka's own tools ({@code kafka-consumer-groups.sh --describe}, lag exporters) show its lag. Thread-safe.
 */
public interface GroupOffsets extends AutoCloseable {

    /** Commits {@code offsets} (partition to next offset) for {@code group}; completes when Kafka accepted them. */
    CompletableFuture<Void> commit(String group, Map<TopicPartition, Long> offsets);

    /** The offsets {@code group} has committed, by partition; empty for a group Kafka does not know. Blocks. */
    Map<TopicPartition, Long> committed(String group, Duration timeout) throws Exception;

    @Override
    void close();
}
