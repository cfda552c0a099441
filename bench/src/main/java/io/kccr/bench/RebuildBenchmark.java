package io.kccr.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kccr.leader.LeaderIndex;
import io.kccr.node.Node;
import io.kccr.node.settings.NodeSettings;
import io.kccr.node.sample.SampleData;
import io.kccr.core.kafka.TopicNames;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.lucene.util.IOUtils;

/**
 * A follower rebuilt from its leader's log against its limit, in one run, on the GeoNames corpus (cycled, with
 * distinct ids, past its 171,075 documents: {@code --docs}): (a) raw Lucene indexing of the same documents with the
 * same mapper, one thread, committed ({@link RawLucene}), and (a') at the rebuild's parallelism, one IndexWriter per
 * shard and one thread per shard up to the cores; (b) {@code POST /<follower>/_ccr/rebuild} replaying the leader's
 * compacted ops topic into a fresh index (one consumer and one writer per shard), from the request until the
 * last shard's replay committed (its {@code stop_time_in_millis} in {@code GET /<follower>/_recovery});
 * the request-to-{@code active} wall time is printed too. Prints the rates, (b)/(a') (goal >= 0.9) and (b)/(a) per
 * run and of the medians, and the process's memory.
 */
public final class RebuildBenchmark implements Benchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FOLLOWER = "geonames-f";
    private static final Duration TIMEOUT = Duration.ofMinutes(15);

    @Override
    public String name() {
        return "rebuild";
    }

    @Override
    public String description() {
        return "a follower rebuilt from the leader's compacted GeoNames log (_ccr/rebuild) vs raw Lucene at the same"
                + " parallelism (ratio, goal >= 0.9)";
    }

    @Override
    public void run(List<String> argList, PrintStream out) throws Exception {
        BenchArgs args = new BenchArgs(argList);
        if (args.has("--help")) {
            out.println("kccr bench rebuild [--runs N (3)] [--docs N (171075; more cycles the corpus with new ids)]");
            return;
        }
        int runs = args.intOption("--runs", 3);
        int n = args.intOption("--docs", 171_075);
        if (runs < 1 || n < 1) {
            throw new IllegalArgumentException("--runs and --docs must be at least 1");
        }
        Corpus corpus = Corpus.geonames(n);
        List<byte[]> docs = corpus.documents();
        Path work = Files.createTempDirectory("kccr-bench-rebuild");
        NodeSettings settings = NodeSettings.of(Map.of("path.data", work.resolve("node").toString(), "http.port", "0",
                "kafka.embedded.port", "0", "xpack.security.enabled", "false"));
        try (Node node = Node.start(settings)) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String base = node.httpAddress();
            Http.send(http, "PUT", base + "/_cluster/settings", "{\"persistent\":{\"cluster.remote.self.seeds\":\""
                    + base.substring("http://".length()) + "\"}}");
            LeaderIndex leader = node.indices().create(SampleData.INDEX, SampleData.settings(), SampleData.mappings());
            out.printf("loading %,d GeoNames documents into the leader [%s], 3 shards (data: GeoNames, CC BY 4.0)...%n",
                    docs.size(), leader.name());
            SampleData.index(leader, docs, Duration.ofSeconds(60), null);
            describeTopic(node, leader.name(), docs.size(), out);
            out.printf("following [%s] as [%s] (bootstrap from the leader's files)...%n", leader.name(), FOLLOWER);
            Http.send(http, "PUT", base + "/" + FOLLOWER + "/_ccr/follow?wait_for_active_shards=1&timeout=10m",
                    "{\"remote_cluster\":\"self\",\"leader_index\":\"" + leader.name() + "\"}");
            awaitCount(http, base, docs.size());
            out.printf("(a) one thread, one IndexWriter; (a') one IndexWriter per shard (3), a thread per shard up to"
                    + " the cores; (b) one replay consumer and IndexWriter per shard (3), the embedded broker in the same"
                    + " process; %s%n", Machine.load());
            out.println("warm-up run (not counted)...");
            lucene(corpus, work.resolve("lucene-warmup"), 3);
            rebuild(http, base, docs.size());
            List<Double> lucene = new ArrayList<>();
            List<Double> parallel = new ArrayList<>();
            List<Double> rebuilt = new ArrayList<>();
            List<Double> cpuParallel = new ArrayList<>();
            List<Double> cpuRebuild = new ArrayList<>();
            String shape = "";
            for (int run = 1; run <= runs; run++) {
                double a = lucene(corpus, work.resolve("lucene-1-" + run), 1).docsPerSecond();
                RawLucene.Run p = lucene(corpus, work.resolve("lucene-3-" + run), 3);
                shape = p.describe();
                Rebuild r = rebuild(http, base, docs.size());
                double b = docs.size() / (r.finishedMillis() / 1e3);
                lucene.add(a);
                parallel.add(p.docsPerSecond());
                rebuilt.add(b);
                cpuParallel.add(p.cpuSecondsPerMillion());
                cpuRebuild.add(r.cpuSecondsPerMillion());
                out.printf("run %d: (a) raw Lucene, 1 thread %,.0f docs/s   (a') raw Lucene, %s %,.0f docs/s (CPU %.1f s"
                        + " per 1M docs)   (b) rebuild %,.0f docs/s (CPU %.1f s per 1M docs; %,d ms to the last shard"
                        + " committed; replay alone %,d ms; request to active %,d ms, polled every 100 ms)   (b)/(a')"
                        + " %.2f   (b)/(a) %.2f   %s%n", run, a, shape, p.docsPerSecond(), p.cpuSecondsPerMillion(), b,
                        r.cpuSecondsPerMillion(), r.finishedMillis(), r.replayMillis(), r.activeMillis(),
                        b / p.docsPerSecond(), b / a, Machine.load());
            }
            double ma = Stats.median(lucene);
            double map = Stats.median(parallel);
            double mb = Stats.median(rebuilt);
            double cpa = Stats.median(cpuParallel);
            double cpb = Stats.median(cpuRebuild);
            out.printf("median of %d runs, %,d docs: (a) 1 thread %,.0f docs/s   (a') %s %,.0f docs/s   (b) rebuild"
                    + " %,.0f docs/s   (b)/(a') %.2f (goal >= 0.9)   (b)/(a) %.2f   process CPU per 1M docs: (a') %.1f s"
                    + " (b) %.1f s, (a')/(b) %.2f%n", runs, docs.size(), ma, shape, map, mb, mb / map, mb / ma, cpa, cpb,
                    cpa / cpb);
            out.printf("memory (one JVM: the node, its broker, leader and follower): %s; %s%n", Machine.memory(),
                    Machine.load());
        } finally {
            IOUtils.rm(work);
        }
    }

    /** (a) or (a'), its index deleted afterwards (outside the timing) to keep the disk's state alike between runs. */
    private static RawLucene.Run lucene(Corpus corpus, Path dir, int shards) throws Exception {
        try {
            return RawLucene.parallel(corpus, dir, shards);
        } finally {
            IOUtils.rm(dir);
        }
    }

    /**
     * (b): asks for a rebuild to the log's end, polls {@code _ccr/info} every 100 ms until the follower
     * is no longer rebuilding, then reads each shard's replay times from {@code _recovery}. The rate is taken from
     * those server-side times, so the poll need not be fine: at 10 ms its HTTP requests took a seventh of the two
     * cores the replay runs on.
     */
    private static Rebuild rebuild(HttpClient http, String base, int docs) throws Exception {
        long requestMillis = System.currentTimeMillis();
        long cpu0 = Machine.processCpuNanos();
        long t0 = System.nanoTime();
        Http.send(http, "POST", base + "/" + FOLLOWER + "/_ccr/rebuild", "{}");
        String status = awaitNotRebuilding(http, base);
        long activeMillis = (System.nanoTime() - t0) / 1_000_000;
        long cpuNanos = Machine.processCpuNanos() - cpu0;
        if (!status.equals("active")) {
            throw new IllegalStateException("the rebuild ended with status [" + status + "]: "
                    + Http.send(http, "GET", base + "/" + FOLLOWER + "/_ccr/info", ""));
        }
        JsonNode shards = JSON.readTree(Http.send(http, "GET", base + "/" + FOLLOWER + "/_recovery", ""))
                .path(FOLLOWER).path("shards");
        long firstStart = Long.MAX_VALUE;
        long lastStop = 0;
        for (JsonNode shard : shards) {
            if (!shard.path("type").asText().equals("LOG_REPLAY") || !shard.has("stop_time_in_millis")) {
                throw new IllegalStateException("expected every shard replayed from the log, got " + shards);
            }
            firstStart = Math.min(firstStart, shard.get("start_time_in_millis").asLong());
            lastStop = Math.max(lastStop, shard.get("stop_time_in_millis").asLong());
        }
        awaitCount(http, base, docs);
        return new Rebuild(Math.max(1, lastStop - requestMillis), lastStop - firstStart, activeMillis,
                cpuNanos / 1e9 / docs * 1e6);
    }

    /**
     * A rebuild's times in ms: from the request until the last shard's replay committed; from the first
     * shard's replay start to that; from the request until {@code _ccr/info} showed {@code active}; and the process's
     * CPU seconds per million documents until then (the node, its broker serving the reads, the status polls).
     */
    private record Rebuild(long finishedMillis, long replayMillis, long activeMillis, double cpuSecondsPerMillion) {
    }

    private static String awaitNotRebuilding(HttpClient http, String base) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String status = status(http, base);
            if (!status.equals("rebuilding")) {
                return status;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("[" + FOLLOWER + "] still rebuilding after " + TIMEOUT);
    }

    private static String status(HttpClient http, String base) throws Exception {
        return JSON.readTree(Http.send(http, "GET", base + "/" + FOLLOWER + "/_ccr/info", ""))
                .path("follower_indices").path(0).path("detailed_status").asText();
    }

    /** Checks, outside the timings, that the follower holds every document (once refreshed). */
    private static void awaitCount(HttpClient http, String base, int docs) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        long count = -1;
        while (System.nanoTime() < deadline) {
            count = JSON.readTree(Http.send(http, "GET", base + "/" + FOLLOWER + "/_count", "")).path("count").asLong();
            if (count == docs) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("[" + FOLLOWER + "] holds " + count + " documents, expected " + docs);
    }

    /** Prints the ops topic's cleanup policy and size, and why it holds each document once. */
    private static void describeTopic(Node node, String index, int docs, PrintStream out) throws Exception {
        String topic = new TopicNames(node.settings().topicPrefix()).ops(index);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                node.kafkaBootstrapServers()))) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            String policy = admin.describeConfigs(List.of(resource)).all().get().get(resource)
                    .get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
            if (!policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                throw new IllegalStateException("the ops topic [" + topic + "] has cleanup.policy [" + policy
                        + "]; the rebuild benchmark needs a compacted log (ccr.ops.cleanup_policy=compact)");
            }
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
            description.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()),
                    OffsetSpec.latest()));
            long end = admin.listOffsets(latest).all().get().values().stream()
                    .mapToLong(r -> r.offset()).sum();
            out.printf("ops topic [%s]: cleanup.policy=%s, %d partitions, %,d offsets (records and transaction"
                    + " markers); compaction may not have run, but each of the %,d ids was written once, so the"
                    + " log holds each document once%n", topic, policy, description.partitions().size(), end, docs);
        }
    }
}
