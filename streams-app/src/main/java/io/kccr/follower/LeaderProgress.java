package io.kccr.follower;

import io.kccr.core.kafka.LogReaderConfig;
import io.kccr.core.wire.OperationCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * What the leader's ops topic holds, per partition: its committed end offset, the seq_no of its
 * last op (the leader's global checkpoint as far as a follower can know it) and the timestamp of
 * the op at a given offset (for lag in seconds). Read from the topic, never from the leader node.
 *
 * <p>Thread-safe: calls are serialized on the one consumer it owns.
 */
final class LeaderProgress implements AutoCloseable {
    /** One partition's end. */
    record End(long endOffset, long lastSeqNo, long beginningOffset) {
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final Map<Integer, End> ends = new HashMap<>();

    LeaderProgress(Map<String, Object> clientProperties, String topic) {
        this.consumer = new KafkaConsumer<>(LogReaderConfig.of(clientProperties, 50));
        this.topic = topic;
    }

    /** Re-reads every partition's end; the last seq_no only where the end moved. */
    synchronized Map<Integer, End> refresh(int partitions) {
        List<TopicPartition> tps = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            tps.add(new TopicPartition(topic, p));
        }
        Map<TopicPartition, Long> endOffsets = consumer.endOffsets(tps, Duration.ofSeconds(5));
        Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(tps, Duration.ofSeconds(5));
        for (TopicPartition tp : tps) {
            long end = endOffsets.get(tp);
            End known = ends.get(tp.partition());
            long lastSeqNo = known != null && known.endOffset() == end ? known.lastSeqNo() : lastSeqNo(tp, end, beginnings.get(tp));
            ends.put(tp.partition(), new End(end, lastSeqNo, beginnings.get(tp)));
        }
        return Map.copyOf(ends);
    }

    /** Where partition {@code partition} starts now. */
    synchronized long beginningOffset(int partition) {
        TopicPartition tp = new TopicPartition(topic, partition);
        return consumer.beginningOffsets(List.of(tp), Duration.ofSeconds(5)).get(tp);
    }

    /** Each partition's end as the last successful {@link #refresh} read it; empty before one. */
    synchronized Map<Integer, End> lastRead() {
        return Map.copyOf(ends);
    }

    /** The last op's seq_no below {@code end}, -1 when the partition has none. */
    private long lastSeqNo(TopicPartition tp, long end, long beginning) {
        for (long back = 2; back <= 64 && end - back + 1 > beginning - 1; back *= 4) {
            long from = Math.max(beginning, end - back);
            long best = -1;
            for (ConsumerRecord<byte[], byte[]> r : readRange(tp, from, end)) {
                best = Math.max(best, seqNo(r));
            }
            if (best >= 0) {
                return best;
            }
            if (from == beginning) {
                break;
            }
        }
        return -1;
    }

    /**
     * The seq_no of the first op at or after {@code from} and before {@code end}, or -1 when there is none (or it
     * cannot be read within a few seconds).
     */
    synchronized long firstSeqNo(int partition, long from, long end) {
        if (from >= end) {
            return -1;
        }
        TopicPartition tp = new TopicPartition(topic, partition);
        consumer.assign(List.of(tp));
        consumer.seek(tp, from);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (consumer.position(tp) < end && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                long seqNo = seqNo(r);
                if (r.offset() < end && seqNo >= 0) {
                    return seqNo;
                }
            }
        }
        return -1;
    }

    /** The timestamp of the first op at or after {@code offset}, or -1 when there is none before the end. */
    synchronized long timestampAt(int partition, long offset, long end) {
        if (offset >= end) {
            return -1;
        }
        for (ConsumerRecord<byte[], byte[]> r : readRange(new TopicPartition(topic, partition), offset,
                Math.min(end, offset + 1))) {
            return r.timestamp();
        }
        return -1;
    }

    private List<ConsumerRecord<byte[], byte[]>> readRange(TopicPartition tp, long from, long end) {
        consumer.assign(List.of(tp));
        consumer.seek(tp, from);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (consumer.position(tp) < end && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                if (r.offset() < end) {
                    out.add(r);
                }
            }
            if (!out.isEmpty() && end - from <= 1) {
                break;
            }
        }
        return out;
    }

    private static long seqNo(ConsumerRecord<byte[], byte[]> r) {
        return OperationCodec.peekSeqNo(r.headers());
    }

    @Override
    public synchronized void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
