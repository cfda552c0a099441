package io.kccr.node.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kccr.node.Node;
import io.kccr.testkit.Http;
import io.kccr.testkit.KafkaBroker;
import io.kccr.testkit.TestNode;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
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
}
