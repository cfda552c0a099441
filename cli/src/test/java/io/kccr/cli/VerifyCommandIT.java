package io.kccr.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kccr.core.mapping.DocumentMapper;
import io.kccr.core.routing.ShardRouting;
import io.kccr.core.wire.Operation;
import io.kccr.follower.FollowerIndex;
import io.kccr.follower.apply.FollowerShard;
import io.kccr.node.Node;
import io.kccr.testkit.Http;
import io.kccr.testkit.KafkaBroker;
import io.kccr.testkit.TestNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code kccr verify}, run in-process against a leader node and a follower node on one Kafka: exit 0 when the
 * follower caught up, 2 when a node is unreachable or an index missing, 1 once a follower document was altered
 * behind its back (through the in-process node's shard: the REST API refuses writes into a follower).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VerifyCommandIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DOCS = 500;

    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker();

    @TempDir
    static Path data;

    private Node leaderNode;
    private Node followerNode;

    /** A command's exit code and what it printed. */
    record Run(int exit, String out, String err) {
    }

    @BeforeAll
    void start() throws Exception {
        leaderNode = TestNode.on(kafka).dir(data.resolve("leader")).topicPrefix("lc").start();
        followerNode = TestNode.on(kafka).dir(data.resolve("follower")).topicPrefix("fc")
                .remote("leader", new Http(leaderNode.httpAddress()).hostPort()).start();
        send(leaderNode, "PUT", "/cities", "{\"settings\":{\"number_of_shards\":3}}");
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < DOCS; i++) {
            bulk.append("{\"index\":{\"_id\":\"c").append(i).append("\"}}\n{\"name\":\"city ").append(i)
                    .append("\",\"population\":").append(i * 100).append("}\n");
        }
        send(leaderNode, "POST", "/cities/_bulk", bulk.toString());
        send(followerNode, "PUT", "/cities-copy/_ccr/follow?wait_for_active_shards=1",
                "{\"remote_cluster\":\"leader\",\"leader_index\":\"cities\"}");
        awaitCaughtUp();
    }

    @AfterAll
    void stop() {
        if (followerNode != null) {
            followerNode.followers().close();
            followerNode.close();
        }
        if (leaderNode != null) {
            leaderNode.close();
        }
    }

    @Test
    @Order(1)
    void exitsZeroWhenTheFollowerIsIdentical() throws Exception {
        Run run = verify(leaderNode.httpAddress(), followerNode.httpAddress(), "cities", "cities-copy");
        assertThat(run.exit()).as("%s", run).isZero();
        assertThat(run.out()).contains("identical: [cities-copy] holds the " + DOCS + " documents of [cities]");

        Run json = verify(leaderNode.httpAddress(), followerNode.httpAddress(), "cities", "cities-copy", "--json");
        assertThat(json.exit()).as("%s", json).isZero();
        JsonNode report = JSON.readTree(json.out());
        assertThat(report.path("identical").asBoolean()).isTrue();
        assertThat(report.path("shards")).hasSize(3);
    }

    @Test
    @Order(2)
    void exitsTwoOnErrors() {
        Run unreachable = verify("http://127.0.0.1:1", followerNode.httpAddress(), "cities", "cities-copy");
        assertThat(unreachable.exit()).as("%s", unreachable).isEqualTo(2);
        assertThat(unreachable.err()).contains("could not reach [http://127.0.0.1:1]");

        Run missing = verify(leaderNode.httpAddress(), followerNode.httpAddress(), "nope", "cities-copy");
        assertThat(missing.exit()).as("%s", missing).isEqualTo(2);
        assertThat(missing.err()).contains("index_not_found_exception");

        Run usage = verify(leaderNode.httpAddress(), followerNode.httpAddress(), "cities");
        assertThat(usage.exit()).as("%s", usage).isEqualTo(2);
    }

    @Test
    @Order(3)
    void exitsOneWhenADocumentDiffers() throws Exception {
        send(followerNode, "POST", "/cities-copy/_ccr/pause_follow", "");
        FollowerIndex index = followerNode.followers().get("cities-copy");
        String id = "c7";
        FollowerShard shard = index.shards().get(ShardRouting.shardFor(id, 3));
        byte[] source = "{\"name\":\"not city 7\"}".getBytes(StandardCharsets.UTF_8);
        shard.apply(Operation.index(id, source, 0, 1, 1, 0, index.leaderMetadata().historyUuid()),
                new DocumentMapper().parse(id, source, index.leaderMetadata().mappings()), shard.nextOffset() - 1,
                false);

        Run run = verify(leaderNode.httpAddress(), followerNode.httpAddress(), "cities", "cities-copy");
        assertThat(run.exit()).as("%s", run).isEqualTo(1);
        assertThat(run.out()).contains("different [c7]").contains("DIFFERENT: [cities-copy] against [cities]:"
                + " 0 missing, 0 extra, 1 different");
    }

    private static Run verify(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "verify";
        all[1] = "--leader";
        all[2] = args[0];
        all[3] = "--follower";
        all[4] = args[1];
        System.arraycopy(args, 2, all, 5, args.length - 2);
        return run(all);
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Kccr.commandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int exit = cmd.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private void awaitCaughtUp() {
        await("the follower to catch up").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> JSON.readTree(send(followerNode, "GET", "/cities-copy/_ccr/stats", null))
                        .at("/indices/0/shards"), shards -> {
                            boolean caughtUp = shards.size() == 3;
                            for (JsonNode s : shards) {
                                caughtUp &= s.path("follower_global_checkpoint").asLong(-2)
                                        == s.path("leader_global_checkpoint").asLong(-3)
                                        && s.path("consumer_lag_records").asLong(-1) == 0;
                            }
                            return caughtUp;
                        });
    }

    /** The response body of {@code method path}, which must succeed. */
    private static String send(Node node, String method, String path, String body) {
        Http.Response r = new Http(node.httpAddress()).request(method, path,
                body == null ? null : body.getBytes(StandardCharsets.UTF_8), "application/json");
        if (r.status() >= 300) {
            throw new AssertionError(r.toString());
        }
        return r.text();
    }
}
