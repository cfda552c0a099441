package io.kccr.node.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kccr.node.Node;
import io.kccr.testkit.Http;
import io.kccr.testkit.KafkaBroker;
import io.kccr.testkit.TestNode;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower node restarted while its remote cluster is away: with the remote's last answer and the leader's metadata
 * kept, the follower opens, searchable, and follows again once the leader's log answers; with nothing kept to find
 * the log by, it answers 503 with the reason instead of vanishing (404), and follows again by itself once the remote
 * is back, converging to its leader.
 */
class RemoteAwayAtStartIT {
    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker();

    @TempDir
    Path data;

    @Test
    void aFollowerWhoseRemoteIsAwayAtStartIsKeptAndFollowsOnceItIsBack() throws Exception {
        int leaderPort;
        try (ServerSocket s = new ServerSocket(0)) {
            leaderPort = s.getLocalPort();
        }
        TestNode leaderSettings = TestNode.on(kafka).dir(data.resolve("leader")).cluster("leader-cluster")
                .topicPrefix("ra").setting("http.port", Integer.toString(leaderPort));
        TestNode followerSettings = TestNode.on(kafka).dir(data.resolve("follower")).cluster("follower-cluster")
                .remote("leader", "127.0.0.1:" + leaderPort);
        Node leaderNode = leaderSettings.start();
        try {
            try (Node followerNode = followerSettings.start()) {
                Http leader = new Http(leaderNode.httpAddress());
                Http follower = new Http(followerNode.httpAddress());
                Http.expect(200, leader.put("/books", "{}"), "create");
                Http.expect(201, leader.put("/books/_doc/1", "{\"t\":\"one\"}"), "write");
                Http.expect(200, follower.put("/books-copy/_ccr/follow?wait_for_active_shards=1",
                        "{\"remote_cluster\":\"leader\",\"leader_index\":\"books\"}"), "follow");
            }
            leaderNode.close();
            leaderNode = null;
            try (Node followerNode = followerSettings.start()) { // its HTTP is away, its Kafka is not
                Http follower = new Http(followerNode.httpAddress());
                await("streaming from the log the remote's last answer named").atMost(Duration.ofSeconds(60))
                        .untilAsserted(() -> assertThat(Http.expect(200, follower.get("/books-copy/_ccr/info"),
                                "info").json().at("/follower_indices/0/status").asText()).isEqualTo("active"));
                assertThat(Http.expect(200, follower.get("/books-copy/_count"), "count").json().path("count")
                        .asInt()).isEqualTo(1);
            }
            // a node that has no answer of the remote kept (lost with its data path's file) cannot find its log
            java.nio.file.Files.delete(data.resolve("follower").resolve("known_remotes.json"));
            try (Node followerNode = followerSettings.start()) {
                Http follower = new Http(followerNode.httpAddress());
                Http.Response away = follower.get("/books-copy/_ccr/info");
                assertThat(away.status()).as(away.toString()).isEqualTo(503);
                assertThat(away.json().at("/error/reason").asText()).contains("books-copy", "could not be opened");

                leaderNode = leaderSettings.start();
                Http leader = new Http(leaderNode.httpAddress());
                Http.expect(201, leader.put("/books/_doc/2", "{\"t\":\"two\"}"), "write while the follower waits");
                await("the follower follows again by itself").atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                        assertThat(follower.get("/books-copy/_ccr/info").json().at("/follower_indices/0/detailed_status")
                                .asText()).isEqualTo("active"));
                FaultChecks.awaitFollowerIdentical(follower, "books-copy");
            }
        } finally {
            if (leaderNode != null) {
                leaderNode.close();
            }
        }
    }

    @Test
    void aFollowerOutlivesItsLeadersClusterThroughARestartAndIsPromotedWithoutIt() throws Exception {
        TestNode leaderSettings = TestNode.withEmbeddedKafka().dir(data.resolve("dr-leader")).cluster("dr-leader")
                .topicPrefix("dr");
        Node leaderNode = leaderSettings.start(); // its own Kafka: it goes down with it
        TestNode followerSettings;
        try {
            Http leader = new Http(leaderNode.httpAddress());
            followerSettings = TestNode.on(kafka).dir(data.resolve("dr-follower")).cluster("dr-follower")
                    .remote("leader", leader.hostPort());
            try (Node followerNode = followerSettings.start()) {
                Http follower = new Http(followerNode.httpAddress());
                Http.expect(200, leader.put("/orders", "{\"mappings\":{\"properties\":{\"sku\":{\"type\":"
                        + "\"keyword\"}}}}"), "create");
                for (int i = 0; i < 5; i++) {
                    Http.expect(201, leader.put("/orders/_doc/" + i, "{\"sku\":\"s" + i + "\"}"), "write " + i);
                }
                Http.expect(200, follower.put("/orders-dr/_ccr/follow?wait_for_active_shards=1",
                        "{\"remote_cluster\":\"leader\",\"leader_index\":\"orders\"}"), "follow");
                FaultChecks.awaitFollowerIdentical(follower, "orders-dr");
            }
        } finally {
            leaderNode.close(); // the leader's cluster is gone, its HTTP and its Kafka
        }
        long starting = System.nanoTime();
        try (Node followerNode = followerSettings.start()) {
            System.out.printf("the follower node started in %.1f s with its leader's cluster down%n",
                    (System.nanoTime() - starting) / 1e9);
            Http follower = new Http(followerNode.httpAddress());
            // searchable, with the leader's mappings, as it stood
            Http.Response found = Http.expect(200, follower.post("/orders-dr/_search", "{\"query\":{\"term\":"
                    + "{\"sku\":\"s3\"}}}"), "search");
            assertThat(found.json().at("/hits/total/value").asInt()).isEqualTo(1);
            assertThat(Http.expect(200, follower.get("/orders-dr/_count"), "count").json().path("count").asInt())
                    .isEqualTo(5);
            Http.expect(200, follower.get("/orders-dr/_ccr/info"), "info");
            // promoted to a plain index without its leader: paused, closed, unfollowed, opened, written to
            Http.expect(200, follower.post("/orders-dr/_ccr/pause_follow", ""), "pause");
            Http.expect(200, follower.post("/orders-dr/_close", ""), "close");
            Http.expect(200, follower.post("/orders-dr/_ccr/unfollow", ""), "unfollow");
            Http.expect(200, follower.post("/orders-dr/_open", ""), "open");
            Http.expect(201, follower.put("/orders-dr/_doc/5?refresh=true", "{\"sku\":\"s5\"}"), "write");
            assertThat(Http.expect(200, follower.get("/orders-dr/_count"), "count").json().path("count").asInt())
                    .isEqualTo(6);
        }
    }

    @Test
    void aFollowerIndexMovesOffAStoppingNodeWhileItsLeadersClusterIsDown() throws Exception {
        Node leaderNode = TestNode.withEmbeddedKafka().dir(data.resolve("mv-leader")).cluster("mv-leader")
                .topicPrefix("mv").start(); // its own Kafka: it goes down with it
        TestNode follower;
        Node first;
        try {
            Http leader = new Http(leaderNode.httpAddress());
            Http.expect(200, leader.put("/orders", "{\"mappings\":{\"properties\":{\"sku\":{\"type\":"
                    + "\"keyword\"}}}}"), "create");
            for (int i = 0; i < 5; i++) {
                Http.expect(201, leader.put("/orders/_doc/" + i, "{\"sku\":\"s" + i + "\"}"), "write " + i);
            }
            follower = TestNode.on(kafka).cluster("mv-follower").topicPrefix("mvf")
                    .setting("discovery.type", "multi-node").remote("leader", leader.hostPort());
            first = follower.dir(data.resolve("mv1")).name("mv1").start();
            Http http = new Http(first.httpAddress());
            Http.expect(200, http.put("/orders-dr/_ccr/follow?wait_for_active_shards=1",
                    "{\"remote_cluster\":\"leader\",\"leader_index\":\"orders\"}"), "follow");
            for (int i = 5; i < 8; i++) { // streamed, not bootstrapped: in no commit of the first node's yet
                Http.expect(201, leader.put("/orders/_doc/" + i, "{\"sku\":\"s" + i + "\"}"), "write " + i);
            }
            FaultChecks.awaitFollowerIdentical(http, "orders-dr");
        } finally {
            leaderNode.close(); // the leader's cluster is gone, its HTTP and its Kafka
        }
        try (Node second = follower.dir(data.resolve("mv2")).name("mv2").start()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> second.cluster().table().nodes().size() == 2);
            long stopping = System.nanoTime();
            // a graceful stop: the second takes the follower index over before the first goes
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(first::close);
            await().atMost(Duration.ofSeconds(60)).until(() -> second.followers().getOrNull("orders-dr") != null);
            double takenOver = (System.nanoTime() - stopping) / 1e9;
            stopped.get(90, TimeUnit.SECONDS);
            System.out.printf("with the leader's cluster down, the follower index was taken over %.1f s after the"
                    + " stop began, and the stopping node was gone after %.1f s%n", takenOver,
                    (System.nanoTime() - stopping) / 1e9);
            Http http = new Http(second.httpAddress());
            Http.Response found = Http.expect(200, http.post("/orders-dr/_search", "{\"query\":{\"term\":"
                    + "{\"sku\":\"s3\"}}}"), "search");
            assertThat(found.json().at("/hits/total/value").asInt()).isEqualTo(1);
            assertThat(Http.expect(200, http.get("/orders-dr/_count"), "count").json().path("count").asInt())
                    .as("what the stopping node had applied, committed before it was copied").isEqualTo(8);
            JsonNode shards = Http.expect(200, http.get("/orders-dr/_recovery"), "recovery").json()
                    .at("/orders-dr/shards");
            assertThat(shards).as("%s", shards).isNotEmpty().allSatisfy(s -> {
                assertThat(s.path("type").asText()).isEqualTo("PEER");
                assertThat(s.at("/source/name").asText()).isEqualTo("mv1");
            });
            assertThat(Http.expect(200, http.get("/orders-dr/_ccr/info"), "info").json()
                    .at("/follower_indices/0/status").asText()).isEqualTo("active");
        }
    }
}
