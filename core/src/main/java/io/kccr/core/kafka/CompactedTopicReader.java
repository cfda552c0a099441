package io.kccr.core.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a small compacted topic (index metadata, the indices list) from its start to its current
 * end and keeps the last value per key, as a table. Stateless; each call uses its own consumer.
 */
public final class CompactedTopicReader {
    private final Map<String, Object> clientProperties;
    private final Duration timeout;

    public CompactedTopicReader(Map<String, Object> clientProperties, Duration timeout) {
        this.clientProperties = Map.copyOf(clientProperties);
        this.timeout = timeout;
    }

    /**
     * The last value per key (null for a tombstone) of {@code topic}, read committed; empty when
     * the topic does not exist.
     *
     * @throws TimeoutException if the end is not reached within the timeout
     */
    public Map<String, byte[]> readLatest(String topic) throws TimeoutException {
        Map<String, Object> config = LogReaderConfig.of(clientProperties, 500);
        Map<String, byte[]> latest = new LinkedHashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, timeout);
            if (partitions == null || partitions.isEmpty()) {
                return latest;
            }
            List<TopicPartition> tps = new ArrayList<>();
            partitions.forEach(p -> tps.add(new TopicPartition(topic, p.partition())));
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> end = consumer.endOffsets(tps, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reachedEnd(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("could not read [" + topic + "] to its end within " + timeout.toMillis()
                            + "ms; is Kafka reachable?");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() != null) {
                        latest.put(new String(r.key(), StandardCharsets.UTF_8), r.value());
                    }
                }
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new TimeoutException("Kafka did not answer for [" + topic + "] within " + timeout.toMillis()
                    + "ms; is it reachable?");
        }
        return latest;
    }

    private static boolean reachedEnd(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
