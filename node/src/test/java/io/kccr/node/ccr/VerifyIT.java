package io.kccr.node.ccr;

import io.kccr.testkit.Http;
import io.kccr.testkit.TwoClusters;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kccr.core.mapping.DocumentMapper;
import io.kccr.core.routing.ShardRouting;
import io.kccr.core.shard.IdLookup;
import io.kccr.core.verify.SourceHash;
import io.kccr.core.wire.Operation;
import io.kccr.follower.FollowerIndex;
import io.kccr.follower.apply.FollowerShard;
import io.kccr.testkit.KafkaBroker;
import io.kccr.node.sample.SampleData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.lucene.search.IndexSearcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /<follower>/_ccr/verify} and {@code GET /<index>/_ccr/digest/<shard>} between a leader node and a
 * follower node on one Kafka: a follower that caught up verifies identical; then, with the follower paused, one of
 * its documents is altered, one deleted and one added straight into its Lucene shards (through the shard objects of
 * the in-process node: the REST API refuses writes into a follower), and verify finds each. Tests run in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VerifyIT {
    private static final String LEADER = "places";
    private static final String FOLLOWER = "places-copy";
    private static final int SHARDS = 2;
    private static final int DOCS = 3_000;
    private static final Duration CATCH_UP = Duration.ofSeconds(90);

    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker();

    @TempDir
    static Path data;

    private TwoClusters clusters;
    private Http leader;
    private Http follower;

    @BeforeAll
    void start() throws Exception {
        clusters = TwoClusters.start(kafka, data, Map.of("ccr.topic.prefix", "lv"), Map.of("ccr.topic.prefix", "fv"));
        leader = clusters.leader();
        follower = clusters.follower();
    }

    @AfterAll
    void stop() {
        if (clusters != null) {
            clusters.close();
        }
    }

    @Test
    @Order(1)
    void aFollowerThatCaughtUpIsIdentical() {
        Http.expect(200, leader.put("/" + LEADER, "{\"settings\":{\"number_of_shards\":" + SHARDS + "},\"mappings\":"
                + SampleData.MAPPINGS + "}"), "create leader");
        List<byte[]> corpus = SampleData.documents().subList(0, DOCS);
        ByteArrayOutputStream bulk = new ByteArrayOutputStream();
        for (int i = 0; i < DOCS; i++) {
            bulk.writeBytes(("{\"index\":{\"_id\":\"p" + i + "\"}}\n").getBytes(StandardCharsets.UTF_8));
            bulk.writeBytes(corpus.get(i));
            bulk.write('\n');
        }
        JsonNode loaded = Http.expect(200, leader.bulk("/" + LEADER + "/_bulk", bulk.toByteArray()), "bulk").json();
        assertThat(loaded.path("errors").asBoolean(true)).isFalse();
        // updates and deletes too, so the leader's segments hold deleted documents
        Http.expect(200, leader.put("/" + LEADER + "/_doc/p1", "{\"name\":\"Updated\"}"), "update");
        Http.expect(200, leader.request("DELETE", "/" + LEADER + "/_doc/p2", null, null), "delete");
        Http.expect(200, follower.put("/" + FOLLOWER + "/_ccr/follow?wait_for_active_shards=1",
                "{\"remote_cluster\":\"leader\",\"leader_index\":\"" + LEADER + "\"}"), "follow");
        Ccr.awaitCaughtUp(follower, FOLLOWER, CATCH_UP);

        JsonNode report = verify("{}");
        assertThat(report.path("identical").asBoolean()).as("report %s", report).isTrue();
        assertThat(report.path("leader_index").asText()).isEqualTo(LEADER);
        assertThat(report.path("shards")).hasSize(SHARDS);
        assertThat(sum(report, "matched")).isEqualTo(DOCS - 1);
        assertThat(sum(report, "leader_docs")).isEqualTo(DOCS - 1);
        assertThat(sum(report, "follower_docs")).isEqualTo(DOCS - 1);
        assertThat(sum(report, "missing") + sum(report, "extra") + sum(report, "different")).isZero();
        for (JsonNode shard : report.path("shards")) {
            assertThat(shard.path("checkpoint").asLong()).isEqualTo(shard.path("follower_max_seq_no").asLong())
                    .isEqualTo(shard.path("leader_max_seq_no").asLong());
        }
    }

    @Test
    @Order(2)
    void theDigestListsEveryDocumentInIdOrderWithItsSourceHash() {
        int shard = ShardRouting.shardFor("p1", SHARDS);
        Http.Response r = Http.expect(200, leader.get("/" + LEADER + "/_ccr/digest/" + shard), "digest");
        String[] lines = r.text().split("\n");
        JsonNode header = json(lines[0]);
        assertThat(header.path("shard").asInt()).isEqualTo(shard);
        assertThat(header.path("number_of_shards").asInt()).isEqualTo(SHARDS);
        JsonNode end = json(lines[lines.length - 1]);
        assertThat(end.at("/end/docs").asLong()).isEqualTo(lines.length - 2);
        String previous = "";
        boolean sawP1 = false;
        for (int i = 1; i < lines.length - 1; i++) {
            JsonNode line = json(lines[i]);
            String id = line.path("_id").asText();
            assertThat(id).isGreaterThan(previous); // ASCII ids: String order is byte order
            previous = id;
            if (id.equals("p1")) {
                sawP1 = true;
                byte[] source = "{\"name\":\"Updated\"}".getBytes(StandardCharsets.UTF_8);
                assertThat(line.path("hash").asText()).isEqualTo(SourceHash.of(source, 0, source.length));
            }
        }
        assertThat(sawP1).isTrue();
        Http.expect(404, leader.get("/" + LEADER + "/_ccr/digest/" + SHARDS), "no such shard");
        Http.expect(400, leader.get("/" + LEADER + "/_ccr/digest/x"), "not a shard number");
        Http.expect(404, leader.get("/nope/_ccr/digest/0"), "no such index");
        Http.expect(400, leader.post("/" + LEADER + "/_ccr/verify", null), "not a follower");
        Http.expect(400, follower.post("/" + FOLLOWER + "/_ccr/verify", "{\"max_seq\":1}"), "unknown field");
    }

    @Test
    @Order(3)
    void findsADocumentAlteredDeletedOrAddedBehindTheFollowersBack() throws IOException {
        Http.expect(200, follower.post("/" + FOLLOWER + "/_ccr/pause_follow", null), "pause");
        FollowerIndex index = clusters.followerNode().followers().get(FOLLOWER);
        DocumentMapper mapper = new DocumentMapper();
        String history = index.leaderMetadata().historyUuid();

        String altered = "p10";
        FollowerShard shard = shardOf(index, altered);
        long seqNo = seqNo(shard, altered);
        byte[] source = "{\"name\":\"Tampered\"}".getBytes(StandardCharsets.UTF_8);
        shard.apply(Operation.index(altered, source, seqNo, 1, 1, 0, history),
                mapper.parse(altered, source, index.leaderMetadata().mappings()), shard.nextOffset() - 1, false);

        String deleted = "p20";
        shard = shardOf(index, deleted);
        shard.apply(Operation.delete(deleted, 0, 1, 2, 0, history), null, shard.nextOffset() - 1, false);

        String added = "zz-extra";
        shard = shardOf(index, added);
        source = "{\"name\":\"Extra\"}".getBytes(StandardCharsets.UTF_8);
        shard.apply(Operation.index(added, source, 0, 1, 1, 0, history),
                mapper.parse(added, source, index.leaderMetadata().mappings()), shard.nextOffset() - 1, true);

        JsonNode report = verify("{\"max_differences\":5}");
        assertThat(report.path("identical").asBoolean()).as("report %s", report).isFalse();
        assertThat(sum(report, "different")).isEqualTo(1);
        assertThat(sum(report, "missing")).isEqualTo(1);
        assertThat(sum(report, "extra")).isEqualTo(1);
        assertThat(sum(report, "matched")).isEqualTo(DOCS - 1 - 2);
        List<String> found = new ArrayList<>();
        for (JsonNode s : report.path("shards")) {
            for (JsonNode d : s.path("first_differences")) {
                found.add(d.path("type").asText() + " " + d.path("_id").asText());
            }
        }
        assertThat(found).containsExactlyInAnyOrder("different " + altered, "missing " + deleted, "extra " + added);
    }

    @Test
    @Order(4)
    void anExplicitCheckpointComparesOnlyWhatCameBeforeIt() {
        // at max_seq_no -1 nothing is compared: every document is beyond the checkpoint
        JsonNode report = verify("{\"max_seq_no\":-1}");
        assertThat(report.path("identical").asBoolean()).as("report %s", report).isTrue();
        assertThat(sum(report, "matched")).isZero();
        assertThat(sum(report, "beyond_checkpoint")).isEqualTo(DOCS);
    }

    private JsonNode verify(String body) {
        return Http.expect(200, follower.post("/" + FOLLOWER + "/_ccr/verify", body), "verify").json();
    }

    private static long seqNo(FollowerShard shard, String id) throws IOException {
        shard.refresh();
        IndexSearcher searcher = shard.acquireSearcher();
        try {
            return IdLookup.lookup(searcher, id).seqNo();
        } finally {
            shard.releaseSearcher(searcher);
        }
    }

    private static FollowerShard shardOf(FollowerIndex index, String id) {
        return index.shards().get(ShardRouting.shardFor(id, SHARDS));
    }

    private static long sum(JsonNode report, String field) {
        long sum = 0;
        for (JsonNode s : report.path("shards")) {
            sum += s.path(field).asLong();
        }
        return sum;
    }

    private static JsonNode json(String line) {
        try {
            return Http.JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
