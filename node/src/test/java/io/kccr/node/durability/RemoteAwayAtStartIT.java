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
 * A follower node restarted while its remote cluster is away keeps its follower: the follower answers 503 with the
 * reason instead of vanishing (404), and follows again by itself once the remote is back, converging to its leader.
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
}
