package io.kccr.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kccr.node.Node;
import io.kccr.testkit.Http;
import io.kccr.testkit.KafkaBroker;
import io.kccr.testkit.TestNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes of one cluster in this JVM, on one broker: they share the shards of a leader index, and any of them
 * answers any request.
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
        return TestNode.on(kafka).dir(data.resolve(name)).name(name).cluster("three").topicPrefix("three");
    }

    @BeforeAll
    static void startThreeNodes() throws Exception {
        for (String name : List.of("n1", "n2", "n3")) {
            Node n = node(name).start();
            nodes.add(n);
            http.add(new Http(n.httpAddress()));
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
}
