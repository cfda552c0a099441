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
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower index of a 4-shard leader, followed with {@code index.routing.allocation.total_shards_per_node: 2} in a
 * secured follower cluster of two nodes (one in a child JVM): its shards are spread, two parts on each node, each
 * bootstrapped from the leader by its own node. Either node answers every request about it as if it held it whole:
 * searches (totals, sorting, paging, an aggregation) equal the leader's, a get by id is answered by the part holding
 * its shard, its stats, recovery and the cluster's listings show all four shards once, pause and resume act on every
 * part, a reader allowed the index alone reads it through both nodes, and a point in time and a scroll opened
 * through one node and paged through the other see every document once, as do {@code _mget} and {@code _msearch};
 * verify finds it identical to the leader, shard by shard.
 * Unfollow, closing it and changing the setting are refused. When the child is killed
 * with SIGKILL, the node left adopts its two parts, copies them again from the leader and follows on; when it comes
 * back, two parts move to it, each copied from the other node or opened from the files it kept; deleting the index
 * deletes every part.
 */
class SpreadFollowerIT {
    private static final String INDEX = "cities";
    private static final String MAPPINGS = "{\"properties\":{\"n\":{\"type\":\"integer\"},\"text\":{\"type\":\"text\"}}}";

    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker();

    @TempDir
    Path data;

    @Test
    void aFollowerIndexSpreadOverTwoNodesAnswersThroughEitherAndIsAdoptedWholeWhenOneIsLost() throws Exception {
        try (Node leaderNode = leaderOf200("spread-leaders", "slead")) {
            Http leader = new Http(leaderNode.httpAddress());
            TestNode follower = followerCluster("spread", "sfol", leader).secured();
            try (Node firstNode = follower.dir(data.resolve("f1")).name("f1").start()) {
                ChildNode second = follower.dir(data.resolve("f2")).name("f2").startChild(data.resolve("f2.log"));
                try {
                    Http one = new Http(firstNode.httpAddress()).as("elastic", TestNode.ELASTIC_PASSWORD);
                    Http two = new Http(second.httpAddress()).as("elastic", TestNode.ELASTIC_PASSWORD);
                    await().atMost(Duration.ofSeconds(60)).until(() -> firstNode.cluster().table().nodes().size() == 2);

                    JsonNode followed = Http.expect(200, two.put("/" + INDEX + "/_ccr/follow?wait_for_active_shards=1",
                            "{\"remote_cluster\":\"leader\",\"leader_index\":\"" + INDEX + "\",\"settings\":"
                                    + "{\"index.routing.allocation.total_shards_per_node\":2}}"), "follow").json();
                    assertThat(followed.path("follow_index_shards_acked").asBoolean()).as("every part active")
                            .isTrue();
                    assertThat(firstNode.followers().all()).as("two parts on this node").hasSize(2)
                            .allSatisfy(p -> assertThat(p.name()).isEqualTo(INDEX))
                            .allSatisfy(p -> assertThat(p.subset().ids()).hasSize(1));
                    List<Integer> here = firstNode.followers().all().stream()
                            .map(p -> p.subset().ids().getFirst()).toList();

                    for (Http http : List.of(one, two)) {
                        awaitCount(http, 200);
                        assertSameSearchAsTheLeader(leader, http);
                        for (int id = 0; id < 8; id++) { // ids route to every shard
                            JsonNode doc = Http.expect(200, http.get("/" + INDEX + "/_doc/" + id), "get " + id).json();
                            assertThat(doc.path("_index").asText()).isEqualTo(INDEX);
                            assertThat(doc.at("/_source/n").asInt()).isEqualTo(id);
                        }
                        assertThat(http.get("/" + INDEX + "/_doc/missing").status()).isEqualTo(404);
                        JsonNode mget = Http.expect(200, http.post("/" + INDEX + "/_mget",
                                "{\"ids\":[\"0\",\"1\",\"2\",\"3\",\"missing\"]}"), "mget").json();
                        for (int id = 0; id < 4; id++) {
                            assertThat(mget.at("/docs/" + id + "/_index").asText()).isEqualTo(INDEX);
                            assertThat(mget.at("/docs/" + id + "/_source/n").asInt()).isEqualTo(id);
                        }
                        assertThat(mget.at("/docs/4/found").asBoolean()).isFalse();
                        assertThat(Http.expect(200, http.post("/_mget", "{\"docs\":[{\"_index\":\"" + INDEX
                                + "\",\"_id\":\"7\",\"_source\":[\"n\"]}]}"), "mget").json()
                                .at("/docs/0/_source")).hasToString("{\"n\":7}");
                        JsonNode msearch = Http.expect(200, http.post("/_msearch", "{\"index\":\"" + INDEX
                                + "\"}\n{\"size\":0,\"track_total_hits\":true}\n"), "msearch").json();
                        assertThat(msearch.at("/responses/0/hits/total/value").asInt()).isEqualTo(200);
                        assertThat(msearch.at("/responses/0/_shards/total").asInt()).isEqualTo(4);
                        JsonNode stats = Http.expect(200, http.get("/" + INDEX + "/_ccr/stats"), "stats").json();
                        assertThat(stats.path("indices")).hasSize(1);
                        assertThat(shardIds(stats.at("/indices/0/shards"), "shard_id")).containsExactly(0, 1, 2, 3);
                        JsonNode recovery = Http.expect(200, http.get("/" + INDEX + "/_recovery"), "recovery").json();
                        assertThat(shardIds(recovery.at("/" + INDEX + "/shards"), "id")).containsExactly(0, 1, 2, 3);
                    }
                    assertThat(here).as("the first node's parts are not the child's").hasSize(2);
                    assertListedOnceWhole(one);
                    assertListedOnceWhole(two);
                    JsonNode verified = Http.expect(200, two.post("/" + INDEX + "/_ccr/verify", "{}"), "verify").json();
                    assertThat(verified.path("identical").asBoolean()).as("%s", verified).isTrue();
                    assertThat(verified.path("follower_index").asText()).isEqualTo(INDEX);
                    assertThat(shardIds(verified.path("shards"), "shard")).containsExactly(0, 1, 2, 3);

                    // a reader allowed this index alone reads it through both nodes, and changes nothing
                    Http.expect(200, one.put("/_security/role/cities_reader", "{\"indices\":[{\"names\":[\"" + INDEX
                            + "\"],\"privileges\":[\"read\",\"monitor\"]}]}"), "role");
                    Http.expect(200, one.put("/_security/user/reader", "{\"password\":\"reader-secret\","
                            + "\"roles\":[\"cities_reader\"]}"), "user");
                    for (String address : List.of(firstNode.httpAddress(), second.httpAddress())) {
                        Http reader = new Http(address).as("reader", "reader-secret");
                        assertThat(Http.expect(200, reader.get("/" + INDEX + "/_count"), "count").json()
                                .path("count").asInt()).isEqualTo(200);
                        Http.expect(200, reader.get("/" + INDEX + "/_doc/5"), "get");
                        assertThat(reader.post("/" + INDEX + "/_ccr/pause_follow", "").status()).isEqualTo(403);
                    }

                    assertPointInTimeAndScrollSeeEveryDocument(one, two, 200);

                    bulk(leader, 200, 250);
                    awaitCount(one, 250);
                    awaitCount(two, 250);

                    // pause and resume act on every part, through either node
                    Http.expect(200, one.post("/" + INDEX + "/_ccr/pause_follow", ""), "pause");
                    assertThat(firstNode.followers().all()).allSatisfy(p ->
                            assertThat(p.status()).isEqualTo(FollowerStatus.PAUSED));
                    assertThat(Http.expect(200, two.get("/" + INDEX + "/_ccr/info"), "info").json()
                            .at("/follower_indices/0/status").asText()).as("every part paused").isEqualTo("paused");
                    bulk(leader, 250, 260);
                    Http.expect(200, two.post("/" + INDEX + "/_ccr/resume_follow", ""), "resume");
                    awaitCount(one, 260);

                    Http.Response unfollow = one.post("/" + INDEX + "/_ccr/unfollow", "");
                    assertThat(unfollow.status()).isEqualTo(400);
                    assertThat(unfollow.json().at("/error/reason").asText()).contains("spread over 2 nodes");
                    Http.Response notYet = one.post("/" + INDEX + "/_close", "");
                    assertThat(notYet.status()).as(notYet.text()).isEqualTo(400);
                    assertThat(notYet.json().at("/error/reason").asText()).contains("not supported yet");
                    Http.Response setting = two.put("/" + INDEX + "/_settings",
                            "{\"index\":{\"routing.allocation.total_shards_per_node\":4}}");
                    assertThat(setting.status()).as(setting.text()).isEqualTo(400);

                    second.kill();
                    long killed = System.nanoTime();
                    // the node left adopts the lost node's two parts, copies them from the leader, and follows on
                    await().atMost(Duration.ofSeconds(90)).until(() -> firstNode.followers().all().size() == 4);
                    awaitCount(one, 260);
                    System.out.printf("the spread follower index was whole again on the node left %.1f s after the"
                            + " loss%n", (System.nanoTime() - killed) / 1e9);
                    assertThat(Http.expect(200, one.post("/" + INDEX + "/_search", "{\"size\":0}"), "search").json()
                            .at("/_shards/failed").asInt()).isZero();
                    bulk(leader, 260, 270);
                    awaitCount(one, 270);
                    assertThat(firstNode.followers().all()).extracting(FollowerIndex::status)
                            .containsOnly(FollowerStatus.ACTIVE);

                    // the lost node comes back: two parts move to it, copied from the node that holds them
                    second = follower.dir(data.resolve("f2")).name("f2").startChild(data.resolve("f2-again.log"));
                    Http back = new Http(second.httpAddress()).as("elastic", TestNode.ELASTIC_PASSWORD);
                    await().atMost(Duration.ofSeconds(90)).until(() -> firstNode.followers().all().size() == 2);
                    awaitCount(back, 270);
                    awaitCount(one, 270);
                    // each part that moved was copied from the first node, or opened from the files the second
                    // still had of it: none crossed from the leader's cluster again
                    List<Integer> stayed = firstNode.followers().all().stream()
                            .map(p -> p.subset().ids().getFirst()).toList();
                    JsonNode recovery = Http.expect(200, back.get("/" + INDEX + "/_recovery"), "recovery").json();
                    JsonNode shards = recovery.at("/" + INDEX + "/shards");
                    assertThat(shardIds(shards, "id")).containsExactly(0, 1, 2, 3);
                    assertThat(shards).filteredOn(shard -> !stayed.contains(shard.path("id").asInt())).as("%s", shards)
                            .hasSize(2).allSatisfy(shard -> assertThat(shard.path("type").asText() + " "
                                    + shard.at("/source/name").asText("")).isIn("PEER f1", "EXISTING_STORE "));

                    // deleting it deletes every part
                    Http.expect(200, one.delete("/" + INDEX), "delete");
                    assertThat(firstNode.followers().all()).isEmpty();
                    Http.Response gone = one.get("/" + INDEX + "/_count");
                    assertThat(gone.status()).as(gone.text()).isEqualTo(404);
                } finally {
                    second.killQuietly();
                }
            }
        }
    }

    @Test
    void eachPartHasAReplicaOnTheOtherNodeWhichTakesItOverWhenItsNodeStops() throws Exception {
        try (Node leaderNode = leaderOf200("replica-leaders", "rlead")) {
            Http leader = new Http(leaderNode.httpAddress());
            TestNode follower = followerCluster("replicated", "rfol", leader);
            try (Node first = follower.dir(data.resolve("r1")).name("r1").start()) {
                Node second = follower.dir(data.resolve("r2")).name("r2").start();
                try {
                    Http http = new Http(first.httpAddress());
                    await().atMost(Duration.ofSeconds(60)).until(() -> first.cluster().table().nodes().size() == 2);
                    Http.expect(200, http.put("/" + INDEX + "/_ccr/follow?wait_for_active_shards=1",
                            "{\"remote_cluster\":\"leader\",\"leader_index\":\"" + INDEX + "\",\"settings\":"
                                    + "{\"index.routing.allocation.total_shards_per_node\":2,"
                                    + "\"index.number_of_replicas\":1}}"), "follow");
                    bulk(leader, 200, 230);
                    awaitCount(http, 230);
                    // each node hosts two parts and keeps a replica of the other two, which follow the leader too
                    for (Node node : List.of(first, second)) {
                        String other = node == first ? "r2" : "r1";
                        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                            assertThat(node.followers().all()).hasSize(2);
                            assertThat(node.followers().replicas()).hasSize(2).allSatisfy(r -> {
                                assertThat(r.status()).isEqualTo(FollowerStatus.ACTIVE);
                                assertThat(r.recovery()).as("copied from its part's host, not from the leader")
                                        .hasSize(1).allSatisfy(shard -> assertThat(shard.peer()).isEqualTo(other));
                            });
                        });
                    }
                    assertThat(Http.expect(200, http.get("/_cluster/health/" + INDEX), "health").json()
                            .path("status").asText()).as("every part and its replica assigned").isEqualTo("green");
                    List<FollowerIndex> replicas = List.copyOf(first.followers().replicas());
                    long stopping = System.nanoTime();
                    second.close(); // a graceful stop: the first takes its parts over first, promoting its replicas
                    System.out.printf("the stopping node handed its two parts over and stopped in %.1f s%n",
                            (System.nanoTime() - stopping) / 1e9);
                    assertThat(first.followers().all()).as("taken over before the second left").hasSize(4)
                            .containsAll(replicas);
                    awaitCount(http, 230);
                    bulk(leader, 230, 240);
                    awaitCount(http, 240);
                } finally {
                    second.close();
                }
            }
        }
    }

    /** A leader node of cluster {@code cluster} holding the 4-shard leader index with 200 documents. */
    private Node leaderOf200(String cluster, String topicPrefix) throws Exception {
        Node node = TestNode.on(kafka).dir(data.resolve("leader")).cluster(cluster).topicPrefix(topicPrefix).start();
        Http leader = new Http(node.httpAddress());
        Http.expect(200, leader.put("/" + INDEX, "{\"settings\":{\"number_of_shards\":4},\"mappings\":" + MAPPINGS
                + "}"), "create");
        bulk(leader, 0, 200);
        return node;
    }

    /** The nodes of follower cluster {@code cluster}, which knows {@code leader} as remote cluster {@code leader}. */
    private static TestNode followerCluster(String cluster, String topicPrefix, Http leader) {
        return TestNode.on(kafka).cluster(cluster).topicPrefix(topicPrefix).setting("discovery.type", "multi-node")
                .remote("leader", leader.hostPort());
    }

    /**
     * A point in time opened through {@code one} and paged with {@code search_after} through {@code two}, and a
     * scroll opened through {@code two} and paged through {@code one}, each see all {@code count} documents once.
     */
    private static void assertPointInTimeAndScrollSeeEveryDocument(Http one, Http two, int count) {
        JsonNode opened = Http.expect(200, one.post("/" + INDEX + "/_pit?keep_alive=1m", ""), "pit").json();
        assertThat(opened.at("/_shards/total").asInt()).isEqualTo(4);
        String pit = opened.path("id").asText();
        List<String> seen = new ArrayList<>();
        String after = null;
        while (true) {
            JsonNode page = Http.expect(200, two.post("/_search", "{\"size\":70,\"sort\":[{\"n\":\"asc\"}],"
                    + "\"pit\":{\"id\":\"" + pit + "\",\"keep_alive\":\"1m\"}"
                    + (after == null ? "" : ",\"search_after\":" + after) + "}"), "pit page").json();
            assertThat(page.at("/_shards/failed").asInt()).isZero();
            if (page.at("/hits/hits").isEmpty()) {
                break;
            }
            seen.addAll(ids(page));
            after = page.at("/hits/hits").get(page.at("/hits/hits").size() - 1).path("sort").toString();
        }
        assertThat(seen).as("in order, each once").hasSize(count).doesNotHaveDuplicates();
        assertThat(seen.getFirst()).isEqualTo("0");
        assertThat(Http.expect(200, one.request("DELETE", "/_pit", ("{\"id\":\"" + pit + "\"}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/json"), "close").json()
                .path("num_freed").asInt()).as("a context per shard").isEqualTo(4);

        JsonNode page = Http.expect(200, two.post("/" + INDEX + "/_search?scroll=1m", "{\"size\":70}"), "scroll")
                .json();
        List<String> scrolled = new ArrayList<>(ids(page));
        while (!page.at("/hits/hits").isEmpty()) {
            page = Http.expect(200, one.post("/_search/scroll", "{\"scroll\":\"1m\",\"scroll_id\":\""
                    + page.path("_scroll_id").asText() + "\"}"), "next page").json();
            scrolled.addAll(ids(page));
        }
        assertThat(scrolled).hasSize(count).doesNotHaveDuplicates();
    }

    /** The cluster's listings through {@code http} show the index once, with all its shards and documents. */
    private static void assertListedOnceWhole(Http http) {
        JsonNode listed = Http.expect(200, http.get("/_ccr/stats"), "all stats").json().at("/follow_stats/indices");
        assertThat(listed).hasSize(1);
        assertThat(shardIds(listed.at("/0/shards"), "shard_id")).containsExactly(0, 1, 2, 3);
        JsonNode row = Http.expect(200, http.get("/_cat/indices/" + INDEX + "?format=json"), "cat").json();
        assertThat(row).hasSize(1);
        assertThat(row.at("/0/docs.count").asText()).isEqualTo("200");
        assertThat(row.at("/0/health").asText()).isEqualTo("green");
        JsonNode stats = Http.expect(200, http.get("/" + INDEX + "/_stats"), "index stats").json();
        assertThat(stats.at("/_shards/total").asInt()).isEqualTo(4);
        assertThat(stats.at("/_all/primaries/docs/count").asInt()).isEqualTo(200);
        JsonNode shards = Http.expect(200, http.get("/_cat/shards/" + INDEX + "?format=json"), "cat shards").json();
        assertThat(shardIds(shards, "shard")).containsExactly(0, 1, 2, 3);
        TreeSet<String> nodes = new TreeSet<>();
        shards.forEach(s -> nodes.add(s.path("node").asText()));
        assertThat(nodes).containsExactly("f1", "f2");
        assertThat(Http.expect(200, http.get("/_cluster/health/" + INDEX), "health").json().path("status").asText())
                .isEqualTo("green");
    }

    /** The same sorted, paged search with an aggregation answers as on the leader. */
    private static void assertSameSearchAsTheLeader(Http leader, Http http) {
        String body = "{\"sort\":[{\"n\":\"desc\"}],\"from\":40,\"size\":15,\"track_total_hits\":true,"
                + "\"query\":{\"match\":{\"text\":\"document\"}},\"aggs\":{\"top\":{\"max\":{\"field\":\"n\"}}}}";
        JsonNode expected = Http.expect(200, leader.post("/" + INDEX + "/_search", body), "leader's search").json();
        JsonNode got = Http.expect(200, http.post("/" + INDEX + "/_search", body), "search").json();
        assertThat(got.at("/_shards/total").asInt()).isEqualTo(4);
        assertThat(got.at("/_shards/failed").asInt()).isZero();
        assertThat(got.at("/hits/total/value").asInt()).isEqualTo(expected.at("/hits/total/value").asInt());
        assertThat(ids(got)).isEqualTo(ids(expected)).hasSize(15);
        assertThat(got.at("/aggregations/top/value").asDouble())
                .isEqualTo(expected.at("/aggregations/top/value").asDouble());
    }

    private static List<String> ids(JsonNode search) {
        List<String> ids = new ArrayList<>();
        search.at("/hits/hits").forEach(h -> ids.add(h.path("_id").asText()));
        return ids;
    }

    private static TreeSet<Integer> shardIds(JsonNode shards, String field) {
        TreeSet<Integer> ids = new TreeSet<>();
        shards.forEach(s -> ids.add(s.path(field).asInt()));
        assertThat(shards).as("each shard once").hasSize(ids.size());
        return ids;
    }

    private static void bulk(Http http, int from, int to) {
        StringBuilder body = new StringBuilder();
        for (int i = from; i < to; i++) {
            body.append("{\"index\":{\"_id\":\"").append(i).append("\"}}\n{\"n\":").append(i)
                    .append(",\"text\":\"document ").append(i).append("\"}\n");
        }
        Http.Response r = Http.expect(200, http.post("/" + INDEX + "/_bulk", body.toString()), "bulk");
        assertThat(r.json().path("errors").asBoolean()).as(r.text()).isFalse();
    }

    private static void awaitCount(Http http, int count) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            Http.Response refreshed = http.post("/" + INDEX + "/_refresh", "");
            assertThat(refreshed.status()).as(refreshed.text()).isEqualTo(200);
            Http.Response counted = http.get("/" + INDEX + "/_count");
            assertThat(counted.status()).as(counted.text()).isEqualTo(200);
            assertThat(counted.json().path("count").asInt()).isEqualTo(count);
        });
    }
}
