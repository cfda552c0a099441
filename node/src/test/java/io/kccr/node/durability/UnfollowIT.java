package io.kccr.node.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kccr.node.Node;
import io.kccr.testkit.ChildNode;
import io.kccr.testkit.Http;
import io.kccr.testkit.KafkaBroker;
import io.kccr.testkit.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unfollow is one step of the follower's state machine: a {@code resume_follow} sent while the conversion runs
 * cannot restart streaming behind it, and a node killed in the middle of the conversion completes it when it starts
 * again, never leaving a half-filled leader index.
 */
class UnfollowIT {
    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker();

    private static final int DOCS = 30_000;

    @TempDir
    static Path data;

    private static Node leaderNode;
    private static Http leader;

    @BeforeAll
    static void startLeader() throws Exception {
        leaderNode = TestNode.on(kafka).dir(data.resolve("leader")).cluster("leader-cluster").topicPrefix("ul").start();
        leader = new Http(leaderNode.httpAddress());
        Http.expect(200, leader.put("/big", "{\"settings\":{\"number_of_shards\":2}}"), "create");
        for (int b = 0; b < DOCS / 1_000; b++) {
            StringBuilder bulk = new StringBuilder();
            for (int i = 0; i < 1_000; i++) {
                bulk.append("{\"index\":{\"_id\":\"").append(b * 1_000 + i).append("\"}}\n{\"n\":").append(i)
                        .append("}\n");
            }
            Http.expect(200, leader.bulk("/big/_bulk", bulk.toString()), "bulk");
        }
    }

    @AfterAll
    static void stopLeader() {
        if (leaderNode != null) {
            leaderNode.close();
        }
    }

    private static TestNode followerNode(String name) {
        return TestNode.on(kafka).dir(data.resolve(name)).cluster(name).topicPrefix(name)
                .remote("leader", leader.hostPort());
    }

    private static void followPauseClose(Http follower, String index) {
        Http.expect(200, follower.put("/" + index + "/_ccr/follow?wait_for_active_shards=1",
                "{\"remote_cluster\":\"leader\",\"leader_index\":\"big\"}"), "follow");
        FaultChecks.awaitFollowerIdentical(follower, index);
        Http.expect(200, follower.post("/" + index + "/_ccr/pause_follow", null), "pause");
        Http.expect(200, follower.post("/" + index + "/_close", null), "close");
    }

    @Test
    void resumeFollowDuringAnUnfollowCannotRestartStreaming() throws Exception {
        try (Node node = followerNode("race").start()) {
            Http follower = new Http(node.httpAddress());
            followPauseClose(follower, "copy");
            CompletableFuture<Http.Response> unfollow = CompletableFuture.supplyAsync(() ->
                    follower.post("/copy/_ccr/unfollow", null));
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(data.resolve("race")
                    .resolve("followers/copy/unfollow.json")) || unfollow.isDone());
            Http.Response resume = follower.post("/copy/_ccr/resume_follow", "{}");
            Http.Response unfollowed = unfollow.join();
            assertThat(unfollowed.status()).as(unfollowed.toString()).isEqualTo(200);
            assertThat(resume.status()).as("resume_follow waited for the unfollow, then found no follower: "
                    + resume).isIn(400, 404);
            Http.expect(200, follower.post("/copy/_open", null), "open");
            Http.expect(200, follower.post("/copy/_refresh", null), "refresh");
            assertThat(follower.get("/copy/_count").json().get("count").asLong()).isEqualTo(DOCS);
            Http.expect(201, follower.put("/copy/_doc/new", "{\"n\":1}"), "a plain index now");
        }
    }

    @Test
    void aNodeKilledInTheMiddleOfAnUnfollowCompletesItWhenItStartsAgain() throws Exception {
        TestNode settings = followerNode("crash");
        Path log = data.resolve("crash-node.log");
        ChildNode child = settings.startChild(log);
        try {
            followPauseClose(child.http(), "copy");
            CompletableFuture.runAsync(() -> child.http().post("/copy/_ccr/unfollow", null));
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(data.resolve("crash")
                    .resolve("followers/copy/unfollow.json")));
            child.kill(); // SIGKILL, in the middle of re-publishing
        } finally {
            child.killQuietly();
        }
        ChildNode again = settings.startChild(log);
        try {
            Http follower = again.http();
            await("the interrupted conversion completed").atMost(Duration.ofSeconds(120))
                    .until(() -> !Files.exists(data.resolve("crash").resolve("followers/copy")));
            Http.Response info = follower.get("/copy/_ccr/info");
            assertThat(info.json().path("follower_indices").size()).as(info.toString()).isZero();
            Http.expect(200, follower.post("/copy/_open", null), "open (an unfollowed index stays closed)");
            Http.expect(200, follower.post("/copy/_refresh", null), "refresh");
            assertThat(follower.get("/copy/_count").json().get("count").asLong()).isEqualTo(DOCS);
            Http.expect(201, follower.put("/copy/_doc/new", "{\"n\":1}"), "takes writes once converted");
        } finally {
            again.killQuietly();
        }
    }
}
