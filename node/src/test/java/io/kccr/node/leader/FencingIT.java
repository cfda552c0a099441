package io.kccr.node.leader;

import static io.kccr.node.leader.OpsLog.describe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kccr.core.routing.ShardRouting;
import io.kccr.core.wire.OpType;
import io.kccr.node.Node;
import io.kccr.node.sample.SampleData;
import io.kccr.testkit.Http;
import io.kccr.testkit.KafkaBroker;
import io.kccr.testkit.TestNode;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second leader process for the same index (same Kafka, same topic prefix, another data path)
 * fences the first: from then on only the second one writes, no seq_no is used twice, and the
 * second one's index holds every op either of them acknowledged.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FencingIT {
    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker();

    private static final String PREFIX = "fence";
    private static final String INDEX = "fenced";
    private static final String TOPIC = PREFIX + "." + INDEX + ".ops";

    @TempDir
    Path dataA;

    @TempDir
    Path dataB;

    private final List<Ack> acks = Collections.synchronizedList(new ArrayList<>());
    /** Sources of writes refused as fenced: such a write's transaction was aborted, it must not be in the log. */
    private final Set<ByteBuffer> refused = Collections.synchronizedSet(new HashSet<>());
    /** Sources of writes that failed otherwise: the client cannot know whether they are in the log. */
    private final Set<ByteBuffer> unknownOutcome = Collections.synchronizedSet(new HashSet<>());
    private List<byte[]> docs;
    private int nextDoc;

    /** A source never sent before: a corpus line with a unique marker field. */
    private synchronized byte[] nextSource() {
        int n = nextDoc++;
        String line = new String(docs.get(n % docs.size()), java.nio.charset.StandardCharsets.UTF_8);
        return (line.substring(0, line.lastIndexOf('}')) + ",\"n\":" + n + "}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static TestNode leader(Path data, String prefix) {
        return TestNode.on(kafka).dir(data).topicPrefix(prefix).setting("ccr.write.timeout", "5s");
    }

    @Test
    @Order(1)
    void secondLeaderFencesTheFirst() throws Exception {
        docs = new ArrayList<>(SampleData.documents().subList(0, 3000));
        assertThat(dataA).isNotEqualTo(dataB);
        Node a = leader(dataA, PREFIX).start();
        Node b = null;
        try {
            Http restA = new Http(a.httpAddress());
            Http.Response created = restA.put("/" + INDEX,
                    "{\"settings\":{\"number_of_shards\":3},\"mappings\":" + SampleData.MAPPINGS + "}");
            assertThat(created.status()).as("%s", created).isEqualTo(200);

            // A writes, alone
            Bulk first = new Bulk();
            for (int i = 0; i < 60; i++) {
                first.index("a-" + i, nextSource());
            }
            for (Bulk.Outcome o : first.send(restA, INDEX)) {
                assertThat(o.status()).as("%s", o.result()).isEqualTo(201);
                acks.add(o.ack());
            }

            // A keeps writing while B starts
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch writing = new CountDownLatch(2);
            AtomicReference<Throwable> backgroundFailure = new AtomicReference<>();
            List<Bulk.Outcome> backgroundFailures = Collections.synchronizedList(new ArrayList<>());
            Thread background = new Thread(() -> {
                int n = 0;
                try {
                    while (!stop.get()) {
                        Bulk bulk = new Bulk();
                        for (int i = 0; i < 9; i++) {
                            bulk.index("c-" + n++, nextSource());
                        }
                        for (Bulk.Outcome o : bulk.send(restA, INDEX)) {
                            Ack ack = o.ack();
                            if (ack != null) {
                                acks.add(ack);
                            } else {
                                backgroundFailures.add(o);
                                (isFencingReason(o.result().at("/error/reason").asText()) ? refused : unknownOutcome)
                                        .add(ByteBuffer.wrap(o.item().source()));
                            }
                        }
                        writing.countDown();
                    }
                } catch (Throwable t) {
                    backgroundFailure.set(t);
                }
            }, "writer-to-A");
            background.start();
            assertThat(writing.await(60, TimeUnit.SECONDS)).as("A acknowledges bulks before B starts").isTrue();
            b = leader(dataB, PREFIX).start();
            stop.set(true);
            background.join(120_000);
            assertThat(background.isAlive()).isFalse();
            assertThat(backgroundFailure.get()).isNull();
            System.out.println("writes through A while B started: " + backgroundFailures.size() + " failed, e.g. "
                    + backgroundFailures.stream().map(o -> "shard " + ShardRouting.shardFor(o.item().id(), 3) + ": "
                            + o.result().at("/error/reason").asText()).distinct().limit(6).toList());
            for (Bulk.Outcome o : backgroundFailures) {
                assertThat(o.status()).as("a write A failed while B started: %s", o.result()).isGreaterThanOrEqualTo(500);
            }
            Http restB = new Http(b.httpAddress());

            // From now on every write through A fails, on every shard, naming the fencing; and A stays fenced.
            Map<Integer, List<String>> idsPerShard = new HashMap<>();
            for (int n = 0; idsPerShard.values().stream().mapToInt(List::size).sum() < 6; n++) {
                String id = "x-" + n;
                List<String> ids = idsPerShard.computeIfAbsent(ShardRouting.shardFor(id, 3), k -> new ArrayList<>());
                if (ids.size() < 2) {
                    ids.add(id);
                }
            }
            for (int round = 0; round < 3; round++) {
                for (List<String> ids : idsPerShard.values()) {
                    for (String id : ids) {
                        byte[] src = nextSource();
                        assertFenced(restA.put("/" + INDEX + "/_doc/" + id, src),
                                "round " + round + ", shard " + ShardRouting.shardFor(id, 3));
                        refused.add(ByteBuffer.wrap(src));
                    }
                }
                Bulk bulk = new Bulk();
                for (int i = 0; i < 9; i++) {
                    bulk.index("a-" + i, nextSource());
                }
                bulk.delete("a-20");
                for (Bulk.Outcome o : bulk.send(restA, INDEX)) {
                    assertThat(o.status()).as("bulk item through the fenced leader: %s", o.result()).isEqualTo(503);
                    assertFencingReason(o.result().at("/error/reason").asText());
                    if (o.item().source() != null) {
                        refused.add(ByteBuffer.wrap(o.item().source()));
                    }
                }
                assertFenced(restA.delete("/" + INDEX + "/_doc/a-21"), "delete, round " + round);
            }
            assertThat(a.indices().get(INDEX).isFenced()).isTrue();

            // ... and every write through B succeeds
            for (int round = 0; round < 2; round++) {
                Bulk bulk = new Bulk();
                for (int i = 0; i < 10; i++) {
                    bulk.index("a-" + i, nextSource());          // overwrite what A wrote
                }
                for (int i = 10; i < 15; i++) {
                    bulk.delete("a-" + (i + 5 * round));          // delete what A wrote
                }
                for (int i = 0; i < 30; i++) {
                    bulk.index("b-" + round + "-" + i, nextSource());
                }
                for (Bulk.Outcome o : bulk.send(restB, INDEX)) {
                    assertThat(o.ok()).as("bulk item through the new leader: %s", o.result()).isTrue();
                    acks.add(o.ack());
                }
                // A is still fenced (it never takes the shards back), B still writes
                byte[] src = nextSource();
                assertFenced(restA.put("/" + INDEX + "/_doc/a-30", src), "after B wrote, round " + round);
                refused.add(ByteBuffer.wrap(src));
                for (List<String> ids : idsPerShard.values()) {
                    for (String id : ids) {
                        src = nextSource();
                        Http.Response r = restB.put("/" + INDEX + "/_doc/" + id, src);
                        assertThat(r.ok()).as("single write through the new leader: %s", r).isTrue();
                        acks.add(Ack.of(r.json(), r.status(), OpType.INDEX, src));
                    }
                }
            }

            // The log: no seq_no used twice, each partition's seq_nos 0,1,2,... in offset order
            OpsLog.Contents log = OpsLog.read(kafka.bootstrapServers(), TOPIC);
            OpsLog.assertSeqNosContiguous(log);
            OpsLog.assertRoutedByKey(log);
            OpsLog.assertAcksInLog(log, acks);
            Set<String> acked = new HashSet<>();
            acks.forEach(x -> acked.add(ShardRouting.shardFor(x.id(), 3) + "/" + x.seqNo()));
            for (ConsumerRecord<byte[], byte[]> r : log.all()) {
                ByteBuffer value = r.value() == null ? null : ByteBuffer.wrap(r.value());
                assertThat(value != null && refused.contains(value))
                        .as("%s is a write that was refused as fenced", describe(r)).isFalse();
                assertThat(acked.contains(r.partition() + "/" + OpsLog.seqNo(r))
                        || value != null && unknownOutcome.contains(value))
                        .as("%s was neither acknowledged nor a write whose outcome the client could not know", describe(r))
                        .isTrue();
            }

            // B's index holds every op acknowledged by either leader: the last ack of every id
            Map<String, Ack> last = new HashMap<>();
            for (Ack ack : acks) {
                last.merge(ack.id(), ack, (x, y) -> y.seqNo() > x.seqNo() ? y : x);
            }
            Map<String, JsonNode> inB = OpsLog.searchAll(restB, INDEX);
            List<String> problems = new ArrayList<>();
            for (Ack ack : last.values()) {
                JsonNode hit = inB.get(ack.id());
                if (ack.op() == OpType.DELETE) {
                    if (hit != null) {
                        problems.add(ack + " but B has " + hit);
                    }
                } else if (hit == null || hit.get("_seq_no").asLong() != ack.seqNo()
                        || !Http.JSON.readTree(ack.source()).equals(hit.get("_source"))) {
                    problems.add(ack + " but B has " + hit);
                }
            }
            assertThat(problems).as("acknowledged writes missing from the new leader's index").isEmpty();
            OpsLog.assertIndexIsProjection(restB, INDEX, log);
        } finally {
            if (b != null) {
                b.close();
            }
            a.close();
        }
    }

    /**
     * The old leader learns nothing of the new one until it writes; if its first write after the
     * takeover fails for another reason (here Kafka is unreachable for a while), it must still not
     * take the shards back once Kafka is reachable again.
     */
    @Test
    @Order(2)
    void fencedLeaderStaysFencedAfterAKafkaOutage(@TempDir Path dirA, @TempDir Path dirB) throws Exception {
        String prefix = "outage";
        String index = "outage";
        docs = new ArrayList<>(SampleData.documents().subList(0, 1000));
        Node a = leader(dirA, prefix).start();
        Node b = null;
        try {
            Http restA = new Http(a.httpAddress());
            Http.Response created = restA.put("/" + index,
                    "{\"settings\":{\"number_of_shards\":3},\"mappings\":" + SampleData.MAPPINGS + "}");
            assertThat(created.status()).as("%s", created).isEqualTo(200);
            Bulk bulk = new Bulk();
            for (int i = 0; i < 30; i++) {
                bulk.index("a-" + i, nextSource());
            }
            for (Bulk.Outcome o : bulk.send(restA, index)) {
                assertThat(o.ok()).as("%s", o.result()).isTrue();
            }

            b = leader(dirB, prefix).start();
            Http restB = new Http(b.httpAddress());
            bulk = new Bulk();
            for (int i = 0; i < 30; i++) {
                bulk.index("b-" + i, nextSource());
            }
            for (Bulk.Outcome o : bulk.send(restB, index)) {
                assertThat(o.ok()).as("write through the new leader: %s", o.result()).isTrue();
            }

            // A's first write after the takeover fails because Kafka is away
            String[] idPerShard = new String[3];
            for (int n = 0; java.util.Arrays.stream(idPerShard).anyMatch(java.util.Objects::isNull); n++) {
                idPerShard[ShardRouting.shardFor("y-" + n, 3)] = "y-" + n;
            }
            kafka.stop();
            Http.Response duringOutage = restA.put("/" + index + "/_doc/" + idPerShard[0], nextSource());
            assertThat(duringOutage.status()).as("write through the old leader while Kafka is away: %s", duringOutage)
                    .isBetween(500, 599);
            kafka.restart();

            // once Kafka is back, A still refuses writes as fenced, on every shard
            for (int shard = 0; shard < 3; shard++) {
                String id = idPerShard[shard];
                // a 5xx that is not the fencing is Kafka still coming back: try again
                Http.Response r = await("a write of shard " + shard + " through the old leader to be answered")
                        .atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                        .until(() -> restA.put("/" + index + "/_doc/" + id, nextSource()),
                                w -> w.status() < 500 || isFencing(w));
                assertFenced(r, "old leader, shard " + shard + ", after a Kafka outage");
            }
            // ... and B still takes writes on every shard
            for (String id : idPerShard) {
                Http.Response r = restB.put("/" + index + "/_doc/" + id, nextSource());
                assertThat(r.ok()).as("write through the new leader after the outage, shard %d: %s",
                        ShardRouting.shardFor(id, 3), r).isTrue();
            }
            OpsLog.Contents log = OpsLog.read(kafka.bootstrapServers(), prefix + "." + index + ".ops");
            OpsLog.assertSeqNosContiguous(log);
            OpsLog.assertIndexIsProjection(restB, index, log);
        } finally {
            if (b != null) {
                b.close();
            }
            a.close();
        }
    }

    private static boolean isFencing(Http.Response r) {
        return isFencingReason(r.json().at("/error/reason").asText());
    }

    private static boolean isFencingReason(String reason) {
        return reason.contains("another leader process") && reason.toLowerCase(java.util.Locale.ROOT).contains("fenced");
    }

    private static void assertFenced(Http.Response r, String when) {
        assertThat(r.status()).as("write through the fenced leader (%s): %s", when, r).isBetween(500, 599);
        assertThat(r.json().isObject()).as("error body: %s", r).isTrue();
        assertFencingReason(r.json().at("/error/reason").asText());
    }

    private static void assertFencingReason(String reason) {
        assertThat(reason).as("error reason").containsIgnoringCase("fenced").contains("another leader process");
    }
}
