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
        }
        return applied;
    }
}
