package io.kccr.node.ccr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.kccr.node.Node;
import io.kccr.node.sample.SampleData;
import io.kccr.testkit.Http;
import io.kccr.testkit.KafkaBroker;
import io.kccr.testkit.TestNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What stops a follower for good, and what does not: history lost to retention below the follower's position (status
 * {@code failed}, a {@code fatal_exception} saying so and to re-bootstrap) while losing only what it has applied is
 * harmless; a record in the ops topic that is no operation ({@code failed}, naming topic, partition and offset); and
 * a mapping update in the middle of the stream, which the follower takes in its stride. One node with
 * {@code ccr.ops.cleanup_policy=delete} follows its own indices.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FollowerFailureIT {
    private static final String CLUSTER = "failure-cluster";
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker();

    @TempDir
    static Path data;

    private Node node;
    private Http http;
    private Admin admin;
    private List<byte[]> corpus;
    private final long seed = System.nanoTime();

    @BeforeAll
    void start() throws Exception {
        System.out.println("FollowerFailureIT seed " + seed);
        node = TestNode.on(kafka).dir(data).cluster(CLUSTER).setting("ccr.ops.cleanup_policy", "delete").start();
        http = new Http(node.httpAddress());
        Http.expect(200, http.put("/_cluster/settings", "{\"persistent\":{\"cluster.remote.self.seeds\":\""
                + http.hostPort() + "\"}}"), "remote self");
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        admin = Admin.create(config);
        corpus = SampleData.documents().subList(0, 5_000);
    }

    @AfterAll
    void stop() {
        if (admin != null) {
            admin.close();
        }
        if (node != null) {
            node.followers().close(); // Node.close() leaves followers running
            node.close();
        }
    }

    // ------------------------------------------------------------------------------------------ history loss

    @Test
    void deletingOnlyWhatTheFollowerAppliedIsHarmless() throws Exception {
        Ccr.Traffic traffic = leaderWithFollower("applied-src", "applied-dst", 1);
        Http.expect(200, http.post("/applied-dst/_ccr/pause_follow", null), "pause");
        Map<TopicPartition, Long> positions = positions("applied-dst");
        Map<TopicPartition, Long> ends = endOffsets("applied-src");
        assertThat(positions).as("the paused follower's positions are the ends of the log").isEqualTo(ends);
        deleteRecordsBefore(positions); // everything it applied, down to its position: nothing it still needs
        assertThat(beginnings("applied-src")).isEqualTo(positions);

        Http.expect(200, http.post("/applied-dst/_ccr/resume_follow", "{}"), "resume");
        for (int i = 0; i < 3; i++) {
            traffic.bulk(100);
        }
        Ccr.awaitSameDocuments(http, "applied-src", http, "applied-dst", TIMEOUT);
        Ccr.awaitCaughtUp(http, "applied-dst", TIMEOUT);
        JsonNode info = Ccr.info(http, "applied-dst");
        assertThat(info.path("detailed_status").asText()).as("%s", info).isEqualTo("active");
        assertThat(info.has("fatal_exception")).isFalse();
    }

    @Test
    void historyLostBelowTheFollowersPositionFailsItForGood() throws Exception {
        Ccr.Traffic traffic = leaderWithFollower("lost-src", "lost-dst", 2);
        Map<String, Ccr.Doc> before = Ccr.documents(http, "lost-dst");
        long checkpoint = Ccr.shardStats(http, "lost-dst").get(1).path("follower_global_checkpoint").asLong();
        Http.expect(200, http.post("/lost-dst/_ccr/pause_follow", null), "pause");
        Map<TopicPartition, Long> positions = positions("lost-dst");
        for (int i = 0; i < 6; i++) {
            traffic.bulk(100);
        }
        Map<TopicPartition, Long> ends = endOffsets("lost-src");
        TopicPartition lost = new TopicPartition("ccr.lost-src.ops", 1);
        long position = positions.get(lost);
        long cut = position + (ends.get(lost) - position) / 2;
        assertThat(cut).as("ops written to partition 1 while paused").isGreaterThan(position + 2);
        deleteRecordsBefore(Map.of(lost, cut)); // ops the follower has not applied yet are gone

        Http.Response resumed = http.post("/lost-dst/_ccr/resume_follow", "{}");
        assertThat(resumed.status()).as("%s", resumed).isIn(200, 400, 500);
        JsonNode info = Ccr.info(http, "lost-dst");
        assertThat(info.path("detailed_status").asText()).as("%s", info).isEqualTo("failed");
        String fatal = info.path("fatal_exception").asText();
        assertThat(fatal).contains("history lost").contains("shard [1]").contains("[ccr.lost-src.ops] partition [1]")
                .contains("re-bootstrap").contains("seq_no [" + (checkpoint + 1) + "]")
                .contains("starts at offset [" + cut + "]");
        ArrayNode shards = Ccr.shardStats(http, "lost-dst");
        JsonNode shard1 = shards.get(1);
        assertThat(shard1.path("shard_id").asInt()).isEqualTo(1);
        assertThat(shard1.at("/fatal_exception/type").asText()).isEqualTo("illegal_state_exception");
        assertThat(shard1.at("/fatal_exception/reason").asText()).contains("history lost");
        // the failed follower is still searchable, as it was
        assertThat(Ccr.differences(before, Ccr.documents(http, "lost-dst"), 5)).isEmpty();
        // resuming again does not hide the loss
        http.post("/lost-dst/_ccr/resume_follow", "{}");
        assertThat(Ccr.info(http, "lost-dst").path("detailed_status").asText()).isEqualTo("failed");
        // GET /_ccr/stats shows it too
        assertThat(Http.expect(200, http.get("/_ccr/stats"), "all stats").json().toString()).contains("history lost");

        // the way back: copy the leader's files again (its commit holds the ops the log lost) and stream on
        Http.expect(200, http.post("/lost-dst/_ccr/rebootstrap", null), "rebootstrap");
        await("the re-bootstrapped follower to be active").atMost(TIMEOUT).until(() -> "active".equals(
                Ccr.info(http, "lost-dst").path("detailed_status").asText()));
        traffic.bulk(100); // and it follows on
        Ccr.awaitSameDocuments(http, "lost-src", http, "lost-dst", TIMEOUT);
        assertThat(Ccr.info(http, "lost-dst").has("fatal_exception")).isFalse();
    }

    // ------------------------------------------------------------------------------------------ garbage

    @Test
    void aRecordThatIsNoOperationFailsTheFollowerNamingWhereItIs() throws Exception {
        leaderWithFollower("garbage-src", "garbage-dst", 3);
        Map<String, Ccr.Doc> before = Ccr.documents(http, "garbage-dst");
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        RecordMetadata written;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            written = producer.send(new ProducerRecord<>("ccr.garbage-src.ops", 2,
                    "garbage".getBytes(StandardCharsets.UTF_8), "{\"not\":\"an op\"}".getBytes(StandardCharsets.UTF_8)))
                    .get(30, TimeUnit.SECONDS);
        }
        await("the follower to fail on the garbage record").atMost(TIMEOUT)
                .until(() -> Ccr.info(http, "garbage-dst").path("detailed_status").asText().equals("failed"));
        String fatal = Ccr.info(http, "garbage-dst").path("fatal_exception").asText();
        assertThat(fatal).contains("topic [ccr.garbage-src.ops]").contains("partition [2]")
                .contains("offset [" + written.offset() + "]");
        JsonNode shard2 = Ccr.shardStats(http, "garbage-dst").get(2);
        assertThat(shard2.at("/fatal_exception/reason").asText()).contains("offset [" + written.offset() + "]");
        assertThat(Ccr.differences(before, Ccr.documents(http, "garbage-dst"), 5)).as("still searchable").isEmpty();
    }

    // ------------------------------------------------------------------------------------------ mappings

    @Test
    void aMappingUpdateInTheMiddleOfTheStreamReachesTheFollower() throws Exception {
        Ccr.Traffic traffic = leaderWithFollower("mapping-src", "mapping-dst", 4);
        JsonNode mappingBefore = Http.expect(200, http.get("/mapping-dst/_mapping"), "mapping").json();
        assertThat(mappingBefore.at("/mapping-dst/mappings/properties").has("population")).isFalse();
        long mappingVersion = Ccr.shardStats(http, "mapping-dst").get(0).path("follower_mapping_version").asLong();

        // new fields by dynamic mapping: a long and a string (text with a keyword sub-field)
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            JsonNode doc = Http.JSON.readTree(corpus.get(4_000 + i));
            ((com.fasterxml.jackson.databind.node.ObjectNode) doc).put("population", 1_000 * i)
                    .put("motto", i % 2 == 0 ? "even city" : "odd town");
            bulk.append("{\"index\":{\"_id\":\"m").append(i).append("\"}}\n").append(doc).append('\n');
        }
        Http.Response r = Http.expect(200, http.bulk("/mapping-src/_bulk", bulk.toString()
                .getBytes(StandardCharsets.UTF_8)), "bulk with new fields");
        assertThat(r.json().path("errors").asBoolean()).as("%s", r).isFalse();
        traffic.bulk(100); // and the stream goes on after it
        Ccr.awaitSameDocuments(http, "mapping-src", http, "mapping-dst", TIMEOUT);

        JsonNode leaderMapping = Http.expect(200, http.get("/mapping-src/_mapping"), "leader mapping").json()
                .at("/mapping-src/mappings");
        JsonNode followerMapping = Http.expect(200, http.get("/mapping-dst/_mapping"), "follower mapping").json()
                .at("/mapping-dst/mappings");
        assertThat(followerMapping.at("/properties/population/type").asText()).isEqualTo("long");
        assertThat(followerMapping.at("/properties/motto/type").asText()).isEqualTo("text");
        assertThat(followerMapping).isEqualTo(leaderMapping);
        assertThat(Ccr.shardStats(http, "mapping-dst").get(0).path("follower_mapping_version").asLong())
                .isGreaterThan(mappingVersion);

        for (String query : List.of("{\"query\":{\"range\":{\"population\":{\"gte\":30000}}}}",
                "{\"query\":{\"match\":{\"motto\":\"odd\"}}}",
                "{\"query\":{\"term\":{\"motto.keyword\":\"even city\"}}}")) {
            JsonNode l = Http.expect(200, http.post("/mapping-src/_search?size=100", query), "leader search").json();
            JsonNode f = Http.expect(200, http.post("/mapping-dst/_search?size=100", query), "follower search")
                    .json();
            assertThat(f.at("/hits/total/value").asLong()).as("hits of %s", query).isEqualTo(30)
                    .isEqualTo(l.at("/hits/total/value").asLong());
            assertThat(ids(f)).as("hits of %s", query).isEqualTo(ids(l));
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** A 3-shard leader with some traffic, and a follower that has caught up with it. */
    private Ccr.Traffic leaderWithFollower(String leader, String follower, int salt) {
        Http.expect(200, http.put("/" + leader, "{\"settings\":{\"number_of_shards\":3},\"mappings\":"
                + SampleData.MAPPINGS + "}"), "create " + leader);
        Ccr.Traffic traffic = new Ccr.Traffic(http, leader, corpus.subList(0, 4_000), seed + salt, "d", 500);
        for (int i = 0; i < 5; i++) {
            traffic.bulk(100);
        }
        Http.expect(200, http.put("/" + follower + "/_ccr/follow", "{\"remote_cluster\":\"self\",\"leader_index\":\""
                + leader + "\"}"), "follow " + leader);
        Ccr.awaitSameDocuments(http, leader, http, follower, TIMEOUT);
        Ccr.awaitCaughtUp(http, follower, TIMEOUT);
        return traffic;
    }

    private static java.util.Set<String> ids(JsonNode searchResponse) {
        java.util.Set<String> ids = new java.util.TreeSet<>();
        searchResponse.at("/hits/hits").forEach(h -> ids.add(h.get("_id").asText()));
        return ids;
    }

    /** The follower's consumer group's committed offsets (its position once paused). */
    private Map<TopicPartition, Long> positions(String follower) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("kccr-" + CLUSTER
                + "-follow-" + follower).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        Map<TopicPartition, Long> out = new HashMap<>();
        committed.forEach((tp, o) -> out.put(tp, o.offset()));
        return out;
    }

    private Map<TopicPartition, Long> endOffsets(String leader) throws Exception {
        return offsets(leader, OffsetSpec.latest());
    }

    private Map<TopicPartition, Long> beginnings(String leader) throws Exception {
        return offsets(leader, OffsetSpec.earliest());
    }

    private Map<TopicPartition, Long> offsets(String leader, OffsetSpec spec) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < 3; p++) {
            request.put(new TopicPartition("ccr." + leader + ".ops", p), spec);
        }
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                .get(30, TimeUnit.SECONDS).forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    private void deleteRecordsBefore(Map<TopicPartition, Long> offsets) throws Exception {
        Map<TopicPartition, RecordsToDelete> request = new HashMap<>();
        offsets.forEach((tp, offset) -> request.put(tp, RecordsToDelete.beforeOffset(offset)));
        admin.deleteRecords(request).all().get(30, TimeUnit.SECONDS);
    }
}
