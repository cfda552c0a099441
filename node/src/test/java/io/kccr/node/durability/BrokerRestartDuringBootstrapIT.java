package io.kccr.node.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kccr.testkit.Http;
import io.kccr.testkit.KafkaBroker;
import io.kccr.testkit.TwoClusters;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker is stopped while a follower copies its leader's files (a slow, throttled bootstrap) and started again
 * later: the bootstrap's hand-off to streaming fails while Kafka is away, the follower shows why and retries by
 * itself, and it ends identical to its leader, every write the leader acknowledged included.
 */
class BrokerRestartDuringBootstrapIT {
    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker();

    @TempDir
    Path data;

    @Test
    void aBrokerRestartDuringABootstrapEndsInAnIdenticalFollower() throws Exception {
        try (TwoClusters clusters = TwoClusters.start(kafka, data, Map.of("ccr.write.timeout", "3s"),
                Map.of("ccr.indices.recovery.max_bytes_per_sec", "64kb", "ccr.write.timeout", "3s"))) {
            Http leader = clusters.leader();
            Http follower = clusters.follower();
            Http.expect(200, leader.put("/src", "{}"), "create");
            for (int b = 0; b < 10; b++) {
                StringBuilder bulk = new StringBuilder();
                for (int i = 0; i < 1_000; i++) {
                    bulk.append("{\"index\":{\"_id\":\"").append(b * 1_000 + i).append("\"}}\n{\"text\":\"document ")
                            .append(b * 1_000 + i).append(" with some words to make its segment larger\"}\n");
                }
                Http.expect(200, leader.bulk("/src/_bulk", bulk.toString()), "bulk");
            }
            Http.expect(200, leader.post("/src/_flush", null), "flush");
            Http.expect(200, follower.put("/copy/_ccr/follow",
                    "{\"remote_cluster\":\"leader\",\"leader_index\":\"src\"}"), "follow");
            await("the copy under way").atMost(Duration.ofSeconds(30)).until(() ->
                    follower.get("/copy/_recovery").text().contains("\"recovered_in_bytes\""));
            kafka.stop();
            try {
                await("the follower shows why it cannot go on").atMost(Duration.ofSeconds(120)).until(() ->
                        "failed".equals(follower.get("/copy/_ccr/info").json().at("/follower_indices/0/detailed_status")
                                .asText()));
            } finally {
                kafka.restart();
            }
            await("the leader takes writes again").atMost(Duration.ofSeconds(60)).until(() ->
                    leader.put("/src/_doc/after", "{\"text\":\"after the restart\"}").status() == 201);
            await("the follower follows again by itself").atMost(Duration.ofSeconds(120)).until(() ->
                    "active".equals(follower.get("/copy/_ccr/info").json().at("/follower_indices/0/detailed_status").asText()));
            FaultChecks.awaitFollowerIdentical(follower, "copy");
            Http.expect(200, follower.post("/copy/_refresh", null), "refresh");
            assertThat(follower.get("/copy/_count").json().get("count").asLong()).isEqualTo(10_001);
        }
    }
}
