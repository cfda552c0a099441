package io.kccr.node.ccr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kccr.testkit.Http;
import io.kccr.testkit.KafkaBroker;
import io.kccr.testkit.TwoClusters;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} of a leader node and a follower node: the leader's per-shard publish series
 * count exactly the ops written, the followers' series reach them (ops applied, no lag, status
 * active), and a follower's series disappear when it is unfollowed or deleted, a leader index's when
 * it is deleted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsIT {
    private static final String LEADER = "orders";
    private static final String UNFOLLOWED = "orders-copy";
    private static final String DELETED = "orders-copy2";
    private static final String REMOTE = TwoClusters.REMOTE;
    private static final int SHARDS = 2;
    private static final int BULKS = 4;
    private static final int BULK_SIZE = 250;
    private static final int SINGLE_WRITES = 20;
    private static final int OPS = BULKS * BULK_SIZE + SINGLE_WRITES;
    private static final Duration CATCH_UP = Duration.ofSeconds(90);

    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker();

    @TempDir
    static Path data;

    private TwoClusters clusters;
    private Http leader;
    private Http follower;

    /** One scraped sample: series name, labels, value. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    @BeforeAll
    void startClusters() throws Exception {
        clusters = TwoClusters.start(kafka, data);
        leader = clusters.leader();
        follower = clusters.follower();
    }

    @AfterAll
    void stop() {
        if (clusters != null) {
            clusters.close();
        }
    }

    @Test
    void seriesFollowReplicationAndGoWithTheirIndices() throws Exception {
        Http.expect(200, leader.put("/" + LEADER, "{\"settings\":{\"number_of_shards\":" + SHARDS + "}}"), "create");
        for (String f : List.of(UNFOLLOWED, DELETED)) {
            Http.expect(200, follower.put("/" + f + "/_ccr/follow?wait_for_active_shards=1", "{\"remote_cluster\":\""
                    + REMOTE + "\",\"leader_index\":\"" + LEADER + "\"}"), "follow " + f);
        }
        for (int b = 0; b < BULKS; b++) {
            ByteArrayOutputStream bulk = new ByteArrayOutputStream();
            for (int i = 0; i < BULK_SIZE; i++) {
                bulk.writeBytes(("{\"index\":{\"_id\":\"b" + b + "-" + i + "\"}}\n{\"n\":" + i + "}\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            Http.Response bulked = Http.expect(200, leader.bulk("/" + LEADER + "/_bulk", bulk.toByteArray()), "bulk");
            assertThat(bulked.json().path("errors").asBoolean()).as("bulk errors: %s", bulked).isFalse();
        }
        for (int i = 0; i < SINGLE_WRITES; i++) {
            Http.expect(201, leader.put("/" + LEADER + "/_doc/s" + i, "{\"n\":" + i + "}"), "index s" + i);
        }

        // the leader: every op committed to Kafka counted once, per shard, with its latency and max seq_no
        Http.Response scraped = leader.get("/metrics");
        assertThat(scraped.status()).isEqualTo(200);
        assertThat(scraped.header("Content-Type")).startsWith("text/plain; version=0.0.4");
        List<Sample> leaderSeries = parse(scraped.text());
        Map<String, String> shard0 = Map.of("index", LEADER, "shard", "0");
        assertThat(find(leaderSeries, "kccr_leader_ops_published_total", shard0)).as("shard 0 published").isNotNull();
        assertThat(sum(leaderSeries, "kccr_leader_ops_published_total", LEADER)).isEqualTo(OPS);
        // seq_nos count from 0 in each shard: max seq_no + 1 is the shard's op count
        assertThat(sum(leaderSeries, "kccr_leader_max_seq_no", LEADER) + SHARDS).isEqualTo(OPS);
        // one latency sample per request and shard: each bulk (it has items for every shard) and each single write
        assertThat(sum(leaderSeries, "kccr_leader_publish_latency_seconds_count", LEADER))
                .isEqualTo(SHARDS * BULKS + SINGLE_WRITES);
        for (int shard = 0; shard < SHARDS; shard++) {
            Map<String, String> labels = Map.of("index", LEADER, "shard", Integer.toString(shard));
            double count = find(leaderSeries, "kccr_leader_publish_latency_seconds_count", labels).value();
            assertThat(count).as("latency samples of shard %s", shard).isGreaterThanOrEqualTo(BULKS);
            assertThat(find(leaderSeries, "kccr_leader_publish_latency_seconds_sum", labels).value()).isPositive();
            assertThat(find(leaderSeries, "kccr_leader_publish_latency_seconds_max", labels).value()).isPositive();
            Map<String, String> inf = new TreeMap<>(labels);
            inf.put("le", "+Inf");
            assertThat(find(leaderSeries, "kccr_leader_publish_latency_seconds_bucket", inf).value()).isEqualTo(count);
        }
        for (String jvm : List.of("jvm_memory_used_bytes", "jvm_threads_live_threads", "system_cpu_count",
                "process_uptime_seconds", "jvm_gc_")) {
            assertThat(leaderSeries.stream().anyMatch(s -> s.name().startsWith(jvm))).as("JVM series %s", jvm)
                    .isTrue();
        }

        // the followers: all applied, nothing skipped, no lag, active; the empty leader was bootstrapped in full
        for (String f : List.of(UNFOLLOWED, DELETED)) {
            await(f + " applying all " + OPS + " ops, per its metrics").atMost(CATCH_UP).until(() -> {
                List<Sample> s = parse(follower.get("/metrics").text());
                return sum(s, "kccr_follower_ops_applied_total", f) == OPS
                        && sum(s, "kccr_follower_ops_lag", f) == 0
                        && sum(s, "kccr_follower_consumer_lag_records", f) == 0;
            });
        }
        List<Sample> followerSeries = parse(follower.get("/metrics").text());
        Map<Integer, Double> skippedPerStats = new HashMap<>();
        Ccr.shardStats(follower, UNFOLLOWED).forEach(s -> skippedPerStats.put(s.path("shard_id").asInt(),
                s.path("operations_skipped_duplicate").asDouble()));
        for (int shard = 0; shard < SHARDS; shard++) {
            Map<String, String> labels = Map.of("index", UNFOLLOWED, "leader_index", LEADER, "remote_cluster", REMOTE,
                    "shard", Integer.toString(shard));
            for (String name : List.of("kccr_follower_ops_lag", "kccr_follower_lag_seconds",
                    "kccr_follower_consumer_lag_records")) {
                assertThat(find(followerSeries, name, labels).value()).as("%s %s", name, labels).isZero();
            }
            assertThat(find(followerSeries, "kccr_follower_ops_applied_total", labels).value()).isPositive();
            // a redelivery after a rebalance is skipped, not applied twice: counted as the stats API counts it
            assertThat(find(followerSeries, "kccr_follower_ops_skipped_total", labels).value())
                    .isEqualTo(skippedPerStats.get(shard));
            double total = find(followerSeries, "kccr_follower_bootstrap_bytes_total", labels).value();
            assertThat(find(followerSeries, "kccr_follower_bootstrap_bytes_recovered", labels).value())
                    .isEqualTo(total);
        }
        assertThat(statuses(followerSeries, UNFOLLOWED)).isEqualTo(Map.of("active", 1.0, "bootstrapping", 0.0,
                "rebuilding", 0.0, "paused", 0.0, "failed", 0.0));
        assertThat(followerSeries.stream().filter(s -> s.name().startsWith("kccr_leader_"))).as("no leader index on"
                + " the follower node yet").isEmpty();

        // pause shows in the status; after unfollow the index is a leader index, with none of the follower series
        Http.expect(200, follower.post("/" + UNFOLLOWED + "/_ccr/pause_follow", null), "pause");
        assertThat(statuses(parse(follower.get("/metrics").text()), UNFOLLOWED)).containsEntry("paused", 1.0)
                .containsEntry("active", 0.0);
        Http.expect(200, follower.post("/" + UNFOLLOWED + "/_close", null), "close");
        Http.expect(200, follower.post("/" + UNFOLLOWED + "/_ccr/unfollow", null), "unfollow");
        Http.expect(200, follower.request("DELETE", "/" + DELETED, null, null), "delete follower");
        followerSeries = parse(follower.get("/metrics").text());
        assertThat(followerSeries.stream().filter(s -> s.name().startsWith("kccr_follower_"))).isEmpty();

        // a deleted leader index takes its series with it
        Http.expect(200, leader.request("DELETE", "/" + LEADER, null, null), "delete leader");
        leaderSeries = parse(leader.get("/metrics").text());
        assertThat(leaderSeries.stream().filter(s -> LEADER.equals(s.labels().get("index")))).isEmpty();
    }

    private static Map<String, Double> statuses(List<Sample> series, String index) {
        Map<String, Double> out = new TreeMap<>();
        for (Sample s : series) {
            if (s.name().equals("kccr_follower_status") && index.equals(s.labels().get("index"))) {
                assertThat(s.labels().keySet()).isEqualTo(Set.of("index", "status"));
                out.put(s.labels().get("status"), s.value());
            }
        }
        return out;
    }

    /** The sample of {@code name} with exactly {@code labels}; fails when there is none. */
    private static Sample find(List<Sample> series, String name, Map<String, String> labels) {
        for (Sample s : series) {
            if (s.name().equals(name) && s.labels().equals(labels)) {
                return s;
            }
        }
        throw new AssertionError("no " + name + labels + " in " + series.stream().filter(s -> s.name().equals(name))
                .toList());
    }

    /** The sum of {@code name} over the shards of {@code index}. */
    private static double sum(List<Sample> series, String name, String index) {
        return series.stream().filter(s -> s.name().equals(name) && index.equals(s.labels().get("index")))
                .mapToDouble(Sample::value).sum();
    }

    private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    /** The samples of a Prometheus text exposition (0.0.4). */
    private static List<Sample> parse(String text) {
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            assertThat(m.matches()).as("exposition line [%s]", line).isTrue();
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            out.add(new Sample(m.group(1), Map.copyOf(labels), Double.parseDouble(m.group(3))));
        }
        return out;
    }
}
