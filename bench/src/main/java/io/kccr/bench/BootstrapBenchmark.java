package io.kccr.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kccr.leader.LeaderShard;
import io.kccr.node.Node;
import io.kccr.node.sample.SampleData;
import io.kccr.node.settings.NodeSettings;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.util.IOUtils;

/**
 * A follower's bootstrap (remote recovery) against its limit, in one run. The leader node runs in this JVM with
 * index {@code big} (3 shards), flushed; the follower node in a JVM of its own ({@code --follower-heap}, default
 * 512m, so its heap is bounded and its RSS its own), on the leader's Kafka with another topic prefix, the leader
 * its remote cluster {@code leader}. The leader's index holds either {@code --docs N} GeoNames documents (ids
 * suffixed beyond the corpus, {@link Corpus}) or, by default, padded GeoNames documents until its flushed commit
 * has {@code --size-mb} (1024).
 *
 * <p>Each run measures, side by side, on the files of a commit pinned by a restore session, in MB/s of the
 * manifest's bytes: (a1) {@code cp -r} of every shard directory one after the other, then {@code sync}; (a2) the
 * same with one {@code cp} per shard at a time up to the cores (a bootstrap copies its shards in parallel);
 * (b) {@code PUT /big-f<run>/_ccr/follow?wait_for_active_shards=1} on the follower, with
 * {@code ccr.indices.recovery.max_bytes_per_sec} unlimited: the bytes {@code GET /big-f<run>/_recovery} reports
 * recovered over the slowest shard's recovery time, and over the follow call's wall time. Prints each run, the
 * medians, (b)/(a2) and (b)/(a1) (goal ≥ 0.6), the time to active, the follower's peak RSS and heap, and the
 * leader's. {@code --chunk-size} and {@code --concurrent-chunks} set {@code ccr.indices.recovery.chunk_size} and
 * {@code ccr.indices.recovery.max_concurrent_file_chunks} on the follower; unset, its defaults apply. MB is 2^20
 * bytes.
 */
public final class BootstrapBenchmark implements Benchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LEADER = "big";
    private static final double MB = 1 << 20;

    @Override
    public String name() {
        return "bootstrap";
    }

    @Override
    public String description() {
        return "a follower (own JVM, -Xmx512m) bootstrapping a >= 1 GB leader index over HTTP vs cp -r + sync of the"
                + " same commit, shard after shard and in parallel (ratio, goal >= 0.6); time to active, RSS";
    }

    @Override
    public List<String> quickArgs() {
        return List.of("--runs", "1", "--size-mb", "128");
    }

    @Override
    public void run(List<String> argList, PrintStream out) throws Exception {
        BenchArgs args = new BenchArgs(argList);
        if (args.has("--help")) {
            out.println("kccr bench bootstrap [--size-mb N (1024) | --docs N] [--runs N (3)] [--follower-heap SIZE (512m)]"
                    + " [--chunk-size SIZE (node default)] [--concurrent-chunks N (node default)]"
                    + " [-E leader.node.setting=value]...");
            return;
        }
        int sizeMb = args.intOption("--size-mb", 1024);
        int docs = args.intOption("--docs", 0);
        int runs = args.intOption("--runs", 3);
        String followerHeap = args.stringOption("--follower-heap", "512m");
        String chunkSize = args.stringOption("--chunk-size", null);
        String concurrentChunks = args.stringOption("--concurrent-chunks", null);
        if (sizeMb < 1 || runs < 1 || docs < 0) {
            throw new IllegalArgumentException("--size-mb, --docs and --runs must be at least 1");
        }
        Path work = Files.createTempDirectory("kccr-bench-bootstrap");
        Map<String, String> leaderSettings = new HashMap<>(Map.of("path.data", work.resolve("leader").toString(),
                "http.port", "0", "kafka.embedded.port", "0", "cluster.name", "leader",
                "xpack.security.enabled", "false"));
        leaderSettings.putAll(args.nodeSettings());
        try (Node leader = Node.start(NodeSettings.of(leaderSettings))) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String base = leader.httpAddress();
            if (docs > 0) {
                loadDocs(http, leader, Corpus.geonames(docs), out);
            } else {
                loadPadded(http, leader, (long) sizeMb << 20, out);
            }
            List<Path> shardDirs = leader.indices().get(LEADER).shards().stream().map(LeaderShard::path).toList();
            Map<String, String> followerSettings = Map.of("path.data", work.resolve("follower").toString(),
                    "http.port", "0", "cluster.name", "follower", "ccr.topic.prefix", "follower",
                    "kafka.bootstrap.servers", leader.kafkaBootstrapServers(),
                    "cluster.remote.leader.seeds", base.substring("http://".length()),
                    // the leader's embedded broker is a single one: the follower node would refuse it otherwise
                    "ccr.topic.allow_unsafe_durability", "true", "xpack.security.enabled", "false");
            try (NodeProcess follower = NodeProcess.start(List.of("-Xmx" + followerHeap), followerSettings,
                    work.resolve("follower.log"))) {
                out.printf("follower: a node in its own JVM (-Xmx%s, pid %d), remote cluster [leader] = this node%n",
                        followerHeap, follower.pid());
                configure(http, follower.httpAddress(), chunkSize, concurrentChunks, out);
                measure(http, leader, follower, shardDirs, work.resolve("copy"), runs, out);
                out.printf("follower JVM: -Xmx%s, heap used now %,.0f MB, %s   leader (this JVM, the broker in it): %s;"
                                + " %s%n", followerHeap, heapUsedMb(http, follower.httpAddress()),
                        Machine.describeRss(follower.pid()), Machine.describeRss(ProcessHandle.current().pid()),
                        Machine.load());
            }
        } finally {
            IOUtils.rm(work);
        }
    }

    private static void measure(HttpClient http, Node leader, NodeProcess follower, List<Path> shardDirs, Path copyDir,
                                int runs, PrintStream out) throws Exception {
        int processes = Math.min(shardDirs.size(), Runtime.getRuntime().availableProcessors());
        List<Double> sequential = new ArrayList<>();
        List<Double> parallel = new ArrayList<>();
        List<Double> boot = new ArrayList<>();
        List<Double> bootWall = new ArrayList<>();
        List<Double> ratio = new ArrayList<>();
        List<Double> ratioSequential = new ArrayList<>();
        List<Double> active = new ArrayList<>();
        out.println("warm-up run (not counted)...");
        Pinned warm = Pinned.open(http, leader.httpAddress());
        CopyBaseline.Copy wa = warm.copy(shardDirs, copyDir, processes);
        Bootstrap wb = bootstrap(http, follower.httpAddress(), LEADER + "-fwarmup");
        out.printf("warm-up: (a2) %,.0f MB/s   (b) %,.0f MB/s   follow call %.1f s%n", wa.mbPerSecond(warm.bytes()),
                wb.mbPerSecond(), wb.wallMillis() / 1e3);
        for (int run = 1; run <= runs; run++) {
            Pinned pinned = Pinned.open(http, leader.httpAddress());
            CopyBaseline.Copy a1 = pinned.copy(shardDirs, copyDir, 1);
            CopyBaseline.Copy a2 = Pinned.open(http, leader.httpAddress()).copy(shardDirs, copyDir, processes);
            Bootstrap b = bootstrap(http, follower.httpAddress(), LEADER + "-f" + run);
            long bytes = pinned.bytes();
            sequential.add(a1.mbPerSecond(bytes));
            parallel.add(a2.mbPerSecond(bytes));
            boot.add(b.mbPerSecond());
            bootWall.add(b.wallMbPerSecond());
            ratio.add(b.mbPerSecond() / a2.mbPerSecond(bytes));
            ratioSequential.add(b.mbPerSecond() / a1.mbPerSecond(bytes));
            active.add(b.wallMillis() / 1e3);
            if (Math.abs(a1.copiedBytes() - bytes) > bytes / 100) {
                out.printf("note: cp copied %,.0f MB, the pinned commits have %,.0f MB%n", a1.copiedBytes() / MB,
                        bytes / MB);
            }
            out.printf("run %d: %,.0f MB (%d files)   (a1) %s %.2f s = %,.0f MB/s   (a2) %s %.2f s = %,.0f MB/s   (b)"
                            + " bootstrap %,.0f MB recovered, slowest shard %.2f s = %,.0f MB/s (over the follow call:"
                            + " %,.0f MB/s)   (b)/(a2) %.2f   (b)/(a1) %.2f   time to active %.2f s (throttled %d ms)"
                            + "   %s%n", run, bytes / MB, pinned.files(), a1.describe(), a1.nanos() / 1e9,
                    a1.mbPerSecond(bytes), a2.describe(), a2.nanos() / 1e9, a2.mbPerSecond(bytes), b.bytes() / MB,
                    b.slowestShardMillis() / 1e3, b.mbPerSecond(), b.wallMbPerSecond(), b.mbPerSecond()
                            / a2.mbPerSecond(bytes), b.mbPerSecond() / a1.mbPerSecond(bytes), b.wallMillis() / 1e3,
                    b.throttleMillis(), Machine.load());
        }
        out.printf("median of %d runs: (a1) cp -r + sync, shard after shard %,.0f MB/s   (a2) cp -r + sync, %d cp at a"
                        + " time %,.0f MB/s   (b) bootstrap %,.0f MB/s (over the follow call: %,.0f MB/s)   (b)/(a2) of"
                        + " each run %.2f (goal >= 0.6)   (b)/(a1) %.2f   time to active %.2f s%n", runs,
                Stats.median(sequential), processes, Stats.median(parallel), Stats.median(boot),
                Stats.median(bootWall), Stats.median(ratio), Stats.median(ratioSequential), Stats.median(active));
    }

    /** A commit of every shard pinned by a restore session on the leader, for the cp baselines. */
    private record Pinned(HttpClient http, String base, String session, long bytes, int files) {
        static Pinned open(HttpClient http, String base) throws Exception {
            JsonNode manifest = JSON.readTree(Http.send(http, "POST", base + "/" + LEADER + "/_ccr/restore_session",
                    ""));
            long bytes = 0;
            int files = 0;
            for (JsonNode shard : manifest.get("shards")) {
                for (JsonNode file : shard.get("files")) {
                    bytes += file.get("length").asLong();
                    files++;
                }
            }
            return new Pinned(http, base, manifest.get("session_uuid").asText(), bytes, files);
        }

        /** Copies the shard directories (which hold the pinned files) with cp, then releases the session. */
        CopyBaseline.Copy copy(List<Path> shardDirs, Path dest, int processes) throws Exception {
            try {
                return CopyBaseline.copy(shardDirs, dest, processes);
            } finally {
                Http.send(http, "DELETE", base + "/_ccr/restore_session/" + session, "");
            }
        }
    }

    /** Creates {@link #LEADER} with the sample mappings and bulks {@code corpus} into it, 4 clients at a time; flushes. */
    private static void loadDocs(HttpClient http, Node node, Corpus corpus, PrintStream out) throws Exception {
        String base = node.httpAddress();
        Http.send(http, "PUT", base + "/" + LEADER, "{\"settings\":{\"number_of_shards\":3},\"mappings\":"
                + SampleData.MAPPINGS + "}");
        out.printf("loading the leader index [%s] (3 shards): %s (data: GeoNames, CC BY 4.0)...%n", LEADER,
                corpus.describe());
        int bulkSize = 5_000;
        long start = System.nanoTime();
        Http.bulkAll(http, base + "/" + LEADER + "/_bulk", corpus, bulkSize, 4, null);
        double seconds = (System.nanoTime() - start) / 1e9;
        Http.send(http, "POST", base + "/" + LEADER + "/_flush", "");
        Pinned commit = Pinned.open(http, base);
        Http.send(http, "DELETE", base + "/_ccr/restore_session/" + commit.session(), "");
        out.printf("leader [%s]: %,d documents in %.1f s (%,.0f docs/s), flushed: the commit has %,.0f MB in %d files%n",
                LEADER, corpus.size(), seconds, corpus.size() / seconds, commit.bytes() / MB, commit.files());
    }

    /**
     * Creates {@link #LEADER} and bulks padded GeoNames documents into it, {@value PaddedBulkLoader#CLIENTS} clients at
     * a time, until its shard directories hold {@code targetBytes}; then flushes it. While the flushed commit (as a
     * restore session's manifest lists it) is smaller than {@code targetBytes} (merges, files of older segments),
     * loads as many more documents as its size per document says are missing, and flushes again.
     */
    private static void loadPadded(HttpClient http, Node node, long targetBytes, PrintStream out) throws Exception {
        String base = node.httpAddress();
        ObjectNode mappings = (ObjectNode) JSON.readTree(SampleData.MAPPINGS);
        ((ObjectNode) mappings.get("properties")).putObject("pad").put("type", "text");
        Http.send(http, "PUT", base + "/" + LEADER, "{\"settings\":{\"number_of_shards\":3},\"mappings\":"
                + mappings + "}");
        PaddedBulkLoader loader = new PaddedBulkLoader(http, base, LEADER, SampleData.documents());
        out.printf("loading the leader index [%s] (3 shards) to %,.0f MB on disk: GeoNames documents (data: GeoNames,"
                + " CC BY 4.0) with distinct ids, each padded with ~%d bytes of pseudo-random words...%n", LEADER,
                targetBytes / MB, PaddedBulkLoader.PAD_BYTES);
        List<Path> shardDirs = node.indices().get(LEADER).shards().stream().map(LeaderShard::path).toList();
        long start = System.nanoTime();
        loader.run(Long.MAX_VALUE, () -> sizeOf(shardDirs) >= targetBytes, start, () -> sizeOf(shardDirs), out);
        double flushSeconds = 0;
        while (true) {
            long flushStart = System.nanoTime();
            Http.send(http, "POST", base + "/" + LEADER + "/_flush", "");
            flushSeconds += (System.nanoTime() - flushStart) / 1e9;
            Pinned commit = Pinned.open(http, base);
            Http.send(http, "DELETE", base + "/_ccr/restore_session/" + commit.session(), "");
            out.printf("  flushed: %,d documents, the commit has %,.0f MB%n", loader.docs(), commit.bytes() / MB);
            if (commit.bytes() >= targetBytes) {
                break;
            }
            long more = (long) ((double) (targetBytes - commit.bytes()) / commit.bytes() * loader.docs() * 1.05)
                    + PaddedBulkLoader.BULK_DOCS;
            loader.run(loader.docs() + more, () -> false, start, () -> sizeOf(shardDirs), out);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf("leader [%s]: %,d documents, %,.0f MB on disk; loading took %.1f s (%,.0f docs/s), flushes"
                        + " included (%.1f s)%n", LEADER, loader.docs(), sizeOf(shardDirs) / MB, seconds,
                loader.docs() / seconds, flushSeconds);
    }

    private static long sizeOf(List<Path> dirs) {
        long size = 0;
        for (Path dir : dirs) {
            size += CopyBaseline.directorySize(dir);
        }
        return size;
    }

    /** Sets the follower's copy rate limit to none, and the chunk settings when given. */
    private static void configure(HttpClient http, String base, String chunkSize, String concurrentChunks,
                                  PrintStream out) throws Exception {
        putSetting(http, base, "ccr.indices.recovery.max_bytes_per_sec", "0");
        if (chunkSize != null) {
            putSetting(http, base, "ccr.indices.recovery.chunk_size", chunkSize);
        }
        if (concurrentChunks != null) {
            putSetting(http, base, "ccr.indices.recovery.max_concurrent_file_chunks", concurrentChunks);
        }
        out.printf("follower recovery settings: max_bytes_per_sec 0 (none), chunk_size %s, max_concurrent_file_chunks"
                + " %s%n", chunkSize == null ? "(node default)" : chunkSize,
                concurrentChunks == null ? "(node default)" : concurrentChunks);
    }

    private static void putSetting(HttpClient http, String base, String key, String value) throws Exception {
        Http.send(http, "PUT", base + "/_cluster/settings", "{\"persistent\":{\"" + key + "\":\"" + value + "\"}}");
    }

    /** The heap the node's JVM uses now, from its {@code /metrics} ({@code jvm_memory_used_bytes} of the heap pools). */
    private static double heapUsedMb(HttpClient http, String base) throws Exception {
        double bytes = 0;
        for (String line : Http.send(http, "GET", base + "/metrics", "").split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                bytes += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return bytes / MB;
    }

    /**
     * A bootstrap: bytes recovered (all shards), the slowest shard's recovery time, the follow call's wall time,
     * and the time the copy waited on the rate limit.
     */
    private record Bootstrap(long bytes, long slowestShardMillis, double wallMillis, long throttleMillis) {
        double mbPerSecond() {
            return bytes / MB / (slowestShardMillis / 1e3);
        }

        double wallMbPerSecond() {
            return bytes / MB / (wallMillis / 1e3);
        }
    }

    /** (b): follows {@link #LEADER} as {@code name} on the follower, waiting until it is active; reads its recovery; deletes it. */
    private static Bootstrap bootstrap(HttpClient http, String follower, String name) throws Exception {
        long start = System.nanoTime();
        JsonNode response = JSON.readTree(Http.send(http, "PUT", follower + "/" + name
                        + "/_ccr/follow?wait_for_active_shards=1&timeout=30m",
                "{\"remote_cluster\":\"leader\",\"leader_index\":\"" + LEADER + "\"}"));
        double wallMillis = (System.nanoTime() - start) / 1e6;
        if (!response.path("follow_index_shards_acked").asBoolean()) {
            throw new IllegalStateException("follower [" + name + "] was not active within 30m: " + response);
        }
        JsonNode recovery = JSON.readTree(Http.send(http, "GET", follower + "/" + name + "/_recovery", ""));
        long bytes = 0;
        long slowest = 0;
        long throttled = 0;
        for (JsonNode shard : recovery.path(name).path("shards")) {
            JsonNode index = shard.get("index");
            bytes += index.path("size").path("recovered_in_bytes").asLong();
            slowest = Math.max(slowest, index.path("total_time_in_millis").asLong());
            throttled += index.path("target_throttle_time_in_millis").asLong();
        }
        if (bytes == 0 || slowest == 0) {
            throw new IllegalStateException("GET /" + name + "/_recovery shows no bytes recovered: " + recovery);
        }
        Http.send(http, "DELETE", follower + "/" + name, "");
        return new Bootstrap(bytes, slowest, wallMillis, throttled);
    }
}
