package io.kccr.node.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.kccr.core.routing.ShardRouting;
import io.kccr.core.wire.OpType;
import io.kccr.core.wire.OperationCodec;
import io.kccr.testkit.Http;
import io.kccr.testkit.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;

/** Reads an ops topic as a follower would (read_committed) and checks a leader against it. */
final class OpsLog {
    private OpsLog() {
    }

    /** Every committed record of an ops topic, per partition in offset order, and the end offsets read to. */
    record Contents(String topic, Map<Integer, List<ConsumerRecord<byte[], byte[]>>> byPartition,
                    Map<Integer, Long> endOffsets) {

        int partitions() {
            return byPartition.size();
        }

        List<ConsumerRecord<byte[], byte[]>> partition(int p) {
            return byPartition.get(p);
        }

        List<ConsumerRecord<byte[], byte[]>> all() {
            List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
            byPartition.values().forEach(all::addAll);
            return all;
        }

        int size() {
            return byPartition.values().stream().mapToInt(List::size).sum();
        }

        /** The partition's record with {@code seqNo}; null when none. */
        ConsumerRecord<byte[], byte[]> find(int partition, long seqNo) {
            for (ConsumerRecord<byte[], byte[]> r : byPartition.get(partition)) {
                if (seqNo(r) == seqNo) {
                    return r;
                }
            }
            return null;
        }

        /** The last op of every id (a follower's projection before dropping deletes). */
        Map<String, ConsumerRecord<byte[], byte[]>> lastPerId() {
            Map<String, ConsumerRecord<byte[], byte[]>> last = new HashMap<>();
            for (List<ConsumerRecord<byte[], byte[]>> records : byPartition.values()) {
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    last.put(id(r), r);
                }
            }
            return last;
        }

        /** The live documents the log describes: last op per id wins, deletes drop the id. */
        Map<String, ConsumerRecord<byte[], byte[]>> projection() {
            Map<String, ConsumerRecord<byte[], byte[]>> live = new TreeMap<>();
            lastPerId().forEach((id, r) -> {
                if (op(r) == OpType.INDEX) {
                    live.put(id, r);
                }
            });
            return live;
        }
    }

    /** Reads {@code topic} from the beginning to its (last stable) end offsets, read_committed. */
    static Contents read(String bootstrapServers, String topic) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            assertThat(infos).as("partitions of %s", topic).isNotEmpty();
            List<TopicPartition> tps = infos.stream().map(i -> new TopicPartition(topic, i.partition()))
                    .sorted((a, b) -> Integer.compare(a.partition(), b.partition())).toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> end = consumer.endOffsets(tps, Duration.ofSeconds(30));
            Map<Integer, List<ConsumerRecord<byte[], byte[]>>> byPartition = new TreeMap<>();
            Map<Integer, Long> endOffsets = new TreeMap<>();
            tps.forEach(tp -> {
                byPartition.put(tp.partition(), new ArrayList<>());
                endOffsets.put(tp.partition(), end.get(tp));
            });
            for (ConsumerRecord<byte[], byte[]> r : Topics.readTo(consumer, end, Duration.ofSeconds(60))) {
                byPartition.get(r.partition()).add(r);
            }
            return new Contents(topic, byPartition, endOffsets);
        }
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        assertThat(h).as("header [%s] of %s-%d@%d", name, r.topic(), r.partition(), r.offset()).isNotNull();
        return new String(h.value(), StandardCharsets.UTF_8);
    }

    static long seqNo(ConsumerRecord<byte[], byte[]> r) {
        return Long.parseLong(header(r, OperationCodec.SEQ_NO));
    }

    static long version(ConsumerRecord<byte[], byte[]> r) {
        return Long.parseLong(header(r, OperationCodec.VERSION));
    }

    static long primaryTerm(ConsumerRecord<byte[], byte[]> r) {
        return Long.parseLong(header(r, OperationCodec.PRIMARY_TERM));
    }

    static long mappingVersion(ConsumerRecord<byte[], byte[]> r) {
        return Long.parseLong(header(r, OperationCodec.MAPPING_VERSION));
    }

    static OpType op(ConsumerRecord<byte[], byte[]> r) {
        return OpType.fromWire(header(r, OperationCodec.OP));
    }

    static String id(ConsumerRecord<byte[], byte[]> r) {
        assertThat(r.key()).as("key of %s-%d@%d", r.topic(), r.partition(), r.offset()).isNotNull();
        return new String(r.key(), StandardCharsets.UTF_8);
    }

    static String describe(ConsumerRecord<byte[], byte[]> r) {
        return r.topic() + "-" + r.partition() + "@" + r.offset() + "[" + op(r).wireName() + " " + id(r)
                + " seq_no=" + seqNo(r) + " v=" + version(r) + "]";
    }

    /** Each partition's seq_nos are 0, 1, 2, ... in offset order: distinct, increasing, no gaps. */
    static void assertSeqNosContiguous(Contents log) {
        for (var e : log.byPartition().entrySet()) {
            List<ConsumerRecord<byte[], byte[]>> records = e.getValue();
            long previousOffset = -1;
            for (int i = 0; i < records.size(); i++) {
                ConsumerRecord<byte[], byte[]> r = records.get(i);
                assertThat(r.offset()).as("offsets increase in partition %d", e.getKey()).isGreaterThan(previousOffset);
                previousOffset = r.offset();
                if (seqNo(r) != i) {
                    fail("partition " + e.getKey() + ": record #" + i + " " + describe(r) + " has seq_no " + seqNo(r)
                            + ", expected " + i + " (seq_nos must be 0,1,2,... in offset order); seq_nos around it: "
                            + records.subList(Math.max(0, i - 3), Math.min(records.size(), i + 4)).stream()
                                    .map(OpsLog::seqNo).toList());
                }
            }
        }
    }

    /**
     * Every record is in the partition Kafka's default partitioner picks for its key, which is the
     * shard {@link ShardRouting} routes its id to.
     */
    static void assertRoutedByKey(Contents log) {
        int n = log.partitions();
        for (ConsumerRecord<byte[], byte[]> r : log.all()) {
            int byKafka = BuiltInPartitioner.partitionForKey(r.key(), n);
            int byMurmur = Utils.toPositive(Utils.murmur2(r.key())) % n;
            int byShardRouting = ShardRouting.shardFor(id(r), n);
            if (r.partition() != byKafka || byKafka != byMurmur || byMurmur != byShardRouting) {
                fail(describe(r) + " is in partition " + r.partition() + " but Kafka's partitioner says " + byKafka
                        + ", murmur2 says " + byMurmur + ", ShardRouting says " + byShardRouting);
            }
        }
    }

    /** Every ack is in the log: same id, seq_no, op, version, term, and the exact source bytes sent. */
    static void assertAcksInLog(Contents log, Collection<Ack> acks) {
        List<String> problems = new ArrayList<>();
        for (Ack ack : acks) {
            int p = ShardRouting.shardFor(ack.id(), log.partitions());
            ConsumerRecord<byte[], byte[]> r = log.find(p, ack.seqNo());
            if (r == null) {
                problems.add(ack + ": no record with seq_no " + ack.seqNo() + " in partition " + p);
                continue;
            }
            if (!id(r).equals(ack.id()) || op(r) != ack.op() || version(r) != ack.version()
                    || primaryTerm(r) != ack.primaryTerm() || !Arrays.equals(r.value(), ack.source())) {
                problems.add(ack + " but the log holds " + describe(r) + " term=" + primaryTerm(r)
                        + (Arrays.equals(r.value(), ack.source()) ? "" : " with other value bytes"));
            }
        }
        if (!problems.isEmpty()) {
            fail(problems.size() + " of " + acks.size() + " acknowledged writes are not in " + log.topic()
                    + " as acknowledged, e.g. " + problems.subList(0, Math.min(10, problems.size())));
        }
    }

    /** Every live document of {@code index} (refreshed first), by id: the hit JSON with seq_no, term, version. */
    static Map<String, JsonNode> searchAll(Http rest, String index) {
        Http.Response refresh = rest.post("/" + index + "/_refresh", null);
        assertThat(refresh.status()).as("refresh: %s", refresh).isEqualTo(200);
        Http.Response r = rest.post("/" + index + "/_search",
                "{\"query\":{\"match_all\":{}},\"size\":10000,\"seq_no_primary_term\":true,\"version\":true}");
        assertThat(r.status()).as("search: %s", r).isEqualTo(200);
        long total = r.json().at("/hits/total/value").asLong();
        assertThat(total).as("total hits (paging is not implemented here)").isLessThan(10_000);
        Map<String, JsonNode> docs = new LinkedHashMap<>();
        for (JsonNode hit : r.json().at("/hits/hits")) {
            JsonNode previous = docs.put(hit.get("_id").asText(), hit);
            assertThat(previous).as("id %s returned twice by _search", hit.get("_id")).isNull();
        }
        assertThat(docs).as("hits vs hits.total").hasSize((int) total);
        return docs;
    }

    /** The index holds exactly the log's projection: same ids, and per id the last op's seq_no, term, version, source. */
    static void assertIndexIsProjection(Http rest, String index, Contents log) throws IOException {
        Map<String, JsonNode> docs = searchAll(rest, index);
        Map<String, ConsumerRecord<byte[], byte[]>> expected = log.projection();
        TreeSet<String> missing = new TreeSet<>(expected.keySet());
        missing.removeAll(docs.keySet());
        TreeSet<String> extra = new TreeSet<>(docs.keySet());
        extra.removeAll(expected.keySet());
        List<String> problems = new ArrayList<>();
        for (String id : missing) {
            problems.add("missing from the index: " + describe(expected.get(id)));
        }
        for (String id : extra) {
            ConsumerRecord<byte[], byte[]> last = log.lastPerId().get(id);
            problems.add("in the index but not live in the log: " + docs.get(id).get("_id") + " _seq_no="
                    + docs.get(id).get("_seq_no") + " (last op in the log: " + (last == null ? "none" : describe(last))
                    + ")");
        }
        for (var e : expected.entrySet()) {
            JsonNode hit = docs.get(e.getKey());
            if (hit == null) {
                continue;
            }
            ConsumerRecord<byte[], byte[]> r = e.getValue();
            JsonNode source = Http.JSON.readTree(r.value());
            if (hit.path("_seq_no").asLong(-2) != seqNo(r) || hit.path("_primary_term").asLong(-2) != primaryTerm(r)
                    || hit.path("_version").asLong(-2) != version(r) || !source.equals(hit.get("_source"))) {
                problems.add("index has " + hit + " but the log's last op is " + describe(r) + " "
                        + new String(r.value(), StandardCharsets.UTF_8));
            }
        }
        if (!problems.isEmpty()) {
            fail("index [" + index + "] (" + docs.size() + " docs) is not the projection of " + log.topic() + " ("
                    + expected.size() + " live ids, " + log.size() + " ops): " + problems.size() + " differences, e.g. "
                    + problems.subList(0, Math.min(10, problems.size())));
        }
    }
}
