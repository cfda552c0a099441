package io.kccr.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kccr.core.verify.DigestComparator;
import io.kccr.core.verify.Verifier;
import io.kccr.core.verify.VerifyReport;
import io.kccr.follower.FollowerIndex;
import io.kccr.follower.apply.FollowerShard;
import io.kccr.leader.LeaderIndex;
import io.kccr.leader.LeaderShard;
import io.kccr.node.Node;
import io.kccr.node.settings.NodeSettings;
import io.kccr.node.sample.SampleData;
import io.kccr.node.remote.HttpDigestSource;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.lucene.util.IOUtils;

/**
 * Verification throughput, in one run: a leader index of N GeoNames documents (3 shards) and its follower on the
 * same node, caught up; then, per run, (a) {@code kccr verify}'s way (both digests streamed over HTTP into the
 * comparator) and (b) {@code POST /<follower>/_ccr/verify} (the follower's shards read in place, the leader's digest
 * over HTTP). Prints documents verified per second (the leader's documents over the wall time) per run and the
 * medians. Every run must find the two identical.
 */
public final class VerifyBenchmark implements Benchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LEADER = "geonames";
    private static final String FOLLOWER = "geonames-follower";

    @Override
    public String name() {
        return "verify";
    }

    @Override
    public String description() {
        return "verify a caught-up GeoNames follower against its leader: docs/s of kccr verify and of _ccr/verify";
    }

    @Override
    public void run(List<String> argList, PrintStream out) throws Exception {
        BenchArgs args = new BenchArgs(argList);
        if (args.has("--help")) {
            out.println("kccr bench verify [--docs N (all 171075)] [--runs N (5)]");
            return;
        }
        int runs = args.intOption("--runs", 5);
        List<byte[]> all = SampleData.documents();
        int n = Math.min(args.intOption("--docs", all.size()), all.size());
        if (n < 1 || runs < 1) {
            throw new IllegalArgumentException("--docs and --runs take a number >= 1");
        }
        List<byte[]> docs = all.subList(0, n);
        Path work = Files.createTempDirectory("kccr-bench-verify");
        try (Node node = Node.start(NodeSettings.of(Map.of("path.data", work.resolve("node").toString(),
                "http.port", "0", "kafka.embedded.port", "0", "xpack.security.enabled", "false")))) {
            HttpClient http = HttpDigestSource.client();
            String base = node.httpAddress();
            Http.send(http, "PUT", base + "/_cluster/settings", "{\"persistent\":{\"cluster.remote.self.seeds\":\""
                    + base.substring("http://".length()) + "\"}}");
            LeaderIndex leader = node.indices().create(LEADER, SampleData.settings(), SampleData.mappings());
            out.printf("loading %,d GeoNames documents into the leader (data: GeoNames, CC BY 4.0)...%n", n);
            SampleData.index(leader, docs, Duration.ofSeconds(30), null);
            Http.send(http, "PUT", base + "/" + FOLLOWER + "/_ccr/follow?wait_for_active_shards=1&timeout=10m",
                    "{\"remote_cluster\":\"self\",\"leader_index\":\"" + LEADER + "\"}");
            awaitCaughtUp(leader, node.followers().get(FOLLOWER), Duration.ofMinutes(10));
            out.println("follower caught up; warm-up run (not counted)...");
            cli(http, base);
            rest(http, base);
            List<Double> cli = new ArrayList<>();
            List<Double> rest = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                double a = cli(http, base);
                double b = rest(http, base);
                cli.add(a);
                rest.add(b);
                out.printf("run %d: (a) kccr verify %,.0f docs/s   (b) POST _ccr/verify %,.0f docs/s%n", run, a, b);
            }
            out.printf("median over %d runs of %,d documents: (a) kccr verify %,.0f docs/s   (b) POST _ccr/verify"
                    + " %,.0f docs/s   (b)/(a) %.2f%n", runs, n, Stats.median(cli), Stats.median(rest),
                    Stats.median(rest) / Stats.median(cli));
        } finally {
            IOUtils.rm(work);
        }
    }

    /** (a): both digests over HTTP, compared here; docs/s. */
    private static double cli(HttpClient http, String base) throws Exception {
        Duration timeout = Duration.ofSeconds(30);
        long start = System.nanoTime();
        VerifyReport report = new Verifier(new DigestComparator(10), Clock.systemUTC()).verify(LEADER,
                new HttpDigestSource(http, base, LEADER, timeout), FOLLOWER,
                new HttpDigestSource(http, base, FOLLOWER, timeout), null);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!report.identical()) {
            throw new IllegalStateException("kccr verify found differences: " + report);
        }
        return report.shards().stream().mapToLong(s -> s.leaderDocs()).sum() / seconds;
    }

    /** (b): the follower node's verify; docs/s. */
    private static double rest(HttpClient http, String base) throws Exception {
        long start = System.nanoTime();
        JsonNode report = JSON.readTree(Http.send(http, "POST", base + "/" + FOLLOWER + "/_ccr/verify", ""));
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!report.path("identical").asBoolean()) {
            throw new IllegalStateException("_ccr/verify found differences: " + report);
        }
        long docs = 0;
        for (JsonNode s : report.path("shards")) {
            docs += s.path("leader_docs").asLong();
        }
        return docs / seconds;
    }

    private static void awaitCaughtUp(LeaderIndex leader, FollowerIndex follower, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<LeaderShard> leaderShards = leader.shards();
        while (System.nanoTime() < deadline) {
            List<FollowerShard> shards = follower.shards();
            boolean done = shards.size() == leaderShards.size();
            for (int i = 0; done && i < shards.size(); i++) {
                done = shards.get(i).maxSeqNo() >= leaderShards.get(i).maxSeqNo();
            }
            if (done) {
                return;
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("the follower has not caught up after " + timeout);
    }
}
