package io.kccr.bench;

import io.kccr.node.sample.SampleData;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import io.kccr.core.settings.TimeValue;
import org.apache.lucene.util.IOUtils;

/**
 * Indexing throughput of the leader against its limit, in one run: (a1) the corpus straight into one Lucene
 * IndexWriter with the same document mapper, one thread (the first round's baseline); (a2) the same into one
 * IndexWriter per shard, one thread per shard up to the cores (the limit at the leader's parallelism); (a3) the same,
 * opening a near-real-time reader of every writer each {@code --refresh-interval}, as the leader's index refreshes
 * (Lucene doing the same work: a refresh flushes each writer's buffer into a new segment); (b) the
 * same corpus through a leader node's {@code _bulk} API over HTTP, every op published to Kafka (acks=all,
 * transactional) before it is applied. Prints docs/s of each, (b)/(a2) (goal ≥ 0.6), (b)/(a3) and (b)/(a1), the process
 * CPU time each side took per million documents, then single-document write latency p50/p99 at concurrency 8,
 * the heap the node holds and the process's RSS. With {@code --security both}, (b) runs on a node with security off
 * and on one with it on (requests authenticated) in the same run: the cost of security.
 *
 * <p>{@code --docs N} writes N documents: GeoNames repeated with suffixed ids beyond its 171,075 ({@link Corpus}).
 */
public final class IndexingBenchmark implements Benchmark {
    /** The node's JVM options unless {@code --node-jvm} says otherwise: {@code bin/kccr}'s. */
    private static final String NODE_JVM = "-Xms2g -Xmx2g";

    @Override
    public String name() {
        return "indexing";
    }

    @Override
    public String description() {
        return "GeoNames into raw Lucene (1 thread; 1 writer per shard) vs through the leader's _bulk API with Kafka"
                + " (ratio to the same parallelism, goal >= 0.6); single-doc latency p50/p99 at concurrency 8";
    }

    @Override
    public List<String> quickArgs() {
        return List.of("--runs", "1", "--latency-requests", "100");
    }

    @Override
    public void run(List<String> argList, PrintStream out) throws Exception {
        BenchArgs args = new BenchArgs(argList);
        if (args.has("--help")) {
            out.println("kccr bench indexing [--docs N (171075)] [--runs N (3)] [--warmups N (1)] [--shards N (3)]"
                    + " [--bulk-size N (5000)] [--clients N (4)] [--latency-requests N per client (500)] [--refresh-interval T (1s)]"
                    + " [--node-jvm \"" + NODE_JVM + "\" (bin/kccr's; none: the node runs in this JVM)] "
                    + SecuritySides.USAGE + " [-E node.setting=value]...");
            return;
        }
        int runs = args.intOption("--runs", 3);
        int warmups = args.intOption("--warmups", 1);
        int shards = args.intOption("--shards", 3);
        int bulkSize = args.intOption("--bulk-size", 5000);
        int clients = args.intOption("--clients", 4);
        int latencyRequests = args.intOption("--latency-requests", 500);
        String refreshInterval = args.stringOption("--refresh-interval", "1s");
        String nodeJvm = args.stringOption("--node-jvm", NODE_JVM);
        Corpus cities = Corpus.geonames(SampleData.documents().size());
        Corpus corpus = Corpus.geonames(args.intOption("--docs", cities.size()));
        if (runs < 1 || warmups < 1 || shards < 1 || bulkSize < 1 || clients < 1 || latencyRequests < 1) {
            throw new IllegalArgumentException("--runs, --warmups, --shards, --bulk-size, --clients and"
                    + " --latency-requests take a number >= 1");
        }
        out.printf("corpus: %s (data: GeoNames, CC BY 4.0); %d runs after %d warm-up runs; bulk size %d; %d clients%n",
                corpus.describe(), runs, warmups, bulkSize, clients);
        Path work = Files.createTempDirectory("kccr-bench-indexing");
        Map<String, String> nodeSettings = new HashMap<>(Map.of("path.data", work.resolve("node").toString(),
                "http.port", "0", "kafka.embedded.port", "0"));
        nodeSettings.putAll(args.nodeSettings());
        out.printf("leader index: %d shards, refresh_interval %s; node settings %s; the node %s; %s%n", shards,
                refreshInterval, args.nodeSettings(), nodeJvm.equals("none") ? "in this JVM"
                        : "in a JVM of its own with " + nodeJvm, Machine.load());
        List<Double> single = new ArrayList<>();
        List<Double> parallel = new ArrayList<>();
        List<Double> cpuSingle = new ArrayList<>();
        List<Double> cpuParallel = new ArrayList<>();
        List<Double> refreshed = new ArrayList<>();
        TimeValue refreshEvery = TimeValue.parse(refreshInterval, "--refresh-interval");
        java.time.Duration refreshPeriod = refreshEvery.millis() > 0 ? refreshEvery.toDuration() : null;
        String parallelism = null;
        try (SecuritySides nodes = nodeJvm.equals("none") ? SecuritySides.start(args, work, nodeSettings)
                : SecuritySides.startProcesses(args, work, nodeSettings, List.of(nodeJvm.trim().split("\\s+")))) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            Map<SecuritySides.Side, Bulk> bulks = new java.util.LinkedHashMap<>();
            Map<SecuritySides.Side, List<Double>> node = new java.util.LinkedHashMap<>();
            Map<SecuritySides.Side, List<Double>> cpu = new java.util.LinkedHashMap<>();
            Map<SecuritySides.Side, List<Bulk.Result>> passes = new java.util.LinkedHashMap<>();
            for (SecuritySides.Side side : nodes.sides()) {
                bulks.put(side, new Bulk(http, side.httpAddress(), side.pid(), side.authorization(), shards,
                        bulkSize, clients, refreshInterval));
                node.put(side, new ArrayList<>());
                cpu.put(side, new ArrayList<>());
                passes.put(side, new ArrayList<>());
            }
            for (int w = 1; w <= warmups; w++) {
                out.printf("warm-up run %d of %d on the 171,075 cities (not counted)...%n", w, warmups);
                RawLucene.parallel(cities, work.resolve("lucene-warmup"), 1);
                RawLucene.parallel(cities, work.resolve("lucene-warmup-parallel"), shards);
                for (Bulk bulk : bulks.values()) {
                    bulk.run("geonames-warmup-" + w, cities);
                }
                IOUtils.rm(work.resolve("lucene-warmup"), work.resolve("lucene-warmup-parallel"));
            }
            for (int run = 1; run <= runs; run++) {
                RawLucene.Run a1 = RawLucene.parallel(corpus, work.resolve("lucene-" + run), 1);
                IOUtils.rm(work.resolve("lucene-" + run));
                RawLucene.Run a2 = RawLucene.parallel(corpus, work.resolve("lucene-parallel-" + run), shards);
                IOUtils.rm(work.resolve("lucene-parallel-" + run));
                RawLucene.Run a3 = refreshPeriod == null ? a2
                        : RawLucene.parallel(corpus, work.resolve("lucene-refreshed-" + run), shards, refreshPeriod);
                IOUtils.rm(work.resolve("lucene-refreshed-" + run));
                refreshed.add(a3.docsPerSecond());
                parallelism = a2.describe();
                single.add(a1.docsPerSecond());
                parallel.add(a2.docsPerSecond());
                cpuSingle.add(a1.cpuSecondsPerMillion());
                cpuParallel.add(a2.cpuSecondsPerMillion());
                StringBuilder line = new StringBuilder(String.format("run %d: (a1) raw Lucene, 1 IndexWriter on 1"
                        + " thread %,.0f docs/s (CPU %.1f s per 1M docs)   (a2) raw Lucene, %s %,.0f docs/s (CPU %.1f s"
                        + " per 1M docs)   (a3) the same, refreshed every %s %,.0f docs/s", run, a1.docsPerSecond(),
                        a1.cpuSecondsPerMillion(), a2.describe(), a2.docsPerSecond(), a2.cpuSecondsPerMillion(),
                        refreshInterval, a3.docsPerSecond()));
                // both sides share the machine: odd runs measure them in one order, even runs in the other
                List<SecuritySides.Side> order = new ArrayList<>(nodes.sides());
                if (run % 2 == 0) {
                    java.util.Collections.reverse(order);
                }
                Map<SecuritySides.Side, Bulk.Result> results = new HashMap<>();
                for (SecuritySides.Side side : order) {
                    results.put(side, bulks.get(side).run("geonames-" + run, corpus));
                }
                for (SecuritySides.Side side : nodes.sides()) {
                    Bulk.Result b = results.get(side);
                    node.get(side).add(b.docsPerSecond());
                    cpu.get(side).add(b.cpuSecondsPerMillion());
                    passes.get(side).add(b);
                    line.append(String.format("   (b%s) _bulk + Kafka %,.0f docs/s (CPU %.1f s per 1M docs: the"
                                    + " embedded broker's %.1f s, this benchmark's HTTP clients' %.1f s, the JIT"
                                    + " compiler's %.1f s, the node's own %.1f s)"
                                    + "   (b)/(a2) %.2f   (b)/(a3) %.2f   (b)/(a1) %.2f", label(side), b.docsPerSecond(),
                            b.cpuSecondsPerMillion(), b.brokerCpuSecondsPerMillion(), b.clientCpuSecondsPerMillion(),
                            b.jitCpuSecondsPerMillion(), b.nodeCpuSecondsPerMillion(), b.docsPerSecond() / a2.docsPerSecond(),
                            b.docsPerSecond() / a3.docsPerSecond(), b.docsPerSecond() / a1.docsPerSecond()));
                }
                out.println(line.append("   ").append(Machine.load()));
            }
            double m1 = Stats.median(single);
            double m2 = Stats.median(parallel);
            double m3 = Stats.median(refreshed);
            List<Double> ratios = new ArrayList<>();
            for (SecuritySides.Side side : nodes.sides()) {
                double mb = Stats.median(node.get(side));
                ratios.add(mb / m2);
                out.printf("median of %d runs of %,d docs: (a1) raw Lucene, 1 thread %,.0f docs/s   (a2) raw Lucene, %s"
                                + " %,.0f docs/s   (a3) refreshed every %s %,.0f docs/s   (b%s) _bulk + Kafka %,.0f docs/s"
                                + "   (b)/(a2) %.2f (goal >= 0.6)   (b)/(a3) %.2f (the same work: the leader's index"
                                + " refreshes too)   (b)/(a1) %.2f   process CPU per 1M docs: (a1) %.1f s (a2) %.1f s"
                                + " (b) %.1f s%n",
                        runs, corpus.size(), m1, parallelism, m2, refreshInterval, m3, label(side), mb, mb / m2,
                        mb / m3, mb / m1,
                        Stats.median(cpuSingle), Stats.median(cpuParallel), Stats.median(cpu.get(side)));
                double own = Stats.median(passes.get(side).stream().map(Bulk.Result::nodeCpuSecondsPerMillion).toList());
                out.printf("(b%s) CPU per 1M docs, medians: the embedded broker's %.1f s, this benchmark's HTTP clients'"
                                + " %.1f s, the JIT compiler's %.1f s, the node's own %.1f s; (a2)/(the node's own) %.2f:"
                                + " what (b)/(a2) could reach with the broker and the clients on other cores, warmed up%n",
                        label(side),
                        Stats.median(passes.get(side).stream().map(Bulk.Result::brokerCpuSecondsPerMillion).toList()),
                        Stats.median(passes.get(side).stream().map(Bulk.Result::clientCpuSecondsPerMillion).toList()),
                        Stats.median(passes.get(side).stream().map(Bulk.Result::jitCpuSecondsPerMillion).toList()),
                        own, Stats.median(cpuParallel) / own);
            }
            if (nodes.comparing()) {
                out.printf("cost of security: (b)/(a2) %.3f on vs %.3f off: the ratio drops %.1f%% (goal <= 5%%)%n",
                        ratios.get(1), ratios.get(0), 100 * (1 - ratios.get(1) / ratios.get(0)));
            }
            for (SecuritySides.Side side : nodes.sides()) {
                long[] latencies = singleDocLatencies(http, side.httpAddress(), side.authorization(), cities, 8,
                        latencyRequests);
                out.printf("single-document writes%s at concurrency 8 (%d requests): p50 %.2f ms   p99 %.2f ms%n",
                        label(side), latencies.length, Stats.percentile(latencies, 50) / 1e6,
                        Stats.percentile(latencies, 99) / 1e6);
            }
            for (SecuritySides.Side side : nodes.sides()) {
                out.printf("memory of the node%s: %s%n", label(side), side.node() != null ? Machine.memory()
                        : Machine.describeRss(side.pid()));
            }
            out.println(Machine.load());
        } finally {
            IOUtils.rm(work);
        }
    }

    private static String label(SecuritySides.Side side) {
        return side.label().isEmpty() ? "" : ", " + side.label();
    }

    /**
     * (b): a corpus through {@code _bulk} with concurrent HTTP clients, to the node of process {@code pid} (this one's
     * or its own); {@code auth} an Authorization value or null.
     */
    private record Bulk(HttpClient http, String base, long pid, String auth, int shards, int bulkSize, int clients,
                        String refreshInterval) {

        /**
         * One pass: {@code cpuNanos} of the node's process and this benchmark's HTTP clients, of which
         * {@code brokerNanos} the embedded broker's threads, {@code clientNanos} the clients' and {@code jitNanos} the
         * node's JIT compiler's.
         */
        record Result(double docsPerSecond, long cpuNanos, long brokerNanos, long clientNanos, long jitNanos,
                      int docs) {
            double cpuSecondsPerMillion() {
                return perMillion(cpuNanos);
            }

            /** The node's own CPU: the process's less the broker's, the clients' and the JIT compiler's. */
            double nodeCpuSecondsPerMillion() {
                return perMillion(cpuNanos - brokerNanos - clientNanos - jitNanos);
            }

            double jitCpuSecondsPerMillion() {
                return perMillion(jitNanos);
            }

            double brokerCpuSecondsPerMillion() {
                return perMillion(brokerNanos);
            }

            double clientCpuSecondsPerMillion() {
                return perMillion(clientNanos);
            }

            private double perMillion(long nanos) {
                return nanos / 1e9 / docs * 1e6;
            }
        }

        /**
         * Creates {@code index}, sends the corpus in bulks of {@link #bulkSize}, each client building its next body
         * as it goes (so a large corpus never sits in memory as bodies), until every item is acknowledged; then
         * deletes the index.
         */
        Result run(String index, Corpus corpus) throws Exception {
            Http.send(http, "PUT", base + "/" + index, "{\"settings\":{\"number_of_shards\":" + shards
                    + ",\"refresh_interval\":\"" + refreshInterval + "\"},\"mappings\":" + SampleData.MAPPINGS + "}", auth);
            boolean apart = pid != ProcessHandle.current().pid();
            long cpu = ProcStats.of(pid).cpuNanos();
            long broker = ProcStats.brokerCpuNanos(pid);
            long client = clientCpuNanos();
            long jit = ProcStats.compilerCpuNanos(pid);
            long start = System.nanoTime();
            Http.bulkAll(http, base + "/" + index + "/_bulk", corpus, bulkSize, clients, auth);
            double seconds = (System.nanoTime() - start) / 1e9;
            client = clientCpuNanos() - client;
            long cpuNanos = ProcStats.of(pid).cpuNanos() - cpu + (apart ? client : 0);
            broker = ProcStats.brokerCpuNanos(pid) - broker;
            jit = ProcStats.compilerCpuNanos(pid) - jit;
            Http.send(http, "DELETE", base + "/" + index, "", auth);
            return new Result(corpus.size() / seconds, cpuNanos, broker, client, jit, corpus.size());
        }

        private static long clientCpuNanos() throws java.io.IOException {
            return ProcStats.threadCpuNanos(name -> name.startsWith(Http.CLIENT_THREAD) || name.startsWith("HttpClient-"));
        }
    }

    /** Latency of single-document PUTs, {@code concurrency} clients each sending {@code perClient} in a row. */
    static long[] singleDocLatencies(HttpClient http, String base, String auth, Corpus docs, int concurrency,
                                     int perClient) throws Exception {
        String index = "latency";
        Http.send(http, "PUT", base + "/" + index, "{\"settings\":{\"number_of_shards\":3},\"mappings\":"
                + SampleData.MAPPINGS + "}", auth);
        long[] latencies = new long[concurrency * perClient];
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < concurrency; c++) {
                int client = c;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perClient; i++) {
                        int n = client * perClient + i;
                        long t0 = System.nanoTime();
                        Http.send(http, "PUT", base + "/" + index + "/_doc/" + n, docs.source(n), auth);
                        latencies[n] = System.nanoTime() - t0;
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        Http.send(http, "DELETE", base + "/" + index, "", auth);
        return latencies;
    }
}
