package io.kccr.leader;

import io.kccr.core.kafka.LogReaderConfig;
import io.kccr.core.mapping.DocumentMapper;
import io.kccr.core.mapping.Mappings;
import io.kccr.core.mapping.ParsedDocument;
import io.kccr.core.wire.OpType;
import io.kccr.core.wire.Operation;
import io.kccr.core.wire.OperationCodec;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Brings a leader shard up to its log: reads the shard's partition, committed records only, from
 * the offset its last Lucene commit recorded to the end, and applies every op (invariant 1).
 * Run after the shard's publisher has fenced older writers, so no open transaction is left to
 * hold the end of the log back.
 */
final class ShardReplayer implements ShardWriter.Replayer {
    private static final Duration STALL_LIMIT = Duration.ofSeconds(60);

    private final Map<String, Object> clientProperties;
    private final DocumentMapper mapper;

    ShardReplayer(Map<String, Object> clientProperties, DocumentMapper mapper) {
        this.clientProperties = clientProperties;
        this.mapper = mapper;
    }

    /**
     * Applies every committed op of {@code topic}/{@code shard} from the shard's next offset to the
     * end of the partition, parsing sources with the mappings {@code mappings} supplies.
     *
     * @return how many ops were applied
     */
    @Override
    public long replay(String topic, LeaderShard shard, Supplier<Mappings> mappings) throws IOException {
        Map<String, Object> config = LogReaderConfig.of(clientProperties, 10_000);
        TopicPartition tp = new TopicPartition(topic, shard.shardId());
        long applied = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            consumer.assign(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long beginning = consumer.beginningOffsets(List.of(tp)).get(tp);
            checkCoverage(consumer, tp, shard, beginning, end);
            consumer.seek(tp, Math.max(shard.nextOffset(), beginning));
            long lastProgress = System.nanoTime();
            while (consumer.position(tp) < end) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    Operation op = OperationCodec.fromRecord(record);
                    ParsedDocument doc = op.op() == OpType.DELETE ? null : mapper.parse(op.id(), op.source(), mappings.get());
                    shard.apply(op, doc, record.offset(), false);
                    applied++;
                }
                if (!records.isEmpty()) {
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > STALL_LIMIT.toNanos()) {
                    throw new IOException("replay of " + tp + " made no progress for " + STALL_LIMIT.toSeconds()
                            + "s at offset " + consumer.position(tp) + " of " + end + "; is Kafka reachable?");
                }
            }
            shard.advanceTo(consumer.position(tp));
        } catch (org.apache.kafka.clients.consumer.OffsetOutOfRangeException e) {
            throw new LogGapException("[" + tp + "] lost records while the shard replayed it (the log's start moved"
                    + " past offset " + e.offsetOutOfRangePartitions() + "): the shard cannot be brought up to its log."
                    + " " + LogGapException.ADVICE);
        }
        return applied;
    }

    /**
     * The log must hold every op the shard's commit does not: it may not end before the commit's offset (the log
     * lost acknowledged ops: a broker's data lost, the topic deleted and recreated, an unclean leader election),
     * nor start after it with ops missing in between (retention or deleteRecords removed ops the shard never had).
     * Records the shard already holds may be gone; so may one transaction marker after its last op.
     */
    private static void checkCoverage(KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp, LeaderShard shard,
                                      long beginning, long end) throws LogGapException {
        long next = shard.nextOffset();
        if (end < next) {
            throw new LogGapException("the log of [" + tp + "] ends at offset [" + end + "] but this shard's last Lucene"
                    + " commit holds its ops up to offset [" + next + "] (seq_no [" + shard.maxSeqNo() + "]): the log"
                    + " lost acknowledged ops (a broker's data lost, the topic deleted and recreated, or an unclean"
                    + " leader election). " + LogGapException.ADVICE);
        }
        if (beginning <= next) {
            return;
        }
        long firstSeqNo = -1;
        consumer.seek(tp, beginning);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (firstSeqNo < 0 && consumer.position(tp) < end && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                firstSeqNo = OperationCodec.peekSeqNo(r.headers());
                if (firstSeqNo >= 0) {
                    break;
                }
            }
        }
        boolean lost = firstSeqNo >= 0 ? firstSeqNo > shard.maxSeqNo() + 1 : beginning > next + 1;
        if (lost) {
            throw new LogGapException("the log of [" + tp + "] now starts at offset [" + beginning + "]" + (firstSeqNo >= 0
                    ? " with seq_no [" + firstSeqNo + "]" : "") + " but this shard's last Lucene commit holds its ops only"
                    + " up to offset [" + next + "] (seq_no [" + shard.maxSeqNo() + "]): retention or deleteRecords"
                    + " removed acknowledged ops the shard never applied. " + LogGapException.ADVICE);
        }
    }
}
