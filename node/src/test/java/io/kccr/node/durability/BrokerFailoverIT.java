package io.kccr.node.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kccr.node.Node;
import io.kccr.testkit.Http;
import io.kccr.testkit.KafkaBrokers;
import io.kccr.testkit.TestNode;
import io.kccr.testkit.TwoClusters;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leader and a follower cluster on three real Kafka brokers, with the durable topic defaults (replication factor
 * 3, min.insync.replicas 2, no unclean election, unsafe topics refused). Brokers are stopped while a writer keeps
 * sending mixed bulks and the follower streams: first one that is not the controller, then the controller; every
 * acknowledged write survives and the follower converges to its leader. With two brokers down, writes fail promptly
 * with 503 and nothing acknowledged is lost. Each fault runs once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrokerFailoverIT {
    @RegisterExtension
    static final KafkaBrokers kafka = new KafkaBrokers(3);

    private static final Map<String, String> DURABLE = Map.of("ccr.topic.allow_unsafe_durability", "false",
            "ccr.write.timeout", "5s");
    private static final String INDEX = "orders";
    private static final String FOLLOWER = "orders-copy";

    @TempDir
    static Path data;

    private static TwoClusters clusters;
    private static Http leader;
    private static Http follower;

    @BeforeAll
    static void start() throws Exception {
        clusters = TwoClusters.start(kafka, data, DURABLE, DURABLE);
        leader = clusters.leader();
        follower = clusters.follower();
        Http.expect(200, leader.put("/" + INDEX, "{\"settings\":{\"number_of_shards\":2}}"), "create");
        Http.expect(200, follower.put("/" + FOLLOWER + "/_ccr/follow?wait_for_active_shards=1",
                "{\"remote_cluster\":\"leader\",\"leader_index\":\"" + INDEX + "\"}"), "follow");
    }

    @AfterAll
    static void stop() {
        if (clusters != null) {
            clusters.close();
        }
    }

    @Test
    @Order(1)
    void topicsAreCreatedReplicatedWithMinInsyncReplicasAndNoUncleanElection() throws Exception {
        try (var admin = kafka.admin()) {
            for (String topic : List.of("lc." + INDEX + ".ops", "lc." + INDEX + ".meta", "lc.indices")) {
                TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                        .get(topic);
                assertThat(d.partitions()).allSatisfy(p -> assertThat(p.replicas()).as(topic).hasSize(3));
                ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                Config c = admin.describeConfigs(List.of(r)).all().get(10, TimeUnit.SECONDS).get(r);
                assertThat(c.get("min.insync.replicas").value()).as(topic).isEqualTo("2");
                assertThat(c.get("unclean.leader.election.enable").value()).as(topic).isEqualTo("false");
            }
        }
    }

    @Test
    @Order(2)
    void killingABrokerThenTheControllerLosesNoAcknowledgedWrite() throws Exception {
        try (ContinuousWriter writer = ContinuousWriter.start(leader, INDEX)) {
            writer.awaitAcked(200);
            int controller = kafka.controllerId();
            int other = kafka.running().stream().filter(id -> id != controller).findFirst().orElseThrow();
            kafka.kill(other);
            writer.awaitAcked(writer.acked() + 300);
            kafka.start(other);
            awaitInSync();
            int controllerNow = kafka.controllerId();
            kafka.kill(controllerNow);
            writer.awaitAcked(writer.acked() + 300);
            kafka.start(controllerNow);
            awaitInSync();
            writer.awaitAcked(writer.acked() + 100);
            writer.stop();
            System.out.println("BrokerFailoverIT: " + writer.summary());
            assertThat(writer.longestPause()).as("writes pause at most for the elections")
                    .isLessThan(Duration.ofSeconds(25));
            writer.assertEveryAcknowledgedWriteIn(leader);
        }
        FaultChecks.awaitFollowerIdentical(follower, FOLLOWER);
    }

    @Test
    @Order(3)
    void withTwoBrokersDownWritesFailPromptlyAndNothingAcknowledgedIsLost() throws Exception {
        Http.expect(201, leader.put("/" + INDEX + "/_doc/before-outage?refresh=true", "{\"n\":1}"), "write");
        List<Integer> running = kafka.running();
        kafka.kill(running.get(0));
        kafka.kill(running.get(1));
        try {
            long t0 = System.nanoTime();
            Http.Response r = leader.put("/" + INDEX + "/_doc/during-outage", "{\"n\":2}");
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(r.status()).as(r.toString()).isIn(503, 504);
            assertThat(took).as("within ccr.write.timeout and its margin").isLessThan(Duration.ofSeconds(15));
        } finally {
            kafka.start(running.get(0));
            kafka.start(running.get(1));
        }
        awaitInSync();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(leader.put("/" + INDEX + "/_doc/after-outage", "{\"n\":3}").status()).isIn(200, 201));
        Http.expect(200, leader.get("/" + INDEX + "/_doc/before-outage"), "acknowledged before the outage");
        FaultChecks.awaitFollowerIdentical(follower, FOLLOWER);
    }

    @Test
    @Order(4)
    void anExistingTopicThatCanLoseWritesBlocksTheIndexUntilFixedOrAllowed() throws Exception {
        Http.expect(200, leader.put("/weak", "{}"), "create");
        ConfigResource ops = new ConfigResource(ConfigResource.Type.TOPIC, "lc.weak.ops");
        alter(ops, "min.insync.replicas", "1");
        Node leaderNode = clusters.leaderNode();
        Path leaderData = leaderNode.settings().dataPath();
        String servers = leaderNode.settings().kafkaBootstrapServers().orElseThrow();
        // a second leader node on the same log, as the first would be after a restart: it checks the topics it opens
        Node again = TestNode.on(servers).dir(leaderData.resolveSibling("leader-again")).cluster("leader-cluster")
                .topicPrefix("lc").settings(DURABLE).start();
        try {
            Http h = new Http(again.httpAddress());
            Http.Response r = h.put("/weak/_doc/1", "{\"a\":1}");
            assertThat(r.status()).as(r.toString()).isEqualTo(403);
            assertThat(r.json().at("/error/type").asText()).isEqualTo("cluster_block_exception");
            assertThat(r.json().at("/error/reason").asText()).contains("lc.weak.ops", "min.insync.replicas 1",
                    "ccr.topic.allow_unsafe_durability");
        } finally {
            again.close();
            alter(ops, "min.insync.replicas", "2");
        }
    }

    private static void alter(ConfigResource topic, String key, String value) throws Exception {
        try (var admin = kafka.admin()) {
            admin.incrementalAlterConfigs(Map.of(topic, List.of(new AlterConfigOp(new ConfigEntry(key, value),
                    AlterConfigOp.OpType.SET)))).all().get(10, TimeUnit.SECONDS);
        }
    }

    /** Waits until every partition of the index's topics has all three replicas in sync again. */
    private static void awaitInSync() {
        try (var admin = kafka.admin()) {
            await("replicas in sync").atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> {
                Map<String, TopicDescription> topics = admin.describeTopics(List.of("lc." + INDEX + ".ops"))
                        .allTopicNames().get(5, TimeUnit.SECONDS);
                return topics.values().stream().flatMap(t -> t.partitions().stream())
                        .allMatch(p -> p.isr().size() == 3 && p.leader() != null);
            });
        }
    }

    static JsonNode json(Http.Response r) {
        return r.json();
    }
}
