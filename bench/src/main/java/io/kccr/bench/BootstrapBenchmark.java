package io.kccr.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kccr.leader.LeaderShard;
import io.kccr.node.Node;
import io.kccr.node.settings.NodeSettings;
import io.kccr.node.sample.SampleData;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.lucene.util.IOUtils;

/**
 * A follower's bootstrap (remote recovery) against its limit, in one run, on a leader index whose flushed
 * commit has at least {@code --size-mb} (default 1024): the GeoNames corpus bulked repeatedly into index
 * {@code big} (3 shards, {@link SampleData#MAPPINGS} plus a {@code pad} text field) with distinct ids, each
 * source padded with a few KB of pseudo-random words, then flushed.
 *
 * <p>Each run measures, side by side: (a) copying the files of a commit pinned by a restore session
 * with {@code cp -r} of every shard directory plus {@code sync}, in MB/s of the manifest's bytes;
 * (b) {@code PUT /big-f<run>/_ccr/follow?wait_for_active_shards=1} from the same node (remote cluster
 * {@code self}), with {@code ccr.indices.recovery.max_bytes_per_sec} unlimited, in MB/s of the bytes
 * {@code GET /big-f<run>/_recovery} reports recovered over the slowest shard's recovery time, and over
 * the follow call's wall time. Prints both rates per run and their medians, (b)/(a) (goal ≥ 0.5), and
 * the follow call's time to active. {@code --chunk-size} and {@code --concurrent-chunks} set
 * {@code ccr.indices.recovery.chunk_size} and {@code ccr.indices.recovery.max_concurrent_file_chunks}
 * before (b); unset, the node's defaults apply. MB is 2^20 bytes.
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
        return "a follower bootstrapping a >= 1 GB leader index over HTTP vs cp -r + sync of the same commit"
                + " (ratio, goal >= 0.5); time to active";
    }

    @Override
    public void run(List<String> argList, PrintStream out) throws Exception {
        BenchArgs args = new BenchArgs(argList);
        if (args.has("--help")) {
            out.println("kccr bench bootstrap [--size-mb N (1024)] [--runs N (3)] [--chunk-size SIZE (node default)]"
                    + " [--concurrent-chunks N (node default)] [-E node.setting=value]...");
            return;
        }
        int sizeMb = args.intOption("--size-mb", 1024);
        int runs = args.intOption("--runs", 3);
        String chunkSize = args.stringOption("--chunk-size", null);
        String concurrentChunks = args.stringOption("--concurrent-chunks", null);
        if (sizeMb < 1 || runs < 1) {
            throw new IllegalArgumentException("--size-mb and --runs must be at least 1");
        }
        Path work = Files.createTempDirectory("kccr-bench-bootstrap");
        Map<String, String> nodeSettings = new HashMap<>(Map.of("path.data", work.resolve("node").toString(),
                "http.port", "0", "kafka.embedded.port", "0", "xpack.security.enabled", "false"));
        nodeSettings.putAll(args.nodeSettings());
        try (Node node = Node.start(NodeSettings.of(nodeSettings))) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String base = node.httpAddress();
            Http.send(http, "PUT", base + "/_cluster/settings", "{\"persistent\":{\"cluster.remote.self.seeds\":\""
                    + base.substring("http://".length()) + "\"}}");
            load(http, node, (long) sizeMb << 20, out);
            configure(http, base, chunkSize, concurrentChunks, out);
            List<Double> copy = new ArrayList<>();
            List<Double> boot = new ArrayList<>();
            List<Double> bootWall = new ArrayList<>();
            List<Double> ratio = new ArrayList<>();
            List<Double> active = new ArrayList<>();
            out.println("warm-up run (not counted)...");
            Copy wa = copy(http, node, work.resolve("copy"));
            Bootstrap wb = bootstrap(http, base, LEADER + "-fwarmup");
            out.printf("warm-up: (a) %,.0f MB/s   (b) %,.0f MB/s   follow call %.1f s%n", wa.mbPerSecond(),
                    wb.mbPerSecond(), wb.wallMillis() / 1e3);
            for (int run = 1; run <= runs; run++) {
                Copy a = copy(http, node, work.resolve("copy"));
                Bootstrap b = bootstrap(http, base, LEADER + "-f" + run);
                copy.add(a.mbPerSecond());
                boot.add(b.mbPerSecond());
                bootWall.add(b.wallMbPerSecond());
                ratio.add(b.mbPerSecond() / a.mbPerSecond());
                active.add(b.wallMillis() / 1e3);
                if (Math.abs(a.copiedBytes() - a.bytes()) > a.bytes() / 100) {
                    out.printf("note: cp copied %,.0f MB, the pinned commits have %,.0f MB%n", a.copiedBytes() / MB,
                            a.bytes() / MB);
                }
                out.printf("run %d: (a) cp -r + sync %,.0f MB (%d files) in %.2f s = %,.0f MB/s   (b) bootstrap"
                                + " %,.0f MB recovered, slowest shard %.2f s = %,.0f MB/s (over the follow call:"
                                + " %,.0f MB/s)   (b)/(a) %.2f   time to active %.2f s (throttled %d ms)%n", run,
                        a.bytes() / MB, a.files(), a.millis() / 1e3, a.mbPerSecond(), b.bytes() / MB,
                        b.slowestShardMillis() / 1e3, b.mbPerSecond(), b.wallMbPerSecond(),
                        b.mbPerSecond() / a.mbPerSecond(), b.wallMillis() / 1e3, b.throttleMillis());
            }
            out.printf("median: (a) cp -r + sync %,.0f MB/s   (b) bootstrap %,.0f MB/s (over the follow call: %,.0f MB/s)"
                            + "   (b)/(a) of each run %.2f (goal >= 0.5)   time to active %.2f s%n", Stats.median(copy),
                    Stats.median(boot), Stats.median(bootWall), Stats.median(ratio), Stats.median(active));
        } finally {
            IOUtils.rm(work);
        }
    }

    /**
     * Creates {@link #LEADER} and bulks padded GeoNames documents into it, {@value PaddedBulkLoader#CLIENTS} clients at a time,
     * until its shard directories hold {@code targetBytes}; then flushes it. While the flushed commit (as a restore
     * session's manifest lists it) is smaller than {@code targetBytes} (merges, files of older segments), loads as
     * many more documents as its size per document says are missing, and flushes again.
     */
    private static void load(HttpClient http, Node node, long targetBytes, PrintStream out) throws Exception {
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
            long committed = manifestBytes(http, base);
            out.printf("  flushed: %,d documents, the commit has %,.0f MB%n", loader.docs(), committed / MB);
            if (committed >= targetBytes) {
                break;
            }
            long more = (long) ((double) (targetBytes - committed) / committed * loader.docs() * 1.05) + PaddedBulkLoader.BULK_DOCS;
            loader.run(loader.docs() + more, () -> false, start, () -> sizeOf(shardDirs), out);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf("leader [%s]: %,d documents, %,.0f MB on disk; loading took %.1f s (%,.0f docs/s), flushes"
                        + " included (%.1f s)%n", LEADER, loader.docs(), sizeOf(shardDirs) / MB, seconds,
                loader.docs() / seconds, flushSeconds);
    }

    /** The bytes of the files of the commit a new restore session on {@link #LEADER} pins (the session released). */
    private static long manifestBytes(HttpClient http, String base) throws Exception {
        JsonNode manifest = JSON.readTree(Http.send(http, "POST", base + "/" + LEADER + "/_ccr/restore_session", ""));
        Http.send(http, "DELETE", base + "/_ccr/restore_session/" + manifest.get("session_uuid").asText(), "");
        return manifestBytes(manifest);
    }

    private static long manifestBytes(JsonNode manifest) {
        long bytes = 0;
        for (JsonNode shard : manifest.get("shards")) {
            for (JsonNode file : shard.get("files")) {
                bytes += file.get("length").asLong();
            }
        }
        return bytes;
    }

    private static long sizeOf(List<Path> dirs) {
        long size = 0;
        for (Path dir : dirs) {
            size += directorySize(dir);
        }
        return size;
    }

    /** Sets the copy rate limit to none, and the chunk settings when given. */
    private static void configure(HttpClient http, String base, String chunkSize, String concurrentChunks,
                                  PrintStream out) throws Exception {
        String unlimited = "0";
        try {
            putSetting(http, base, "ccr.indices.recovery.max_bytes_per_sec", unlimited);
        } catch (IllegalStateException refused) {
            String message = refused.getMessage();
            String reason = message;
            if (message.indexOf('{') >= 0) {
                reason = JSON.readTree(message.substring(message.indexOf('{'))).path("error").path("reason").asText();
            }
            out.println("ccr.indices.recovery.max_bytes_per_sec \"0\" was refused: " + reason + "; using \"0b\"");
            unlimited = "0b";
            putSetting(http, base, "ccr.indices.recovery.max_bytes_per_sec", unlimited);
        }
        if (chunkSize != null) {
            putSetting(http, base, "ccr.indices.recovery.chunk_size", chunkSize);
        }
        if (concurrentChunks != null) {
            putSetting(http, base, "ccr.indices.recovery.max_concurrent_file_chunks", concurrentChunks);
        }
        out.printf("recovery settings: max_bytes_per_sec %s, chunk_size %s, max_concurrent_file_chunks %s%n", unlimited,
                chunkSize == null ? "(node default)" : chunkSize,
                concurrentChunks == null ? "(node default)" : concurrentChunks);
    }

    private static void putSetting(HttpClient http, String base, String key, String value) throws Exception {
        Http.send(http, "PUT", base + "/_cluster/settings", "{\"persistent\":{\"" + key + "\":\"" + value + "\"}}");
    }

    /**
     * A copy with cp: the manifest's bytes, the bytes cp copied (more when the shard directories hold files the
     * commit does not name) and how long {@code cp -r} of every shard plus {@code sync} took.
     */
    private record Copy(long bytes, int files, long copiedBytes, long nanos) {
        double millis() {
            return nanos / 1e6;
        }

        double mbPerSecond() {
            return bytes / MB / (nanos / 1e9);
        }
    }

    /**
     * (a): opens a restore session on the leader (pinning a commit of every shard), copies every shard directory
     * into {@code dest} with {@code cp -r}, then {@code sync}; releases the session and drops the copy.
     */
    private static Copy copy(HttpClient http, Node node, Path dest) throws Exception {
        String base = node.httpAddress();
        JsonNode manifest = JSON.readTree(Http.send(http, "POST", base + "/" + LEADER + "/_ccr/restore_session", ""));
        String session = manifest.get("session_uuid").asText();
        try {
            long bytes = manifestBytes(manifest);
            List<LeaderShard> shards = node.indices().get(LEADER).shards();
            Files.createDirectories(dest);
            long start = System.nanoTime();
            for (LeaderShard shard : shards) {
                exec("cp", "-r", shard.path().toString(), dest.resolve(Integer.toString(shard.shardId())).toString());
            }
            exec("sync");
            long nanos = System.nanoTime() - start;
            int files = 0;
            for (JsonNode shard : manifest.get("shards")) {
                files += shard.get("files").size();
            }
            return new Copy(bytes, files, directorySize(dest), nanos);
        } finally {
            Http.send(http, "DELETE", base + "/_ccr/restore_session/" + session, "");
            IOUtils.rm(dest);
        }
    }

    private static void exec(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed with " + p.exitValue() + ": " + output);
        }
    }

    private static long directorySize(Path root) {
        if (!Files.exists(root)) {
            return 0;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.mapToLong(p -> {
                try {
                    return Files.isRegularFile(p) ? Files.size(p) : 0;
                } catch (IOException deletedMeanwhile) {
                    return 0;
                }
            }).sum();
        } catch (IOException | java.io.UncheckedIOException deletedMeanwhile) {
            return directorySize(root);
        }
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

    /** (b): follows {@link #LEADER} as {@code name}, waiting until it is active; reads its recovery; deletes it. */
    private static Bootstrap bootstrap(HttpClient http, String base, String name) throws Exception {
        long start = System.nanoTime();
        JsonNode response = JSON.readTree(Http.send(http, "PUT", base + "/" + name
                        + "/_ccr/follow?wait_for_active_shards=1&timeout=30m",
                "{\"remote_cluster\":\"self\",\"leader_index\":\"" + LEADER + "\"}"));
        double wallMillis = (System.nanoTime() - start) / 1e6;
        if (!response.path("follow_index_shards_acked").asBoolean()) {
            throw new IllegalStateException("follower [" + name + "] was not active within 30m: " + response);
        }
        JsonNode recovery = JSON.readTree(Http.send(http, "GET", base + "/" + name + "/_recovery", ""));
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
        Http.send(http, "DELETE", base + "/" + name, "");
        return new Bootstrap(bytes, slowest, wallMillis, throttled);
    }
}
