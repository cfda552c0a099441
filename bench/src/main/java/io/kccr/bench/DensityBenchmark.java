package io.kccr.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kccr.node.Node;
import io.kccr.node.sample.SampleData;
import io.kccr.node.settings.NodeSettings;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.lucene.util.IOUtils;

/**
 * How many followers a node holds: one follower node (a JVM of its own, measured through {@code /proc}) follows N
 * one-shard leader indices of another node (this JVM, with the embedded broker that both use) through an
 * auto-follow pattern, as an auto-follow of daily indices would. Prints the follower node's threads, resident
 * memory and CPU when idle with 0 and with N followers, the time auto-follow took to follow all N (from the first
 * leader index created; the leader creates them one after another meanwhile), how soon a write to any leader is
 * visible on its follower (to a realtime get, and to a search) as p50/p99, what one more follower costs, and each
 * follower's lag as Kafka's own tools see it (its consumer group's committed offsets against the partition's end).
 */
public final class DensityBenchmark implements Benchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "d-";

    @Override
    public String name() {
        return "density";
    }

    @Override
    public String description() {
        return "one node following N one-shard leader indices via auto-follow: threads, RSS, idle CPU, visibility"
                + " p50/p99, time to follow N, cost of one more follower (goals at 1,000: <= 300 threads, RSS <= 1.5 GB,"
                + " idle CPU <= 5%, visible within 1 s p99, followed within 5 min)";
    }

    /** A short round: 50 followers, shorter idle windows, fewer writes. */
    @Override
    public List<String> quickArgs() {
        return List.of("--followers", "50", "--idle-seconds", "5", "--writes", "50");
    }

    @Override
    public void run(List<String> argList, PrintStream out) throws Exception {
        BenchArgs args = new BenchArgs(argList);
        if (args.has("--help")) {
            out.println("kccr bench density [--followers N (1000)] [--docs N per index (100)] [--writes N (200)]"
                    + " [--idle-seconds N (30)] [--follower-jvm \"-Xms1g -Xmx1g\"]");
            return;
        }
        int followers = args.intOption("--followers", 1000);
        int docsPerIndex = args.intOption("--docs", 100);
        int writes = args.intOption("--writes", 200);
        int idleSeconds = args.intOption("--idle-seconds", 30);
        List<String> jvm = List.of(args.stringOption("--follower-jvm", "-Xms1g -Xmx1g").split(" "));
        if (followers < 1 || docsPerIndex < 1) {
            throw new IllegalArgumentException("--followers and --docs must be at least 1");
        }
        byte[] documents = Corpus.geonames(docsPerIndex).bulkBody(0, docsPerIndex); // each leader index's
        Path work = Files.createTempDirectory("kccr-bench-density");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        out.printf("follower node JVM options %s%n", jvm);
        try (Node leader = Node.start(NodeSettings.of(Map.of("path.data", work.resolve("leader").toString(),
                "http.port", "0", "kafka.embedded.port", "0", "cluster.name", "leader", "ccr.topic.prefix", "leader",
                "xpack.security.enabled", "false")))) {
            String leaderUrl = leader.httpAddress();
            Map<String, String> followerSettings = new HashMap<>();
            followerSettings.put("path.data", work.resolve("follower").toString());
            followerSettings.put("http.port", "0");
            followerSettings.put("xpack.security.enabled", "false"); // measures density, not security
            followerSettings.put("cluster.name", "follower");
            followerSettings.put("ccr.topic.prefix", "follower");
            followerSettings.put("kafka.bootstrap.servers", leader.kafkaBootstrapServers());
            // the leader's embedded broker is a single one: the follower node would refuse it otherwise
            followerSettings.put("ccr.topic.allow_unsafe_durability", "true");
            followerSettings.put("cluster.remote.leader.seeds", leaderUrl.substring("http://".length()));
            try (NodeProcess follower = NodeProcess.start(jvm, followerSettings, work.resolve("follower.log"))) {
                String f = follower.httpAddress();
                Idle base = idle(follower, idleSeconds, out, "0 followers");

                Http.send(http, "PUT", f + "/_ccr/auto_follow/density", "{\"remote_cluster\":\"leader\","
                        + "\"leader_index_patterns\":[\"" + PREFIX + "*\"],\"follow_index_pattern\":\"{{leader_index}}-f\"}");
                long t0 = System.nanoTime();
                Thread creator = new Thread(() -> createLeaders(http, leaderUrl, followers, documents, out),
                        "create-leaders");
                creator.start();
                long created = awaitFollowed(http, f, followers, docsPerIndex, t0, creator, out);
                long followedNanos = System.nanoTime() - t0;
                out.printf("auto-follow: %,d followers active, each with its %d documents, %.1f s after the first leader"
                        + " index was created (the leader created them in %.1f s; the last followed %.1f s after the"
                        + " last was created)%n", followers, docsPerIndex, followedNanos / 1e9, created / 1e9,
                        (followedNanos - created) / 1e9);

                Idle loaded = idle(follower, idleSeconds, out, followers + " followers");
                Visibility v = visibility(http, leaderUrl, f, followers, writes);
                out.printf("visibility of a write to a random leader on its follower, %d writes, one at a time:%n"
                        + "  realtime get (applied): p50 %.0f ms   p99 %.0f ms%n"
                        + "  search (searchable):    p50 %.0f ms   p99 %.0f ms (goal p99 <= 1000 ms)%n", writes,
                        Stats.percentile(v.applied(), 50) / 1e6, Stats.percentile(v.applied(), 99) / 1e6,
                        Stats.percentile(v.searchable(), 50) / 1e6, Stats.percentile(v.searchable(), 99) / 1e6);
                oneMore(http, leaderUrl, f, documents, docsPerIndex, out);
                kafkaTools(leader.kafkaBootstrapServers(), followers, out);
                ProcStats end = follower.stats();
                out.printf("%nsummary (follower node): %d followers; threads %d (0 followers: %d; goal <= 300);"
                                + " RSS %s (0 followers: %s; peak %s; goal <= 1.5 GB); idle CPU %.1f%% of a core"
                                + " (0 followers: %.1f%%; goal <= 5%%); per follower %.3f threads, %s RSS%n",
                        followers, loaded.threads(), base.threads(), ProcStats.mb(loaded.rss()), ProcStats.mb(base.rss()),
                        ProcStats.mb(end.peakRssBytes()), loaded.cpuPercent(), base.cpuPercent(),
                        (loaded.threads() - base.threads()) / (double) followers,
                        String.format("%.2f MB", (loaded.rss() - base.rss()) / 1048576.0 / followers));
                out.printf("at the end: %s%n", Machine.load());
            }
        } finally {
            IOUtils.rm(work);
        }
    }

    /** Idle figures of the follower node: threads, RSS, CPU over a window. */
    private record Idle(int threads, long rss, double cpuPercent) {
    }

    private static Idle idle(NodeProcess node, int seconds, PrintStream out, String what) throws Exception {
        Thread.sleep(5_000); // let what just happened settle (JIT, GC, the last refreshes and commits)
        ProcStats a = node.stats();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        ProcStats b = node.stats();
        double cpu = 100.0 * (b.cpuNanos() - a.cpuNanos()) / (System.nanoTime() - t0);
        out.printf("idle, %s: threads %d, RSS %s, CPU %.1f%% of a core over %d s (%s)%n", what,
                b.threads(), ProcStats.mb(b.rssBytes()), cpu, seconds, Machine.load());
        return new Idle(b.threads(), b.rssBytes(), cpu);
    }

    /** Creates the leader indices, 4 at a time, each with its documents; prints progress. */
    private static void createLeaders(HttpClient http, String leader, int n, byte[] documents, PrintStream out) {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicInteger done = new AtomicInteger();
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String name = String.format("%s%04d", PREFIX, i);
                all.add(pool.submit(() -> {
                    Http.send(http, "PUT", leader + "/" + name, "{\"settings\":{\"number_of_shards\":1},\"mappings\":"
                            + SampleData.MAPPINGS + "}");
                    Http.bulk(http, leader + "/" + name + "/_bulk", documents);
                    if (done.incrementAndGet() % 100 == 0) {
                        out.printf("  leader: %d indices created%n", done.get());
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("creating the leader indices failed", e);
        } finally {
            pool.shutdown();
        }
    }

    /** Waits until every follower holds its documents; returns how long the leader took to create its indices. */
    private static long awaitFollowed(HttpClient http, String f, int n, int docs, long t0, Thread creator,
                                      PrintStream out) throws Exception {
        long createdNanos = -1;
        long lastReport = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (createdNanos < 0 && !creator.isAlive()) {
                createdNanos = System.nanoTime() - t0;
            }
            int complete = 0;
            for (JsonNode index : JSON.readTree(Http.send(http, "GET", f + "/_cat/indices?format=json&h=index,docs.count",
                    ""))) {
                if (index.path("index").asText().startsWith(PREFIX) && index.path("docs.count").asLong() >= docs) {
                    complete++;
                }
            }
            if (complete >= n && createdNanos >= 0) {
                return createdNanos;
            }
            if (System.nanoTime() - lastReport > 15_000_000_000L) {
                lastReport = System.nanoTime();
                out.printf("  follower: %d of %d followers hold their documents after %.0f s%n", complete, n,
                        (lastReport - t0) / 1e9);
            }
            Thread.sleep(1000);
        }
        throw new IllegalStateException("not every follower held its documents within 30 minutes");
    }

    private record Visibility(long[] applied, long[] searchable) {
    }

    /** One write at a time to a random leader index; how long until the follower gets it, and finds it. */
    private static Visibility visibility(HttpClient http, String leader, String f, int n, int writes)
            throws Exception {
        Random random = new Random(42);
        long[] applied = new long[writes];
        long[] searchable = new long[writes];
        for (int i = 0; i < writes; i++) {
            String index = String.format("%s%04d", PREFIX, random.nextInt(n));
            String id = "v" + i;
            Http.send(http, "PUT", leader + "/" + index + "/_doc/" + id, "{\"name\":\"visible " + i + "\"}");
            long ack = System.nanoTime();
            String query = "{\"query\":{\"ids\":{\"values\":[\"" + id + "\"]}},\"size\":0}";
            long got = 0;
            long found = 0;
            long deadline = ack + 30_000_000_000L;
            while ((got == 0 || found == 0) && System.nanoTime() < deadline) {
                // 404 until the follower has it
                if (got == 0 && Http.status(http, "GET", f + "/" + index + "-f/_doc/" + id + "?_source=false") == 200) {
                    got = System.nanoTime();
                }
                if (found == 0 && JSON.readTree(Http.send(http, "POST", f + "/" + index + "-f/_search", query))
                        .path("hits").path("total").path("value").asLong() > 0) {
                    found = System.nanoTime();
                }
                Thread.sleep(5);
            }
            if (got == 0 || found == 0) {
                throw new IllegalStateException("write " + id + " to [" + index + "] not visible on its follower in 30 s");
            }
            applied[i] = got - ack;
            searchable[i] = found - ack;
        }
        return new Visibility(applied, searchable);
    }

    /** Follows one more leader index with the follow API while the others are followed, and times it. */
    private static void oneMore(HttpClient http, String leader, String f, byte[] documents, int docs,
                                PrintStream out) throws Exception {
        Http.send(http, "PUT", leader + "/extra", "{\"settings\":{\"number_of_shards\":1},\"mappings\":"
                + SampleData.MAPPINGS + "}");
        Http.bulk(http, leader + "/extra/_bulk", documents);
        long t0 = System.nanoTime();
        Http.send(http, "PUT", f + "/extra-f/_ccr/follow?wait_for_active_shards=1",
                "{\"remote_cluster\":\"leader\",\"leader_index\":\"extra\"}");
        long active = System.nanoTime() - t0;
        Http.send(http, "PUT", leader + "/extra/_doc/after-follow", "{\"name\":\"after\"}");
        long ack = System.nanoTime();
        while (Http.status(http, "GET", f + "/extra-f/_doc/after-follow?_source=false") != 200) { // 404 until applied
            if (System.nanoTime() - ack > 60_000_000_000L) {
                throw new IllegalStateException("the write to [extra] was not applied on [extra-f] within 60 s");
            }
            Thread.sleep(2);
        }
        out.printf("one more follower (follow API, %d documents, bootstrap included): active %.0f ms after the"
                + " request; its first write after that applied %.0f ms after the leader's ack%n", docs, active / 1e6,
                (System.nanoTime() - ack) / 1e6);
    }

    /** What Kafka's own tools see: the followers' consumer groups and their lag. */
    private static void kafkaTools(String bootstrap, int followers, PrintStream out) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            List<String> groups = new ArrayList<>();
            for (ConsumerGroupListing g : admin.listConsumerGroups().all().get()) {
                if (g.groupId().startsWith("kccr-follower-follow-" + PREFIX)) {
                    groups.add(g.groupId());
                }
            }
            Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
            groups.forEach(g -> specs.put(g, new ListConsumerGroupOffsetsSpec()));
            Map<TopicPartition, Long> committed = new HashMap<>();
            admin.listConsumerGroupOffsets(specs).all().get().forEach((g, offsets) -> offsets.forEach((tp, o) -> {
                if (o != null) {
                    committed.put(tp, ((OffsetAndMetadata) o).offset());
                }
            }));
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            long lag = 0;
            var ends = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get();
            for (var e : ends.entrySet()) {
                lag += Math.max(0, e.getValue().offset() - committed.get(e.getKey()));
            }
            out.printf("Kafka's tools: %d consumer groups kccr-follower-follow-%s*-f (of %d followers) with committed"
                    + " offsets; their total lag %d records (see kafka-consumer-groups.sh --describe --group"
                    + " kccr-follower-follow-%s0000-f)%n", groups.size(), PREFIX, followers, lag, PREFIX);
        }
    }
}
