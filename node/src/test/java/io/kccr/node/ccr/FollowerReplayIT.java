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
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays are harmless: the follower's consumer group (its Streams {@code application.id}) is reset to the start of
 * the leader's ops topic with the Admin API while the follower is paused; after resume every op comes again, none is
 * applied twice ({@code operations_skipped_duplicate} grows, {@code operations_written} does not) and the follower's
 * documents do not change. Twice, the second time with new leader writes in the replayed range's tail. The group is
 * visible to Kafka's tools, its lag (end offset − committed offset) going to 0 after catch-up. One node follows its
 * own index (the cluster names itself as remote).
 */
class FollowerReplayIT {
    private static final String CLUSTER = "replay-cluster";
    private static final String LEADER = "replay-src";
    private static final String FOLLOWER = "replay-dst";
    private static final String TOPIC = "ccr." + LEADER + ".ops";
    private static final String GROUP = "kccr-" + CLUSTER + "-follow-" + FOLLOWER;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker();

    @TempDir
    Path data;

    @Test
    void resettingTheConsumerGroupToEarliestChangesNothing() throws Exception {
        long seed = System.nanoTime();
        System.out.println("FollowerReplayIT seed " + seed);
        List<byte[]> corpus = SampleData.documents().subList(0, 10_000);
        Node node = TestNode.on(kafka).dir(data).cluster(CLUSTER).start();
        Map<String, Object> adminConfig = new HashMap<>();
        adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin admin = Admin.create(adminConfig)) {
            Http http = new Http(node.httpAddress());
            Http.expect(200, http.put("/_cluster/settings", "{\"persistent\":{\"cluster.remote.self.seeds\":\""
                    + http.hostPort() + "\"}}"), "remote self");
            Http.expect(200, http.put("/" + LEADER, "{\"settings\":{\"number_of_shards\":3},\"mappings\":"
                    + SampleData.MAPPINGS + "}"), "create leader");
            Ccr.Traffic traffic = new Ccr.Traffic(http, LEADER, corpus, seed, "r", 2_500);
            for (int i = 0; i < 20; i++) {
                traffic.bulk(200);
            }
            Http.expect(200, http.put("/" + FOLLOWER + "/_ccr/follow", "{\"remote_cluster\":\"self\","
                    + "\"leader_index\":\"" + LEADER + "\"}"), "follow");
            Ccr.awaitSameDocuments(http, LEADER, http, FOLLOWER, TIMEOUT);
            ArrayNode stats = Ccr.awaitCaughtUp(http, FOLLOWER, TIMEOUT);
            long leaderOps = leaderOps(stats);
            // the bootstrap copied the ops of the leader's commit, streaming wrote the rest, none twice
            assertThat(Ccr.sum(stats, "operations_written")).isLessThanOrEqualTo(leaderOps);
            assertThat(Ccr.sum(stats, "operations_skipped_duplicate")).isZero();
            awaitGroupLagZero(admin);

            for (int replay = 1; replay <= 2; replay++) {
                Map<String, Ccr.Doc> before = Ccr.documents(http, FOLLOWER);
                ArrayNode statsBefore = Ccr.shardStats(http, FOLLOWER);
                long skippedBefore = Ccr.sum(statsBefore, "operations_skipped_duplicate");
                long writtenBefore = Ccr.sum(statsBefore, "operations_written");
                long opsBefore = leaderOps(statsBefore);

                Http.expect(200, http.post("/" + FOLLOWER + "/_ccr/pause_follow", null), "pause");
                // the paused follower left its group: Kafka's tools see it empty and may reset its offsets at once
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(GROUP)).describedGroups()
                        .get(GROUP).get(30, TimeUnit.SECONDS);
                assertThat(group.members()).as("members of the paused follower's group").isEmpty();
                long newOps = 0;
                if (replay == 2) { // new leader writes while paused: the replay ends in ops never applied
                    long ops0 = traffic.ops();
                    for (int i = 0; i < 5; i++) {
                        traffic.bulk(100);
                    }
                    newOps = traffic.ops() - ops0;
                }
                long t0 = System.nanoTime();
                resetGroupToEarliest(admin);
                System.out.printf("replay %d: group reset to offset 0 %.1fs after pause%n", replay,
                        (System.nanoTime() - t0) / 1e9);
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                assertThat(committed).hasSize(3);
                assertThat(committed.values()).allSatisfy(o -> assertThat(o.offset()).isZero());

                Http.expect(200, http.post("/" + FOLLOWER + "/_ccr/resume_follow", "{}"), "resume");
                Map<String, Ccr.Doc> after = replay == 1 ? before : Ccr.documents(http, LEADER);
                Ccr.awaitDocuments(after, http, FOLLOWER, TIMEOUT);
                long expectedSkipped = skippedBefore + opsBefore;
                await("operations_skipped_duplicate to grow by the " + opsBefore + " replayed ops").atMost(TIMEOUT)
                        .until(() -> Ccr.sum(Ccr.shardStats(http, FOLLOWER), "operations_skipped_duplicate")
                                >= expectedSkipped);
                ArrayNode statsAfter = Ccr.awaitCaughtUp(http, FOLLOWER, TIMEOUT);
                awaitGroupLagZero(admin);
                assertThat(Ccr.differences(after, Ccr.documents(http, FOLLOWER), 10)).as("documents after replay %d",
                        replay).isEmpty();
                assertThat(leaderOps(statsAfter)).isEqualTo(opsBefore + newOps);
                assertThat(Ccr.sum(statsAfter, "operations_written")).as("ops written after replay %d: only new ones",
                        replay).isEqualTo(writtenBefore + newOps);
                assertThat(Ccr.sum(statsAfter, "operations_skipped_duplicate")).as("skipped after replay %d", replay)
                        .isGreaterThanOrEqualTo(expectedSkipped);
                System.out.printf("replay %d: %d ops replayed, %d new; skipped %d -> %d, written %d -> %d%n", replay,
                        opsBefore, newOps, skippedBefore, Ccr.sum(statsAfter, "operations_skipped_duplicate"),
                        writtenBefore, Ccr.sum(statsAfter, "operations_written"));
            }
            Ccr.awaitSameDocuments(http, LEADER, http, FOLLOWER, TIMEOUT);
        } finally {
            node.followers().close(); // Node.close() leaves followers running
            node.close();
        }
    }

    private static long leaderOps(ArrayNode stats) {
        long ops = 0;
        for (JsonNode s : stats) {
            ops += s.path("leader_global_checkpoint").asLong() + 1;
        }
        return ops;
    }

    /** Sets the group's offset of every partition to 0 (the group must be empty: the follower is paused). */
    private static void resetGroupToEarliest(Admin admin) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> zero = new HashMap<>();
        for (int p = 0; p < 3; p++) {
            zero.put(new TopicPartition(TOPIC, p), new OffsetAndMetadata(0));
        }
        admin.alterConsumerGroupOffsets(GROUP, zero).all().get(30, TimeUnit.SECONDS);
    }

    /** Waits until the group's committed offset of every partition is the partition's (read_committed) end. */
    private static void awaitGroupLagZero(Admin admin) {
        await("the consumer group's lag to be 0").atMost(TIMEOUT).until(() -> {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < 3; p++) {
                latest.put(new TopicPartition(TOPIC, p), OffsetSpec.latest());
            }
            var ends = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                    .get(30, TimeUnit.SECONDS);
            long lag = 0;
            for (var e : ends.entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                if (c == null) {
                    return false;
                }
                assertThat(c.offset()).as("committed offset of %s, at most the partition's end", e.getKey())
                        .isLessThanOrEqualTo(e.getValue().offset());
                lag += e.getValue().offset() - c.offset();
            }
            return lag == 0;
        });
    }
}
