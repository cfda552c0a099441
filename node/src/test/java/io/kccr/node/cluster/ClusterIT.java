package io.kccr.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kccr.node.Node;
import io.kccr.testkit.Http;
import io.kccr.testkit.KafkaBroker;
import io.kccr.testkit.TestNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes of one cluster in this JVM, on one broker, secured as a node is by default: they share the shards of a
 * leader index, and any of them answers any request, with the caller's rights wherever it is served.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker();

    @TempDir
    static Path data;

    private static final List<Node> nodes = new ArrayList<>();
    private static final List<Http> http = new ArrayList<>();

    private static TestNode node(String name) {
        return TestNode.on(kafka).dir(data.resolve(name)).name(name).cluster("three").topicPrefix("three")
                .setting("discovery.type", "multi-node").secured();
    }

    @BeforeAll
    static void startThreeNodes() throws Exception {
        for (String name : List.of("n1", "n2", "n3")) {
            Node n = node(name).start();
            nodes.add(n);
            http.add(new Http(n.httpAddress()).as("elastic", TestNode.ELASTIC_PASSWORD));
        }
    }

    @AfterAll
    static void stop() {
        nodes.forEach(Node::close);
    }

    @Test
    @Order(1)
    void theNodesFormOneClusterAndShareAnIndexsShards() {
        Http.expect(200, http.get(0).put("/logs", "{\"settings\":{\"number_of_shards\":3,\"number_of_replicas\":1}}"),
                "create");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (Node n : nodes) {
                assertThat(n.cluster().table().nodes()).hasSize(3);
                assertThat(n.cluster().table().placements("logs")).hasSize(3)
                        .allSatisfy(p -> assertThat(p.primary()).isNotNull());
            }
        });
        var primaries = nodes.getFirst().cluster().table().placements("logs").stream().map(p -> p.primary())
                .distinct().count();
        assertThat(primaries).as("each node holds one primary").isEqualTo(3);
    }

    @Test
    @Order(2)
    void anyNodeTakesAnyWriteAndAnswersAnyGet() {
        for (int i = 0; i < 30; i++) {
            Http writer = http.get(i % 3);
            Http.expect(201, writer.put("/logs/_doc/d" + i, "{\"n\":" + i + "}"), "index d" + i);
        }
        for (int i = 0; i < 30; i++) {
            Http reader = http.get((i + 1) % 3);
            Http.Response got = Http.expect(200, reader.get("/logs/_doc/d" + i), "get d" + i);
            assertThat(got.json().path("_source").path("n").asInt()).isEqualTo(i);
        }
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            bulk.append("{\"index\":{\"_index\":\"logs\"").append(i % 2 == 0 ? ",\"_id\":\"b" + i + "\"" : "")
                    .append("}}\n{\"n\":").append(i).append("}\n");
        }
        Http.Response r = Http.expect(200, http.get(1).bulk("/_bulk", bulk.toString()), "bulk");
        assertThat(r.json().path("errors").asBoolean()).as("%s", r).isFalse();
        assertThat(r.json().path("items")).hasSize(60);
        Http.Response created = Http.expect(201, http.get(2).post("/logs/_doc", "{\"n\":-1}"), "auto id");
        String id = created.json().path("_id").asText();
        Http.expect(200, http.get(0).get("/logs/_doc/" + id), "get auto id");
    }

    @Test
    @Order(3)
    void theClusterApisTellWhereEveryCopyIsAndHealthGoesGreenOnceTheReplicasStarted() {
        Http.Response health = Http.expect(200, http.get(2).get("/_cluster/health?wait_for_status=green&timeout=60s"),
                "health");
        assertThat(health.json().path("status").asText()).isEqualTo("green");
        assertThat(health.json().path("number_of_nodes").asInt()).isEqualTo(3);
        assertThat(health.json().path("active_primary_shards").asInt()).isEqualTo(3);
        assertThat(health.json().path("active_shards").asInt()).isEqualTo(6);

        Http.Response shards = Http.expect(200, http.get(1).get("/_cat/shards/logs?format=json"), "cat shards");
        assertThat(shards.json()).hasSize(6).allSatisfy(r -> assertThat(r.path("state").asText()).isEqualTo("STARTED"));
        List<String> primaryNodes = new ArrayList<>();
        shards.json().forEach(r -> {
            if (r.path("prirep").asText().equals("p")) {
                primaryNodes.add(r.path("node").asText());
            }
        });
        assertThat(primaryNodes).containsExactlyInAnyOrder("n1", "n2", "n3");
        assertThat(Http.expect(200, http.get(0).get("/_cat/nodes?format=json"), "cat nodes").json()).hasSize(3);
        assertThat(Http.expect(200, http.get(0).get("/_nodes"), "nodes").json().path("nodes")).hasSize(3);
        Http.Response cat = Http.expect(200, http.get(2).get("/_cat/indices/logs?format=json"), "cat indices");
        Http.expect(200, http.get(0).post("/logs/_refresh", ""), "refresh");
        assertThat(Http.expect(200, http.get(1).get("/_cat/indices/logs?format=json"), "cat").json().get(0)
                .path("docs.count").asInt()).isEqualTo(91);
        assertThat(cat.json().get(0).path("health").asText()).isEqualTo("green");
    }

    @Test
    @Order(4)
    void aSearchFromAnyNodeMergesEveryShardAsOneIndexWouldAnswer() {
        // d0..d29 and b0..b59 hold n = their number, the auto-id document n = -1: 91 documents
        String body = "{\"query\":{\"range\":{\"n\":{\"gte\":10}}},\"sort\":[{\"n\":\"desc\"}],\"size\":4,"
                + "\"track_total_hits\":true,\"aggs\":{\"top\":{\"max\":{\"field\":\"n\"}},"
                + "\"sum\":{\"sum\":{\"field\":\"n\"}},\"tens\":{\"histogram\":{\"field\":\"n\",\"interval\":10}}}}";
        for (Http node : http) {
            Http.Response r = Http.expect(200, node.post("/logs/_search", body), "search");
            assertThat(r.json().path("_shards").path("total").asInt()).isEqualTo(3);
            assertThat(r.json().path("_shards").path("failed").asInt()).isZero();
            assertThat(r.json().path("hits").path("total").path("value").asInt()).isEqualTo(70);
            List<Integer> ns = new ArrayList<>();
            r.json().path("hits").path("hits").forEach(h -> ns.add(h.path("_source").path("n").asInt()));
            assertThat(ns).containsExactly(59, 58, 57, 56);
            assertThat(r.json().path("aggregations").path("top").path("value").asDouble()).isEqualTo(59.0);
            assertThat(r.json().path("aggregations").path("sum").path("value").asDouble()).isEqualTo(2115.0);
            List<Integer> counts = new ArrayList<>();
            r.json().path("aggregations").path("tens").path("buckets").forEach(b -> counts.add(b.path("doc_count")
                    .asInt()));
            assertThat(counts).as("10-19 and 20-29 of d and b, then b alone").containsExactly(20, 20, 10, 10, 10);

            Http.Response page = Http.expect(200, node.post("/logs/_search?from=4",
                    "{\"query\":{\"range\":{\"n\":{\"gte\":10}}},\"sort\":[{\"n\":\"desc\"}],\"size\":4}"),
                    "second page");
            List<Integer> next = new ArrayList<>();
            page.json().path("hits").path("hits").forEach(h -> next.add(h.path("_source").path("n").asInt()));
            assertThat(next).containsExactly(55, 54, 53, 52);
            assertThat(Http.expect(200, node.get("/logs/_count"), "count").json().path("count").asInt())
                    .isEqualTo(91);
        }
    }

    @Test
    @Order(5)
    void aPointInTimeOpenedOnANodeMissingAShardPinsOneCopyOfEveryShardWhereverItIs() {
        Snapshot opening = Snapshot.now();
        Set<String> existing = opening.ids();
        double sum = opening.sum();
        // six copies of three shards on three nodes: n1 lacks one shard, whose copy is pinned on another node
        assertThat(java.util.stream.IntStream.range(0, 3).filter(s -> nodes.getFirst().cluster()
                .localRole(new io.kccr.core.cluster.ShardId("logs", s)) == null).count()).as("shards n1 lacks")
                .isEqualTo(1);
        Http.Response opened = Http.expect(200, http.get(0).post("/logs/_pit?keep_alive=1m", ""), "open pit");
        String pit = opened.json().path("id").asText();
        assertThat(opened.json().at("/_shards/total").asInt()).isEqualTo(3);
        assertThat(PitId.decode(pit).parts()).as("contexts on two nodes or more").hasSizeGreaterThan(1);

        List<String> seen = new ArrayList<>();
        JsonNode after = null;
        int page = 0;
        while (true) {
            ObjectNode body = Http.JSON.createObjectNode().put("size", 7).put("track_total_hits", true);
            body.putArray("sort").addObject().put("n", "asc");
            body.putObject("pit").put("id", pit).put("keep_alive", "1m");
            if (after != null) {
                body.set("search_after", after);
            } else {
                body.putObject("aggs").putObject("sum").putObject("sum").put("field", "n");
            }
            // any node takes the search, not only the one that opened the point in time
            Http.Response r = Http.expect(200, http.get(page % 3).post("/_search", body.toString()), "page " + page);
            assertThat(r.json().at("/_shards/successful").asInt()).as("%s", r).isEqualTo(3);
            assertThat(r.json().at("/hits/total/value").asInt()).as("the documents at the opening").isEqualTo(91);
            assertThat(r.json().path("pit_id").asText()).isNotEmpty();
            if (page == 0) {
                assertThat(r.json().at("/aggregations/sum/value").asDouble()).isEqualTo(sum);
            }
            JsonNode hits = r.json().at("/hits/hits");
            if (hits.isEmpty()) {
                break;
            }
            for (JsonNode h : hits) {
                seen.add(h.path("_id").asText());
                JsonNode sort = h.path("sort");
                if (after != null) { // in the order of one searcher over every shard: by n, then by _shard_doc
                    assertComesAfter(sort, after);
                }
                after = sort;
            }
            assertThat(after).as("n, then the implicit _shard_doc").hasSize(2);
            // writes go on meanwhile: a new document, and one already paged through moved to the end of the order
            Http.expect(201, http.get(page % 3).put("/logs/_doc/w" + page + "?refresh=true", "{\"n\":" + page * 5
                    + "}"), "new document");
            Http.expect(200, http.get(page % 3).put("/logs/_doc/d" + page + "?refresh=true", "{\"n\":1000}"),
                    "moved document");
            page++;
        }
        assertThat(seen).as("every document that existed at the opening, once").doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(existing);

        Http.Response closed = Http.expect(200, http.get(2).request("DELETE", "/_pit",
                ("{\"id\":\"" + pit + "\"}").getBytes(StandardCharsets.UTF_8), "application/json"), "close pit");
        assertThat(closed.json().path("succeeded").asBoolean()).isTrue();
        assertThat(closed.json().path("num_freed").asInt()).as("one context per shard").isEqualTo(3);
        Http.Response gone = http.get(1).post("/_search", "{\"pit\":{\"id\":\"" + pit + "\"}}");
        assertError(gone, 404, "search_context_missing_exception");
        Http.Response malformed = http.get(1).post("/_search", "{\"pit\":{\"id\":\"eyJub3QiOiJhIHBpdCJ9\"}}");
        assertError(malformed, 400, "illegal_argument_exception");

        restoreDocuments(page); // as it was for the tests that follow

        // a part whose node no longer has its context (expired, the node restarted): its shards fail, the rest answer
        String second = Http.expect(200, http.get(0).post("/logs/_pit?keep_alive=1m", ""), "open").json()
                .path("id").asText();
        PitId.Part lost = PitId.decode(second).parts().stream()
                .filter(p -> !p.node().equals(nodes.getFirst().cluster().nodeId())).findFirst().orElseThrow();
        int holder = 0;
        while (!nodes.get(holder).cluster().nodeId().equals(lost.node())) {
            holder++;
        }
        Http.expect(200, http.get(holder).post(PitParts.PATH + "logs/_close", "{\"context\":\"" + lost.context()
                + "\"}"), "drop one part");
        String search = "{\"size\":0,\"pit\":{\"id\":\"" + second + "\"}}";
        Http.Response partial = Http.expect(200, http.get(1).post("/_search", search), "partial");
        assertThat(partial.json().at("/_shards/failed").asInt()).isEqualTo(lost.shards().size());
        assertThat(partial.json().at("/_shards/successful").asInt()).isEqualTo(3 - lost.shards().size());
        assertThat(partial.json().at("/_shards/failures/0/reason/type").asText())
                .isEqualTo("search_context_missing_exception");
        Http.Response whole = http.get(2).post("/_search?allow_partial_search_results=false", search);
        assertError(whole, 404, "search_context_missing_exception");
        Http.Response rest = Http.expect(200, http.get(1).request("DELETE", "/_pit", ("{\"id\":\"" + second
                + "\"}").getBytes(StandardCharsets.UTF_8), "application/json"), "close the rest");
        assertThat(rest.json().path("num_freed").asInt()).isEqualTo(3 - lost.shards().size());
    }

    @Test
    @Order(6)
    void aScrollOpenedOnANodeMissingAShardPagesThroughAnyNodeAsOneNodeWould() {
        Snapshot opening = Snapshot.now();
        Set<String> existing = opening.ids();
        double sum = opening.sum();

        // sorted by n: opened on n1, which lacks a shard; every next page through another node
        Http.Response r = Http.expect(200, http.get(0).post("/logs/_search?scroll=1m", "{\"size\":7,"
                + "\"sort\":[{\"n\":\"asc\"}],\"track_total_hits\":true,\"aggs\":{\"sum\":{\"sum\":{"
                + "\"field\":\"n\"}}}}"), "first page");
        String scroll = r.json().path("_scroll_id").asText();
        assertThat(ScrollId.isClusterId(scroll)).as(scroll).isTrue();
        assertThat(r.json().at("/aggregations/sum/value").asDouble()).isEqualTo(sum);
        List<String> seen = new ArrayList<>();
        JsonNode after = null;
        int page = 0;
        while (true) {
            assertThat(r.json().at("/_shards/successful").asInt()).as("%s", r).isEqualTo(3);
            assertThat(r.json().at("/hits/total/value").asInt()).as("the documents at the opening").isEqualTo(91);
            assertThat(ScrollId.decode(r.json().path("_scroll_id").asText()).pit()).as("the same contexts")
                    .isEqualTo(ScrollId.decode(scroll).pit());
            scroll = r.json().path("_scroll_id").asText(); // where the scroll stands: the next page goes on from it
            assertThat(r.json().has("pit_id")).isFalse();
            JsonNode hits = r.json().at("/hits/hits");
            if (hits.isEmpty()) {
                break;
            }
            for (JsonNode h : hits) {
                seen.add(h.path("_id").asText());
                JsonNode sort = h.path("sort");
                if (after != null) { // in the order of one node: by n, then by the doc's place in the index
                    assertComesAfter(sort, after);
                }
                after = sort;
            }
            // writes go on meanwhile: a new document, and one already paged through moved to the end of the order
            Http.expect(201, http.get(page % 3).put("/logs/_doc/w" + page + "?refresh=true", "{\"n\":" + page * 5
                    + "}"), "new document");
            Http.expect(200, http.get(page % 3).put("/logs/_doc/d" + page + "?refresh=true", "{\"n\":1000}"),
                    "moved document");
            page++;
            r = Http.expect(200, http.get(page % 3).post("/_search/scroll", "{\"scroll\":\"1m\",\"scroll_id\":\""
                    + scroll + "\"}"), "page " + page);
            assertThat(r.json().has("aggregations")).as("the first page only").isFalse();
        }
        assertThat(seen).as("every document that existed at the opening, once").doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(existing);

        Http.Response cleared = Http.expect(200, http.get(1).request("DELETE", "/_search/scroll",
                ("{\"scroll_id\":\"" + scroll + "\"}").getBytes(StandardCharsets.UTF_8), "application/json"),
                "clear from another node");
        assertThat(cleared.json().path("succeeded").asBoolean()).isTrue();
        assertThat(cleared.json().path("num_freed").asInt()).as("one context per shard").isEqualTo(3);
        Http.Response gone = http.get(2).post("/_search/scroll", "{\"scroll_id\":\"" + scroll + "\"}");
        assertError(gone, 404, "search_context_missing_exception");
        Http.Response again = http.get(0).request("DELETE", "/_search/scroll/" + scroll, null, null);
        assertThat(again.status()).as("%s", again).isEqualTo(404);
        assertThat(again.json().path("num_freed").asInt()).isZero();
        ScrollId cleared0 = ScrollId.decode(scroll);
        String unknown = new ScrollId(new PitId("logs", List.of(new PitId.Part(nodes.getFirst().cluster().nodeId(),
                "no-such-scroll", List.of(0, 1, 2), List.of(1, 1, 1)))), cleared0.body(), cleared0.params(), true, 7,
                null, false, Duration.ofMinutes(1)).encode();
        Http.Response missing = http.get(1).post("/_search/scroll", "{\"scroll_id\":\"" + unknown + "\"}");
        assertError(missing, 404, "search_context_missing_exception");
        Http.Response malformed = http.get(1).post("/_search/scroll", "{\"scroll_id\":\"eyJub3QiOiJhIHBpdCJ9\"}");
        assertError(malformed, 400, "illegal_argument_exception");

        restoreDocuments(page); // as it was for the tests that follow

        // unsorted (by score, then the doc's place), opened through n2, cleared through n1
        r = Http.expect(200, http.get(1).post("/logs/_search?scroll=1m&size=10", ""), "unsorted first page");
        String unsorted = r.json().path("_scroll_id").asText();
        assertThat(ScrollId.isClusterId(unsorted)).isTrue();
        Set<String> unsortedSeen = new HashSet<>();
        for (int p = 0; !r.json().at("/hits/hits").isEmpty(); p++) {
            r.json().at("/hits/hits").forEach(h -> {
                assertThat(h.has("sort")).as("no sort asked for, none shown").isFalse();
                assertThat(unsortedSeen.add(h.path("_id").asText())).as("%s once", h.path("_id")).isTrue();
            });
            unsorted = r.json().path("_scroll_id").asText();
            r = Http.expect(200, http.get(p % 3).get("/_search/scroll/" + unsorted + "?scroll=30s"), "next");
        }
        assertThat(unsortedSeen).isEqualTo(existing);
        Http.Response freed = Http.expect(200, http.get(0).request("DELETE", "/_search/scroll/" + unsorted, null,
                null), "clear unsorted");
        assertThat(freed.json().path("num_freed").asInt()).isEqualTo(3);

        // a part whose node no longer has its context (expired, the node restarted): its shards fail, the rest answer
        String partial = Http.expect(200, http.get(0).post("/logs/_search?scroll=1m", "{\"size\":5}"), "partial")
                .json().path("_scroll_id").asText();
        String strict = Http.expect(200, http.get(0).post("/logs/_search?scroll=1m"
                + "&allow_partial_search_results=false", "{\"size\":5}"), "strict").json().path("_scroll_id").asText();
        int before = Http.expect(200, http.get(2).post("/_search/scroll", "{\"scroll_id\":\"" + partial + "\"}"),
                "whole").json().at("/_shards/successful").asInt();
        assertThat(before).isEqualTo(3);
        nodes.get(1).searchContexts().closeAll(io.kccr.core.search.SearchContexts.Kind.SCROLL);
        nodes.get(2).searchContexts().closeAll(io.kccr.core.search.SearchContexts.Kind.SCROLL);
        Http.Response lost = Http.expect(200, http.get(2).post("/_search/scroll", "{\"scroll_id\":\"" + partial
                + "\"}"), "partial page");
        int failed = lost.json().at("/_shards/failed").asInt();
        assertThat(failed).as("%s", lost).isBetween(1, 2);
        assertThat(lost.json().at("/_shards/successful").asInt()).isEqualTo(3 - failed);
        assertThat(lost.json().at("/_shards/failures/0/reason/type").asText())
                .isEqualTo("search_context_missing_exception");
        Http.Response whole = http.get(1).post("/_search/scroll", "{\"scroll_id\":\"" + strict + "\"}");
        assertError(whole, 404, "search_context_missing_exception");
        Http.Response rest = Http.expect(200, http.get(2).request("DELETE", "/_search/scroll",
                "{\"scroll_id\":[\"_all\"]}".getBytes(StandardCharsets.UTF_8), "application/json"), "clear all");
        assertThat(rest.json().path("num_freed").asInt()).as("what was left of both, on n1").isEqualTo(2 * (3 - failed));
        assertThat(nodes.stream().mapToInt(n -> n.searchContexts().count(
                io.kccr.core.search.SearchContexts.Kind.SCROLL)).sum()).as("every part freed").isZero();
    }

    @Test
    @Order(7)
    void aForwardedRequestHasItsCallersRightsAndTheNodesOwnEndpointsTakeNoAnonymousCall() {
        Http.expect(200, http.get(0).put("/_security/user/reader",
                "{\"password\":\"reader-secret\",\"roles\":[\"viewer\"]}"), "create a viewer");
        String base = nodes.get(1).httpAddress();
        Http reader = new Http(base).as("reader", "reader-secret");
        Http.expect(200, reader.get("/logs/_doc/d0"), "the user is known on every node at once");
        for (int i = 0; i < 3; i++) { // made through one node, used through the next at once: users and keys
            Http.expect(200, http.get(i).put("/_security/user/fresh" + i, "{\"password\":\"fresh-secret-" + i
                    + "\",\"roles\":[\"viewer\"]}"), "create fresh" + i);
            Http.expect(200, new Http(nodes.get((i + 1) % 3).httpAddress()).as("fresh" + i, "fresh-secret-" + i)
                    .get("/_security/_authenticate"), "fresh" + i + " through the next node");
            String key = Http.expect(200, http.get(i).post("/_security/api_key", "{\"name\":\"fresh" + i + "\"}"),
                    "key").json().path("encoded").asText();
            Http.expect(200, new Http(nodes.get((i + 2) % 3).httpAddress()).withAuthorization("ApiKey " + key)
                    .get("/_security/_authenticate"), "key " + i + " through another node");
        }
        for (int i = 0; i < 30; i++) { // every document, wherever its primary is: the gets are forwarded to n1 and n3
            Http.expect(200, reader.get("/logs/_doc/d" + i), "viewer get d" + i);
            Http.Response denied = reader.put("/logs/_doc/d" + i, "{\"n\":0}");
            assertThat(denied.status()).as("%s", denied).isEqualTo(403);
        }
        assertThat(Http.expect(200, reader.get("/logs/_count"), "viewer count").json().path("count").asInt())
                .isEqualTo(91);
        assertThat(new Http(base).get("/_kccr/node/status").status()).isEqualTo(401);
        assertThat(reader.get("/_kccr/node/status").status()).as("an internal action").isEqualTo(403);
        assertThat(Http.expect(200, http.get(0).get("/_security/api_key"), "keys").json().path("api_keys"))
                .as("the nodes' own keys are not listed").hasSize(3)
                .allSatisfy(k -> assertThat(k.path("name").asText()).startsWith("fresh"));
    }

    @Test
    @Order(8)
    void aFollowerCopiesEachShardFromTheNodeOfItsPrimaryThroughTheNodeItAsks() throws Exception {
        String key = Http.expect(200, http.get(0).post("/_security/cross_cluster/api_key", "{\"name\":\"f\","
                + "\"access\":{\"replication\":[{\"names\":[\"*\"]}]}}"), "cross-cluster key").json()
                .path("encoded").asText();
        // the follower knows one node of the cluster; the other two hold primaries of the index as well. It is a
        // node of a follower cluster of two, where a new follower index goes to the node holding the fewest follower
        // copies (the node asked, when it is one of those) and any node answers for it
        TestNode followerNode = TestNode.on(kafka).secured().cluster("followers").topicPrefix("followers")
                .setting("discovery.type", "multi-node").remote("three", http.get(1).hostPort())
                .setting("cluster.remote.three.credentials", key);
        // their ids as kept in their data paths: f1's sorts first, so f1 runs the auto-follow patterns' rounds
        for (String name : List.of("f1", "f2")) {
            Files.createDirectories(data.resolve(name));
            Files.writeString(data.resolve(name).resolve("node_id"), "node-" + name);
        }
        try (Node follower = followerNode.dir(data.resolve("f1")).name("f1").start();
             Node other = followerNode.dir(data.resolve("f2")).name("f2").start()) {
            Http f = new Http(follower.httpAddress()).as("elastic", TestNode.ELASTIC_PASSWORD);
            Http.expect(200, f.put("/logs-f/_ccr/follow?wait_for_active_shards=1",
                    "{\"remote_cluster\":\"three\",\"leader_index\":\"logs\"}"), "follow");
            Http.expect(201, http.get(2).put("/logs/_doc/late", "{\"n\":1000}"), "a write after the bootstrap");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                Http.expect(200, f.post("/logs-f/_refresh", ""), "refresh");
                assertThat(f.get("/logs-f/_count").json().path("count").asInt()).isEqualTo(92);
            });
            Http.Response r = Http.expect(200, f.post("/logs-f/_search", "{\"query\":{\"range\":{\"n\":{\"gte\":10}}},"
                    + "\"sort\":[{\"n\":\"desc\"}],\"size\":3}"), "search the follower");
            List<Integer> ns = new ArrayList<>();
            r.json().path("hits").path("hits").forEach(h -> ns.add(h.path("_source").path("n").asInt()));
            assertThat(ns).containsExactly(1000, 59, 58);
            assertThat(Http.expect(200, http.get(1).get("/_nodes"), "nodes").json().path("nodes")).hasSize(3);
            // where a follower index comes from is told to the nodes of its cluster, which copy it, not to its users
            Http.Response source = f.get("/_kccr/followers/logs-f/source");
            assertThat(source.status()).as(source.text()).isEqualTo(400);
            assertThat(source.json().at("/error/reason").asText()).contains("only the nodes of this cluster");

            // the other node of the follower cluster answers for the follower index its peer hosts
            Http o = new Http(other.httpAddress()).as("elastic", TestNode.ELASTIC_PASSWORD);
            assertThat(Http.expect(200, o.get("/logs-f/_count"), "count through the other node").json()
                    .path("count").asInt()).isEqualTo(92);
            // listings through either node name it once, as its host reports it (the nodes ask each other with their
            // own key); its shards are started primaries on its host
            for (Http node : List.of(f, o)) {
                var listed = Http.expect(200, node.get("/_ccr/stats"), "stats").json().at("/follow_stats/indices");
                assertThat(listed).hasSize(1);
                assertThat(listed.get(0).path("index").asText()).isEqualTo("logs-f");
                assertThat(listed.get(0).path("shards")).hasSize(3);
                var cat = Http.expect(200, node.get("/_cat/indices/logs-*?format=json"), "cat indices").json();
                assertThat(cat).hasSize(1);
                assertThat(cat.get(0).path("docs.count").asInt()).isEqualTo(92);
                var shards = Http.expect(200, node.get("/_cat/shards?format=json"), "cat shards").json();
                assertThat(shards).hasSize(3).allSatisfy(row -> {
                    assertThat(row.path("node").asText()).isEqualTo("f1");
                    assertThat(row.path("state").asText()).isEqualTo("STARTED");
                });
                var health = Http.expect(200, node.get("/_cluster/health"), "health").json();
                assertThat(health.path("active_primary_shards").asInt()).isEqualTo(3);
                assertThat(health.path("status").asText()).isEqualTo("green");
            }
            Http.expect(200, o.post("/logs-f/_ccr/pause_follow", ""), "pause through the other node");
            assertThat(Http.expect(200, f.get("/logs-f/_ccr/info"), "info").json().at("/follower_indices/0/status")
                    .asText()).isEqualTo("paused");
            Http.Response again = o.put("/logs-f/_ccr/follow", "{\"remote_cluster\":\"three\",\"leader_index\":\"logs\"}");
            assertThat(again.status()).as(again.text()).isEqualTo(400);
            assertThat(again.json().at("/error/type").asText()).isEqualTo("resource_already_exists_exception");
            assertThat(other.followers().getOrNull("logs-f")).as("nothing was made on the other node").isNull();
            Http.expect(200, o.post("/logs-f/_ccr/resume_follow", ""), "resume through the other node");

            // a new follower index goes to the node holding the fewest follower copies: followed through f1, which
            // hosts logs-f, logs-g goes to f2, which keeps it, and f1 keeps its replica
            JsonNode made = Http.expect(200, f.put("/logs-g/_ccr/follow?wait_for_active_shards=1",
                    "{\"remote_cluster\":\"three\",\"leader_index\":\"logs\","
                            + "\"settings\":{\"index.number_of_replicas\":1}}"), "follow logs-g").json();
            assertThat(made.path("follow_index_created").asBoolean()).isTrue();
            assertThat(made.path("index_following_started").asBoolean()).as("f2 waited for it").isTrue();
            assertThat(other.followers().getOrNull("logs-g")).as("hosted on f2").isNotNull();
            assertThat(follower.followers().getOrNull("logs-g")).as("not on f1").isNull();
            await().atMost(Duration.ofSeconds(60)).until(() -> follower.followers().replicaOrNull("logs-g") != null);
            assertThat(Http.expect(200, f.get("/logs-g/_count"), "count through f1").json().path("count").asInt())
                    .isEqualTo(92);
            // an auto-follow pattern's round, run by f1, follows a new leader index where it goes: f2 again, holding
            // one copy against f1's two
            Http.expect(200, f.put("/_ccr/auto_follow/fresh", "{\"remote_cluster\":\"three\","
                    + "\"leader_index_patterns\":[\"fresh-*\"],\"follow_index_pattern\":\"{{leader_index}}-auto\"}"),
                    "auto-follow pattern");
            Http.expect(200, http.get(0).put("/fresh-1", "{}"), "a new leader index");
            Http.expect(201, http.get(0).put("/fresh-1/_doc/1", "{\"n\":1}"), "write to it");
            await().atMost(Duration.ofSeconds(60)).until(() -> other.followers().getOrNull("fresh-1-auto") != null);
            assertThat(follower.followers().getOrNull("fresh-1-auto")).isNull();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(Http.expect(200,
                    f.get("/fresh-1-auto/_count"), "count through f1").json().path("count").asInt()).isEqualTo(1));
            assertThat(Http.expect(200, f.get("/_ccr/stats"), "stats").json()
                    .at("/auto_follow_stats/number_of_successful_follow_indices").asInt()).isEqualTo(1);
        }
        Http.expect(200, http.get(0).delete("/fresh-1"), "the leader cluster holds logs alone again");
    }

    @Test
    @Order(10)
    void persistentClusterSettingsPutThroughOneNodeActOnEvery() {
        // each key is recorded apart, "mode" before "seeds": taken on every node although it alone enables nothing
        Http.expect(200, http.get(0).put("/_cluster/settings", "{\"persistent\":{\"cluster.remote.elsewhere.seeds\":"
                + "[\"" + http.get(0).hostPort() + "\"],\"cluster.remote.elsewhere.mode\":\"sniff\","
                + "\"search.max_buckets\":1234}}"), "put through the first");
        for (Http node : http) { // recorded in the cluster's topic before the answer: a read through any node has it
            JsonNode settings = Http.expect(200, node.get("/_cluster/settings?flat_settings=true"), "settings")
                    .json().path("persistent");
            assertThat(settings.path("search.max_buckets").asText()).isEqualTo("1234");
            assertThat(settings.path("cluster.remote.elsewhere.mode").asText()).isEqualTo("sniff");
            assertThat(settings.path("cluster.remote.elsewhere.seeds").get(0).asText())
                    .isEqualTo(http.get(0).hostPort());
            assertThat(Http.expect(200, node.get("/_remote/info"), "remotes").json().has("elsewhere")).isTrue();
        }
        Http.expect(200, http.get(2).put("/_cluster/settings", "{\"persistent\":{\"cluster.remote.elsewhere.*\":null,"
                + "\"search.max_buckets\":null}}"), "unset through the third");
        for (Http node : http) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(Http.expect(200, node.get("/_cluster/settings"), "settings").json().path("persistent")
                        .isEmpty()).isTrue();
                assertThat(Http.expect(200, node.get("/_remote/info"), "remotes").json().has("elsewhere")).isFalse();
            });
        }
    }

    @Test
    @Order(9)
    void theConsoleShowsTheNodesAndWhereEachShardLives() throws Exception {
        String missing = io.kccr.testkit.Browser.missing();
        org.junit.jupiter.api.Assumptions.assumeTrue(missing == null, () -> "skipping the browser test: " + missing);
        Duration ui = Duration.ofSeconds(30);
        try (io.kccr.testkit.Browser b = new io.kccr.testkit.Browser(Path.of("target", "console-screenshots")
                .toAbsolutePath(), 1280, 800)) {
            b.open(http.get(2).base() + "/");
            b.awaitVisible("#login-form", ui);
            b.find("#login-user").sendKeys("elastic");
            b.find("#login-password").sendKeys(TestNode.ELASTIC_PASSWORD);
            b.find("#login-submit").click();
            b.awaitVisible("#app", ui);
            b.find("#tab-nodes").click();
            b.awaitVisible("#cluster-nodes tbody tr", ui);
            await().atMost(ui).untilAsserted(() -> {
                assertThat(b.findAll("#cluster-nodes tbody tr")).hasSize(3);
                for (String n : List.of("n1", "n2", "n3")) {
                    // td 2: the node's started primaries; one shard of "logs" each
                    assertThat(b.find("#cluster-nodes tr[data-node='" + n + "'] td:nth-child(2)").getText()).isEqualTo("1");
                }
                assertThat(b.findAll("#cluster-shards tbody tr")).as("3 primaries and 3 replicas of logs").hasSize(6)
                        .allSatisfy(r -> assertThat(r.getText()).contains("STARTED"));
            });
            b.screenshot("cluster-nodes");
            assertThat(b.find("#nodes-alone").isDisplayed()).isFalse();
        }
    }

    @Test
    @Order(12)
    void aScrollGoesOnThroughAnyNodeOnceTheNodeItWasOpenedThroughStopped() {
        Http.expect(200, http.get(0).put("/spof", "{\"settings\":{\"number_of_shards\":2,"
                + "\"number_of_replicas\":0}}"), "create");
        Http.expect(200, http.get(0).get("/_cluster/health/spof?wait_for_status=green&timeout=60s"), "green");
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            bulk.append("{\"index\":{\"_index\":\"spof\",\"_id\":\"s").append(i).append("\"}}\n{\"n\":")
                    .append(i).append("}\n");
        }
        Http.expect(200, http.get(0).bulk("/_bulk?refresh=true", bulk.toString()), "bulk");
        // the node the scroll is opened through holds no shard of the index: no part of it either
        Set<String> holders = new HashSet<>();
        nodes.getFirst().cluster().table().placements("spof").forEach(p -> holders.addAll(p.copies()));
        int opener = 0;
        while (holders.contains(nodes.get(opener).cluster().nodeId())) {
            opener++;
        }
        Http.Response r = Http.expect(200, http.get(opener).post("/spof/_search?scroll=1m", "{\"size\":6,"
                + "\"sort\":[{\"n\":\"asc\"}]}"), "first page");
        List<Integer> seen = new ArrayList<>();
        r.json().at("/hits/hits").forEach(h -> seen.add(h.at("/_source/n").asInt()));

        nodes.remove(opener).close(); // stopped gracefully: the scroll's contexts are on the others
        http.remove(opener);
        for (int page = 0; !r.json().at("/hits/hits").isEmpty(); page++) {
            String id = r.json().path("_scroll_id").asText();
            r = Http.expect(200, http.get(page % 2).post("/_search/scroll", "{\"scroll\":\"1m\",\"scroll_id\":\""
                    + id + "\"}"), "page " + page);
            assertThat(r.json().at("/_shards/successful").asInt()).as("%s", r).isEqualTo(2);
            r.json().at("/hits/hits").forEach(h -> seen.add(h.at("/_source/n").asInt()));
        }
        assertThat(seen).as("every document once, in order").isEqualTo(java.util.stream.IntStream.range(0, 40)
                .boxed().toList());
        Http.Response cleared = Http.expect(200, http.get(1).request("DELETE", "/_search/scroll", ("{\"scroll_id\":\""
                + r.json().path("_scroll_id").asText() + "\"}").getBytes(StandardCharsets.UTF_8), "application/json"),
                "clear");
        assertThat(cleared.json().path("num_freed").asInt()).as("one context per shard").isEqualTo(2);
    }

    /** The ids of {@code logs}' documents and the sum of their {@code n}, as a plain search sees them now. */
    private record Snapshot(Set<String> ids, double sum) {
        static Snapshot now() {
            Http.expect(200, http.get(0).post("/logs/_refresh", ""), "refresh");
            Http.Response all = Http.expect(200, http.get(0).post("/logs/_search", "{\"size\":200,"
                    + "\"aggs\":{\"sum\":{\"sum\":{\"field\":\"n\"}}}}"), "every document");
            Set<String> ids = new HashSet<>();
            all.json().at("/hits/hits").forEach(h -> ids.add(h.path("_id").asText()));
            assertThat(ids).hasSize(91);
            return new Snapshot(ids, all.json().at("/aggregations/sum/value").asDouble());
        }
    }

    /** {@code sort} ({@code n}, then a tiebreaker) comes after {@code after}: by {@code n}, then by the tiebreaker. */
    private static void assertComesAfter(JsonNode sort, JsonNode after) {
        int byN = Long.compare(after.get(0).asLong(), sort.get(0).asLong());
        assertThat(byN < 0 || (byN == 0 && after.get(1).asLong() < sort.get(1).asLong()))
                .as("%s after %s", sort, after).isTrue();
    }

    /** {@code r} is Elasticsearch's error of {@code type} with {@code status}. */
    private static void assertError(Http.Response r, int status, String type) {
        assertThat(r.status()).as("%s", r).isEqualTo(status);
        assertThat(r.json().at("/error/type").asText()).isEqualTo(type);
    }

    /** Deletes the {@code page} documents {@code w<i>} the paging tests wrote and puts back {@code d<i>}. */
    private static void restoreDocuments(int page) {
        for (int i = 0; i < page; i++) {
            Http.expect(200, http.get(0).request("DELETE", "/logs/_doc/w" + i + "?refresh=true", null, null),
                    "delete w" + i);
            Http.expect(200, http.get(0).put("/logs/_doc/d" + i + "?refresh=true", "{\"n\":" + i + "}"), "restore");
        }
    }
}
