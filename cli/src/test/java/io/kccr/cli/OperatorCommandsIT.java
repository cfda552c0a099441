package io.kccr.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kccr.node.Node;
import io.kccr.node.sample.SampleData;
import io.kccr.testkit.Http;
import io.kccr.testkit.TestNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator commands against a real leader cluster (with the embedded broker) and follower cluster in this JVM,
 * through picocli as {@code bin/kccr} runs them: follow, stats, lag, pause, resume, unfollow; their exit codes,
 * output and the follower's resulting state. Tests run in order on one follower.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorCommandsIT {
    private static final String LEADER = "cities";
    private static final String FOLLOWER = "cities-copy";
    private static final int DOCS = 1_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    static Path data;

    private Node leaderNode;
    private Node followerNode;
    private NodeClient leader;
    private NodeClient follower;
    private String url;

    private static final String PASSWORD = TestNode.ELASTIC_PASSWORD;
    private static final String BASIC = Credentials.basic("elastic", PASSWORD);

    @BeforeAll
    void startClusters() throws Exception {
        // secured, as nodes are by default; the commands read the credentials from the environment
        Credentials.environment = Map.of("KCCR_USER", "elastic", "KCCR_PASSWORD", PASSWORD)::get;
        leaderNode = TestNode.withEmbeddedKafka().secured().dir(data.resolve("leader")).cluster("leader")
                .name("leader-1").start();
        leader = new NodeClient(leaderNode.httpAddress(), BASIC, null);
        String key = leader.post("/_security/cross_cluster/api_key", (ObjectNode) NodeClient.JSON.readTree(
                "{\"name\":\"follower\",\"access\":{\"replication\":[{\"names\":[\"*\"]}]}}")).path("encoded")
                .asText();
        followerNode = TestNode.on(leaderNode.kafkaBootstrapServers()).secured().dir(data.resolve("follower"))
                .cluster("follower").name("follower-1").topicPrefix("follower")
                .remote("leader", new Http(leaderNode.httpAddress()).hostPort())
                .setting("cluster.remote.leader.credentials", key).start();
        follower = new NodeClient(followerNode.httpAddress(), BASIC, null);
        url = followerNode.httpAddress();

        ObjectNode create = NodeClient.object();
        create.putObject("settings").put("number_of_shards", 2);
        create.set("mappings", NodeClient.JSON.readTree(SampleData.MAPPINGS));
        leader.put("/" + LEADER, create);
        List<byte[]> docs = SampleData.documents().subList(0, DOCS);
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < docs.size(); i++) {
            bulk.append("{\"index\":{\"_id\":\"").append(i).append("\"}}\n")
                    .append(new String(docs.get(i), StandardCharsets.UTF_8)).append('\n');
        }
        Http.Response r = new Http(leaderNode.httpAddress()).as("elastic", PASSWORD).bulk("/" + LEADER + "/_bulk?refresh=true",
                bulk.toString());
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.json().path("errors").asBoolean()).as("%s", r).isFalse();
    }

    @AfterAll
    void stop() {
        Credentials.environment = System::getenv;
        if (followerNode != null) {
            followerNode.close();
        }
        if (leaderNode != null) {
            leaderNode.close();
        }
    }

    private String status() {
        return FollowerWatch.info(follower, FOLLOWER).path("detailed_status").asText();
    }

    private long count(NodeClient node, String index) {
        return node.get("/" + index + "/_count").path("count").asLong();
    }

    @Test
    @Order(1)
    void followShowsTheBootstrapUntilActive() throws Exception {
        Cli follow = Cli.run("follow", "--url", url, "--remote-cluster", "leader", "--leader-index", LEADER,
                FOLLOWER);
        assertThat(follow.code()).as(follow.err()).isZero();
        assertThat(follow.out()).contains("PUT " + url + "/" + FOLLOWER + "/_ccr/follow ")
                .contains("bootstrapping [" + FOLLOWER + "] 100.0%")
                .contains("2/2 shards done")
                .contains("follower index [" + FOLLOWER + "] is active: it follows [leader:" + LEADER + "]");
        assertThat(status()).isEqualTo("active");
        await("the follower to have the leader's documents").atMost(TIMEOUT)
                .until(() -> count(follower, FOLLOWER) == DOCS);

        // the same name again: Elasticsearch's error, printed as error: <reason> (<type>)
        Cli again = Cli.run("follow", "--url", url, "--remote-cluster", "leader", "--leader-index", LEADER, "--wait",
                FOLLOWER);
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).startsWith("error: ").contains("(resource_already_exists_exception)");
    }

    @Test
    @Order(2)
    void followWithWaitReturnsActive() {
        Cli follow = Cli.run("follow", "--url", url, "--remote-cluster", "leader", "--leader-index", LEADER, "--wait",
                "second-copy");
        assertThat(follow.code()).as(follow.err()).isZero();
        assertThat(follow.out()).contains("?wait_for_active_shards=1").contains("is active");
        assertThat(FollowerWatch.info(follower, "second-copy").path("detailed_status").asText()).isEqualTo("active");
    }

    @Test
    @Order(3)
    void statsPrintsATableAndJson() throws Exception {
        Cli stats = Cli.run("stats", "--url", url, FOLLOWER);
        assertThat(stats.code()).isZero();
        List<String> lines = stats.out().lines().toList();
        assertThat(lines.getFirst()).startsWith("index").contains("shard", "status", "ops_lag", "lag_s", "docs");
        assertThat(lines).hasSize(3); // a row per shard
        assertThat(lines.get(1)).startsWith(FOLLOWER).contains("active").endsWith(Integer.toString(DOCS));

        Cli all = Cli.run("stats", "--url", url);
        assertThat(all.out()).contains(FOLLOWER).contains("second-copy");

        Cli json = Cli.run("stats", "--url", url, "--json", FOLLOWER);
        JsonNode parsed = NodeClient.JSON.readTree(json.out());
        assertThat(parsed.path("indices").get(0).path("index").asText()).isEqualTo(FOLLOWER);

        Cli missing = Cli.run("stats", "--url", url, "no-such-follower");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("error: no such index [no-such-follower] (index_not_found_exception)"
                + System.lineSeparator());
    }

    @Test
    @Order(4)
    void lagPrintsALinePerRefresh() {
        Cli lag = Cli.run("lag", "--url", url, "--count", "2", "--interval", "200ms");
        assertThat(lag.code()).isZero();
        List<String> lines = lag.out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains(FOLLOWER + " active ops_lag=0").contains("apply=-/s");
        assertThat(lines.get(1)).matches(".*" + FOLLOWER + " active ops_lag=0 lag=[0-9.]+s apply=\\d+/s.*");
    }

    @Test
    @Order(5)
    void pauseAndResume() throws Exception {
        Cli pause = Cli.run("pause", "--url", url, FOLLOWER);
        assertThat(pause.code()).isZero();
        assertThat(pause.out()).contains("follower index [" + FOLLOWER + "] paused");
        assertThat(status()).isEqualTo("paused");

        Cli twice = Cli.run("pause", "--url", url, FOLLOWER);
        assertThat(twice.code()).isEqualTo(1);
        assertThat(twice.err()).startsWith("error: ");

        ObjectNode doc = NodeClient.object().put("name", "Written while paused");
        leader.put("/" + LEADER + "/_doc/paused-1", doc);
        Cli resume = Cli.run("resume", "--url", url, FOLLOWER);
        assertThat(resume.code()).isZero();
        assertThat(status()).isEqualTo("active");
        await("the resumed follower to catch up").atMost(TIMEOUT).until(() -> count(follower, FOLLOWER) == DOCS + 1);
    }

    @Test
    @Order(6)
    void unfollowNeedsPausedAndClosedUnlessClose() {
        Cli plain = Cli.run("unfollow", "--url", url, FOLLOWER);
        assertThat(plain.code()).isEqualTo(1);
        assertThat(plain.err()).contains("because it has not been paused").contains("(illegal_argument_exception)");
        assertThat(status()).isEqualTo("active");

        Cli unfollow = Cli.run("unfollow", "--url", url, "--close", FOLLOWER);
        assertThat(unfollow.code()).as(unfollow.err()).isZero();
        assertThat(unfollow.out()).contains("paused [" + FOLLOWER + "]", "closed [" + FOLLOWER + "]",
                "no longer a follower", "opened [" + FOLLOWER + "]");
        assertThat(follower.get("/" + FOLLOWER + "/_ccr/info").path("follower_indices")).isEmpty();
        // a plain index of the follower cluster now: it takes writes
        follower.put("/" + FOLLOWER + "/_doc/after-unfollow?refresh=true", NodeClient.object().put("name", "x"));
        assertThat(count(follower, FOLLOWER)).isEqualTo(DOCS + 2);
    }

    @Test
    @Order(7)
    void withoutCredentialsA401SaysHowToAuthenticate() {
        Credentials.environment = Map.<String, String>of()::get;
        try {
            Cli stats = Cli.run("stats", "--url", url);
            assertThat(stats.code()).isEqualTo(1);
            assertThat(stats.err()).contains("(security_exception)").contains("authenticate with --user");
            Cli noFile = Cli.run("stats", "--url", url, "--netrc", data.resolve("no-such-netrc").toString());
            assertThat(noFile.code()).isEqualTo(2);
            assertThat(noFile.err()).startsWith("error: cannot read the netrc file");
            JsonNode key = leader.post("/_security/api_key", NodeClient.object().put("name", "ops"));
            Cli withKey = Cli.run("stats", "--url", leaderNode.httpAddress(), "--api-key", key.path("encoded").asText());
            assertThat(withKey.code()).as(withKey.err()).isZero();
        } finally {
            Credentials.environment = Map.of("KCCR_USER", "elastic", "KCCR_PASSWORD", PASSWORD)::get;
        }
    }

    @Test
    @Order(8)
    void anUnknownFollowerIsAnErrorForEveryCommand() {
        for (String command : List.of("pause", "resume", "unfollow")) {
            Cli r = Cli.run(command, "--url", url, "no-such-follower");
            assertThat(r.code()).as(command).isEqualTo(1);
            assertThat(r.err()).as(command).startsWith("error: ").endsWith(")" + System.lineSeparator());
        }
    }

    @Test
    @Order(9)
    void resetPasswordWorksOnARunningAndOnAStoppedNode() throws Exception {
        Cli running = Cli.run("reset-password", "-u", "elastic", "-E", "path.data=" + data.resolve("leader"));
        assertThat(running.code()).as(running.err()).isZero();
        assertThat(running.out()).contains("(applied by the running node)");
        String fresh = running.out().lines().filter(l -> l.startsWith("New password for user [elastic]: "))
                .findFirst().orElseThrow().substring("New password for user [elastic]: ".length());
        Http leaderHttp = new Http(leaderNode.httpAddress());
        assertThat(leaderHttp.as("elastic", fresh).get("/").status()).isEqualTo(200);
        assertThat(leaderHttp.as("elastic", PASSWORD).get("/").status()).isEqualTo(401);

        TestNode followerTemplate = TestNode.on(leaderNode.kafkaBootstrapServers()).secured()
                .dir(data.resolve("follower")).cluster("follower").name("follower-1").topicPrefix("follower");
        followerNode.close();
        followerNode = null;
        Cli stopped = Cli.run("reset-password", "-u", "elastic", "-E", "path.data=" + data.resolve("follower"));
        assertThat(stopped.code()).as(stopped.err()).isZero();
        assertThat(stopped.out()).contains("(the node is stopped: it applies it when it starts)");
        String next = stopped.out().lines().filter(l -> l.startsWith("New password for user [elastic]: "))
                .findFirst().orElseThrow().substring("New password for user [elastic]: ".length());
        followerNode = followerTemplate.start();
        assertThat(new Http(followerNode.httpAddress()).as("elastic", next).get("/").status()).isEqualTo(200);
    }
}
