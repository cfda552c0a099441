package io.kccr.follower;

import io.kccr.core.feed.LogProbe;
import io.kccr.core.wire.OperationCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * What the leader's ops topic holds, per partition: its committed end offset, the seq_no of its
 * last op (the leader's global checkpoint as far as a follower can know it) and the timestamp of
 * the op at a given offset (for lag in seconds). Read from the topic, never from the leader node,
 * through the {@link LogProbe} every follower of the same Kafka cluster shares.
 *
 * <p>Thread-safe: the ends it knows are guarded by this object; the reads are serialized by the probe.
 */
final class LeaderProgress implements AutoCloseable {
    /** One partition's end. */
    record End(long endOffset, long lastSeqNo, long beginningOffset) {
    }

    private final LogProbe probe;
    private final String topic;
    private final Map<Integer, End> ends = new HashMap<>();

    LeaderProgress(LogProbe probe, String topic) {
        this.probe = probe;
        this.topic = topic;
    }

    /** Re-reads the ends of {@code partitions}; the last seq_no only where the end moved. */
    synchronized Map<Integer, End> refresh(java.util.Collection<Integer> partitions) {
        List<TopicPartition> tps = new ArrayList<>();
        for (int p : partitions) {
            tps.add(new TopicPartition(topic, p));
        }
        Map<TopicPartition, Long> endOffsets = probe.endOffsets(tps, Duration.ofSeconds(5));
        Map<TopicPartition, Long> beginnings = probe.beginningOffsets(tps, Duration.ofSeconds(5));
        for (TopicPartition tp : tps) {
            long end = endOffsets.get(tp);
            End known = ends.get(tp.partition());
            long lastSeqNo = known != null && known.endOffset() == end ? known.lastSeqNo()
                    : lastSeqNo(tp, end, beginnings.get(tp));
            ends.put(tp.partition(), new End(end, lastSeqNo, beginnings.get(tp)));
        }
        return Map.copyOf(ends);
    }

    /** Where partition {@code partition} starts now. */
    long beginningOffset(int partition) {
        TopicPartition tp = new TopicPartition(topic, partition);
        return probe.beginningOffsets(List.of(tp), Duration.ofSeconds(5)).get(tp);
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
            for (ConsumerRecord<byte[], byte[]> r : probe.read(tp, from, end, Integer.MAX_VALUE, Duration.ofSeconds(2))) {
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
    long firstSeqNo(int partition, long from, long end) {
        if (from >= end) {
            return -1;
        }
        TopicPartition tp = new TopicPartition(topic, partition);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        long next = from;
        while (next < end && System.nanoTime() < deadline) {
            List<ConsumerRecord<byte[], byte[]>> records = probe.read(tp, next, end, 500, Duration.ofSeconds(2));
            if (records.isEmpty()) {
                return -1;
            }
            for (ConsumerRecord<byte[], byte[]> r : records) {
                long seqNo = seqNo(r);
                if (seqNo >= 0) {
                    return seqNo;
                }
            }
            next = records.getLast().offset() + 1;
        }
        return -1;
    }

    /** The timestamp of the first op at or after {@code offset}, or -1 when there is none before the end. */
    long timestampAt(int partition, long offset, long end) {
        if (offset >= end) {
            return -1;
        }
        List<ConsumerRecord<byte[], byte[]>> records = probe.read(new TopicPartition(topic, partition), offset,
                Math.min(end, offset + 1), 1, Duration.ofSeconds(2));
        return records.isEmpty() ? -1 : records.getFirst().timestamp();
    }

    private static long seqNo(ConsumerRecord<byte[], byte[]> r) {
        return OperationCodec.peekSeqNo(r.headers());
    }

    /** Nothing to release: the probe is the feed's, shared with the cluster's other followers. */
    @Override
    public void close() {
    }
}
