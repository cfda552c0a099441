package io.kccr.node.ccr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.kccr.node.Node;
import io.kccr.node.sample.SampleData;
import io.kccr.testkit.ChildNode;
import io.kccr.testkit.Http;
import io.kccr.testkit.KafkaBroker;
import io.kccr.testkit.TestNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower node in its own JVM is killed with SIGKILL at random moments (0.5–3 s after each start; in one
 * cycle 11–13 s, past its Lucene commit interval, so that later starts begin from a commit) while its
 * leader (in the test JVM) takes continuous index / update / delete traffic, and restarted on the same
 * {@code path.data} each time; once in the middle the broker is stopped and restarted while everything streams. At
 * the end the follower holds exactly the leader's documents: no op lost, none applied twice or out of order (ids,
 * {@code _seq_no} and {@code _source} equal), every shard's checkpoint the leader's.
 */
class FollowerCrashIT {
    private static final String LEADER = "crash-src";
    private static final String FOLLOWER = "crash-dst";
    private static final int CYCLES = 20;
    private static final int BROKER_RESTART_CYCLE = CYCLES / 2;
    private static final Set<Integer> LONG_CYCLES = Set.of(4);
    private static final Duration CONVERGE = Duration.ofMinutes(3);

    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker();

    @TempDir
    Path data;

    private final List<ChildNode> started = new ArrayList<>();

    @AfterEach
    void killFollowers() {
        started.forEach(ChildNode::killQuietly);
    }

    @Test
    void killedFollowerConvergesToTheLeader() throws Exception {
        long seed = System.nanoTime();
        System.out.println("FollowerCrashIT seed " + seed);
        Random random = new Random(seed);
        List<byte[]> corpus = SampleData.documents().subList(0, 20_000);
        try (Node leaderNode = TestNode.on(kafka).dir(data.resolve("leader")).cluster("leader-cluster")
                .topicPrefix("lc").start()) {
            Http leader = new Http(leaderNode.httpAddress());
            Http.expect(200, leader.put("/" + LEADER, "{\"settings\":{\"number_of_shards\":3},\"mappings\":"
                    + SampleData.MAPPINGS + "}"), "create leader");
            Ccr.Traffic initial = new Ccr.Traffic(leader, LEADER, corpus, random.nextLong(), "k", 4_000);
            for (int i = 0; i < 10; i++) {
                initial.bulk(200);
            }

            TestNode followerSettings = TestNode.on(kafka).dir(data.resolve("follower")).cluster("follower-cluster")
                    .remote("leader", leader.hostPort());

            ChildNode follower = start(followerSettings, 0);
            Http.expect(200, follower.http().put("/" + FOLLOWER + "/_ccr/follow",
                    "{\"remote_cluster\":\"leader\",\"leader_index\":\"" + LEADER + "\"}"), "follow");

            // continuous leader traffic from here to the end of the kill cycles
            AtomicBoolean stopWriting = new AtomicBoolean();
            AtomicReference<Throwable> writerFailure = new AtomicReference<>();
            Ccr.Traffic traffic = new Ccr.Traffic(leader, LEADER, corpus, random.nextLong(), "k", 4_000).tolerant();
            Thread writer = new Thread(() -> {
                try {
                    while (!stopWriting.get()) {
                        traffic.bulk(50);
                        sleep(Duration.ofMillis(50)); // continuous, but leaves the two cores to the follower too
                    }
                } catch (Throwable t) {
                    writerFailure.set(t);
                }
            }, "leader-traffic");
            writer.setDaemon(true);
            writer.start();

            long t0 = System.nanoTime();
            int progressed = 0;
            int fromCommit = 0;
            for (int cycle = 1; cycle <= CYCLES; cycle++) {
                if (cycle > 1) {
                    follower = start(followerSettings, cycle);
                }
                if (cycle == BROKER_RESTART_CYCLE) {
                    sleep(Duration.ofMillis(500 + random.nextInt(1_500)));
                    long b0 = System.nanoTime();
                    kafka.stop();
                    sleep(Duration.ofMillis(random.nextInt(2_000))); // the broker stays away a while
                    kafka.restart();
                    // acknowledged ops, and those of the one bulk that may have been in flight
                    long leaderOpsAtRestart = initial.ops() + traffic.ops() + 50;
                    System.out.printf("cycle %d: broker stopped and restarted in %.1fs while streaming%n", cycle,
                            (System.nanoTime() - b0) / 1e9);
                    // the same follower process streams again: it gets past the ops the leader had when the
                    // broker came back, so it holds ops written after the restart
                    ChildNode current = follower;
                    await("the follower to apply ops the leader wrote after the broker restart")
                            .atMost(Duration.ofSeconds(90))
                            .until(() -> progress(current.http())[0] > leaderOpsAtRestart);
                    System.out.printf("cycle %d: streaming again %.1fs after the broker restart%n", cycle,
                            (System.nanoTime() - b0) / 1e9);
                }
                // the random moment of the kill; a few cycles live past the follower's Lucene commit interval
                // (10 s), so that later starts restore from a commit in the middle of the log, not from scratch
                sleep(Duration.ofMillis(LONG_CYCLES.contains(cycle) ? 11_000 + random.nextInt(2_000)
                        : 500 + random.nextInt(2_500)));
                long[] progress = progress(follower.http());
                follower.kill();
                if (progress[1] > 0) {
                    progressed++;
                }
                if (progress[0] > progress[1]) {
                    fromCommit++; // it held ops it did not apply itself: it started from a Lucene commit
                }
                System.out.printf("cycle %d: started in %.1fs, killed having applied %d ops, follower checkpoints %d"
                        + " (leader ops so far %d, failed bulks %d)%n", cycle, follower.startSeconds(), progress[1],
                        progress[0], initial.ops() + traffic.ops(), traffic.failedBulks());
                assertThat(writerFailure.get()).as("leader traffic").isNull();
            }
            stopWriting.set(true);
            writer.join(Duration.ofSeconds(60));
            assertThat(writer.isAlive()).as("writer stopped").isFalse();
            assertThat(writerFailure.get()).as("leader traffic").isNull();
            System.out.printf("%d kill cycles in %.0fs; %d leader ops during them (%d bulks, %d items failed around"
                    + " the broker restart); the follower applied ops in %d cycles, started from a Lucene commit in"
                    + " %d%n", CYCLES, (System.nanoTime() - t0) / 1e9, traffic.ops(), traffic.failedBulks(),
                    traffic.failedItems(), progressed, fromCommit);

            follower = start(followerSettings, CYCLES + 1);
            long c0 = System.nanoTime();
            Map<String, Ccr.Doc> expected = Ccr.awaitSameDocuments(leader, LEADER, follower.http(), FOLLOWER,
                    CONVERGE);
            ArrayNode stats = Ccr.awaitCaughtUp(follower.http(), FOLLOWER, CONVERGE);
            System.out.printf("converged to the leader's %d documents %.1fs after the last restart%n",
                    expected.size(), (System.nanoTime() - c0) / 1e9);
            long leaderOps = 0;
            for (JsonNode s : stats) {
                assertThat(s.path("follower_max_seq_no").asLong()).isEqualTo(s.path("leader_max_seq_no").asLong());
                leaderOps += s.path("leader_global_checkpoint").asLong() + 1;
            }
            long acknowledged = initial.ops() + traffic.ops();
            assertThat(leaderOps).as("the leader's ops (seq_nos 0..checkpoint per shard) vs acknowledged ops, and"
                    + " those whose outcome the broker restart left unknown").isBetween(acknowledged,
                    acknowledged + traffic.failedItems() + 50 * traffic.failedBulks());
            assertThat(traffic.ops()).as("leader ops during the kill cycles").isPositive();
            assertThat(progressed).as("cycles in which the follower applied ops before it was killed (else the kills"
                    + " hit nothing but startups)").isGreaterThanOrEqualTo(CYCLES / 2);
            assertThat(fromCommit).as("cycles that started from a Lucene commit (after a long cycle)").isPositive();
            JsonNode info = Ccr.info(follower.http(), FOLLOWER);
            assertThat(info.path("detailed_status").asText()).as("follower status: %s", info).isEqualTo("active");
            follower.stop();
        }
    }

    private ChildNode start(TestNode settings, int generation) throws Exception {
        ChildNode node = settings.startChild(Path.of("target", "follower-crash-it", "follower-" + generation + ".log"));
        started.add(node);
        return node;
    }

    /** Chaos timing: how long the system runs before the next fault. Never a stand-in for a condition. */
    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * The sum of the follower's shard checkpoints (+1 each) and of the ops this follower process has applied, or -1s
     * when its stats do not answer now.
     */
    private static long[] progress(Http follower) {
        try {
            Http.Response r = follower.get("/" + FOLLOWER + "/_ccr/stats");
            if (r.status() != 200) {
                return new long[] {-1, -1};
            }
            long checkpoints = 0;
            long written = 0;
            for (JsonNode s : r.json().at("/indices/0/shards")) {
                checkpoints += s.path("follower_global_checkpoint").asLong() + 1;
                written += s.path("operations_written").asLong();
            }
            return new long[] {checkpoints, written};
        } catch (RuntimeException e) {
            return new long[] {-1, -1};
        }
    }
}
