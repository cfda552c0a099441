package io.kccr.node.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.kccr.core.wire.Operation;
import io.kccr.core.wire.OperationCodec;
import io.kccr.node.Node;
import io.kccr.node.NodeStartException;
import io.kccr.testkit.Http;
import io.kccr.testkit.KafkaBroker;
import io.kccr.testkit.TestNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a node does at start-up when its log and its data disagree: it refuses another Kafka cluster or topic prefix
 * and deletes nothing (the indices the new log does not list become dangling, to import or delete), opens an index
 * it cannot open as red instead of stopping, and never skips ops its log lost: the index is red, saying which.
 */
class StartupSafetyIT {
    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker();

    @TempDir
    Path data;

    @Test
    void anotherKafkaOrPrefixIsRefusedAndTheOldIndicesStayAsDanglingToImport() throws Exception {
        Path dir = data.resolve("node");
        String uuid;
        try (Node node = TestNode.on(kafka).dir(dir).start()) {
            Http http = new Http(node.httpAddress());
            Http.expect(200, http.put("/keep", "{\"settings\":{\"number_of_shards\":2}}"), "create");
            for (int i = 0; i < 20; i++) {
                Http.expect(201, http.put("/keep/_doc/" + i, "{\"n\":" + i + "}"), "write");
            }
            uuid = http.get("/keep").json().at("/keep/settings/index/uuid").asText();
        }
        assertThat(Files.isDirectory(dir.resolve("indices").resolve(uuid))).isTrue();

        // the embedded broker is another Kafka cluster (as a lost embedded log would be), another prefix another log
        assertThatThrownBy(() -> TestNode.withEmbeddedKafka().dir(dir).start().close())
                .isInstanceOf(NodeStartException.class).hasMessageContaining("ccr.kafka.allow_cluster_change");
        assertThatThrownBy(() -> TestNode.on(kafka).dir(dir).topicPrefix("other").start().close())
                .isInstanceOf(NodeStartException.class).hasMessageContaining("ccr.topic.prefix [ccr]");
        assertThat(Files.isDirectory(dir.resolve("indices").resolve(uuid))).as("no file deleted").isTrue();

        try (Node node = TestNode.on(kafka).dir(dir).topicPrefix("other")
                .setting("ccr.kafka.allow_cluster_change", "true").start()) {
            Http http = new Http(node.httpAddress());
            JsonNode dangling = http.get("/_dangling").json().get("dangling_indices");
            assertThat(dangling).hasSize(1);
            assertThat(dangling.get(0).get("index_name").asText()).isEqualTo("keep");
            assertThat(dangling.get(0).get("index_uuid").asText()).isEqualTo(uuid);
            Http.expect(400, http.post("/_dangling/" + uuid, null), "import without accept_data_loss");
            Http.expect(404, http.post("/_dangling/nope?accept_data_loss=true", null), "no such dangling index");
            Http.expect(200, http.post("/_dangling/" + uuid + "?accept_data_loss=true", null), "import");
            Http.expect(200, http.post("/keep/_refresh", null), "refresh");
            assertThat(http.get("/keep/_count").json().get("count").asLong()).isEqualTo(20);
            assertThat(http.get("/keep/_doc/7").json().at("/_source/n").asInt()).isEqualTo(7);
            assertThat(http.get("/_dangling").json().get("dangling_indices")).isEmpty();
            assertThat(Files.exists(dir.resolve("indices").resolve(uuid))).as("imported, then removed").isFalse();
            assertThat(kafka.isRunning()).isTrue();
            try (Admin admin = admin()) {
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("other.keep.ops");
            }
        }
    }

    @Test
    void anIndexThatCannotOpenIsRedAndTheNodeStarts() throws Exception {
        Path dir = data.resolve("red");
        try (Node node = TestNode.on(kafka).dir(dir).topicPrefix("red").start()) {
            Http http = new Http(node.httpAddress());
            Http.expect(200, http.put("/fine", "{}"), "create");
            Http.expect(200, http.put("/broken", "{}"), "create");
        }
        // a metadata record an earlier version accepted and this one cannot open
        String bad = "{\"name\":\"broken\",\"uuid\":\"u1\",\"history_uuid\":\"h1\",\"creation_date\":1,"
                + "\"settings\":{\"index.refresh_interval\":\"0s\"},\"mappings\":{},\"mapping_version\":1,"
                + "\"settings_version\":1}";
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>("red.broken.meta", "metadata".getBytes(StandardCharsets.UTF_8),
                    bad.getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
        }
        try (Node node = TestNode.on(kafka).dir(dir).topicPrefix("red").start()) {
            Http http = new Http(node.httpAddress());
            JsonNode health = http.get("/_cluster/health").json();
            assertThat(health.get("status").asText()).isEqualTo("red");
            assertThat(health.get("unassigned_shards").asInt()).isEqualTo(1);
            assertThat(http.get("/_cat/indices?format=json").json().findValuesAsText("health"))
                    .containsExactly("red", "green");
            Http.Response r = http.get("/broken/_search");
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.json().at("/error/reason").asText()).contains("broken", "red", "refresh_interval");
            Http.expect(201, http.put("/fine/_doc/1", "{\"a\":1}"), "the other index takes writes");
            Http.expect(200, http.delete("/broken"), "a red index can be deleted");
            assertThat(http.get("/_cluster/health").json().get("status").asText()).isEqualTo("green");
        }
    }

    @Test
    void opsTheLogLostBeyondTheCommitLeaveTheIndexRedNeverSkipped() throws Exception {
        Path dir = data.resolve("gap");
        String historyUuid;
        try (Node node = TestNode.on(kafka).dir(dir).topicPrefix("gap").setting("ccr.ops.cleanup_policy", "delete")
                .start()) {
            Http http = new Http(node.httpAddress());
            Http.expect(200, http.put("/lossy", "{}"), "create");
            for (int i = 0; i < 5; i++) {
                Http.expect(201, http.put("/lossy/_doc/" + i, "{\"n\":" + i + "}"), "write");
            }
            historyUuid = http.get("/lossy").json().at("/lossy/settings/index/history_uuid").asText();
        } // the close commits: the commit holds seq_nos 0..4
        // acknowledged ops the commit does not hold (as if the node had been killed before committing them) ...
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (long seqNo = 5; seqNo < 8; seqNo++) {
                Operation op = Operation.index("late-" + seqNo, "{\"n\":1}".getBytes(StandardCharsets.UTF_8), seqNo, 1,
                        1, 1, historyUuid);
                producer.send(OperationCodec.toRecord("gap.lossy.ops", 0, op, System.currentTimeMillis()))
                        .get(30, TimeUnit.SECONDS);
            }
        }
        // ... then deleted from the log (retention, deleteRecords) before the node replayed them
        TopicPartition tp = new TopicPartition("gap.lossy.ops", 0);
        try (Admin admin = admin()) {
            long end = admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get(30, TimeUnit.SECONDS)
                    .offset();
            admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(end))).all().get(30, TimeUnit.SECONDS);
        }
        try (Node node = TestNode.on(kafka).dir(dir).topicPrefix("gap").start()) {
            Http http = new Http(node.httpAddress());
            assertThat(http.get("/_cluster/health").json().get("status").asText()).isEqualTo("red");
            Http.Response r = http.put("/lossy/_doc/new", "{\"n\":9}");
            assertThat(r.status()).as("no write lands on a log with a hole").isEqualTo(503);
            assertThat(r.json().at("/error/reason").asText()).contains("gap.lossy.ops-0", "now starts at offset",
                    "removed acknowledged ops");
        }
        // a log that ends before the commit (the topic lost its records, here: deleted and recreated empty)
        try (Admin admin = admin()) {
            admin.deleteTopics(List.of("gap.lossy.ops")).all().get(30, TimeUnit.SECONDS);
            org.awaitility.Awaitility.await().ignoreExceptions().until(() -> {
                admin.createTopics(List.of(new NewTopic("gap.lossy.ops", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
                return true;
            });
        }
        try (Node node = TestNode.on(kafka).dir(dir).topicPrefix("gap").start()) {
            Http http = new Http(node.httpAddress());
            Http.Response r = http.get("/lossy/_doc/1");
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.json().at("/error/reason").asText()).contains("ends at offset [0]", "lost acknowledged ops");
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
    }
}
