package io.kccr.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kccr.core.mapping.MetaFields;
import io.kccr.core.shard.LuceneShard;
import io.kccr.follower.FollowerIndex;
import io.kccr.follower.FollowerRuntime;
import io.kccr.follower.apply.FollowerShard;
import io.kccr.follower.FollowerStatus;
import io.kccr.leader.LeaderIndex;
import io.kccr.leader.LeaderShard;
import io.kccr.node.Node;
import io.kccr.node.sample.SampleData;
import io.kccr.core.kafka.TopicNames;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PointValues;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.util.IOUtils;
import org.apache.lucene.util.NumericUtils;

/**
 * The follower against its limit, in one run, on the GeoNames corpus (cycled, with distinct ids, past its 171,075
 * documents: {@code --docs}) already in the leader's topic: (a) raw Lucene indexing of the same documents with the
 * same mapper, one IndexWriter on one thread, and (a') at the follower's parallelism, one IndexWriter per shard and
 * one thread per shard up to the cores ({@link RawLucene#parallel}), and (a'') that again with a near-real-time
 * reader opened every second, as the follower's 1 s refresh does; (b) a follower index applying them from Kafka
 * through a {@link FollowerRuntime} as a node's (replaying the topic from offset 0; the follow API would bootstrap
 * from the leader's files instead), in this JVM or, with {@code --follower-heap}, in one of its own with that heap
 * ({@link FollowerProcess}: its memory is then its own, the leader node's heap not in it). Prints the three rates, (b)/(a') (goal >= 0.9) and (b)/(a), as medians of
 * {@code --runs}, and the process's memory. Then, with the leader ingesting at half its maximum rate, the latency from
 * the leader's acknowledgement to applied on the follower, and to searchable (goal p99 <= refresh interval + 250 ms).
 * With {@code --security both}, the latency is measured on a node with security off and on one with it on (writes
 * authenticated, the follow API's bootstrap over HTTP with a cross-cluster API key) in the same run; (b) reads Kafka and
 * writes Lucene in-process, with no HTTP request security could slow down, so it is measured on the first node.
 */
public final class FollowerBenchmark implements Benchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SHARDS = 3;
    /** The follower's {@code index.refresh_interval} (the default), which baseline (a'') refreshes by too. */
    private static final Duration REFRESH = Duration.ofSeconds(1);

    @Override
    public String name() {
        return "follower";
    }

    @Override
    public String description() {
        return "a follower applying GeoNames from Kafka vs raw Lucene at the same parallelism (ratio, goal >= 0.9);"
                + " ack-to-applied and ack-to-searchable latency p50/p99 at half the leader's max rate";
    }

    @Override
    public void run(List<String> argList, PrintStream out) throws Exception {
        BenchArgs args = new BenchArgs(argList);
        if (args.has("--help")) {
            out.println("kccr bench follower [--runs N (3)] [--docs N (171075; more cycles the corpus with new ids)]"
                    + " [--latency-seconds N (20; 0 for none)] [--follower-heap SIZE (none: (b) runs in this JVM; e.g."
                    + " 512m: in a JVM of its own with that fixed heap, -Xms and -Xmx, as bin/kccr sets it)] "
                    + SecuritySides.USAGE);
            return;
        }
        int runs = args.intOption("--runs", 3);
        int latencySeconds = args.intOption("--latency-seconds", 20);
        int n = args.intOption("--docs", 171_075);
        String followerHeap = args.stringOption("--follower-heap", null);
        if (runs < 1 || n < 1) {
            throw new IllegalArgumentException("--runs and --docs must be at least 1");
        }
        Corpus corpus = Corpus.geonames(n);
        List<byte[]> docs = corpus.documents();
        Path work = Files.createTempDirectory("kccr-bench-follower");
        try (SecuritySides nodes = SecuritySides.start(args, work, Map.of("http.port", "0", "kafka.embedded.port",
                "0"));
             FollowerRuntime runtime = FollowerRuntime.withDefaults(Duration.ofSeconds(10), Clock.systemUTC())) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            Node node = nodes.sides().get(0).node();
            LeaderIndex leader = node.indices().create("geonames", SampleData.settings(), SampleData.mappings());
            out.printf("loading %,d GeoNames documents into the leader, %d shards (data: GeoNames, CC BY 4.0)...%n",
                    docs.size(), SHARDS);
            long l0 = System.nanoTime();
            SampleData.index(leader, docs, Duration.ofSeconds(60), null);
            out.printf("loaded in %.0f s; %s%n", (System.nanoTime() - l0) / 1e9, Machine.memory());
            List<Double> single = new ArrayList<>();
            List<Double> parallel = new ArrayList<>();
            List<Double> refreshed = new ArrayList<>();
            List<Double> follower = new ArrayList<>();
            List<Double> cpuParallel = new ArrayList<>();
            List<Double> cpuFollower = new ArrayList<>();
            RawLucene.Run shape = null;
            TopicNames topics = new TopicNames(node.settings().topicPrefix());
            FollowRun followRun = new FollowRun(node.kafkaBootstrapServers(), topics.ops(leader.name()),
                    topics.meta(leader.name()), leader.name());
            long[] lastSeqNos = leader.shards().stream().mapToLong(LeaderShard::maxSeqNo).toArray();
            FollowerProcess process = followerHeap == null ? null : FollowerProcess.start(
                    List.of("-Xms" + followerHeap, "-Xmx" + followerHeap), followRun, work.resolve("follower-jvm"),
                    work.resolve("follower-jvm.log"));
            try {
                out.println("warm-up run (not counted)...");
                lucene(() -> RawLucene.parallel(corpus, work.resolve("lucene-warmup"), SHARDS),
                        work.resolve("lucene-warmup"));
                follow(process, runtime, followRun, "geonames-warmup", lastSeqNos, work.resolve("follower-warmup"));
                for (int run = 1; run <= runs; run++) {
                    Path one = work.resolve("lucene-1-" + run);
                    double a = lucene(() -> RawLucene.parallel(corpus, one, 1), one).docsPerSecond();
                    Path many = work.resolve("lucene-" + SHARDS + "-" + run);
                    shape = lucene(() -> RawLucene.parallel(corpus, many, SHARDS), many);
                    double ap = shape.docsPerSecond();
                    Path nrt = work.resolve("lucene-nrt-" + run);
                    double ar = lucene(() -> RawLucene.parallel(corpus, nrt, SHARDS, REFRESH), nrt).docsPerSecond();
                    Followed f = follow(process, runtime, followRun, "geonames-f" + run, lastSeqNos,
                            work.resolve("follower-" + run));
                    double b = f.docsPerSecond();
                    single.add(a);
                    parallel.add(ap);
                    refreshed.add(ar);
                    follower.add(b);
                    cpuParallel.add(shape.cpuSecondsPerMillion());
                    cpuFollower.add(f.cpuSecondsPerMillion());
                    out.printf("run %d: (a) raw Lucene, 1 thread %,.0f docs/s   (a') raw Lucene, %s %,.0f docs/s (CPU"
                            + " %.1f s per 1M docs)   (a'') the same, refreshed every 1 s %,.0f docs/s   (b) follower"
                            + " from Kafka %,.0f docs/s (CPU %.1f s per 1M docs)   (b)/(a') %.2f   (b)/(a'') %.2f"
                            + "   (b)/(a) %.2f   ((b) includes %.0f ms from the follower's creation to its first op"
                            + " applied)   %s%n", run, a, shape.describe(), ap, shape.cpuSecondsPerMillion(), ar,
                            b, f.cpuSecondsPerMillion(), b / ap, b / ar, b / a, f.startMillis(), Machine.load());
                }
                double ma = Stats.median(single);
                double map = Stats.median(parallel);
                double mar = Stats.median(refreshed);
                double mb = Stats.median(follower);
                double cpa = Stats.median(cpuParallel);
                double cpb = Stats.median(cpuFollower);
                out.printf("median of %d runs, %,d docs: (a) 1 thread %,.0f docs/s   (a') %s %,.0f docs/s   (a'')"
                        + " refreshed every 1 s %,.0f docs/s   (b) follower %,.0f docs/s   (b)/(a') %.2f (goal >= 0.9)"
                        + "   (b)/(a'') %.2f (the same work: the follower refreshes every 1 s too)   (b)/(a) %.2f"
                        + "   process CPU per 1M docs: (a') %.1f s (b) %.1f s, (a')/(b) %.2f%n", runs, docs.size(), ma,
                        shape.describe(), map, mar, mb, mb / map, mb / mar, mb / ma, cpa, cpb, cpa / cpb);
                if (process != null) {
                    out.printf("memory of the follower's own JVM (-Xms%s -Xmx%s): %s; of this one (the leader node, its"
                            + " broker): %s; %s%n", followerHeap, followerHeap, Machine.describeRss(process.pid()),
                            Machine.memory(), Machine.load());
                } else {
                    out.printf("memory (one JVM: the leader node, its broker, the follower): %s; %s%n",
                            Machine.memory(), Machine.load());
                }
            } finally {
                if (process != null) {
                    process.close();
                }
            }
            if (latencySeconds > 0) {
                for (SecuritySides.Side side : nodes.sides()) {
                    selfRemote(http, side);
                    latency(http, side, Corpus.geonames(corpus.cities()).documents(), latencySeconds, out);
                }
            }
        } finally {
            IOUtils.rm(work);
        }
    }

    /**
     * Remote {@code self}: the node itself, for the follow API of the latency part; a secured node's follower side
     * authenticates with a cross-cluster API key, as any follower cluster.
     */
    private static void selfRemote(HttpClient http, SecuritySides.Side side) throws Exception {
        String base = side.node().httpAddress();
        String credentials = "";
        if (side.authorization() != null) {
            JsonNode key = JSON.readTree(Http.send(http, "POST", base + "/_security/cross_cluster/api_key",
                    "{\"name\":\"self\",\"access\":{\"replication\":[{\"names\":[\"*\"]}]}}", side.authorization()));
            credentials = ",\"transient\":{\"cluster.remote.self.credentials\":\"" + key.get("encoded").asText() + "\"}";
        }
        Http.send(http, "PUT", base + "/_cluster/settings", "{\"persistent\":{\"cluster.remote.self.seeds\":\""
                + base.substring("http://".length()) + "\"}" + credentials + "}", side.authorization());
    }

    /** A raw Lucene run, its index deleted afterwards (outside the timing) so that the disk holds one at a time. */
    private static RawLucene.Run lucene(java.util.concurrent.Callable<RawLucene.Run> run, Path dir) throws Exception {
        try {
            return run.call();
        } finally {
            IOUtils.rm(dir);
        }
    }

    /**
     * (b), in the follower's own JVM when there is one, else on this JVM's {@code runtime}, with the CPU time it took:
     * this JVM's (the broker serves the reads) and the follower's own JVM's, per million ops. Unlike docs/s, CPU per
     * doc hardly moves when other work shares the machine.
     */
    private static Followed follow(FollowerProcess process, FollowerRuntime runtime, FollowRun run, String name,
                                   long[] lastSeqNos, Path dir) throws Exception {
        long cpu0 = Machine.processCpuNanos() + (process == null ? 0 : ProcStats.of(process.pid()).cpuNanos());
        FollowRun.Result r = process != null ? process.follow(name, lastSeqNos)
                : run.follow(runtime, name, lastSeqNos, dir);
        long cpu = Machine.processCpuNanos() + (process == null ? 0 : ProcStats.of(process.pid()).cpuNanos()) - cpu0;
        long ops = 0;
        for (long seqNo : lastSeqNos) {
            ops += seqNo + 1;
        }
        return new Followed(r.docsPerSecond(), r.startMillis(), cpu / 1e9 / ops * 1e6);
    }

    /** (b) of one run: docs/s, ms to the first op applied, process CPU seconds per million ops. */
    private record Followed(double docsPerSecond, double startMillis, double cpuSecondsPerMillion) {
    }

    /** An acknowledged op waiting to be seen on the follower. */
    private record Pending(long seqNo, long ackNanos) {
    }

    private static void latency(HttpClient http, SecuritySides.Side side, List<byte[]> docs, int seconds,
                                PrintStream out) throws Exception {
        Node node = side.node();
        String auth = side.authorization();
        String base = node.httpAddress();
        Http.send(http, "PUT", base + "/lat", "{\"settings\":{\"number_of_shards\":3},\"mappings\":"
                + SampleData.MAPPINGS + "}", auth);
        // the leader's maximum rate here: one timed pass of bulks, then ingest at half of it
        long t0 = System.nanoTime();
        int probe = 20_000;
        for (int from = 0; from < probe; from += 1000) {
            Http.send(http, "POST", base + "/lat/_bulk", bulk(docs, from, 1000, "p"), auth);
        }
        double maxRate = probe / ((System.nanoTime() - t0) / 1e9);
        double rate = maxRate / 2;
        Http.send(http, "PUT", base + "/lat-f/_ccr/follow", "{\"remote_cluster\":\"self\",\"leader_index\":\"lat\"}",
                auth);
        FollowerIndex f = node.followers().get("lat-f");
        // bootstrapped, then streaming: an op written now is applied (ops of the copy are not measured)
        Http.send(http, "POST", base + "/lat/_bulk?refresh=false", bulk(docs, 0, 30, "probe"), auth);
        while (f.status() != FollowerStatus.ACTIVE || f.shards().stream().mapToLong(LuceneShard::maxSeqNo).sum()
                < node.indices().get("lat").shards().stream().mapToLong(LuceneShard::maxSeqNo).sum()) {
            Thread.sleep(5);
        }
        List<ConcurrentLinkedQueue<Pending>> acked = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            acked.add(new ConcurrentLinkedQueue<>());
        }
        List<Long> applied = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Long> searchable = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        Thread watcher = new Thread(() -> watch(f, acked, applied, searchable, stop), "latency-watcher");
        watcher.start();
        int batch = 50;
        long intervalNanos = (long) (batch / rate * 1e9);
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long next = System.nanoTime();
        int n = 0;
        while (System.nanoTime() < end) {
            JsonNode response = JSON.readTree(Http.send(http, "POST", base + "/lat/_bulk", bulk(docs, n, batch, "l"),
                    auth));
            long ack = System.nanoTime();
            for (JsonNode item : response.get("items")) {
                JsonNode r = item.get("index");
                int shard = io.kccr.core.routing.ShardRouting.shardFor(r.get("_id").asText(), 3);
                acked.get(shard).add(new Pending(r.get("_seq_no").asLong(), ack));
            }
            n += batch;
            next += intervalNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
        long drainDeadline = System.nanoTime() + 30_000_000_000L;
        while (acked.stream().anyMatch(q -> !q.isEmpty()) && System.nanoTime() < drainDeadline) {
            Thread.sleep(10);
        }
        stop.set(true);
        watcher.join();
        long[] a = applied.stream().mapToLong(Long::longValue).toArray();
        long[] s = searchable.stream().mapToLong(Long::longValue).toArray();
        out.printf("%sleader max rate %,.0f docs/s; ingesting at %,.0f docs/s for %d s (%d ops)%n",
                side.label().isEmpty() ? "" : side.label() + ": ", maxRate, rate, seconds, n);
        out.printf("leader ack -> applied on follower: p50 %.1f ms   p99 %.1f ms (goal p99 <= 250 ms)%n",
                Stats.percentile(a, 50) / 1e6, Stats.percentile(a, 99) / 1e6);
        out.printf("leader ack -> searchable on follower (refresh interval 1 s): p50 %.1f ms   p99 %.1f ms (goal p99 <="
                + " 1250 ms)%n", Stats.percentile(s, 50) / 1e6, Stats.percentile(s, 99) / 1e6);
    }

    /**
     * Polls the follower's shards: applied seq_no every millisecond, searchable seq_no (a searcher's max) every 2 ms,
     * and searches the follower every 100 ms as a user would, so that its shards are not search idle.
     */
    private static void watch(FollowerIndex f, List<ConcurrentLinkedQueue<Pending>> acked, List<Long> applied,
                              List<Long> searchable, AtomicBoolean stop) {
        List<ArrayDeque<Pending>> awaitingSearch = new ArrayList<>();
        for (int i = 0; i < acked.size(); i++) {
            awaitingSearch.add(new ArrayDeque<>());
        }
        long lastSearchCheck = 0;
        long lastSearch = 0;
        while (!stop.get()) {
            long now = System.nanoTime();
            for (int shard = 0; shard < acked.size(); shard++) {
                long max = f.shards().get(shard).maxSeqNo();
                ConcurrentLinkedQueue<Pending> q = acked.get(shard);
                for (Pending p = q.peek(); p != null && p.seqNo() <= max; p = q.peek()) {
                    q.poll();
                    applied.add(now - p.ackNanos());
                    awaitingSearch.get(shard).add(p);
                }
            }
            if (now - lastSearch > 100_000_000) {
                lastSearch = now;
                try {
                    f.search(searcher -> searcher.getIndexReader().numDocs());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            if (now - lastSearchCheck > 2_000_000) {
                lastSearchCheck = now;
                for (int shard = 0; shard < acked.size(); shard++) {
                    long visible = searchableSeqNo(f.shards().get(shard));
                    ArrayDeque<Pending> q = awaitingSearch.get(shard);
                    for (Pending p = q.peek(); p != null && p.seqNo() <= visible; p = q.peek()) {
                        q.poll();
                        searchable.add(now - p.ackNanos());
                    }
                }
            }
            // a millisecond between looks: spinning took a whole core of the two the leader, its broker and the
            // follower share, which slowed the very refreshes being measured
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    private static long searchableSeqNo(FollowerShard shard) {
        try {
            IndexSearcher s = shard.acquireSearcher();
            try {
                long max = -1;
                for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
                    PointValues points = leaf.reader().getPointValues(MetaFields.SEQ_NO);
                    if (points != null) {
                        max = Math.max(max, NumericUtils.sortableBytesToLong(points.getMaxPackedValue(), 0));
                    }
                }
                return max;
            } finally {
                shard.releaseSearcher(s);
            }
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    private static byte[] bulk(List<byte[]> docs, int from, int count, String idPrefix) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = from; i < from + count; i++) {
            body.writeBytes(("{\"index\":{\"_id\":\"" + idPrefix + i + "\"}}\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(docs.get(i % docs.size()));
            body.write('\n');
        }
        return body.toByteArray();
    }
}
