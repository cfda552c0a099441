package io.kccr.node.leader;

import static io.kccr.node.leader.OpsLog.describe;
import static io.kccr.node.leader.OpsLog.id;
import static io.kccr.node.leader.OpsLog.mappingVersion;
import static io.kccr.node.leader.OpsLog.op;
import static io.kccr.node.leader.OpsLog.seqNo;
import static io.kccr.node.leader.OpsLog.version;
import static org.assertj.core.api.Assertions.assertThat;

import io.kccr.core.index.IndexMetadata;
import io.kccr.core.index.ShardCommitData;
import io.kccr.core.routing.ShardRouting;
import io.kccr.core.wire.OpType;
import io.kccr.core.wire.OperationCodec;
import io.kccr.node.Node;
import io.kccr.node.sample.SampleData;
import io.kccr.testkit.Http;
import io.kccr.testkit.KafkaBroker;
import io.kccr.testkit.TestNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ops topic holds exactly the acknowledged writes, each as specified (key, value, headers,
 * partition, seq_no), and a flushed shard's Lucene commit says exactly where in the topic it is.
 */
class LeaderLogIT {
    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker();

    private static final String INDEX = "logs";
    private static final String TOPIC = "ccr." + INDEX + ".ops";

    @TempDir
    Path data;

    private final List<Ack> acks = new ArrayList<>();
    private final Map<String, Ack> latest = new HashMap<>();
    private final List<byte[]> rejected = new ArrayList<>();
    private List<byte[]> docs;
    private int nextDoc;

    private byte[] nextSource() {
        return docs.get(nextDoc++);
    }

    private Ack acked(Ack ack) {
        assertThat(ack).isNotNull();
        acks.add(ack);
        latest.put(ack.id(), ack);
        return ack;
    }

    private Ack expectWrite(Http.Response r, int status, String result, long version, OpType op, byte[] source) {
        assertThat(r.status()).as("%s", r).isEqualTo(status);
        assertThat(r.json().path("result").asText()).as("%s", r).isEqualTo(result);
        assertThat(r.json().path("_version").asLong()).as("%s", r).isEqualTo(version);
        return acked(Ack.of(r.json(), r.status(), op, source));
    }

    private void expectConflict(Http.Response r, byte[] source) {
        assertThat(r.status()).as("%s", r).isEqualTo(409);
        assertThat(r.json().at("/error/type").asText()).isEqualTo("version_conflict_engine_exception");
        rejected.add(source);
    }

    @Test
    void topicHoldsExactlyTheAcknowledgedOps() throws Exception {
        docs = new ArrayList<>(SampleData.documents().subList(0, 500));
        try (Node node = TestNode.on(kafka).dir(data).start()) {
            Http rest = new Http(node.httpAddress());
            Http.Response created = rest.put("/" + INDEX,
                    "{\"settings\":{\"number_of_shards\":3},\"mappings\":" + SampleData.MAPPINGS + "}");
            assertThat(created.status()).as("%s", created).isEqualTo(200);
            IndexMetadata meta = node.indices().get(INDEX).metadata();

            // 1. a bulk of new ids, one of them not ASCII
            Bulk bulk = new Bulk();
            for (int i = 0; i < 60; i++) {
                bulk.index("doc-" + i, nextSource());
            }
            bulk.index("dóc-ünï-€", nextSource());
            for (Bulk.Outcome o : bulk.send(rest, INDEX)) {
                assertThat(o.status()).as("%s", o.result()).isEqualTo(201);
                assertThat(o.result().path("_version").asLong()).isEqualTo(1);
                acked(o.ack());
            }

            // 2. single index requests of new ids, one with a percent-encoded non-ASCII id
            for (int i = 0; i < 10; i++) {
                byte[] src = nextSource();
                expectWrite(rest.put("/" + INDEX + "/_doc/single-" + i, src), 201, "created", 1, OpType.INDEX, src);
            }
            byte[] encodedIdSource = nextSource();
            Ack encoded = expectWrite(rest.put("/" + INDEX + "/_doc/" + URLEncoder.encode("sïngle-€", StandardCharsets.UTF_8),
                    encodedIdSource), 201, "created", 1, OpType.INDEX, encodedIdSource);
            assertThat(encoded.id()).isEqualTo("sïngle-€");

            // a document with a new field: a dynamic mapping update, so a later mapping_version
            byte[] withNewField = "{\"name\":\"Newtown\",\"country\":\"ZZ\",\"population\":12345}"
                    .getBytes(StandardCharsets.UTF_8);
            expectWrite(rest.put("/" + INDEX + "/_doc/new-field", withNewField), 201, "created", 1, OpType.INDEX,
                    withNewField);

            // 3. updates: re-index existing ids, singly then in a bulk
            for (int i = 0; i < 10; i++) {
                byte[] src = nextSource();
                expectWrite(rest.put("/" + INDEX + "/_doc/doc-" + i, src), 200, "updated", 2, OpType.INDEX, src);
            }
            bulk = new Bulk();
            for (int i = 0; i < 5; i++) {
                bulk.index("doc-" + i, nextSource());
            }
            for (Bulk.Outcome o : bulk.send(rest, INDEX)) {
                assertThat(o.status()).as("%s", o.result()).isEqualTo(200);
                assertThat(o.result().path("result").asText()).isEqualTo("updated");
                assertThat(o.result().path("_version").asLong()).isEqualTo(3);
                acked(o.ack());
            }

            // 4. rejected writes, alone and in the middle of bulks that also write
            byte[] src = nextSource();
            expectConflict(rest.put("/" + INDEX + "/_create/doc-10", src), src);
            src = nextSource();
            expectConflict(rest.put("/" + INDEX + "/_doc/doc-15?if_seq_no=999&if_primary_term=1", src), src);
            Ack doc13 = latest.get("doc-13");
            bulk = new Bulk()
                    .create("doc-11", nextSource())                                    // exists: 409
                    .create("new-0", nextSource())                                     // 201
                    .indexIf("doc-12", nextSource(), latest.get("doc-12").seqNo() + 1000, 1) // stale: 409
                    .indexIf("doc-13", nextSource(), doc13.seqNo(), doc13.primaryTerm())     // 200
                    .create("doc-16", nextSource())                                    // exists: 409
                    .index("doc-14", nextSource())                                     // 200
                    .create("new-1", nextSource())                                     // 201
                    .indexIf("new-2", nextSource(), 0, 1);                             // no such doc: 409
            int[] statuses = {409, 201, 409, 200, 409, 200, 201, 409};
            List<Bulk.Outcome> outcomes = bulk.send(rest, INDEX);
            for (int i = 0; i < outcomes.size(); i++) {
                Bulk.Outcome o = outcomes.get(i);
                assertThat(o.status()).as("item %d: %s", i, o.result()).isEqualTo(statuses[i]);
                if (o.ok()) {
                    acked(o.ack());
                } else {
                    assertThat(o.result().at("/error/type").asText()).isEqualTo("version_conflict_engine_exception");
                    assertThat(o.result().has("_seq_no")).isFalse();
                    rejected.add(o.item().source());
                }
            }
            assertThat(latest.get("doc-13").version()).isEqualTo(2);

            // 5. deletes: single, in a bulk, of a missing id (not_found, still logged), of an updated id
            for (int i = 20; i < 25; i++) {
                expectWrite(rest.delete("/" + INDEX + "/_doc/doc-" + i), 200, "deleted", 2, OpType.DELETE, null);
            }
            bulk = new Bulk();
            for (int i = 25; i < 30; i++) {
                bulk.delete("doc-" + i);
            }
            bulk.delete("doc-0").delete("missing-in-bulk");
            outcomes = bulk.send(rest, INDEX);
            for (Bulk.Outcome o : outcomes) {
                boolean missing = o.item().id().startsWith("missing");
                assertThat(o.status()).as("%s", o.result()).isEqualTo(missing ? 404 : 200);
                assertThat(o.result().path("result").asText()).isEqualTo(missing ? "not_found" : "deleted");
                acked(o.ack());
            }
            assertThat(latest.get("doc-0").version()).isEqualTo(4);
            expectWrite(rest.delete("/" + INDEX + "/_doc/missing-0"), 404, "not_found", 1, OpType.DELETE, null);

            // 6. a deleted id indexed again
            src = nextSource();
            assertThat(rest.get("/" + INDEX + "/_doc/doc-20").status()).isEqualTo(404);
            Http.Response recreate = rest.put("/" + INDEX + "/_doc/doc-20", src);
            assertThat(recreate.status()).as("%s", recreate).isEqualTo(201);
            assertThat(recreate.json().path("result").asText()).isEqualTo("created");
            Ack recreated = acked(Ack.of(recreate.json(), recreate.status(), OpType.INDEX, src));
            assertThat(recreated.version()).isGreaterThanOrEqualTo(1);

            // ---- the topic holds exactly the acknowledged ops
            OpsLog.Contents log = OpsLog.read(kafka.bootstrapServers(), TOPIC);
            assertThat(log.partitions()).isEqualTo(3);
            Set<String> distinctAcks = new HashSet<>();
            for (Ack a : acks) {
                assertThat(distinctAcks.add(ShardRouting.shardFor(a.id(), 3) + "/" + a.seqNo()))
                        .as("seq_no %d of shard %d acknowledged twice (%s)", a.seqNo(), ShardRouting.shardFor(a.id(), 3), a)
                        .isTrue();
            }
            OpsLog.assertAcksInLog(log, acks);
            assertThat(log.size()).as("records in %s vs acknowledged writes", TOPIC).isEqualTo(acks.size());
            OpsLog.assertSeqNosContiguous(log);
            OpsLog.assertRoutedByKey(log);
            for (ConsumerRecord<byte[], byte[]> r : log.all()) {
                assertThat(OpsLog.header(r, OperationCodec.HISTORY_UUID)).as(describe(r)).isEqualTo(meta.historyUuid());
                assertThat(OpsLog.primaryTerm(r)).as(describe(r)).isEqualTo(1);
                assertThat(mappingVersion(r)).as(describe(r)).isBetween(1L,
                        node.indices().get(INDEX).metadata().mappingVersion());
                assertThat(r.value() == null).as("tombstone iff delete: %s", describe(r)).isEqualTo(op(r) == OpType.DELETE);
                for (byte[] no : rejected) {
                    assertThat(Arrays.equals(r.value(), no)).as("%s carries the source of a rejected write", describe(r))
                            .isFalse();
                }
            }
            ConsumerRecord<byte[], byte[]> newField = log.lastPerId().get("new-field");
            assertThat(mappingVersion(newField)).as("mapping_version of the op that added a field").isGreaterThan(1);
            assertThat(node.indices().get(INDEX).metadata().mappingVersion()).isEqualTo(mappingVersion(newField));
            assertVersionsIncrement(log);

            // the index is the projection of the topic, and realtime gets agree
            OpsLog.assertIndexIsProjection(rest, INDEX, log);
            assertThat(rest.get("/" + INDEX + "/_doc/doc-0").status()).isEqualTo(404);
            Http.Response got = rest.get("/" + INDEX + "/_doc/doc-20");
            assertThat(got.json().path("_seq_no").asLong()).isEqualTo(recreated.seqNo());
            assertThat(got.json().path("_version").asLong()).isEqualTo(recreated.version());

            // ---- a flushed shard's commit says where it is in the topic
            Http.Response flushed = rest.post("/" + INDEX + "/_flush", null);
            assertThat(flushed.status()).as("%s", flushed).isEqualTo(200);
            OpsLog.Contents afterFlush = OpsLog.read(kafka.bootstrapServers(), TOPIC);
            assertThat(afterFlush.size()).isEqualTo(log.size());
            Path indexDir = data.toAbsolutePath().resolve("indices").resolve(meta.uuid());
            SoftAssertions commits = new SoftAssertions();
            for (int shard = 0; shard < 3; shard++) {
                List<ConsumerRecord<byte[], byte[]>> records = afterFlush.partition(shard);
                assertThat(records).as("ops of shard %d", shard).isNotEmpty();
                Map<String, String> userData;
                try (Directory dir = FSDirectory.open(indexDir.resolve(Integer.toString(shard)))) {
                    userData = DirectoryReader.listCommits(dir).getLast().getUserData();
                }
                long endOffset = afterFlush.endOffsets().get(shard);
                String what = "user data of shard " + shard + "'s last Lucene commit " + userData + " (last op "
                        + describe(records.getLast()) + ", partition end offset " + endOffset + ")";
                commits.assertThat(userData).as(what).containsEntry(ShardCommitData.MAX_SEQ_NO,
                        Long.toString(records.stream().mapToLong(OpsLog::seqNo).max().orElse(-1)));
                commits.assertThat(userData).as(what).containsEntry(ShardCommitData.HISTORY_UUID, meta.historyUuid());
                commits.assertThat(userData).as(what).containsEntry(ShardCommitData.MAPPING_VERSION,
                        Long.toString(records.stream().mapToLong(OpsLog::mappingVersion).max().orElse(0)));
                // every op of the partition is before the commit's next offset (nothing left to replay) ...
                commits.assertThat(Long.parseLong(userData.getOrDefault(ShardCommitData.NEXT_OFFSET, "-1")))
                        .as(what).isGreaterThan(records.getLast().offset()).isLessThanOrEqualTo(endOffset);
                // ... and it is exactly where the partition ends (past the last transaction's commit marker)
                commits.assertThat(userData).as(what).containsEntry(ShardCommitData.NEXT_OFFSET, Long.toString(endOffset));
            }
            commits.assertAll();
        }
    }

    /**
     * Per id, in log order, {@code version} is 1 for the first op, and one more than the previous
     * op's when that op left the document in place; a delete of a live document is also one more.
     */
    private static void assertVersionsIncrement(OpsLog.Contents log) {
        Map<String, ConsumerRecord<byte[], byte[]>> previous = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : log.all()) {
            ConsumerRecord<byte[], byte[]> prev = previous.put(id(r), r);
            if (prev == null) {
                assertThat(version(r)).as("first op of %s: %s", id(r), describe(r)).isEqualTo(1);
            } else if (op(prev) == OpType.INDEX) {
                assertThat(version(r)).as("%s after %s", describe(r), describe(prev)).isEqualTo(version(prev) + 1);
                assertThat(seqNo(r)).isGreaterThan(seqNo(prev));
            } else {
                assertThat(version(r)).as("%s after %s", describe(r), describe(prev)).isGreaterThanOrEqualTo(1);
            }
        }
    }
}
