package io.kccr.core.feed;

import io.kccr.core.kafka.LogReaderConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.InvalidOffsetException;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * One consumer per Kafka cluster for small reads about its logs, shared by every shard of that cluster: partition
 * ends and starts, and a few records from an offset (the last op of a partition, the timestamp of the next). A node
 * following a thousand indices holds one such consumer, not a thousand. Created on first use.
 *
 * <p>Thread-safe: calls are serialized on the one consumer.
 */
public final class LogProbe implements AutoCloseable {
    private final Map<String, Object> clientProperties;
    private KafkaConsumer<byte[], byte[]> consumer;
    private boolean closed;

    LogProbe(Map<String, Object> clientProperties) {
        this.clientProperties = clientProperties;
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (consumer == null) {
            Map<String, Object> config = new HashMap<>(LogReaderConfig.of(clientProperties, 50));
            config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "kccr-feed-probe");
            consumer = new KafkaConsumer<>(config);
        }
        return consumer;
    }

    /** The committed (read committed) end offset of each partition. */
    public synchronized Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions, Duration timeout) {
        return consumer().endOffsets(partitions, timeout);
    }

    /** The first offset each partition still holds. */
    public synchronized Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions,
                                                                   Duration timeout) {
        return consumer().beginningOffsets(partitions, timeout);
    }

    /**
     * The records of {@code tp} from {@code from} up to {@code end} (exclusive), at most {@code max} of them, read
     * for no longer than {@code timeout} (fewer when it runs out).
     */
    public synchronized List<ConsumerRecord<byte[], byte[]>> read(TopicPartition tp, long from, long end, int max,
                                                                 Duration timeout) {
        KafkaConsumer<byte[], byte[]> c = consumer();
        c.assign(List.of(tp));
        c.seek(tp, from);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (c.position(tp) < end && out.size() < max && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                    if (r.offset() < end && out.size() < max) {
                        out.add(r);
                    }
                }
            }
        } catch (InvalidOffsetException e) {
            return out; // retention or deleteRecords removed what was asked for: nothing to read there
        }
        return out;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(2));
            consumer = null;
        }
    }
}
