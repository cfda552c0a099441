package io.kccr.node.ccr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.kccr.node.Node;
import io.kccr.node.sample.SampleData;
import io.kccr.testkit.Http;
import io.kccr.testkit.KafkaBroker;
import io.kccr.testkit.TestNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /<follower>/_ccr/rebuild}: a follower rebuilt from the leader's (compacted) log holds
 * exactly the leader's documents (verify says identical) and follows on; rebuilt as of a per-shard seq_no or a time, it
 * holds exactly what the leader held at that moment (a snapshot taken then), stays paused and
 * searchable there, and after resume catches up with the leader. One node follows its own index.
 */
class RebuildIT {
    private static final AtomicInteger TESTS = new AtomicInteger();
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker();

    @TempDir
    Path data;

    private final String leader = "rebuild-src-" + TESTS.incrementAndGet(); // the broker outlives each test
    private final String follower = leader.replace("src", "dst");
    private Node node;
    private Http http;
    private Ccr.Traffic traffic;

    @BeforeEach
    void start() throws Exception {
        long seed = System.nanoTime();
        System.out.println("RebuildIT seed " + seed);
        List<byte[]> corpus = SampleData.documents().subList(0, 5_000);
        node = TestNode.on(kafka).dir(data).cluster("rebuild-cluster").start();
        http = new Http(node.httpAddress());
        Http.expect(200, http.put("/_cluster/settings", "{\"persistent\":{\"cluster.remote.self.seeds\":\""
                + http.hostPort() + "\"}}"), "remote self");
        Http.expect(200, http.put("/" + leader, "{\"settings\":{\"number_of_shards\":2},\"mappings\":"
                + SampleData.MAPPINGS + "}"), "create leader");
        traffic = new Ccr.Traffic(http, leader, corpus, seed, "r", 1_500);
    }

    @AfterEach
    void stop() {
        node.followers().close(); // Node.close() leaves followers running
        node.close();
    }

    @Test
    void aRebuildFromTheLogEqualsTheLeaderAndFollowsOn() {
        bulks(10);
        follow();
        Ccr.awaitSameDocuments(http, leader, http, follower, TIMEOUT);
        bulks(5);

        // paused at once (mostly while it replays) and resumed: the rebuild starts over and still ends whole
        Http.expect(200, http.post("/" + follower + "/_ccr/rebuild", "{}"), "rebuild");
        Http.expect(200, http.post("/" + follower + "/_ccr/pause_follow", null), "pause the rebuild");
        Http.expect(200, http.post("/" + follower + "/_ccr/resume_follow", "{}"), "resume the rebuild");
        awaitStatus("active");
        Map<String, Ccr.Doc> docs = Ccr.awaitSameDocuments(http, leader, http, follower, TIMEOUT);
        ArrayNode stats = Ccr.awaitCaughtUp(http, follower, TIMEOUT);
        JsonNode verify = Http.expect(200, http.post("/" + follower + "/_ccr/verify", "{}"), "verify").json();
        assertThat(verify.path("identical").asBoolean()).as("verify after the rebuild: %s", verify).isTrue();
        assertThat(Ccr.sum((ArrayNode) verify.path("shards"), "matched")).isEqualTo(docs.size());
        // the fresh index was written by the replay: every live document at least once
        assertThat(Ccr.sum(stats, "operations_written")).isGreaterThanOrEqualTo(docs.size());
        JsonNode recovery = Http.expect(200, http.get("/" + follower + "/_recovery"), "recovery").json()
                .path(follower).path("shards");
        assertThat(recovery).hasSize(2).allSatisfy(s -> {
            assertThat(s.path("type").asText()).isEqualTo("LOG_REPLAY");
            assertThat(s.path("stage").asText()).isEqualTo("DONE");
            assertThat(s.path("translog").path("percent").asText()).isEqualTo("100.0%");
        });

        bulks(5); // and it follows on
        Ccr.awaitSameDocuments(http, leader, http, follower, TIMEOUT);
    }

    @Test
    void aPointInTimeRebuildEqualsTheLeaderAtThatMoment() {
        follow();
        bulks(10);
        ArrayNode atCut = Ccr.awaitCaughtUp(http, follower, TIMEOUT);
        Map<String, Ccr.Doc> snapshot = Ccr.documents(http, leader);
        long cutMillis = System.currentTimeMillis(); // every op so far was acknowledged, so stamped, before this
        await("the clock to pass the cut").atMost(TIMEOUT).until(() -> System.currentTimeMillis() > cutMillis + 1);
        StringBuilder seqNos = new StringBuilder();
        for (JsonNode s : atCut) {
            seqNos.append(seqNos.isEmpty() ? "" : ",").append('"').append(s.path("shard_id").asInt()).append("\":")
                    .append(s.path("leader_global_checkpoint").asLong());
        }
        bulks(10); // updates, deletes and new documents after the cut
        Map<String, Ccr.Doc> now = Ccr.awaitSameDocuments(http, leader, http, follower, TIMEOUT);
        assertThat(Ccr.differences(snapshot, now, 1)).as("the traffic after the cut changed documents").isNotEmpty();

        Http.expect(200, http.post("/" + follower + "/_ccr/rebuild", "{\"as_of\":{\"seq_no\":{" + seqNos + "}}}"),
                "rebuild as of seq_nos " + seqNos);
        awaitStatus("paused");
        assertThat(Ccr.differences(snapshot, Ccr.documents(http, follower), 10)).as("as of seq_nos").isEmpty();

        Http.expect(200, http.post("/" + follower + "/_ccr/rebuild", "{\"as_of\":{\"timestamp\":\""
                + Instant.ofEpochMilli(cutMillis) + "\"}}"), "rebuild as of " + Instant.ofEpochMilli(cutMillis));
        awaitStatus("paused");
        assertThat(Ccr.differences(snapshot, Ccr.documents(http, follower), 10)).as("as of the time").isEmpty();

        // resumed, it streams on from the cut to the leader's present
        Http.expect(200, http.post("/" + follower + "/_ccr/resume_follow", "{}"), "resume");
        Ccr.awaitSameDocuments(http, leader, http, follower, TIMEOUT);
        Ccr.awaitCaughtUp(http, follower, TIMEOUT);
    }

    @Test
    void badRebuildRequestsAreRefusedAndChangeNothing() {
        follow();
        bulks(3);
        Map<String, Ccr.Doc> docs = Ccr.awaitSameDocuments(http, leader, http, follower, TIMEOUT);
        for (String body : List.of("{\"as_of\":{\"seq_no\":\"x\"}}", "{\"as_of\":{\"seq_no\":{\"7\":3}}}",
                "{\"as_of\":{\"timestamp\":\"yesterday\"}}", "{\"as_of\":{}}", "{\"from\":0}",
                "{\"as_of\":{\"seq_no\":{}}}", "{\"as_of\":{\"timestamp\":-5}}",
                "{\"as_of\":{\"timestamp\":99999999999999999999}}")) {
            JsonNode error = Http.expect(400, http.post("/" + follower + "/_ccr/rebuild", body), body).json();
            assertThat(error.path("error").path("type").asText()).isEqualTo("illegal_argument_exception");
            assertThat(error.path("error").path("reason").asText()).contains("as_of");
        }
        Http.expect(400, http.post("/" + leader + "/_ccr/rebuild", "{}"), "rebuild of a leader index");
        Http.expect(404, http.post("/no-such-index/_ccr/rebuild", "{}"), "rebuild of a missing index");
        assertThat(Ccr.info(http, follower).path("detailed_status").asText()).isEqualTo("active");
        assertThat(Ccr.differences(docs, Ccr.documents(http, follower), 10)).isEmpty();
    }

    private void follow() {
        Http.expect(200, http.put("/" + follower + "/_ccr/follow?wait_for_active_shards=1",
                "{\"remote_cluster\":\"self\",\"leader_index\":\"" + leader + "\"}"), "follow");
    }

    private void bulks(int n) {
        for (int i = 0; i < n; i++) {
            traffic.bulk(200);
        }
    }

    private void awaitStatus(String status) {
        await("follower status " + status).atMost(TIMEOUT).until(() -> {
            JsonNode info = Ccr.info(http, follower);
            assertThat(info.path("detailed_status").asText()).as("follower status").isNotEqualTo("failed");
            return info.path("detailed_status").asText().equals(status);
        });
    }
}
