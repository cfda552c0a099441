package io.kccr.bench;

import io.kccr.node.sample.SampleData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.lucene.util.IOUtils;

/**
 * Indexing throughput of the leader against its limit, in one run: (a) the GeoNames corpus
 * straight into one Lucene IndexWriter with the same document mapper, one thread; (b) the same
 * corpus through a leader node's {@code _bulk} API over HTTP, every op published to Kafka
 * (acks=all, transactional) before it is applied. Prints docs/s of both, their ratio (goal
 * ≥ 0.6), and single-document write latency p50/p99 at concurrency 8. With {@code --security both}, (b) runs on a
 * node with security off and on one with it on (requests authenticated) in the same run: the cost of security.
 */
public final class IndexingBenchmark implements Benchmark {

    @Override
    public String name() {
        return "indexing";
    }

    @Override
    public String description() {
        return "GeoNames into raw Lucene vs through the leader's _bulk API with Kafka (ratio, goal >= 0.6);"
                + " single-doc latency p50/p99 at concurrency 8";
    }

    @Override
    public void run(List<String> argList, PrintStream out) throws Exception {
        BenchArgs args = new BenchArgs(argList);
        if (args.has("--help")) {
            out.println("kccr bench indexing [--runs N (3)] [--bulk-size N (5000)] [--clients N (4)]"
                    + " [--latency-requests N per client (500)] [--refresh-interval T (1s)] " + SecuritySides.USAGE
                    + " [-E node.setting=value]...");
            return;
        }
        int runs = args.intOption("--runs", 3);
        int bulkSize = args.intOption("--bulk-size", 5000);
        int clients = args.intOption("--clients", 4);
        int latencyRequests = args.intOption("--latency-requests", 500);
        String refreshInterval = args.stringOption("--refresh-interval", "1s");
        List<byte[]> docs = SampleData.documents();
        out.printf("corpus: %d GeoNames documents (data: GeoNames, CC BY 4.0); %d runs; bulk size %d; %d clients%n",
                docs.size(), runs, bulkSize, clients);
        Path work = Files.createTempDirectory("kccr-bench-indexing");
        List<Double> lucene = new ArrayList<>();
        Map<String, String> nodeSettings = new java.util.HashMap<>(Map.of("http.port", "0", "kafka.embedded.port",
                "0"));
        nodeSettings.putAll(args.nodeSettings());
        out.printf("leader index: 3 shards, refresh_interval %s; node settings %s%n", refreshInterval, args.nodeSettings());
        try (SecuritySides nodes = SecuritySides.start(args, work, nodeSettings)) {
            List<SecuritySides.Side> sides = nodes.sides();
            Map<SecuritySides.Side, List<Double>> node = new java.util.LinkedHashMap<>();
            sides.forEach(side -> node.put(side, new ArrayList<>()));
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            out.println("warm-up run (not counted)...");
            RawLucene.docsPerSecond(docs, work.resolve("lucene-warmup"));
            for (SecuritySides.Side side : sides) {
                throughBulk(http, side, "geonames-warmup", docs, bulkSize, clients, refreshInterval);
            }
            for (int run = 1; run <= runs; run++) {
                double a = RawLucene.docsPerSecond(docs, work.resolve("lucene-" + run));
                lucene.add(a);
                StringBuilder line = new StringBuilder(String.format("run %d: (a) raw Lucene %,.0f docs/s", run, a));
                for (SecuritySides.Side side : sides) {
                    double b = throughBulk(http, side, "geonames-" + run, docs, bulkSize, clients, refreshInterval);
                    node.get(side).add(b);
                    line.append(String.format("   (b%s) _bulk + Kafka %,.0f docs/s   (b)/(a) %.2f", label(side), b,
                            b / a));
                }
                out.println(line);
            }
            double ma = Stats.median(lucene);
            List<Double> ratios = new ArrayList<>();
            for (SecuritySides.Side side : sides) {
                double mb = Stats.median(node.get(side));
                ratios.add(mb / ma);
                out.printf("median: (a) raw Lucene %,.0f docs/s   (b%s) _bulk + Kafka %,.0f docs/s   (b)/(a) %.2f"
                        + " (goal >= 0.6)%n", ma, label(side), mb, mb / ma);
            }
            if (nodes.comparing()) {
                out.printf("cost of security: (b)/(a) %.3f on vs %.3f off: the ratio drops %.1f%% (goal <= 5%%)%n",
                        ratios.get(1), ratios.get(0), 100 * (1 - ratios.get(1) / ratios.get(0)));
            }
            for (SecuritySides.Side side : sides) {
                long[] latencies = singleDocLatencies(http, side, docs, 8, latencyRequests);
                out.printf("single-document writes%s at concurrency 8 (%d requests): p50 %.2f ms   p99 %.2f ms%n",
                        label(side).isEmpty() ? "" : " (" + side.label() + ")", latencies.length,
                        Stats.percentile(latencies, 50) / 1e6, Stats.percentile(latencies, 99) / 1e6);
            }
        } finally {
            IOUtils.rm(work);
        }
    }

    private static String label(SecuritySides.Side side) {
        return side.label().isEmpty() ? "" : ", " + side.label();
    }

    /** (b): docs/s through {@code _bulk} with {@code clients} concurrent HTTP clients, until every item is acknowledged. */
    static double throughBulk(HttpClient http, SecuritySides.Side side, String index, List<byte[]> docs, int bulkSize,
                              int clients, String refreshInterval) throws Exception {
        String base = side.node().httpAddress();
        String auth = side.authorization();
        Http.send(http, "PUT", base + "/" + index, "{\"settings\":{\"number_of_shards\":3,\"refresh_interval\":\""
                + refreshInterval + "\"},\"mappings\":" + SampleData.MAPPINGS + "}", auth);
        List<byte[]> bodies = new ArrayList<>();
        for (int from = 0; from < docs.size(); from += bulkSize) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (int i = from; i < Math.min(docs.size(), from + bulkSize); i++) {
                body.write(("{\"index\":{\"_id\":\"" + (i + 1) + "\"}}\n").getBytes(StandardCharsets.UTF_8));
                body.write(docs.get(i));
                body.write('\n');
            }
            bodies.add(body.toByteArray());
        }
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                done.add(pool.submit(() -> {
                    for (int b = next.getAndIncrement(); b < bodies.size(); b = next.getAndIncrement()) {
                        String response = Http.send(http, "POST", base + "/" + index + "/_bulk", bodies.get(b), auth);
                        if (response.startsWith("{\"errors\":true") || response.contains("\"errors\":true")) {
                            throw new IllegalStateException("bulk had errors: "
                                    + response.substring(0, Math.min(500, response.length())));
                        }
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
        double rate = docs.size() / ((System.nanoTime() - start) / 1e9);
        Http.send(http, "DELETE", base + "/" + index, "", auth);
        return rate;
    }

    /** Latency of single-document PUTs, {@code concurrency} clients each sending {@code perClient} in a row. */
    static long[] singleDocLatencies(HttpClient http, SecuritySides.Side side, List<byte[]> docs, int concurrency,
                                     int perClient) throws Exception {
        String index = "latency";
        String base = side.node().httpAddress();
        String auth = side.authorization();
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
                        Http.send(http, "PUT", base + "/" + index + "/_doc/" + n, docs.get(n % docs.size()), auth);
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
