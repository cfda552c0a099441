package io.kccr.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kccr.node.kafka.EmbeddedKafka;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.util.IOUtils;

/**
 * What a cluster costs on one machine: the same work through a cluster of one node and through one node of a
 * cluster of three (each node a JVM of its own, one broker in this JVM), side by side in one run. Bulk indexing of the
 * GeoNames corpus into an index of three shards without replicas (through three nodes, two thirds of each bulk is
 * forwarded to the nodes of its shards), then single-document gets and {@code match} searches (a search fans out
 * to every node and merges). On a machine with fewer cores than nodes the three nodes share them, so the ratio is
 * the cost of forwarding and fan-out plus that sharing, not a cluster's capacity.
 */
public final class ClusterOverheadBenchmark implements Benchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "cluster";
    }

    @Override
    public String description() {
        return "bulk indexing, gets and searches through a cluster of 1 node vs one node of a cluster of 3: docs/s,"
                + " requests/s and the ratio (the overhead of forwarding and fan-out on one machine)";
    }

    @Override
    public List<String> quickArgs() {
        return List.of("--runs", "1", "--docs", "30000", "--requests", "300");
    }

    @Override
    public void run(List<String> argList, PrintStream out) throws Exception {
        BenchArgs args = new BenchArgs(argList);
        if (args.has("--help")) {
            out.println("kccr bench cluster [--runs N (3)] [--docs N (171075)] [--requests N (2000)] [--clients N (2)]");
            return;
        }
        int runs = args.intOption("--runs", 3);
        int docs = args.intOption("--docs", 171_075);
        int requests = args.intOption("--requests", 2000);
        int clients = args.intOption("--clients", 2);
        Corpus corpus = Corpus.geonames(docs);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Map<Integer, List<double[]>> results = new LinkedHashMap<>();
        for (int run = 1; run <= runs; run++) {
            // alternate which side goes first: both share the machine, and the second may find it warmer
            List<Integer> order = run % 2 == 1 ? List.of(1, 3) : List.of(3, 1);
            for (int nodes : order) {
                double[] r = measure(nodes, corpus, requests, clients, http, "run" + run);
                results.computeIfAbsent(nodes, n -> new ArrayList<>()).add(r);
                out.printf("run %d, %d node(s): bulk %,.0f docs/s, get %,.0f/s, search %,.0f/s%n", run, nodes, r[0],
                        r[1], r[2]);
            }
        }
        String[] what = {"bulk indexing (docs/s)", "get by id (requests/s)", "match search (requests/s)"};
        for (int i = 0; i < what.length; i++) {
            double one = median(results.get(1), i);
            double three = median(results.get(3), i);
            out.printf("%s: 1 node %,.0f, 3 nodes %,.0f; ratio 3/1 %.2f (medians of %d)%n", what[i], one, three,
                    three / one, runs);
        }
    }

    private static double median(List<double[]> runs, int i) {
        List<Double> values = runs.stream().map(r -> r[i]).toList();
        return Stats.median(values);
    }

    /** docs/s of the bulk load, gets/s and searches/s, through the first node of a cluster of {@code n}. */
    private static double[] measure(int n, Corpus corpus, int requests, int clients, HttpClient http, String tag)
            throws Exception {
        Path work = Files.createTempDirectory("kccr-bench-cluster");
        List<NodeProcess> nodes = new ArrayList<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"), 0)) {
            for (int i = 0; i < n; i++) {
                nodes.add(start(work, i, kafka.bootstrapServers()));
            }
            String base = nodes.getFirst().httpAddress();
            Http.send(http, "PUT", base + "/geo", "{\"settings\":{\"number_of_shards\":3,\"number_of_replicas\":0}}");
            Http.send(http, "GET", base + "/_cluster/health?wait_for_status=green&wait_for_nodes=" + n
                    + "&timeout=120s", "");
            long start = System.nanoTime();
            Http.bulkAll(http, base + "/geo/_bulk", corpus, 1000, clients, null);
            double bulk = corpus.size() / ((System.nanoTime() - start) / 1e9);
            Http.send(http, "POST", base + "/geo/_refresh", "");
            double gets = rate(requests, clients, i -> Http.send(http, "GET", base + "/geo/_doc/" + corpus.id(
                    (int) ((i * 7919L) % corpus.size())), ""));
            double searches = rate(requests, clients, i -> Http.send(http, "POST", base + "/geo/_search",
                    "{\"query\":{\"match\":{\"name\":\"" + (i % 2 == 0 ? "san" : "new") + "\"}},\"size\":10}"));
            return new double[] {bulk, gets, searches};
        } finally {
            for (NodeProcess p : nodes) {
                p.kill(); // the run is over: no hand-off to wait for
            }
            IOUtils.rm(work);
        }
    }

    private interface Request {
        void send(int i) throws Exception;
    }

    /** Requests per second of {@code total} requests from {@code clients} threads. */
    private static double rate(int total, int clients, Request request) throws Exception {
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        java.util.concurrent.atomic.AtomicReference<Exception> failed = new java.util.concurrent.atomic.AtomicReference<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = next.getAndIncrement(); i < total && failed.get() == null; i = next.getAndIncrement()) {
                    try {
                        request.send(i);
                    } catch (Exception e) {
                        failed.compareAndSet(null, e);
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failed.get() != null) {
            throw failed.get();
        }
        return total / ((System.nanoTime() - start) / 1e9);
    }

    private static NodeProcess start(Path work, int i, String kafka) throws Exception {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("cluster.name", "bench");
        s.put("node.name", "n" + i);
        s.put("path.data", work.resolve("n" + i).toString());
        s.put("http.port", "0");
        s.put("kafka.bootstrap.servers", kafka);
        s.put("ccr.topic.prefix", "bench");
        s.put("ccr.topic.allow_unsafe_durability", "true");
        s.put("discovery.type", "multi-node");
        s.put("xpack.security.enabled", "false");
        return NodeProcess.start(List.of("-Xmx1g"), s, work.resolve("n" + i + ".log"));
    }
}
