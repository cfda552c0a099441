package io.kccr.node.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kccr.node.Node;
import io.kccr.testkit.Http;
import io.kccr.testkit.KafkaBroker;
import io.kccr.testkit.TestNode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower node whose {@code path.data} is a small real filesystem (a tmpfs of 64 MB, mounted for the test; root
 * only, skipped elsewhere) runs out of space: past the flood-stage watermark its own index refuses writes with 429
 * {@code cluster_block_exception} and its follower stops applying without failing; once space is back, both go on
 * by themselves and the follower holds every write its leader acknowledged meanwhile.
 */
class DiskFullIT {
    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker();

    @TempDir
    Path data;

    @Test
    void floodStageBlocksWritesAndSuspendsFollowersUntilSpaceIsBack() throws Exception {
        Path small = data.resolve("small-disk");
        Files.createDirectories(small);
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", small.toString())
                .redirectErrorStream(true).start();
        Assumptions.assumeTrue(mount.waitFor() == 0, "mounting a tmpfs needs root");
        Map<String, String> fastChecks = Map.of("cluster.info.update.interval", "1s",
                "cluster.routing.allocation.disk.watermark.flood_stage", "95%",
                "cluster.routing.allocation.disk.watermark.high", "90%");
        try (Node leaderNode = TestNode.on(kafka).dir(data.resolve("leader")).cluster("leader").topicPrefix("dl")
                .start();
             Node followerNode = TestNode.on(kafka).dir(small.resolve("node")).cluster("follower").topicPrefix("df")
                     .remote("leader", new Http(leaderNode.httpAddress()).hostPort()).settings(fastChecks).start()) {
            Http leader = new Http(leaderNode.httpAddress());
            Http follower = new Http(followerNode.httpAddress());
            Http.expect(200, leader.put("/src", "{}"), "create");
            for (int i = 0; i < 50; i++) {
                Http.expect(201, leader.put("/src/_doc/" + i, "{\"n\":" + i + "}"), "write");
            }
            Http.expect(200, follower.put("/src-copy/_ccr/follow?wait_for_active_shards=1",
                    "{\"remote_cluster\":\"leader\",\"leader_index\":\"src\"}"), "follow");
            Http.expect(200, follower.put("/local", "{}"), "a leader index on the small disk");
            FaultChecks.awaitFollowerIdentical(follower, "src-copy");

            Path ballast = small.resolve("ballast");
            fill(ballast, small);
            await("flood stage blocks writes").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Http.Response r = follower.put("/local/_doc/1", "{\"a\":1}");
                assertThat(r.status()).as(r.toString()).isEqualTo(429);
                assertThat(r.json().at("/error/type").asText()).isEqualTo("cluster_block_exception");
                assertThat(r.json().at("/error/reason").asText()).contains("TOO_MANY_REQUESTS/12",
                        "flood-stage watermark");
            });
            for (int i = 50; i < 100; i++) {
                Http.expect(201, leader.put("/src/_doc/" + i, "{\"n\":" + i + "}"), "the leader keeps writing");
            }
            await("the follower stops applying, still active").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(follower.get("/src-copy/_ccr/info").json().at("/follower_indices/0/detailed_status").asText())
                        .isEqualTo("active");
                assertThat(follower.get("/src-copy/_ccr/stats").toString()).contains("flood-stage");
            });
            assertThat(follower.get("/src-copy/_count").json().get("count").asLong()).isLessThan(100);

            Files.delete(ballast);
            await("writes come back").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    // 200 when a write before the disk check noticed the flood stage already created the doc
                    assertThat(follower.put("/local/_doc/1", "{\"a\":1}").status()).isIn(200, 201));
            FaultChecks.awaitFollowerIdentical(follower, "src-copy");
            Http.expect(200, follower.post("/src-copy/_refresh", null), "refresh");
            assertThat(follower.get("/src-copy/_count").json().get("count").asLong()).isEqualTo(100);
        } finally {
            new ProcessBuilder("umount", "-l", small.toString()).start().waitFor();
        }
    }

    /** Fills the disk of {@code dir} up to 1 MB of free space. */
    private static void fill(Path ballast, Path dir) throws IOException {
        FileStore store = Files.getFileStore(dir);
        long size = store.getUsableSpace() - 1024 * 1024;
        try (RandomAccessFile f = new RandomAccessFile(ballast.toFile(), "rw")) {
            byte[] chunk = new byte[1 << 20];
            for (long written = 0; written < size; written += chunk.length) {
                f.write(chunk, 0, (int) Math.min(chunk.length, size - written));
            }
            f.getFD().sync();
        }
    }
}
