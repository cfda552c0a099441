package io.kccr.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kccr.core.routing.ShardRouting;
import io.kccr.node.kafka.EmbeddedKafka;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.lucene.util.IOUtils;

/**
 * How fast a cluster takes over a lost node's primaries: three leader nodes (each in a JVM of its own) on a broker
 * in this JVM hold an index of three shards with one replica; writers keep indexing single documents through the
 * nodes that stay up, and one node holding a primary is killed with SIGKILL, then restarted, {@code --kills} times.
 * Prints, per kill, the seconds from the kill to the first write a new primary acknowledged on each lost shard, and
 * the largest lag (operations) of a follower node (a fourth JVM, following the index) meanwhile; then p50/p99 over
 * the kills, against the group's session timeout, the floor below which no takeover can start (the group learns of
 * a silent member only then).
 */
public final class FailoverBenchmark implements Benchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INDEX = "orders";
    private static final int SHARDS = 3;

    @Override
    public String name() {
        return "failover";
    }

    @Override
    public String description() {
        return "three leader nodes under writes, one holding a primary killed with SIGKILL and restarted N times:"
                + " seconds until the lost shards take writes again (p50/p99) and a follower's lag meanwhile, against"
                + " the session timeout";
    }

    @Override
    public List<String> quickArgs() {
        return List.of("--kills", "2");
    }

    @Override
    public void run(List<String> argList, PrintStream out) throws Exception {
        BenchArgs args = new BenchArgs(argList);
        if (args.has("--help")) {
            out.println("kccr bench failover [--kills N (10)] [--writers N (2)] [--session-timeout 6s]");
            return;
        }
        int kills = args.intOption("--kills", 10);
        int writers = args.intOption("--writers", 2);
        String sessionTimeout = args.stringOption("--session-timeout", "6s");
        Path work = Files.createTempDirectory("kccr-bench-failover");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        List<NodeProcess> leaders = new ArrayList<>();
        NodeProcess follower = null;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"), 0)) {
            for (int n = 0; n < 3; n++) {
                leaders.add(startLeader(work, n, kafka.bootstrapServers(), sessionTimeout));
            }
            String first = leaders.getFirst().httpAddress();
            Http.send(http, "PUT", first + "/" + INDEX, "{\"settings\":{\"number_of_shards\":" + SHARDS
                    + ",\"number_of_replicas\":1}}");
            green(http, first);
            follower = startFollower(work, kafka.bootstrapServers(), leaders, http);

            Load load = new Load(http, leaders, writers);
            List<Double> pauses = new ArrayList<>();
            List<Double> lags = new ArrayList<>();
            try {
                load.awaitAcks(200);
                for (int k = 0; k < kills; k++) {
                    Map<Integer, String> primaries = primaries(http, leaders.get((k + 1) % 3).httpAddress());
                    int victim = victim(leaders, primaries, k);
                    Set<Integer> lost = new HashSet<>();
                    primaries.forEach((shard, node) -> {
                        if (node.equals("n" + victim)) {
                            lost.add(shard);
                        }
                    });
                    load.targets.set(survivors(leaders, victim));
                    Map<Integer, Long> termBefore = new LinkedHashMap<>(load.terms);
                    Lag lag = new Lag(http, follower.httpAddress());
                    long killedAt = System.nanoTime();
                    leaders.get(victim).kill();
                    double pause = load.awaitResumed(lost, termBefore, killedAt);
                    long maxLag = lag.stop();
                    pauses.add(pause);
                    lags.add((double) maxLag);
                    out.printf("kill %d: n%d (primary of shard %s) -> writes again after %.2f s; follower lag max %d"
                            + " ops%n", k + 1, victim, lost, pause, maxLag);
                    leaders.set(victim, startLeader(work, victim, kafka.bootstrapServers(), sessionTimeout));
                    load.targets.set(List.copyOf(addresses(leaders)));
                    green(http, leaders.get(victim).httpAddress());
                }
            } finally {
                load.stop();
            }
            double timeout = parseSeconds(sessionTimeout);
            out.printf("failover: %d kills, writes resumed after p50 %.2f s, p99 %.2f s (session timeout %.1f s:"
                            + " p50 %.2fx of it); follower lag max p50 %.0f ops, p99 %.0f ops; %d writes acknowledged,"
                            + " %d answered other than 503 while a shard had no primary%n",
                    kills, percentile(pauses, 0.5), percentile(pauses, 0.99), timeout,
                    percentile(pauses, 0.5) / timeout, percentile(lags, 0.5), percentile(lags, 0.99),
                    load.acks.get(), load.unexpected.get());
        } finally {
            for (NodeProcess p : leaders) {
                p.kill();
            }
            if (follower != null) {
                follower.kill();
            }
            IOUtils.rm(work);
        }
    }

    private static NodeProcess startLeader(Path work, int n, String kafka, String sessionTimeout) throws Exception {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("cluster.name", "leader");
        s.put("node.name", "n" + n);
        s.put("path.data", work.resolve("n" + n).toString());
        s.put("http.port", "0");
        s.put("kafka.bootstrap.servers", kafka);
        s.put("ccr.topic.prefix", "leader");
        s.put("ccr.topic.allow_unsafe_durability", "true");
        s.put("discovery.type", "multi-node");
        s.put("cluster.fault_detection.session_timeout", sessionTimeout);
        s.put("xpack.security.enabled", "false");
        return NodeProcess.start(List.of("-Xmx512m"), s, work.resolve("n" + n + ".log"));
    }

    private static NodeProcess startFollower(Path work, String kafka, List<NodeProcess> leaders, HttpClient http)
            throws Exception {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("cluster.name", "follower");
        s.put("node.name", "f");
        s.put("path.data", work.resolve("f").toString());
        s.put("http.port", "0");
        s.put("kafka.bootstrap.servers", kafka);
        s.put("ccr.topic.prefix", "follower");
        s.put("ccr.topic.allow_unsafe_durability", "true");
        s.put("xpack.security.enabled", "false");
        NodeProcess f = NodeProcess.start(List.of("-Xmx512m"), s, work.resolve("f.log"));
        StringBuilder seeds = new StringBuilder();
        for (String a : addresses(leaders)) {
            seeds.append(seeds.isEmpty() ? "" : ",").append('"').append(a).append('"');
        }
        Http.send(http, "PUT", f.httpAddress() + "/_cluster/settings",
                "{\"persistent\":{\"cluster.remote.leader.seeds\":[" + seeds + "]}}");
        Http.send(http, "PUT", f.httpAddress() + "/" + INDEX + "-f/_ccr/follow?wait_for_active_shards=1",
                "{\"remote_cluster\":\"leader\",\"leader_index\":\"" + INDEX + "\"}");
        return f;
    }

    private static void green(HttpClient http, String base) throws Exception {
        Http.send(http, "GET", base + "/_cluster/health?wait_for_status=green&wait_for_nodes=3"
                + "&wait_for_no_relocating_shards=true&timeout=180s", "");
    }

    /** Shard number to the name of the node holding its primary. */
    private static Map<Integer, String> primaries(HttpClient http, String base) throws Exception {
        Map<Integer, String> out = new LinkedHashMap<>();
        for (JsonNode row : JSON.readTree(Http.send(http, "GET", base + "/_cat/shards/" + INDEX + "?format=json",
                ""))) {
            if (row.path("prirep").asText().equals("p") && row.path("state").asText().equals("STARTED")) {
                out.put(row.path("shard").asInt(), row.path("node").asText());
            }
        }
        return out;
    }

    /** The k-th kill's node: the next in turn that holds a primary. */
    private static int victim(List<NodeProcess> leaders, Map<Integer, String> primaries, int k) {
        for (int i = 0; i < leaders.size(); i++) {
            int n = (k + i) % leaders.size();
            if (primaries.containsValue("n" + n)) {
                return n;
            }
        }
        throw new IllegalStateException("no node holds a primary: " + primaries);
    }

    private static List<String> addresses(List<NodeProcess> nodes) {
        return nodes.stream().map(NodeProcess::httpAddress).toList();
    }

    private static List<String> survivors(List<NodeProcess> leaders, int victim) {
        List<String> out = new ArrayList<>(addresses(leaders));
        out.remove(victim);
        return out;
    }

    /** Single-document writes through {@link #targets}; the newest primary term acknowledged per shard. */
    private static final class Load {
        final AtomicReference<List<String>> targets;
        final Map<Integer, Long> terms = new ConcurrentHashMap<>();
        /** When each shard ({@code shard:term}) first acknowledged a write in each primary term. */
        final Map<String, Long> firstAckOfTerm = new ConcurrentHashMap<>();
        final AtomicLong acks = new AtomicLong();
        final AtomicLong unexpected = new AtomicLong();
        final AtomicBoolean stop = new AtomicBoolean();
        final List<Thread> threads = new ArrayList<>();

        Load(HttpClient http, List<NodeProcess> leaders, int writers) {
            targets = new AtomicReference<>(addresses(leaders));
            for (int w = 0; w < writers; w++) {
                int writer = w;
                threads.add(Thread.ofPlatform().daemon().name("failover-writer-" + w).start(() -> {
                    for (long i = 0; !stop.get(); i++) {
                        List<String> now = targets.get();
                        String id = "w" + writer + "-" + i;
                        HttpRequest request = HttpRequest.newBuilder(URI.create(now.get((int) (i % now.size()))
                                        + "/" + INDEX + "/_doc/" + id)).timeout(Duration.ofSeconds(30))
                                .header("Content-Type", "application/json")
                                .PUT(HttpRequest.BodyPublishers.ofString("{\"w\":" + writer + ",\"i\":" + i + "}"))
                                .build();
                        try {
                            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                            if (r.statusCode() >= 300) {
                                if (r.statusCode() != 503) {
                                    unexpected.incrementAndGet();
                                }
                                continue;
                            }
                            long done = System.nanoTime();
                            long term = JSON.readTree(r.body()).path("_primary_term").asLong();
                            int shard = ShardRouting.shardFor(id, SHARDS);
                            terms.merge(shard, term, Math::max);
                            firstAckOfTerm.putIfAbsent(shard + ":" + term, done);
                            acks.incrementAndGet();
                        } catch (java.io.IOException e) {
                            // the node was killed under the request: its outcome is unknown, as a client sees it
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }));
            }
        }

        void awaitAcks(long n) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (acks.get() < n) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + acks.get() + " writes acknowledged in 120 s");
                }
                Thread.sleep(50);
            }
        }

        /** Seconds from {@code killedAt} until every shard of {@code lost} acknowledged a write of a newer term. */
        double awaitResumed(Set<Integer> lost, Map<Integer, Long> termBefore, long killedAt)
                throws InterruptedException {
            Map<Integer, Long> resumed = new LinkedHashMap<>();
            long deadline = killedAt + Duration.ofSeconds(180).toNanos();
            while (resumed.size() < lost.size()) {
                for (int shard : lost) {
                    long term = terms.getOrDefault(shard, 0L);
                    if (!resumed.containsKey(shard) && term > termBefore.getOrDefault(shard, 0L)) {
                        // the first ack of the term after the one before the kill (a promotion takes the next)
                        resumed.put(shard, firstAckOfTerm.keySet().stream()
                                .filter(k -> k.startsWith(shard + ":"))
                                .filter(k -> Long.parseLong(k.substring(k.indexOf(':') + 1))
                                        > termBefore.getOrDefault(shard, 0L))
                                .mapToLong(firstAckOfTerm::get).min().orElseThrow());
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("shards " + lost + " took no write in a new term within 180 s");
                }
                Thread.sleep(5);
            }
            return (resumed.values().stream().mapToLong(Long::longValue).max().orElseThrow() - killedAt) / 1e9;
        }

        void stop() throws InterruptedException {
            stop.set(true);
            for (Thread t : threads) {
                t.join(Duration.ofSeconds(60));
            }
        }
    }

    /** Samples the follower's lag (operations behind the leader's shards) every 100 ms until stopped. */
    private static final class Lag {
        private final AtomicLong max = new AtomicLong();
        private final AtomicLong samples = new AtomicLong();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread sampler;

        Lag(HttpClient http, String follower) {
            sampler = Thread.ofPlatform().daemon().name("failover-lag").start(() -> {
                while (!stop.get()) {
                    try {
                        JsonNode stats = JSON.readTree(Http.send(http, "GET", follower + "/" + INDEX
                                + "-f/_ccr/stats", ""));
                        long lag = 0;
                        for (JsonNode index : stats.path("indices")) {
                            for (JsonNode shard : index.path("shards")) {
                                lag += Math.max(0, shard.path("leader_global_checkpoint").asLong()
                                        - shard.path("follower_global_checkpoint").asLong());
                            }
                        }
                        if (stats.path("indices").isEmpty()) {
                            throw new IllegalStateException("no follower stats yet");
                        }
                        long l = lag;
                        max.accumulateAndGet(l, Math::max);
                        samples.incrementAndGet();
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        // a stats call that failed is a sample missed, not a lag
                    }
                }
            });
        }

        long stop() throws InterruptedException {
            stop.set(true);
            sampler.join(Duration.ofSeconds(10));
            if (samples.get() == 0) {
                throw new IllegalStateException("the follower's _ccr/stats answered no lag during the outage");
            }
            return max.get();
        }
    }

    private static double parseSeconds(String value) {
        return io.kccr.core.settings.TimeValue.parse(value, "--session-timeout").toDuration().toMillis() / 1000.0;
    }

    private static double percentile(List<Double> values, double p) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }
}
