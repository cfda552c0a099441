package io.kccr.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kccr.follower.FollowerIndex;
import io.kccr.follower.FollowerStatus;
import io.kccr.node.Node;
import io.kccr.testkit.ChildNode;
import io.kccr.testkit.Http;
import io.kccr.testkit.KafkaBroker;
import io.kccr.testkit.TestNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower cluster of two nodes, one of them in a child JVM that follows two indices of a leader node: one streams
 * already, the other is still copying the leader's files (the child copies slowly). The child is killed with SIGKILL:
 * the node left adopts both follower indices from the cluster's record of them, copies the leader's files again and
 * follows on, so both converge to the leader and answer complete searches, and a write to the leader after the loss
 * reaches the adopted follower. Before the loss, either node lists both follower indices once, as their host reports
 * them, and only the host commits to the follower's consumer group (the replica to its own); after it, the promoted
 * replica commits to the follower's group. An auto-follow pattern made through the lost node is listed through the
 * other, which runs it once the first is lost. When the lost node comes back, it takes a follower index over to even
 * out the copies the nodes hold. In a cluster of nodes in this JVM, follower indices move to a node that joins, and off
 * one that stops gracefully, while searches through the other node answer throughout.
 */
class FollowerTakeoverIT {
    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker();

    @TempDir
    Path data;

    @Test
    void theNodeLeftAdoptsTheFollowerIndicesOfALostNodeWhetherTheyStreamedOrWereBootstrapping() throws Exception {
        try (Node leaderNode = TestNode.on(kafka).dir(data.resolve("leader")).cluster("leaders").topicPrefix("lead")
                .start()) {
            Http leader = new Http(leaderNode.httpAddress());
            Http.expect(200, leader.put("/streamed", "{}"), "create streamed");
            Http.expect(200, leader.put("/copied", "{}"), "create copied");
            bulk(leader, "streamed", 0, 10);
            bulk(leader, "copied", 0, 2_000);
            Http.expect(200, leader.post("/_flush", ""), "flush");

            TestNode follower = TestNode.on(kafka).cluster("followers").topicPrefix("fol")
                    .setting("discovery.type", "multi-node").remote("leader", leader.hostPort());
            try (Node survivorNode = follower.dir(data.resolve("f1")).name("f1").start()) {
                ChildNode victim = follower.dir(data.resolve("f2")).name("f2")
                        .setting("ccr.indices.recovery.max_bytes_per_sec", "16kb")
                        .startChild(data.resolve("f2.log"));
                try {
                    Http survivor = new Http(survivorNode.httpAddress());
                    Http child = new Http(victim.httpAddress());
                    await().atMost(Duration.ofSeconds(60)).until(() -> survivorNode.cluster().table().nodes().size() == 2);

                    // neither node holds a follower copy yet: the node asked keeps the new follower index
                    Http.expect(200, child.put("/streamed/_ccr/follow?wait_for_active_shards=1",
                            "{\"remote_cluster\":\"leader\",\"leader_index\":\"streamed\","
                                    + "\"settings\":{\"index.number_of_replicas\":1}}"), "follow streamed");
                    bulk(leader, "streamed", 10, 15);
                    awaitCount(child, "streamed", 15);
                    // the other node keeps a replica of it, following the leader too
                    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                        FollowerIndex r = survivorNode.followers().replicaOrNull("streamed");
                        assertThat(r).isNotNull();
                        r.refresh();
                        assertThat(r.docCount()).isEqualTo(15);
                    });
                    FollowerIndex replica = survivorNode.followers().replicaOrNull("streamed");
                    assertThat(replica.offsetsGroup()).isEqualTo(REPLICA_GROUP);
                    assertThat(replica.recovery()).as("copied from its host once whole, not from the leader")
                            .isNotEmpty().allSatisfy(s -> assertThat(s.peer()).isEqualTo("f2"));

                    // the follower's consumer group is its host's: the replica commits to a group of its own
                    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                            kafka.bootstrapServers()))) {
                        TopicPartition shard0 = new TopicPartition(replica.definition().opsTopic(), 0);
                        long caughtUp = replica.shards().getFirst().nextOffset();
                        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                            assertThat(committed(admin, GROUP, shard0)).isEqualTo(caughtUp);
                            assertThat(committed(admin, REPLICA_GROUP, shard0)).isEqualTo(caughtUp);
                        });
                        // the host stops; its replica, made to follow on here, applies writes the host does not
                        Http.expect(200, child.post("/streamed/_ccr/pause_follow", ""), "pause on the host");
                        await().atMost(Duration.ofSeconds(30)).until(() -> replica.status() == FollowerStatus.PAUSED);
                        long hostStopped = committed(admin, GROUP, shard0);
                        replica.resume(null);
                        bulk(leader, "streamed", 15, 18);
                        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                            long applied = replica.shards().getFirst().nextOffset();
                            assertThat(applied).isGreaterThan(hostStopped);
                            assertThat(committed(admin, REPLICA_GROUP, shard0)).isEqualTo(applied);
                        });
                        assertThat(committed(admin, GROUP, shard0)).as("only the host commits to the follower's group")
                                .isEqualTo(hostStopped);
                        Http.expect(200, child.post("/streamed/_ccr/resume_follow", ""), "resume on the host");
                        long end = replica.shards().getFirst().nextOffset();
                        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                                assertThat(committed(admin, GROUP, shard0)).isEqualTo(end));
                        awaitCount(child, "streamed", 18);

                        // each node holds one copy (the child hosts streamed, the other its replica): the child
                        // keeps this one too
                        Http.expect(200, child.put("/copied/_ccr/follow",
                                "{\"remote_cluster\":\"leader\",\"leader_index\":\"copied\"}"), "follow copied");
                        await().atMost(Duration.ofSeconds(60)).until(() -> recoveredBytes(child, "copied") > 0);
                        assertThat(survivorNode.followers().getOrNull("streamed")).isNull();
                        assertListedOnceByTheirHost(survivor, child);
                        // an auto-follow pattern made through one node is the cluster's: listed through the other
                        Http.expect(200, child.put("/_ccr/auto_follow/logs", "{\"remote_cluster\":\"leader\","
                                + "\"leader_index_patterns\":[\"logs-*\"],\"follow_index_pattern\":"
                                + "\"{{leader_index}}-copy\"}"), "auto-follow pattern");
                        assertThat(Http.expect(200, survivor.get("/_ccr/auto_follow/logs"), "pattern").json()
                                .at("/patterns/0/pattern/leader_index_patterns/0").asText()).isEqualTo("logs-*");
                        assertThat(Http.expect(200, child.get("/copied/_recovery"), "recovery").json()
                                .at("/copied/shards/0/stage").asText()).as("still copying").isNotEqualTo("DONE");

                        victim.kill();
                        long killed = System.nanoTime();
                        // a node that does not answer leaves its follower indices out of a listing; it does not fail
                        Http.expect(200, survivor.get("/_ccr/stats"), "stats with a node lost");

                        // the node left adopts both: the streaming one, whose replica takes over as it runs, and the
                        // one whose copy was cut short, which it copies again
                        awaitCount(survivor, "streamed", 18);
                        assertThat(survivorNode.followers().getOrNull("streamed")).as("the replica, promoted")
                                .isSameAs(replica);
                        System.out.printf("follower index [streamed] searchable again on the node left %.1f s after"
                                + " the loss%n", (System.nanoTime() - killed) / 1e9);
                        // promoted, it commits to the follower's group
                        await().atMost(Duration.ofSeconds(30)).until(() -> replica.offsetsGroup().equals(GROUP));
                        bulk(leader, "streamed", 18, 20);
                        awaitCount(survivor, "streamed", 20);
                        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                                assertThat(committed(admin, GROUP, shard0))
                                        .isEqualTo(replica.shards().getFirst().nextOffset()));
                    }
                    awaitCount(survivor, "copied", 2_000);
                    JsonNode search = Http.expect(200, survivor.post("/copied/_search",
                            "{\"track_total_hits\":true,\"size\":0}"), "search").json();
                    assertThat(search.at("/_shards/failed").asInt()).isZero();
                    assertThat(search.at("/hits/total/value").asInt()).isEqualTo(2_000);
                    for (String name : new String[] {"streamed", "copied"}) {
                        assertThat(Http.expect(200, survivor.get("/" + name + "/_ccr/info"), "info").json()
                                .at("/follower_indices/0/status").asText()).as(name).isEqualTo("active");
                    }

                    // the pattern made through the lost node goes on: the node left runs it
                    Http.expect(200, leader.put("/logs-1", "{}"), "create logs-1");
                    bulk(leader, "logs-1", 0, 5);
                    awaitCount(survivor, "logs-1-copy", 5);
                    assertThat(Http.expect(200, survivor.get("/_ccr/stats"), "stats").json()
                            .at("/auto_follow_stats/number_of_successful_follow_indices").asInt()).isEqualTo(1);

                    // the lost node comes back: the other hosts the three follower indices now and it holds a
                    // replica of one (3 copies against 1), so it takes the first by name over to even them out; it
                    // keeps the other's replica, and answers for every one
                    victim = follower.dir(data.resolve("f2")).name("f2").startChild(data.resolve("f2-again.log"));
                    Http back = new Http(victim.httpAddress());
                    Path copies = data.resolve("f2").resolve("followers");
                    await().atMost(Duration.ofSeconds(120)).until(() -> survivorNode.followers().getOrNull("copied")
                            == null);
                    assertThat(survivorNode.followers().all()).extracting(FollowerIndex::name)
                            .containsExactly("logs-1-copy", "streamed");
                    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(data.resolve("f1")
                            .resolve("followers").resolve("copied")).as("dropped where it was").doesNotExist());
                    awaitCount(back, "copied", 2_000);
                    awaitCount(survivor, "copied", 2_000);
                    assertThat(copies.resolve("streamed")).exists();
                    assertThat(back.get("/streamed/_count").json().path("count").asInt()).isEqualTo(20);
                    assertThat(survivorNode.followers().getOrNull("streamed")).isNotNull();

                    // deleted on its host, the follower's replica goes too
                    Http.expect(200, survivor.delete("/streamed"), "delete the follower index");
                    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(copies.resolve("streamed"))
                            .doesNotExist());
                } finally {
                    victim.killQuietly();
                }
            }
        }
    }

    @Test
    void followerIndicesMoveToANodeThatJoinsAndOffANodeThatStopsWhileSearchesThroughTheOtherGoOn() throws Exception {
        List<String> leaders = List.of("l0", "l1", "l2", "l3");
        try (Node leaderNode = TestNode.on(kafka).dir(data.resolve("leader")).cluster("moving-leaders")
                .topicPrefix("mlead").start()) {
            Http leader = new Http(leaderNode.httpAddress());
            for (String index : leaders) {
                Http.expect(200, leader.put("/" + index, "{}"), "create " + index);
                bulk(leader, index, 0, 20);
            }
            TestNode follower = TestNode.on(kafka).cluster("moving").topicPrefix("mfol")
                    .setting("discovery.type", "multi-node").remote("leader", leader.hostPort());
            try (Node first = follower.dir(data.resolve("m1")).name("m1").start()) {
                Http http = new Http(first.httpAddress());
                for (String index : leaders) { // alone in its cluster, it hosts every follower index
                    Http.expect(200, http.put("/" + index + "-f/_ccr/follow?wait_for_active_shards=1",
                            "{\"remote_cluster\":\"leader\",\"leader_index\":\"" + index + "\"}"), "follow");
                }
                Searches searches = new Searches(http, leaders.stream().map(l -> l + "-f").toList());
                String paused = null;
                try (searches) {
                    Node second = follower.dir(data.resolve("m2")).name("m2").start();
                    long joined = System.nanoTime();
                    try {
                        // the node that joined takes two of the four over once its copies stream; the first drops its
                        await().atMost(Duration.ofSeconds(90)).until(() -> hosted(second) == 2 && hosted(first) == 2);
                        System.out.printf("two follower indices moved to the node that joined %.1f s after it"
                                + " started%n", (System.nanoTime() - joined) / 1e9);
                        assertThat(first.followers().replicas()).as("no copies left behind").isEmpty();
                        for (FollowerIndex moved : second.followers().all()) { // closed, then its files deleted
                            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(data.resolve("m1")
                                    .resolve("followers").resolve(moved.name())).doesNotExist());
                            assertCopiedFrom(http, moved.name(), "m1"); // not from the leader's cluster
                        }
                        for (String index : leaders) {
                            bulk(leader, index, 20, 30);
                        }
                        for (String index : leaders) {
                            awaitCount(http, index + "-f", 30);
                        }
                        // one that moved is paused: later writes to its leader do not reach it
                        paused = second.followers().all().iterator().next().name();
                        Http.expect(200, http.post("/" + paused + "/_ccr/pause_follow", ""), "pause " + paused);
                        for (String index : leaders) {
                            bulk(leader, index, 30, 40);
                        }
                        for (String index : leaders) {
                            awaitCount(http, index + "-f", (index + "-f").equals(paused) ? 30 : 40);
                        }
                    } finally {
                        long stopping = System.nanoTime();
                        second.close(); // a graceful stop: the first takes its follower indices back before it goes
                        System.out.printf("the stopping node handed its follower indices over and stopped in %.1f s%n",
                                (System.nanoTime() - stopping) / 1e9);
                    }
                    assertThat(hosted(first)).as("taken back before the second left").isEqualTo(4);
                    for (String index : leaders) {
                        FollowerIndex f = first.followers().getOrNull(index + "-f");
                        boolean wasPaused = f.name().equals(paused);
                        // the paused one copied from the stopping node's copy, as it stood: neither empty nor caught up
                        assertThat(f.status()).isEqualTo(wasPaused ? FollowerStatus.PAUSED : FollowerStatus.ACTIVE);
                        f.refresh();
                        assertThat(f.docCount()).as(index).isEqualTo(wasPaused ? 30 : 40);
                    }
                    assertCopiedFrom(http, paused, "m2");
                    Http.expect(200, http.post("/" + paused + "/_ccr/resume_follow", ""), "resume " + paused);
                    awaitCount(http, paused, 40);
                }
                assertThat(searches.made()).as("searches ran throughout").isGreaterThan(20);
                assertThat(searches.failures()).as("every search through the first node answered").isEmpty();
            }
        }
    }

    /** Each shard of follower index {@code name} was last copied from node {@code node} of its own cluster. */
    private static void assertCopiedFrom(Http http, String name, String node) {
        JsonNode shards = Http.expect(200, http.get("/" + name + "/_recovery"), "recovery of " + name).json()
                .at("/" + name + "/shards");
        assertThat(shards).as("%s", shards).isNotEmpty().allSatisfy(s -> {
            assertThat(s.path("type").asText()).isEqualTo("PEER");
            assertThat(s.at("/source/name").asText()).isEqualTo(node);
            assertThat(s.path("stage").asText()).isEqualTo("DONE");
        });
    }

    private static int hosted(Node node) {
        return node.followers().all().size();
    }

    /** Counts of follower indices through one node, over and over on a thread of their own, until closed. */
    private static final class Searches implements AutoCloseable {
        private final List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final java.util.concurrent.atomic.AtomicInteger made = new java.util.concurrent.atomic.AtomicInteger();
        private volatile boolean stop;
        private final Thread thread;

        Searches(Http http, List<String> indices) {
            thread = new Thread(() -> {
                while (!stop) {
                    for (String index : indices) {
                        Http.Response r = http.get("/" + index + "/_count");
                        made.incrementAndGet();
                        if (r.status() != 200) {
                            failures.add(index + ": " + r.status() + " " + r.text());
                        }
                    }
                }
            }, "searches");
            thread.start();
        }

        int made() {
            return made.get();
        }

        List<String> failures() {
            return failures;
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            thread.join();
        }
    }

    /** Through either node, each follower index listed once, with its host's figures. */
    private static void assertListedOnceByTheirHost(Http survivor, Http child) {
        long hostCheckpoint = Http.expect(200, child.get("/streamed/_ccr/stats"), "host's stats").json()
                .at("/indices/0/shards/0/follower_global_checkpoint").asLong();
        assertThat(hostCheckpoint).isEqualTo(17);
        for (Http node : new Http[] {survivor, child}) {
            JsonNode listed = Http.expect(200, node.get("/_ccr/stats"), "stats").json().at("/follow_stats/indices");
            assertThat(names(listed, "index")).containsExactly("copied", "streamed");
            assertThat(listed.get(1).at("/shards/0/follower_global_checkpoint").asLong()).isEqualTo(hostCheckpoint);
            for (String expression : new String[] {"_all", "str*,copied", "*"}) {
                assertThat(names(Http.expect(200, node.get("/" + expression + "/_ccr/stats"), "stats").json()
                        .path("indices"), "index")).as(expression).containsExactly("copied", "streamed");
            }
            assertThat(names(Http.expect(200, node.get("/_all/_ccr/info"), "info").json().path("follower_indices"),
                    "follower_index")).containsExactly("copied", "streamed");
            assertThat(names(Http.expect(200, node.get("/_cat/indices?format=json"), "cat").json(), "index"))
                    .containsExactly("copied", "streamed");
            Http.Response missing = node.get("/streamed,missing/_ccr/stats");
            assertThat(missing.status()).as(missing.text()).isEqualTo(404);
            // the follower index's shards: the primary on its host, the replica on the other node
            JsonNode shards = Http.expect(200, node.get("/_cat/shards/streamed?format=json"), "shards").json();
            assertThat(shards).hasSize(2);
            for (JsonNode row : shards) {
                assertThat(row.path("node").asText()).as(row.toString())
                        .isEqualTo(row.path("prirep").asText().equals("p") ? "f2" : "f1");
                assertThat(row.path("state").asText()).isEqualTo("STARTED");
            }
            // each node's shard count is the copies it holds, follower copies included
            JsonNode all = Http.expect(200, node.get("/_cat/shards?format=json"), "all shards").json();
            for (JsonNode n : Http.expect(200, node.get("/_cat/nodes?format=json"), "nodes").json()) {
                long held = 0;
                for (JsonNode row : all) {
                    held += row.path("node").asText().equals(n.path("name").asText()) ? 1 : 0;
                }
                assertThat(held).as(n.toString()).isPositive();
                assertThat(n.path("shards").asLong()).as(n.toString()).isEqualTo(held);
            }
        }
    }

    private static final String GROUP = "kccr-followers-follow-streamed";
    private static final String REPLICA_GROUP = GROUP + ".replica.f1";

    private static long committed(Admin admin, String group, TopicPartition partition) throws Exception {
        OffsetAndMetadata o = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS).get(partition);
        return o == null ? -1 : o.offset();
    }

    private static List<String> names(JsonNode rows, String field) {
        List<String> out = new ArrayList<>();
        rows.forEach(r -> out.add(r.path(field).asText()));
        return out;
    }

    private static void bulk(Http http, String index, int from, int to) {
        StringBuilder body = new StringBuilder();
        for (int i = from; i < to; i++) {
            body.append("{\"index\":{\"_id\":\"").append(i).append("\"}}\n{\"n\":").append(i)
                    .append(",\"text\":\"document ").append(i).append(" with a few more words to give its segment some")
                    .append(" bytes to copy\"}\n");
        }
        Http.Response r = Http.expect(200, http.post("/" + index + "/_bulk", body.toString()), "bulk");
        assertThat(r.json().path("errors").asBoolean()).as(r.text()).isFalse();
    }

    private static void awaitCount(Http http, String index, int count) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            Http.Response refreshed = http.post("/" + index + "/_refresh", "");
            assertThat(refreshed.status()).as(refreshed.text()).isEqualTo(200);
            assertThat(http.get("/" + index + "/_count").json().path("count").asInt()).isEqualTo(count);
        });
    }

    private static long recoveredBytes(Http http, String index) {
        Http.Response r = http.get("/" + index + "/_recovery");
        return r.status() != 200 ? 0 : r.json().at("/" + index + "/shards/0/index/size/recovered_in_bytes").asLong();
    }
}
