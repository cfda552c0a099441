package io.kccr.node.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kccr.node.Node;
import io.kccr.testkit.Http.Response;
import io.kccr.testkit.Http;
import io.kccr.testkit.KafkaBroker;
import io.kccr.testkit.TestNode;
import io.kccr.testkit.Topics;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rejected requests over raw HTTP: each answers with the exact status and Elasticsearch's error shape
 * {@code {"error":{"root_cause":[{"type","reason"}],"type","reason"},"status":N}}, and publishes nothing (the
 * index's ops topic end offsets do not move). The Kafka-unreachable case runs last, on its own node, and
 * restarts the broker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputIT {
    private static final String INDEX = "bad-input";
    private static final String MAPPINGS = """
            {"mappings":{"properties":{"name":{"type":"text"},"count":{"type":"long"}}},
             "settings":{"number_of_shards":2}}""";
    private static final Set<String> DOCUMENT_PARSE_TYPES = Set.of("mapper_parsing_exception",
            "document_parsing_exception");
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker();

    @TempDir
    static Path dataDir;

    private Node node;
    private Admin admin;

    @BeforeAll
    void start() throws Exception {
        node = startNode("main", Map.of());
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        admin = Admin.create(props);

        Response created = send(node, "PUT", "/" + INDEX, MAPPINGS);
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        Response existing = send(node, "PUT", "/" + INDEX + "/_doc/existing?refresh=true",
                "{\"name\":\"already here\",\"count\":1}");
        assertThat(existing.status()).as(existing.text()).isEqualTo(201);
    }

    @AfterAll
    void stop() {
        if (node != null) {
            node.close();
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
    }

    // ------------------------------------------------------------------------------------------ documents

    @Test
    @Order(1)
    void malformedJsonDocumentIs400AndPublishesNothing() throws Exception {
        for (String body : List.of("{\"name\": \"broken\",", "{\"name\" \"no colon\"}", "{\"name\":\"x\"} trailing",
                "not json at all", "[1,2,3]")) {
            assertRejectedWithoutPublishing(INDEX, () -> send(node, "PUT", "/" + INDEX + "/_doc/malformed", body),
                    400, DOCUMENT_PARSE_TYPES);
            assertRejectedWithoutPublishing(INDEX, () -> send(node, "POST", "/" + INDEX + "/_doc", body),
                    400, DOCUMENT_PARSE_TYPES);
            assertRejectedWithoutPublishing(INDEX, () -> send(node, "PUT", "/" + INDEX + "/_create/malformed", body),
                    400, DOCUMENT_PARSE_TYPES);
        }
        assertThat(send(node, "GET", "/" + INDEX + "/_doc/malformed", null).status()).isEqualTo(404);
    }

    @Test
    @Order(2)
    void typeConflictIs400MapperParsingException() throws Exception {
        Response r = assertRejectedWithoutPublishing(INDEX,
                () -> send(node, "PUT", "/" + INDEX + "/_doc/conflict", "{\"name\":\"x\",\"count\":\"abc\"}"),
                400, Set.of("mapper_parsing_exception"));
        assertThat(r.json().at("/error/reason").asText()).contains("count");
        // an object where a long is mapped
        assertRejectedWithoutPublishing(INDEX,
                () -> send(node, "PUT", "/" + INDEX + "/_doc/conflict", "{\"count\":{\"inner\":1}}"),
                400, Set.of("mapper_parsing_exception"));
        assertThat(send(node, "GET", "/" + INDEX + "/_doc/conflict", null).status()).isEqualTo(404);
        // the mapping is unchanged
        Response mapping = send(node, "GET", "/" + INDEX + "/_mapping", null);
        assertThat(mapping.json().at("/" + INDEX + "/mappings/properties/count/type").asText()).isEqualTo("long");
    }

    @Test
    @Order(3)
    void unknownIndexIs404() throws Exception {
        Set<String> topicsBefore = topics();
        for (String[] call : new String[][] {
            {"GET", "/no-such-index/_doc/1", null},
            {"GET", "/no-such-index/_search", null},
            {"POST", "/no-such-index/_search", "{\"query\":{\"match_all\":{}}}"},
            {"GET", "/no-such-index/_count", null},
            {"POST", "/no-such-index/_count", "{\"query\":{\"match_all\":{}}}"},
            {"GET", "/no-such-index", null},
            {"DELETE", "/no-such-index/_doc/1", null},
        }) {
            Response r = assertRejectedWithoutPublishing(INDEX, () -> send(node, call[0], call[1], call[2]), 404,
                    Set.of("index_not_found_exception"));
            assertThat(r.json().at("/error/index").asText()).isEqualTo("no-such-index");
        }
        assertThat(topics()).isEqualTo(topicsBefore).doesNotContain("ccr.no-such-index.ops");
    }

    @Test
    @Order(4)
    void invalidIndexNamesAre400() throws Exception {
        Set<String> topicsBefore = topics();
        Map<TopicPartition, Long> listingBefore = endOffsets("ccr.indices");
        List<String> rawNames = List.of(
                "UpperCase",
                "_leading-underscore",
                "-leading-dash",
                "+leading-plus",
                ".",
                "a%2Fb",              // '/' inside, URL-encoded
                "a%5Cb",              // '\'
                "a*b", "a%3Fb", "a%22b", "a%3Cb", "a%3Eb", "a%7Cb", "a%20b", "a,b", "a%23b", "a:b",
                "a".repeat(256),      // over 255 bytes
                "%C3%A9".repeat(128)  // 128 characters, but 256 bytes in UTF-8
        );
        for (String name : rawNames) {
            Response r = assertRejectedWithoutPublishing(INDEX, () -> send(node, "PUT", "/" + name, "{}"), 400,
                    Set.of("invalid_index_name_exception"));
            assertThat(r.json().at("/error/reason").asText()).as(name).startsWith("Invalid index name [");
        }
        // "/.." never reaches a route: Jetty 12 refuses a path that climbs above the root while it parses the
        // request line (under any UriCompliance), so the node cannot name the index in its answer; it must still
        // be a 400 in Elasticsearch's shape that creates nothing
        for (String dotDot : List.of("..", "%2E%2E")) {
            assertRejectedWithoutPublishing(INDEX, () -> send(node, "PUT", "/" + dotDot, "{}"), 400,
                    Set.of("invalid_index_name_exception", "illegal_argument_exception"));
        }
        // an index write to an invalid name does not auto-create anything either
        assertRejectedWithoutPublishing(INDEX, () -> send(node, "PUT", "/UpperCase/_doc/1", "{\"a\":1}"), 400,
                Set.of("invalid_index_name_exception"));
        assertThat(topics()).isEqualTo(topicsBefore);
        assertThat(endOffsets("ccr.indices")).isEqualTo(listingBefore);
    }

    @Test
    @Order(5)
    void bodyOverMaxContentLengthIs413() throws Exception {
        try (Node small = startNode("small", Map.of("http.max_content_length", "1kb", "ccr.topic.prefix", "small"))) {
            Response created = send(small, "PUT", "/limited", "{\"settings\":{\"number_of_shards\":1}}");
            assertThat(created.status()).as(created.text()).isEqualTo(200);
            String topic = "small.limited.ops";
            Response fits = send(small, "PUT", "/limited/_doc/fits?refresh=true", "{\"name\":\"" + "x".repeat(900) + "\"}");
            assertThat(fits.status()).as(fits.text()).isEqualTo(201);

            String big = "{\"name\":\"" + "x".repeat(2000) + "\"}";
            Map<TopicPartition, Long> before = endOffsets(topic);
            assertErrorShape(send(small, "PUT", "/limited/_doc/big", big), 413, Set.of("content_too_long_exception"));
            // the same without a Content-Length (chunked): the limit holds while the body is read
            HttpRequest chunked = HttpRequest.newBuilder(URI.create(small.httpAddress() + "/limited/_doc/big"))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofInputStream(
                            () -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))
                    .build();
            assertErrorShape(Http.send(chunked), 413, Set.of("content_too_long_exception"));
            String bulk = ("{\"index\":{\"_index\":\"limited\"}}\n{\"name\":\"" + "y".repeat(100) + "\"}\n").repeat(12);
            assertErrorShape(send(small, "POST", "/_bulk", bulk), 413, Set.of("content_too_long_exception"));
            assertThat(endOffsets(topic)).isEqualTo(before);
            assertThat(send(small, "GET", "/limited/_doc/big", null).status()).isEqualTo(404);
            assertThat(send(small, "GET", "/limited/_count", null).json().path("count").asLong()).isEqualTo(1L);
        }
    }

    // ------------------------------------------------------------------------------------------ routing

    @Test
    @Order(6)
    void unknownEndpointIs400() throws Exception {
        Response r = assertRejectedWithoutPublishing(INDEX, () -> send(node, "GET", "/" + INDEX + "/_nonsense", null),
                400, Set.of("illegal_argument_exception"));
        assertThat(r.json().at("/error/reason").asText()).contains("/" + INDEX + "/_nonsense").contains("GET");
        assertRejectedWithoutPublishing(INDEX,
                () -> send(node, "POST", "/" + INDEX + "/_nonsense", "{\"name\":\"x\"}"),
                400, Set.of("illegal_argument_exception"));
        assertRejectedWithoutPublishing(INDEX, () -> send(node, "POST", "/" + INDEX + "/_doc/1/extra", "{\"a\":1}"),
                400, Set.of("illegal_argument_exception"));
    }

    @Test
    @Order(7)
    void wrongMethodIs405() throws Exception {
        Response bulk = assertRejectedWithoutPublishing(INDEX, () -> send(node, "GET", "/_bulk", null), 405,
                Set.of("method_not_allowed_exception"));
        assertThat(bulk.header("Allow")).isEqualTo("POST,PUT");
        assertThat(bulk.json().at("/error/reason").asText()).contains("/_bulk").contains("GET");
        assertRejectedWithoutPublishing(INDEX, () -> send(node, "GET", "/" + INDEX + "/_bulk", null), 405,
                Set.of("method_not_allowed_exception"));
        assertRejectedWithoutPublishing(INDEX,
                () -> send(node, "DELETE", "/" + INDEX + "/_update/existing", null), 405,
                Set.of("method_not_allowed_exception"));
        assertThat(send(node, "GET", "/" + INDEX + "/_doc/existing", null).status()).isEqualTo(200);
    }

    // ------------------------------------------------------------------------------------------ bulk

    @Test
    @Order(8)
    void bulkWithGoodAndBadItems() throws Exception {
        Map<TopicPartition, Long> before = endOffsets(opsTopic(INDEX));
        String body = String.join("\n",
                "{\"index\":{\"_id\":\"good-1\"}}",
                "{\"name\":\"first good\",\"count\":1}",
                "{\"index\":{\"_id\":\"bad-json\"}}",
                "{\"name\": \"broken\",",
                "{\"index\":{\"_id\":\"bad-type\"}}",
                "{\"name\":\"typed\",\"count\":\"abc\"}",
                "{\"create\":{\"_id\":\"existing\"}}",
                "{\"name\":\"duplicate\",\"count\":2}",
                "{\"create\":{\"_id\":\"good-2\"}}",
                "{\"name\":\"second good\",\"count\":2}",
                "{\"update\":{\"_id\":\"missing\"}}",
                "{\"doc\":{\"count\":3}}",
                "{\"index\":{\"_id\":\"good-3\"}}",
                "{\"name\":\"third good\",\"count\":3}") + "\n";
        Response r = send(node, "POST", "/" + INDEX + "/_bulk", body, "application/x-ndjson");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().path("errors").asBoolean()).isTrue();
        JsonNode items = r.json().path("items");
        assertThat(items.size()).isEqualTo(7);

        assertGoodItem(items.get(0), "index", "good-1");
        assertBadItem(items.get(1), "index", "bad-json", 400, DOCUMENT_PARSE_TYPES);
        assertBadItem(items.get(2), "index", "bad-type", 400, Set.of("mapper_parsing_exception"));
        assertBadItem(items.get(3), "create", "existing", 409, Set.of("version_conflict_engine_exception"));
        assertGoodItem(items.get(4), "create", "good-2");
        assertBadItem(items.get(5), "update", "missing", 404, Set.of("document_missing_exception"));
        assertGoodItem(items.get(6), "index", "good-3");

        // exactly the good items are in the log, once each
        List<String> published = publishedSince(opsTopic(INDEX), before);
        assertThat(published).containsExactlyInAnyOrder("good-1", "good-2", "good-3");
        for (String good : List.of("good-1", "good-2", "good-3")) {
            Response got = send(node, "GET", "/" + INDEX + "/_doc/" + good, null);
            assertThat(got.status()).isEqualTo(200);
            assertThat(got.json().path("found").asBoolean()).isTrue();
        }
        for (String bad : List.of("bad-json", "bad-type", "missing")) {
            assertThat(send(node, "GET", "/" + INDEX + "/_doc/" + bad, null).status()).as(bad).isEqualTo(404);
        }
        Response existing = send(node, "GET", "/" + INDEX + "/_doc/existing", null);
        assertThat(existing.json().at("/_source/name").asText()).isEqualTo("already here");
        assertThat(existing.json().path("_version").asLong()).isEqualTo(1L);
    }

    @Test
    @Order(9)
    void malformedBulkActionLineRejectsTheWholeRequest() throws Exception {
        String body = String.join("\n",
                "{\"index\":{\"_id\":\"never-1\"}}",
                "{\"name\":\"would be good\"}",
                "{\"index\":{\"_id\":\"never-2\"}",         // unterminated action line
                "{\"name\":\"x\"}",
                "{\"frobnicate\":{\"_id\":\"never-3\"}}",
                "{\"name\":\"x\"}") + "\n";
        assertRejectedWithoutPublishing(INDEX, () -> send(node, "POST", "/" + INDEX + "/_bulk", body,
                "application/x-ndjson"), 400, Set.of("illegal_argument_exception"));
        String unknownAction = "{\"index\":{\"_id\":\"never-1\"}}\n{\"name\":\"good\"}\n"
                + "{\"frobnicate\":{\"_id\":\"never-3\"}}\n{\"name\":\"x\"}\n";
        assertRejectedWithoutPublishing(INDEX, () -> send(node, "POST", "/" + INDEX + "/_bulk", unknownAction,
                "application/x-ndjson"), 400, Set.of("illegal_argument_exception"));
        assertRejectedWithoutPublishing(INDEX, () -> send(node, "POST", "/" + INDEX + "/_bulk", "",
                "application/x-ndjson"), 400, Set.of("action_request_validation_exception"));
        assertThat(send(node, "GET", "/" + INDEX + "/_doc/never-1", null).status()).isEqualTo(404);
    }

    // ------------------------------------------------------------------------------------------ Kafka down

    // ------------------------------------------------------------------------------------------ the bad input sweep

    @Test
    @Order(20)
    void anOversizedDocumentFailsAloneAndTheOtherItemsAreWritten() throws Exception {
        String big = "{\"name\":\"" + "x".repeat(1_100_000) + "\"}"; // the ops topic takes records of 1 MB
        Map<TopicPartition, Long> before = endOffsets(opsTopic(INDEX));
        Response r = send(node, "POST", "/" + INDEX + "/_bulk", "{\"index\":{\"_id\":\"small-1\"}}\n{\"name\":\"a\"}\n"
                + "{\"index\":{\"_id\":\"huge\"}}\n" + big + "\n{\"index\":{\"_id\":\"small-2\"}}\n{\"name\":\"b\"}\n",
                "application/x-ndjson");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        JsonNode items = r.json().get("items");
        assertGoodItem(items.get(0), "index", "small-1");
        assertBadItem(items.get(1), "index", "huge", 413, Set.of("content_too_long_exception"));
        assertThat(items.get(1).at("/index/error/reason").asText()).contains("max.message.bytes");
        assertGoodItem(items.get(2), "index", "small-2");
        assertThat(publishedSince(opsTopic(INDEX), before)).containsExactlyInAnyOrder("small-1", "small-2");
        assertRejectedWithoutPublishing(INDEX, () -> send(node, "PUT", "/" + INDEX + "/_doc/huge", big), 413,
                Set.of("content_too_long_exception"));
    }

    @Test
    @Order(21)
    void aMappingExplosionIs400AndPublishesNothing() throws Exception {
        StringBuilder doc = new StringBuilder("{");
        for (int i = 0; i < 1001; i++) {
            doc.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":").append(i);
        }
        Response r = assertRejectedWithoutPublishing(INDEX, () -> send(node, "PUT", "/" + INDEX + "/_doc/wide",
                doc.append('}').toString()), 400, Set.of("illegal_argument_exception"));
        assertThat(r.json().at("/error/reason").asText()).startsWith("Limit of total fields [1000] has been exceeded");
        assertThat(send(node, "GET", "/" + INDEX + "/_mapping", null).json().at("/" + INDEX + "/mappings/properties")
                .has("f1")).as("no field of the rejected document was added").isFalse();
    }

    @Test
    @Order(22)
    void deepNestingIs400() throws Exception {
        String deep = "{\"a\":".repeat(21) + "1" + "}".repeat(21);
        Response r = assertRejectedWithoutPublishing(INDEX, () -> send(node, "PUT", "/" + INDEX + "/_doc/deep", deep),
                400, Set.of("illegal_argument_exception"));
        assertThat(r.json().at("/error/reason").asText()).startsWith("Limit of mapping depth [20] has been exceeded");
        String arrays = "{\"a\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}";
        assertRejectedWithoutPublishing(INDEX, () -> send(node, "PUT", "/" + INDEX + "/_doc/arrays", arrays), 400, null);
        assertThat(send(node, "GET", "/_cluster/health", null).status()).isEqualTo(200);
    }

    @Test
    @Order(23)
    void invalidSettingsAre400AndCreateNothing() throws Exception {
        for (String settings : List.of("{\"refresh_interval\":\"0s\"}", "{\"refresh_interval\":\"-5s\"}",
                "{\"refresh_interval\":\"1nanos\"}", "{\"mapping.total_fields.limit\":-1}",
                "{\"mapping.depth.limit\":\"deep\"}")) {
            Response r = send(node, "PUT", "/bad-settings", "{\"settings\":" + settings + "}");
            assertErrorShape(r, 400, Set.of("illegal_argument_exception"));
        }
        assertThat(send(node, "GET", "/bad-settings", null).status()).isEqualTo(404);
        assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).doesNotContain(opsTopic("bad-settings"));
    }

    @Test
    @Order(24)
    void idsOver512BytesAndUnknownParametersAre400() throws Exception {
        String id = "i".repeat(513);
        Response r = assertRejectedWithoutPublishing(INDEX, () -> send(node, "PUT", "/" + INDEX + "/_doc/" + id,
                "{\"name\":\"x\"}"), 400, null);
        assertThat(r.json().at("/error/reason").asText()).contains("is too long, must be no longer than 512 bytes");
        r = assertRejectedWithoutPublishing(INDEX, () -> send(node, "PUT", "/" + INDEX + "/_doc/p?colour=blue",
                "{\"name\":\"x\"}"), 400, Set.of("illegal_argument_exception"));
        assertThat(r.json().at("/error/reason").asText()).contains("unrecognized parameter: [colour]");
    }

    @Test
    @Order(100)
    void kafkaUnreachableWritesFailWith503AndReadsKeepWorking() throws Exception {
        String index = "down-idx";
        String topic = "down." + index + ".ops";
        Node down = startNode("down", Map.of("ccr.write.timeout", "3s", "ccr.topic.prefix", "down"));
        try {
            Response created = send(down, "PUT", "/" + index,
                    "{\"settings\":{\"number_of_shards\":2},\"mappings\":{\"properties\":{\"name\":{\"type\":\"text\"}}}}");
            assertThat(created.status()).as(created.text()).isEqualTo(200);
            assertThat(send(down, "PUT", "/" + index + "/_doc/before?refresh=true", "{\"name\":\"before outage\"}")
                    .status()).isEqualTo(201);
            Map<TopicPartition, Long> before = endOffsets(topic);

            kafka.stop();
            try {
                long t0 = System.nanoTime();
                Response failed = send(down, "PUT", "/" + index + "/_doc/during?refresh=true",
                        "{\"name\":\"during outage\"}");
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                System.out.println("write with Kafka down answered " + failed.status() + " in " + took.toMillis() + " ms");
                assertErrorShape(failed, 503, Set.of("unavailable_shards_exception"));
                assertThat(took).isLessThan(Duration.ofSeconds(20));

                t0 = System.nanoTime();
                Response bulk = send(down, "POST", "/" + index + "/_bulk",
                        "{\"index\":{\"_id\":\"during-bulk\"}}\n{\"name\":\"bulk during outage\"}\n",
                        "application/x-ndjson");
                took = Duration.ofNanos(System.nanoTime() - t0);
                assertThat(took).isLessThan(Duration.ofSeconds(20));
                assertThat(bulk.status()).as(bulk.text()).isEqualTo(200);
                assertThat(bulk.json().path("errors").asBoolean()).isTrue();
                JsonNode item = bulk.json().at("/items/0/index");
                assertThat(item.path("status").asInt()).isEqualTo(503);
                assertThat(item.at("/error/type").asText()).isNotEmpty();
                assertThat(item.at("/error/reason").asText()).isNotEmpty();

                // reads keep working
                Response got = send(down, "GET", "/" + index + "/_doc/before", null);
                assertThat(got.status()).as(got.text()).isEqualTo(200);
                assertThat(got.json().at("/_source/name").asText()).isEqualTo("before outage");
                Response search = send(down, "POST", "/" + index + "/_search",
                        "{\"query\":{\"match\":{\"name\":\"outage\"}}}");
                assertThat(search.status()).as(search.text()).isEqualTo(200);
                assertThat(ids(search)).containsExactly("before");
                Response count = send(down, "GET", "/" + index + "/_count", null);
                assertThat(count.status()).isEqualTo(200);
                assertThat(count.json().path("count").asLong()).isEqualTo(1L);
                assertThat(send(down, "GET", "/" + index + "/_doc/during", null).status()).isEqualTo(404);
            } finally {
                kafka.restart();
            }

            // nothing was half-applied: the log has no extra op and the document is not there
            assertThat(endOffsetsWhenReachable(topic)).isEqualTo(before);
            assertThat(send(down, "GET", "/" + index + "/_doc/during", null).status()).isEqualTo(404);
            assertThat(send(down, "GET", "/" + index + "/_doc/during-bulk", null).status()).isEqualTo(404);

            // writes work again once Kafka is back (the writer re-registers and replays the log's tail)
            Response after = await("a write once Kafka is back").atMost(DEADLINE).until(() -> send(down, "PUT",
                    "/" + index + "/_doc/after?refresh=true", "{\"name\":\"after outage\"}"), r -> r.status() != 503);
            assertThat(after.status()).as(after.text()).isEqualTo(201);
            assertThat(publishedSince(topic, before)).containsExactly("after");
            assertThat(send(down, "GET", "/" + index + "/_doc/during", null).status()).isEqualTo(404);
            Response search = send(down, "POST", "/" + index + "/_search", "{\"query\":{\"match\":{\"name\":\"outage\"}}}");
            assertThat(ids(search)).containsExactlyInAnyOrder("before", "after");
        } finally {
            if (!kafka.isRunning()) {
                kafka.restart();
            }
            down.close();
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    private Node startNode(String name, Map<String, String> extra) throws Exception {
        return TestNode.on(kafka).dir(dataDir.resolve(name)).name(name).settings(extra).start();
    }

    private static String opsTopic(String index) {
        return "ccr." + index + ".ops";
    }

    private Response send(Node target, String method, String path, String body) {
        return send(target, method, path, body, "application/json");
    }

    private Response send(Node target, String method, String path, String body, String contentType) {
        return new Http(target.httpAddress()).request(method, path,
                body == null ? null : body.getBytes(StandardCharsets.UTF_8), contentType);
    }

    /** Asserts status and Elasticsearch's error shape; {@code types} null accepts any non-empty type. */
    private static void assertErrorShape(Response r, int status, Set<String> types) {
        String what = r.toString();
        assertThat(r.status()).as(what).isEqualTo(status);
        assertThat(r.header("X-Elastic-Product")).as(what).isEqualTo("Elasticsearch");
        assertThat(r.header("Content-Type")).as(what).startsWith("application/json");
        JsonNode json = r.json();
        assertThat(json.isObject()).as(what).isTrue();
        assertThat(json.path("status").isInt()).as(what).isTrue();
        assertThat(json.path("status").asInt()).as(what).isEqualTo(status);
        JsonNode error = json.path("error");
        assertThat(error.isObject()).as(what).isTrue();
        String type = error.path("type").asText();
        assertThat(type).as(what).isNotEmpty();
        if (types != null) {
            assertThat(type).as(what).isIn(types);
        }
        assertThat(error.path("reason").asText()).as(what).isNotBlank();
        JsonNode rootCause = error.path("root_cause");
        assertThat(rootCause.isArray()).as(what).isTrue();
        assertThat(rootCause.size()).as(what).isGreaterThanOrEqualTo(1);
        assertThat(rootCause.get(0).path("type").asText()).as(what).isEqualTo(type);
        assertThat(rootCause.get(0).path("reason").asText()).as(what).isNotBlank();
    }

    @FunctionalInterface
    private interface Call {
        Response run() throws Exception;
    }

    /** Runs {@code call}, asserts its error, and that {@code index}'s ops topic end offsets did not move. */
    private Response assertRejectedWithoutPublishing(String index, Call call, int status, Set<String> types)
            throws Exception {
        Map<TopicPartition, Long> before = endOffsets(opsTopic(index));
        Response r = call.run();
        assertErrorShape(r, status, types);
        assertThat(endOffsets(opsTopic(index))).as("end offsets of %s after %s", opsTopic(index), r.request())
                .isEqualTo(before);
        return r;
    }

    private static void assertGoodItem(JsonNode item, String action, String id) {
        JsonNode result = item.path(action);
        assertThat(result.isObject()).as(item.toString()).isTrue();
        assertThat(result.path("_id").asText()).isEqualTo(id);
        assertThat(result.path("_index").asText()).isEqualTo(INDEX);
        assertThat(result.path("status").asInt()).as(item.toString()).isEqualTo(201);
        assertThat(result.path("result").asText()).isEqualTo("created");
        assertThat(result.has("error")).as(item.toString()).isFalse();
        assertThat(result.path("_seq_no").isNumber()).isTrue();
    }

    private static void assertBadItem(JsonNode item, String action, String id, int status, Set<String> types) {
        JsonNode result = item.path(action);
        assertThat(result.isObject()).as(item.toString()).isTrue();
        assertThat(result.path("_id").asText()).isEqualTo(id);
        assertThat(result.path("_index").asText()).isEqualTo(INDEX);
        assertThat(result.path("status").asInt()).as(item.toString()).isEqualTo(status);
        assertThat(result.at("/error/type").asText()).as(item.toString()).isIn(types);
        assertThat(result.at("/error/reason").asText()).as(item.toString()).isNotBlank();
        assertThat(result.has("result")).as(item.toString()).isFalse();
    }

    private static List<String> ids(Response search) {
        List<String> ids = new ArrayList<>();
        search.json().at("/hits/hits").forEach(h -> ids.add(h.path("_id").asText()));
        return ids;
    }

    private Set<String> topics() throws Exception {
        return admin.listTopics().names().get(30, TimeUnit.SECONDS);
    }

    /** Latest offset of every partition of {@code topic}. */
    private Map<TopicPartition, Long> endOffsets(String topic) throws Exception {
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                .get(topic);
        Map<TopicPartition, OffsetSpec> request = new LinkedHashMap<>();
        description.partitions().forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        Map<TopicPartition, Long> out = new LinkedHashMap<>();
        admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    /** {@link #endOffsets} once the broker answers again (after a restart). */
    private Map<TopicPartition, Long> endOffsetsWhenReachable(String topic) {
        return await("the end offsets of " + topic).atMost(DEADLINE).ignoreExceptions()
                .until(() -> endOffsets(topic), offsets -> true);
    }

    /** Keys of the committed records of {@code topic} from {@code from} up to the current end offsets. */
    private List<String> publishedSince(String topic, Map<TopicPartition, Long> from) throws Exception {
        Map<TopicPartition, Long> to = endOffsets(topic);
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<String> keys = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            consumer.assign(to.keySet());
            to.keySet().forEach(tp -> consumer.seek(tp, from.getOrDefault(tp, 0L)));
            for (ConsumerRecord<byte[], byte[]> rec : Topics.readTo(consumer, to, DEADLINE)) {
                keys.add(new String(rec.key(), StandardCharsets.UTF_8));
            }
        }
        return keys;
    }
}
