package io.kccr.node.ccr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kccr.node.Node;
import io.kccr.node.NodeStartException;
import io.kccr.testkit.Http;
import io.kccr.testkit.KafkaBroker;
import io.kccr.testkit.TestNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Running next to a Kafka that requires SASL/PLAIN on its client listener (the only one a client can reach; the
 * controller listener stays PLAINTEXT): a leader node given {@code kafka.security.protocol}, {@code kafka.sasl.*}
 * indexes documents, a follower node given its own {@code kafka.*} and the remote's
 * {@code cluster.remote.leader.kafka.*} follows it (bootstrap, the hand-off of the consumer group, then Kafka
 * Streams), and documents written afterwards arrive. Wrong credentials fail clearly: a node does not start, and a
 * follow of a remote with them is a 503 naming the settings to check.
 */
class SaslPlainIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String PLAIN_LOGIN = "org.apache.kafka.common.security.plain.PlainLoginModule required";

    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker()
            .withConfig("listeners", "SASL_PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controllerPort}")
            .withConfig("advertised.listeners", "SASL_PLAINTEXT://127.0.0.1:{port}")
            .withConfig("listener.security.protocol.map", "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT")
            .withConfig("inter.broker.listener.name", "SASL_PLAINTEXT")
            .withConfig("sasl.enabled.mechanisms", "PLAIN")
            .withConfig("sasl.mechanism.inter.broker.protocol", "PLAIN")
            .withConfig("listener.name.sasl_plaintext.plain.sasl.jaas.config", PLAIN_LOGIN
                    + " username=\"broker\" password=\"broker-secret\" user_broker=\"broker-secret\""
                    + " user_leader=\"leader-secret\" user_follower=\"follower-secret\";")
            .withClientConfig(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT")
            .withClientConfig(SaslConfigs.SASL_MECHANISM, "PLAIN")
            .withClientConfig(SaslConfigs.SASL_JAAS_CONFIG, jaas("broker", "broker-secret"));

    @TempDir
    Path data;

    @Test
    void leaderAndFollowerReplicateThroughSaslPlain() throws Exception {
        try (Node leaderNode = TestNode.on(kafka).dir(data.resolve("leader")).cluster("leader-cluster")
                .topicPrefix("lc").settings(kafkaLogin("", "leader", "leader-secret")).start()) {
            Http leader = new Http(leaderNode.httpAddress());
            Http.expect(200, leader.put("/orders", "{\"settings\":{\"number_of_shards\":2}}"), "create orders");
            index(leader, 0, 30);

            Node followerNode = TestNode.on(kafka).dir(data.resolve("follower")).cluster("follower-cluster")
                    .remote("leader", leader.hostPort()).settings(kafkaLogin("", "follower", "follower-secret"))
                    .settings(kafkaLogin("cluster.remote.leader.", "follower", "follower-secret")).start();
            try (followerNode) {
                Http follower = new Http(followerNode.httpAddress());
                Http.Response remote = Http.expect(200, follower.get("/_remote/info"), "remote info");
                assertThat(remote.json().at("/leader/connected").asBoolean())
                        .as("remote leader through SASL: %s", remote).isTrue();

                Http.expect(200, follower.put("/orders-copy/_ccr/follow?wait_for_active_shards=1",
                        "{\"remote_cluster\":\"leader\",\"leader_index\":\"orders\"}"), "follow");
                Ccr.awaitSameDocuments(leader, "orders", follower, "orders-copy", TIMEOUT);

                // written after the follow: they come through the leader's producer and the follower's Kafka Streams
                index(leader, 30, 60);
                Ccr.awaitSameDocuments(leader, "orders", follower, "orders-copy", TIMEOUT);

                // a remote whose Kafka credentials are wrong: the follow says what to check
                Http.expect(200, follower.put("/_cluster/settings", "{\"persistent\":{"
                        + "\"cluster.remote.wrong.seeds\":\"" + leader.hostPort() + "\","
                        + "\"cluster.remote.wrong.kafka.security.protocol\":\"SASL_PLAINTEXT\","
                        + "\"cluster.remote.wrong.kafka.sasl.mechanism\":\"PLAIN\","
                        + "\"cluster.remote.wrong.kafka.sasl.jaas.config\":"
                        + Http.JSON.writeValueAsString(jaas("follower", "not-the-password")) + "}}"),
                        "remote with wrong credentials");
                Http.Response refused = follower.put("/wrong-copy/_ccr/follow",
                        "{\"remote_cluster\":\"wrong\",\"leader_index\":\"orders\"}");
                assertThat(refused.status()).as("%s", refused).isEqualTo(503);
                assertThat(refused.json().at("/error/reason").asText())
                        .contains("Kafka rejected the credentials")
                        .contains("cluster.remote.wrong.kafka.sasl.jaas.config");
                assertThat(refused.text()).doesNotContain("not-the-password");
                followerNode.followers().close(); // Node.close() leaves followers running
            }
        }

        // a node with a wrong password does not start, and says which settings to check
        NodeStartException e = catchThrowableOfType(NodeStartException.class, () -> TestNode.on(kafka)
                .dir(data.resolve("wrong")).topicPrefix("lc").settings(kafkaLogin("", "leader", "wrong-secret"))
                .start());
        assertThat(e).as("a node with a wrong password must not start").isNotNull();
        assertThat(e.getMessage())
                .contains("cannot use Kafka at [" + kafka.bootstrapServers() + "]")
                .contains("Kafka rejected the credentials")
                .contains("kafka.sasl.jaas.config")
                .doesNotContain("wrong-secret");
    }

    private static String jaas(String user, String password) {
        return PLAIN_LOGIN + " username=\"" + user + "\" password=\"" + password + "\";";
    }

    /** SASL/PLAIN login settings under {@code <prefix>kafka.}. */
    private static Map<String, String> kafkaLogin(String prefix, String user, String password) {
        return Map.of(prefix + "kafka.security.protocol", "SASL_PLAINTEXT", prefix + "kafka.sasl.mechanism", "PLAIN",
                prefix + "kafka.sasl.jaas.config", jaas(user, password));
    }

    private static void index(Http leader, int from, int to) {
        for (int i = from; i < to; i++) {
            Http.expect(201, leader.put("/orders/_doc/" + i, "{\"n\":" + i + "}"), "index " + i);
        }
    }
}
