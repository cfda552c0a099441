package io.kccr.follower.replay;

import io.kccr.core.kafka.LogReaderConfig;
import io.kccr.core.shard.LuceneShard;
import io.kccr.core.wire.OperationCodec;
import io.kccr.follower.apply.FollowerFailure;
import io.kccr.follower.apply.OperationApplier;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;

/**
 * Replays one partition of the leader's ops topic into its follower shard, from the shard's next
 * offset up to a cut, then commits the shard: its commit then says exactly which ops it holds and
 * where streaming would go on (invariant 3). The cut is the partition's committed end when the
 * replay starts, or earlier: the first record stamped after {@link AsOf#timestamp} (Kafka's
 * {@code offsetsForTimes}), or the first op above the shard's {@link AsOf#seqNoCut}. Ops are applied
 * by the shard's {@link OperationApplier}, as streaming applies them, so a replay over ops already
 * held skips them.
 *
 * <p>Not thread-safe: one thread per shard.
 */
public final class ShardReplay {
    private static final int MAX_POLL_RECORDS = 2000;

    private final Map<String, Object> clientProperties;
    private final String topic;
    private final Clock clock;

    public ShardReplay(Map<String, Object> clientProperties, String topic, Clock clock) {
        this.clientProperties = clientProperties;
        this.topic = topic;
        this.clock = clock;
    }

    /**
     * Replays into {@code shard} up to {@code asOf}'s cut and commits it; blocks.
     *
     * @throws InterruptedIOException once {@code stopped} (pause, close): the shard is left uncommitted
     */
    public void run(LuceneShard shard, OperationApplier applier, AsOf asOf, ShardReplayState state,
                    BooleanSupplier stopped) throws IOException {
        TopicPartition tp = new TopicPartition(topic, shard.shardId());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config())) {
            consumer.assign(List.of(tp));
            long from = shard.nextOffset();
            long stop = stopOffset(consumer, tp, asOf);
            long seqNoCut = asOf.seqNoCut(shard.shardId());
            boolean fromEmpty = shard.maxSeqNo() < 0;
            state.start(clock.millis(), Math.max(0, stop - from));
            consumer.seek(tp, from);
            long next = from;
            boolean cut = false;
            while (!cut && next < stop) {
                if (stopped.getAsBoolean()) {
                    throw new InterruptedIOException("replay of shard [" + shard.shardId() + "] stopped");
                }
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = consumer.poll(Duration.ofMillis(100));
                } catch (OffsetOutOfRangeException e) {
                    throw new FollowerFailure("illegal_state_exception", "history lost: retention deleted ops of ["
                            + topic + "] partition [" + shard.shardId() + "] at offset [" + next + "] while the"
                            + " follower was rebuilt from it; re-bootstrap the follower from the leader's files"
                            + " (POST /<follower>/_ccr/rebootstrap)", e);
                }
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    if (r.offset() >= stop) {
                        break;
                    }
                    if (seqNoCut != Long.MAX_VALUE && OperationCodec.peekSeqNo(r.headers()) > seqNoCut) {
                        next = r.offset();
                        cut = true;
                        break;
                    }
                    applier.apply(r.key(), r.value(), r.headers(), r.offset(), fromEmpty);
                }
                if (!cut) {
                    long position = Math.min(consumer.position(tp), stop);
                    state.replayed(position - next);
                    next = position;
                }
            }
            shard.advanceTo(next);
            shard.commit();
            state.done(clock.millis());
        }
    }

    /**
     * A reader of the whole partition: fetches of up to 8 MiB, so that the next fetch is rarely
     * waited for (the consumer fetches a partition again only once its buffered records are taken).
     */
    private Map<String, Object> config() {
        Map<String, Object> config = LogReaderConfig.of(clientProperties, MAX_POLL_RECORDS);
        config.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 << 20);
        config.putIfAbsent(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 << 20);
        // never skip: a position retention deleted under the replay is history lost, not a jump to the end
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        return config;
    }

    /** The first offset not to replay: the committed end, or the first record stamped after the cut's time. */
    private static long stopOffset(KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp, AsOf asOf) {
        long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
        if (asOf.timestamp() == null) {
            return end;
        }
        Map<TopicPartition, OffsetAndTimestamp> after = consumer.offsetsForTimes(
                Map.of(tp, asOf.timestamp() + 1), Duration.ofSeconds(30));
        OffsetAndTimestamp first = after.get(tp);
        return first == null ? end : Math.min(first.offset(), end);
    }
}
