package io.kccr.bench;

import org.apache.lucene.util.IOUtils;
import io.kccr.core.mapping.MetaFields;
import io.kccr.core.search.SearchExecutor;
import io.kccr.core.search.SearchRequest;
import io.kccr.core.search.SearchResponse;
import io.kccr.core.shard.PinnedReader;
import io.kccr.follower.FollowerIndex;
import io.kccr.follower.FollowerStatus;
import io.kccr.leader.LeaderIndex;
import io.kccr.node.Node;
import io.kccr.node.sample.SampleData;
import io.kccr.node.settings.NodeSettings;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import io.kccr.bench.QueryLoad.Action;
import io.kccr.bench.QueryLoad.Measure;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedNumericDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SimpleCollector;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.NumericUtils;

/**
 * Search on a follower against Lucene itself, in one run, for three queries: (a) a {@code match} query on the
 * GeoNames follower (top 10 with their sources), (b) {@code terms} on {@code country} with an {@code avg} of
 * {@code lat} per country, (c) a daily {@code date_histogram} on a time-series follower. Each is measured as
 * (1) the product: {@code _search} over HTTP on the follower node, and (2) direct Lucene: the same query on an
 * {@link IndexSearcher} over the follower's own shard readers with hand-written collectors (ordinal counting,
 * doc-value sums), no parsing, no JSON, no HTTP. Both sides run with the same client threads for the same time;
 * prints queries per second and p50/p99 latency of each, and (1)/(2) (goal >= 0.8); medians of {@code --runs}.
 * Also prints the process's CPU time per query of each side, which other load on the machine does not skew, without
 * the JIT compiler's (printed apart), and over HTTP the part of it the client spent.
 */
public final class SearchBenchmark implements Benchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MATCH = "{\"query\":{\"match\":{\"name\":\"san\"}}}";
    private static final String TERMS = "{\"size\":0,\"aggs\":{\"countries\":{\"terms\":{\"field\":\"country\","
            + "\"size\":10},\"aggs\":{\"avg_lat\":{\"avg\":{\"field\":\"lat\"}}}}}}";
    private static final String DAYS = "{\"size\":0,\"aggs\":{\"days\":{\"date_histogram\":{\"field\":\"ts\","
            + "\"calendar_interval\":\"day\"}}}}";

    @Override
    public String name() {
        return "search";
    }

    @Override
    public String description() {
        return "search on a follower over HTTP vs the same queries on its Lucene readers: match, terms+avg,"
                + " date_histogram (qps, p50/p99, ratio; goal >= 0.8)";
    }

    @Override
    public void run(List<String> argList, PrintStream out) throws Exception {
        BenchArgs args = new BenchArgs(argList);
        if (args.has("--help")) {
            out.println("kccr bench search [--runs N (3)] [--seconds N (5)] [--warmup N (5)] [--threads N (2)]"
                    + " [--points N (200000)] [--cases abc (all; e.g. b: only terms+avg)]");
            return;
        }
        int runs = args.intOption("--runs", 3);
        int seconds = args.intOption("--seconds", 5);
        // long enough for the JIT to have compiled most of the HTTP path: with one second, its compiler threads still
        // took a third of the CPU of the first run over HTTP on a busy machine
        int warmup = args.intOption("--warmup", 5);
        int threads = args.intOption("--threads", 2);
        int pointCount = args.intOption("--points", 200_000);
        String only = args.stringOption("--cases", "abc");
        Path work = Files.createTempDirectory("kccr-bench-search");
        NodeSettings settings = NodeSettings.of(Map.of("path.data", work.resolve("node").toString(), "http.port", "0",
                "kafka.embedded.port", "0", "xpack.security.enabled", "false"));
        try (Node node = Node.start(settings)) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String base = node.httpAddress();
            Http.send(http, "PUT", base + "/_cluster/settings", "{\"persistent\":{\"cluster.remote.self.seeds\":\""
                    + base.substring("http://".length()) + "\"}}");
            out.println("loading 171,075 GeoNames documents and " + pointCount + " time-series points into the"
                    + " leader (data: GeoNames, CC BY 4.0)...");
            LeaderIndex geonames = node.indices().create("geonames", SampleData.settings(), SampleData.mappings());
            SampleData.index(geonames, SampleData.documents(), Duration.ofSeconds(60), null);
            Http.send(http, "PUT", base + "/points", "{\"settings\":{\"number_of_shards\":3},\"mappings\":"
                    + "{\"properties\":{\"host\":{\"type\":\"keyword\"},\"ts\":{\"type\":\"date\"},"
                    + "\"value\":{\"type\":\"double\"}}}}");
            loadPoints(http, base, pointCount);
            FollowerIndex gf = follow(http, node, base, "geonames");
            FollowerIndex pf = follow(http, node, base, "points");
            out.printf("followers ready: geonames-f %d docs, points-f %d docs; %d client threads, %d s per side%n",
                    gf.docCount(), pf.docCount(), threads, seconds);

            String geoUrl = base + "/geonames-f/_search";
            String ptsUrl = base + "/points-f/_search";
            try (PinnedReader geo = gf.pin(); PinnedReader pts = pf.pin()) {
                IndexSearcher geoSearcher = geo.searcher();
                IndexSearcher ptsSearcher = pts.searcher();
                List<Object[]> cases = List.of(
                        new Object[] {"(a) match name:san, top 10 with _source",
                                (Action) () -> QueryLoad.send("POST", geoUrl, MATCH),
                                (Action) () -> luceneMatch(geoSearcher),
                                (Action) () -> engine(geoSearcher, gf, MATCH)},
                        new Object[] {"(b) terms country (10) + avg lat",
                                (Action) () -> QueryLoad.send("POST", geoUrl, TERMS),
                                (Action) () -> luceneTermsAvg(geoSearcher),
                                (Action) () -> engine(geoSearcher, gf, TERMS)},
                        new Object[] {"(c) date_histogram ts per day",
                                (Action) () -> QueryLoad.send("POST", ptsUrl, DAYS),
                                (Action) () -> luceneDays(ptsSearcher),
                                (Action) () -> engine(ptsSearcher, pf, DAYS)});
                QueryLoad load = new QueryLoad();
                out.printf("idle node: %.1f%% of a core (subtracted from the CPU per query)%n",
                        load.measureIdle(2000) / 1e7);
                Measure floor = roundTrip(load, base, threads, warmup, seconds, runs, out);
                for (Object[] c : cases) {
                    String label = (String) c[0];
                    if (only.indexOf(label.charAt(1)) < 0) {
                        continue;
                    }
                    List<Measure> product = new ArrayList<>();
                    List<Measure> lucene = new ArrayList<>();
                    List<Measure> engine = new ArrayList<>();
                    load.measure((Action) c[1], threads, warmup);
                    load.measure((Action) c[2], threads, warmup);
                    load.measure((Action) c[3], threads, warmup);
                    for (int run = 1; run <= runs; run++) {
                        Measure p = load.measure((Action) c[1], threads, seconds);
                        Measure l = load.measure((Action) c[2], threads, seconds);
                        Measure e = load.measure((Action) c[3], threads, seconds);
                        product.add(p);
                        lucene.add(l);
                        engine.add(e);
                        out.printf("%s run %d: (1) follower _search over HTTP %,.0f q/s p50 %.2f ms p99 %.2f ms |"
                                        + " (2) direct Lucene %,.0f q/s p50 %.2f ms p99 %.2f ms | (1)/(2) %.2f |"
                                        + " in-process engine %,.0f q/s (%.2f of Lucene) | CPU per query (1) %,.0f us"
                                        + " (client %,.0f us) (2) %,.0f us engine %,.0f us | JIT compiling meanwhile, not"
                                        + " counted: (1) %,.0f us (2) %,.0f us engine %,.0f us%n", label, run, p.qps(),
                                p.p50Millis(), p.p99Millis(), l.qps(), l.p50Millis(), l.p99Millis(), p.qps() / l.qps(), e.qps(),
                                e.qps() / l.qps(), p.cpuMicros(), p.clientMicros(), l.cpuMicros(), e.cpuMicros(), p.jitMicros(),
                                l.jitMicros(), e.jitMicros());
                    }
                    double pq = Stats.median(product.stream().map(Measure::qps).toList());
                    double lq = Stats.median(lucene.stream().map(Measure::qps).toList());
                    double eq = Stats.median(engine.stream().map(Measure::qps).toList());
                    double pc = Stats.median(product.stream().map(Measure::cpuMicros).toList());
                    double pcc = Stats.median(product.stream().map(Measure::clientMicros).toList());
                    double lc = Stats.median(lucene.stream().map(Measure::cpuMicros).toList());
                    double ec = Stats.median(engine.stream().map(Measure::cpuMicros).toList());
                    out.printf("MEDIAN %s: (1) %,.0f q/s p50 %.2f ms p99 %.2f ms | (2) %,.0f q/s p50 %.2f ms p99 %.2f ms"
                                    + " | (1)/(2) %.2f (goal >= 0.8) | engine/(2) %.2f | CPU per query (1) %,.0f us"
                                    + " (client %,.0f us) (2) %,.0f us engine %,.0f us: (2)/(1) %.2f, (2)/engine %.2f"
                                    + " | the most the round trip leaves, (2)/((2) + round trip) by CPU: %.2f%n",
                            label, pq,
                            Stats.median(product.stream().map(Measure::p50Millis).toList()),
                            Stats.median(product.stream().map(Measure::p99Millis).toList()), lq,
                            Stats.median(lucene.stream().map(Measure::p50Millis).toList()),
                            Stats.median(lucene.stream().map(Measure::p99Millis).toList()), pq / lq, eq / lq,
                            pc, pcc, lc, ec, lc / pc, lc / ec, lc / (lc + floor.cpuMicros()));
                }
            }
        } finally {
            IOUtils.rm(work);
        }
    }

    /**
     * The HTTP round trip alone: {@code GET /} (a few hundred bytes of JSON, no index read) with the same client on
     * the same threads. Its CPU per request is what any query pays over HTTP on top of its own work here, client
     * included, so a query costing {@code c} directly can reach at most {@code c / (c + round trip)} of direct
     * Lucene's rate over HTTP on these cores.
     */
    private static Measure roundTrip(QueryLoad load, String base, int threads, int warmup, int seconds, int runs,
                                     PrintStream out) throws Exception {
        Action get = () -> QueryLoad.send("GET", base + "/", null);
        load.measure(get, threads, warmup);
        List<Measure> all = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            all.add(load.measure(get, threads, seconds));
        }
        Measure floor = new Measure(Stats.median(all.stream().map(Measure::qps).toList()),
                Stats.median(all.stream().map(Measure::p50Millis).toList()),
                Stats.median(all.stream().map(Measure::p99Millis).toList()),
                Stats.median(all.stream().map(Measure::cpuMicros).toList()),
                Stats.median(all.stream().map(Measure::clientMicros).toList()),
                Stats.median(all.stream().map(Measure::jitMicros).toList()));
        out.printf("MEDIAN HTTP round trip alone (GET /, same client and threads): %,.0f req/s p50 %.2f ms | CPU per"
                + " request %,.0f us (client %,.0f us)%n", floor.qps(), floor.p50Millis(), floor.cpuMicros(),
                floor.clientMicros());
        return floor;
    }

    private static void loadPoints(HttpClient http, String base, int n) throws Exception {
        Random r = new Random(1);
        long start = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();
        for (int from = 0; from < n; from += 5000) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (int i = from; i < Math.min(n, from + 5000); i++) {
                long ts = start + (long) (r.nextDouble() * 365 * 86_400_000L);
                body.writeBytes(("{\"index\":{\"_id\":\"p" + i + "\"}}\n{\"host\":\"h" + r.nextInt(50) + "\",\"ts\":"
                        + ts + ",\"value\":" + r.nextInt(10_000) / 100.0 + "}\n").getBytes(StandardCharsets.UTF_8));
            }
            Http.send(http, "POST", base + "/points/_bulk", body.toByteArray());
        }
        Http.send(http, "POST", base + "/points/_refresh", "");
    }

    private static FollowerIndex follow(HttpClient http, Node node, String base, String leader) throws Exception {
        String name = leader + "-f";
        Http.send(http, "PUT", base + "/" + name + "/_ccr/follow?wait_for_active_shards=1",
                "{\"remote_cluster\":\"self\",\"leader_index\":\"" + leader + "\"}");
        FollowerIndex f = node.followers().get(name);
        long leaderDocs = node.indices().get(leader).docCount();
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (f.status() != FollowerStatus.ACTIVE || f.docCount() < leaderDocs) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " did not catch up: " + f.docCount() + "/" + leaderDocs);
            }
            Thread.sleep(100);
            f.refresh();
        }
        return f;
    }


    /** The engine without HTTP: parse, search, render to bytes as the REST layer does (streamed). */
    private static void engine(IndexSearcher searcher, FollowerIndex index, String body) throws Exception {
        SearchRequest req = SearchRequest.parse(JSON.readTree(body), Map.of());
        SearchResponse response = SearchExecutor.search(searcher, index.name(), index.metadata().numberOfShards(),
                index.metadata().mappings(), req);
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            response.writeTo(json, true);
        }
    }

    private static void luceneMatch(IndexSearcher searcher) throws IOException {
        Query q = new TermQuery(new Term("name", "san"));
        TopDocs top = searcher.search(q, 10);
        searcher.count(q);
        for (ScoreDoc sd : top.scoreDocs) {
            BytesRef source = searcher.storedFields().document(sd.doc, Set.of(MetaFields.ID, MetaFields.SOURCE))
                    .getBinaryValue(MetaFields.SOURCE);
            JSON.readTree(source.bytes, source.offset, source.length);
        }
    }

    /** Counts per country by segment ordinal, sums of lat alongside, merged by term; top 10 by count. */
    private static void luceneTermsAvg(IndexSearcher searcher) throws IOException {
        Map<BytesRef, double[]> byTerm = new HashMap<>();
        searcher.search(new MatchAllDocsQuery(), new SimpleCollector() {
            SortedSetDocValues countries;
            SortedNumericDocValues lats;
            long[] counts;
            double[] sums;
            long[] latCounts;

            @Override
            protected void doSetNextReader(LeafReaderContext context) throws IOException {
                flush();
                countries = DocValues.getSortedSet(context.reader(), "country");
                lats = DocValues.getSortedNumeric(context.reader(), "lat");
                int n = (int) countries.getValueCount();
                counts = new long[n];
                sums = new double[n];
                latCounts = new long[n];
            }

            @Override
            public void collect(int doc) throws IOException {
                if (countries.advanceExact(doc)) {
                    int ord = (int) countries.nextOrd();
                    counts[ord]++;
                    if (lats.advanceExact(doc)) {
                        sums[ord] += NumericUtils.sortableLongToDouble(lats.nextValue());
                        latCounts[ord]++;
                    }
                }
            }

            private void flush() throws IOException {
                if (counts == null) {
                    return;
                }
                for (int ord = 0; ord < counts.length; ord++) {
                    if (counts[ord] > 0) {
                        double[] acc = byTerm.computeIfAbsent(BytesRef.deepCopyOf(countries.lookupOrd(ord)),
                                k -> new double[3]);
                        acc[0] += counts[ord];
                        acc[1] += sums[ord];
                        acc[2] += latCounts[ord];
                    }
                }
            }

            @Override
            public void finish() throws IOException {
                flush();
                counts = null;
            }

            @Override
            public ScoreMode scoreMode() {
                return ScoreMode.COMPLETE_NO_SCORES;
            }
        });
        byTerm.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0])).limit(10)
                .forEach(e -> JSON.createObjectNode().put("key", e.getKey().utf8ToString()).put("doc_count",
                        (long) e.getValue()[0]).put("avg", e.getValue()[1] / e.getValue()[2]));
    }

    /**
     * Documents per UTC day, as one would count them with Lucene at its best: the single-valued doc values read
     * directly where the segment has them, into a primitive map (no boxing per document).
     */
    private static void luceneDays(IndexSearcher searcher) throws IOException {
        com.carrotsearch.hppc.LongIntHashMap days = new com.carrotsearch.hppc.LongIntHashMap();
        searcher.search(new MatchAllDocsQuery(), new SimpleCollector() {
            SortedNumericDocValues ts;
            org.apache.lucene.index.NumericDocValues single;

            @Override
            protected void doSetNextReader(LeafReaderContext context) throws IOException {
                ts = DocValues.getSortedNumeric(context.reader(), "ts");
                single = DocValues.unwrapSingleton(ts);
            }

            @Override
            public void collect(int doc) throws IOException {
                if (single != null) {
                    if (single.advanceExact(doc)) {
                        days.addTo(Math.floorDiv(single.longValue(), 86_400_000L) * 86_400_000L, 1);
                    }
                } else if (ts.advanceExact(doc)) {
                    days.addTo(Math.floorDiv(ts.nextValue(), 86_400_000L) * 86_400_000L, 1);
                }
            }

            @Override
            public ScoreMode scoreMode() {
                return ScoreMode.COMPLETE_NO_SCORES;
            }
        });
    }

}
