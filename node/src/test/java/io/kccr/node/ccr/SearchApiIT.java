package io.kccr.node.ccr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.aggregations.CalendarInterval;
import co.elastic.clients.elasticsearch._types.aggregations.CompositeAggregate;
import co.elastic.clients.elasticsearch._types.aggregations.CompositeAggregationSource;
import co.elastic.clients.elasticsearch._types.aggregations.CompositeBucket;
import co.elastic.clients.elasticsearch.core.search.HighlightField;
import co.elastic.clients.util.NamedValue;
import co.elastic.clients.elasticsearch._types.aggregations.DateHistogramBucket;
import co.elastic.clients.elasticsearch._types.aggregations.StringTermsBucket;
import co.elastic.clients.elasticsearch.core.MgetResponse;
import co.elastic.clients.elasticsearch.core.MsearchResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.json.JsonData;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kccr.node.sample.SampleData;
import io.kccr.testkit.Http;
import io.kccr.testkit.KafkaBroker;
import io.kccr.testkit.TwoClusters;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read side as Elasticsearch users use it, through the unchanged official client on a leader and its follower:
 * aggregations (GeoNames and a small time series) against answers computed from the raw documents, highlighting,
 * a point-in-time walk and a scroll of the follower while it keeps applying writes, {@code _mget} and
 * {@code _msearch} with good and bad items, and the limits ({@code search.max_buckets},
 * {@code search.max_open_scroll_context}) answered as Elasticsearch answers them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CITIES = 20_000;
    private static final int POINTS = 2_000;
    private static final Duration CATCH_UP = Duration.ofSeconds(90);

    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker();

    @TempDir
    static Path data;

    private TwoClusters clusters;
    private Http leader;
    private Http follower;
    private Rest5ClientTransport leaderTransport;
    private Rest5ClientTransport followerTransport;
    private ElasticsearchClient leaderClient;
    private ElasticsearchClient followerClient;
    private List<JsonNode> cities;
    private final List<JsonNode> points = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        clusters = TwoClusters.start(kafka, data);
        leader = clusters.leader();
        follower = clusters.follower();
        leaderTransport = new Rest5ClientTransport(Rest5Client.builder(URI.create(leader.base())).build(),
                new JacksonJsonpMapper());
        leaderClient = new ElasticsearchClient(leaderTransport);
        followerTransport = new Rest5ClientTransport(Rest5Client.builder(URI.create(follower.base())).build(),
                new JacksonJsonpMapper());
        followerClient = new ElasticsearchClient(followerTransport);

        cities = new ArrayList<>();
        for (byte[] doc : SampleData.documents().subList(0, CITIES)) {
            cities.add(JSON.readTree(doc));
        }
        leaderClient.indices().create(c -> c.index("cities").settings(s -> s.numberOfShards("3"))
                .mappings(m -> m.withJson(new StringReader(SampleData.MAPPINGS))));
        bulk("cities", cities, "c");
        leaderClient.indices().create(c -> c.index("points").settings(s -> s.numberOfShards("2"))
                .mappings(m -> m.withJson(new StringReader("""
                        {"properties":{"host":{"type":"keyword"},"ts":{"type":"date"},"value":{"type":"double"},
                         "count":{"type":"long"},"msg":{"type":"text"}}}"""))));
        Random r = new Random(7);
        long start = Instant.parse("2025-03-01T00:00:00Z").toEpochMilli();
        for (int i = 0; i < POINTS; i++) {
            points.add(JSON.createObjectNode().put("host", "h" + (int) Math.abs(r.nextGaussian() * 3))
                    .put("ts", Instant.ofEpochMilli(start + (long) (r.nextDouble() * 30 * 86_400_000L)).toString())
                    .put("value", r.nextInt(100_000) / 100.0).put("count", r.nextInt(50))
                    .put("msg", "disk latency on rack " + r.nextInt(9) + ". Everything else is fine."));
        }
        bulk("points", points, "p");
        for (String index : List.of("cities", "points")) {
            String f = index + "-f";
            Http.expect(200, follower.put("/" + f + "/_ccr/follow?wait_for_active_shards=1",
                    "{\"remote_cluster\":\"" + TwoClusters.REMOTE + "\",\"leader_index\":\"" + index + "\"}"), "follow");
            Ccr.awaitCaughtUp(follower, f, CATCH_UP);
            Http.expect(200, follower.post("/" + f + "/_refresh", null), "refresh");
        }
    }

    private void bulk(String index, List<JsonNode> docs, String idPrefix) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < docs.size(); i++) {
            body.writeBytes(("{\"index\":{\"_id\":\"" + idPrefix + i + "\"}}\n" + docs.get(i) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        Http.Response r = leader.bulk("/" + index + "/_bulk?refresh=true", body.toByteArray());
        assertThat(r.json().get("errors").asBoolean()).as("bulk errors: %s", r.text().substring(0, 300)).isFalse();
    }

    @AfterAll
    void stop() throws IOException {
        if (leaderTransport != null) {
            leaderTransport.close();
        }
        if (followerTransport != null) {
            followerTransport.close();
        }
        if (clusters != null) {
            clusters.close();
        }
    }

    @Test
    void termsWithSubAggregationsTwoLevelsDeepOnLeaderAndFollower() throws IOException {
        Map<String, List<JsonNode>> byCountry = cities.stream().collect(Collectors.groupingBy(
                c -> c.get("country").asText(), TreeMap::new, Collectors.toList()));
        for (ElasticsearchClient client : List.of(leaderClient, followerClient)) {
            String index = client == leaderClient ? "cities" : "cities-f";
            SearchResponse<Void> r = client.search(s -> s.index(index).size(0)
                    .aggregations("countries", a -> a.terms(t -> t.field("country").size(5))
                            .aggregations("avg_lat", x -> x.avg(v -> v.field("lat")))
                            .aggregations("admins", x -> x.terms(t -> t.field("admin1").size(3))
                                    .aggregations("max_lng", y -> y.max(v -> v.field("lng")))))
                    .aggregations("distinct", a -> a.cardinality(c -> c.field("country")))
                    .aggregations("lat_stats", a -> a.stats(v -> v.field("lat")))
                    .aggregations("lat_pct", a -> a.percentiles(p -> p.field("lat").percents(50.0)))
                    .aggregations("bands", a -> a.range(g -> g.field("lat").ranges(x -> x.to(0.0))
                            .ranges(x -> x.from(0.0).to(45.0)).ranges(x -> x.from(45.0)))), Void.class);
            assertThat(r.hits().total().value()).isEqualTo(10_000); // track_total_hits' default cap
            List<StringTermsBucket> buckets = r.aggregations().get("countries").sterms().buckets().array();
            List<Map.Entry<String, List<JsonNode>>> top = byCountry.entrySet().stream()
                    .sorted((a, b) -> b.getValue().size() != a.getValue().size()
                            ? Integer.compare(b.getValue().size(), a.getValue().size()) : a.getKey().compareTo(b.getKey()))
                    .limit(5).toList();
            assertThat(buckets).hasSize(5);
            for (int i = 0; i < 5; i++) {
                StringTermsBucket b = buckets.get(i);
                List<JsonNode> mine = top.get(i).getValue();
                assertThat(b.key().stringValue()).isEqualTo(top.get(i).getKey());
                assertThat(b.docCount()).isEqualTo(mine.size());
                assertThat(b.aggregations().get("avg_lat").avg().value()).isCloseTo(mine.stream()
                        .mapToDouble(c -> c.get("lat").asDouble()).average().orElseThrow(), within(1e-9));
                Map<String, List<JsonNode>> admins = mine.stream().collect(Collectors.groupingBy(
                        c -> c.get("admin1").asText()));
                for (StringTermsBucket a : b.aggregations().get("admins").sterms().buckets().array()) {
                    List<JsonNode> sub = admins.get(a.key().stringValue());
                    assertThat(a.docCount()).isEqualTo(sub.size());
                    assertThat(a.aggregations().get("max_lng").max().value()).isEqualTo(sub.stream()
                            .mapToDouble(c -> c.get("lng").asDouble()).max().orElseThrow());
                }
            }
            assertThat(r.aggregations().get("distinct").cardinality().value()).isEqualTo(byCountry.size());
            assertThat(r.aggregations().get("lat_stats").stats().count()).isEqualTo(CITIES);
            assertThat(r.aggregations().get("lat_stats").stats().max()).isEqualTo(cities.stream()
                    .mapToDouble(c -> c.get("lat").asDouble()).max().orElseThrow());
            List<Double> lats = cities.stream().map(c -> c.get("lat").asDouble()).sorted().toList();
            double median = Double.parseDouble(r.aggregations().get("lat_pct").tdigestPercentiles().values().keyed()
                    .get("50.0"));
            assertThat(median).isBetween(lats.get((int) (0.49 * CITIES)), lats.get((int) (0.51 * CITIES)));
            var bands = r.aggregations().get("bands").range().buckets().array();
            assertThat(bands.get(1).docCount()).isEqualTo(cities.stream().filter(c -> c.get("lat").asDouble() >= 0
                    && c.get("lat").asDouble() < 45).count());
        }
    }

    @Test
    void timeSeriesHistogramCompositeTopHitsAndHighlightOnTheFollower() throws IOException {
        SearchResponse<JsonNode> r = followerClient.search(s -> s.index("points-f").size(2)
                .query(q -> q.match(m -> m.field("msg").query("latency")))
                .highlight(h -> h.fields(NamedValue.of("msg", HighlightField.of(f -> f.preTags("<b>").postTags("</b>")))))
                .aggregations("days", a -> a.dateHistogram(d -> d.field("ts").calendarInterval(CalendarInterval.Day)
                                .minDocCount(0))
                        .aggregations("total", x -> x.sum(v -> v.field("count")))
                        .aggregations("change", x -> x.derivative(v -> v.bucketsPath(p -> p.single("total")))))
                .aggregations("top", a -> a.terms(t -> t.field("host").size(2))
                        .aggregations("best", x -> x.topHits(t -> t.size(1).sort(so -> so.field(f -> f.field("value")
                                .order(SortOrder.Desc)))))), JsonNode.class);
        for (Hit<JsonNode> hit : r.hits().hits()) {
            assertThat(hit.highlight().get("msg").getFirst()).contains("<b>latency</b>");
        }
        Map<Long, Long> totals = new TreeMap<>();
        for (JsonNode p : points) {
            long day = Math.floorDiv(Instant.parse(p.get("ts").asText()).toEpochMilli(), 86_400_000L) * 86_400_000L;
            totals.merge(day, p.get("count").asLong(), Long::sum);
        }
        List<DateHistogramBucket> days = r.aggregations().get("days").dateHistogram().buckets().array();
        assertThat(days.stream().map(DateHistogramBucket::key).toList()).containsExactlyElementsOf(totals.keySet());
        for (int i = 0; i < days.size(); i++) {
            double total = days.get(i).aggregations().get("total").sum().value();
            assertThat(total).isEqualTo((double) totals.get(days.get(i).key()));
            if (i > 0) {
                assertThat(days.get(i).aggregations().get("change").derivative().value())
                        .isEqualTo(total - days.get(i - 1).aggregations().get("total").sum().value());
            }
        }
        for (StringTermsBucket b : r.aggregations().get("top").sterms().buckets().array()) {
            double best = points.stream().filter(p -> p.get("host").asText().equals(b.key().stringValue()))
                    .mapToDouble(p -> p.get("value").asDouble()).max().orElseThrow();
            Hit<JsonData> hit = b.aggregations().get("best").topHits().hits().hits().getFirst();
            assertThat(hit.source().toJson().asJsonObject().getJsonNumber("value").doubleValue()).isEqualTo(best);
        }
        // composite pages through every (host, day) bucket exactly once
        Map<String, Long> expected = new TreeMap<>();
        points.forEach(p -> expected.merge(p.get("host").asText() + "|" + p.get("ts").asText().substring(0, 10), 1L,
                Long::sum));
        Map<String, Long> seen = new TreeMap<>();
        Map<String, FieldValue> after = null;
        while (true) {
            Map<String, FieldValue> a = after;
            SearchResponse<Void> page = followerClient.search(s -> s.index("points-f").size(0)
                    .aggregations("c", x -> x.composite(c -> {
                        c.size(7).sources(NamedValue.of("host", CompositeAggregationSource.of(src -> src
                                        .terms(t -> t.field("host")))))
                                .sources(NamedValue.of("day", CompositeAggregationSource.of(src -> src
                                        .dateHistogram(d -> d.field("ts").calendarInterval(t -> t.time("1d"))
                                                .format("yyyy-MM-dd")))));
                        if (a != null) {
                            c.after(a);
                        }
                        return c;
                    })), Void.class);
            CompositeAggregate c = page.aggregations().get("c").composite();
            if (c.buckets().array().isEmpty()) {
                break;
            }
            for (CompositeBucket b : c.buckets().array()) {
                String key = b.key().get("host").stringValue() + "|" + b.key().get("day").stringValue();
                assertThat(seen.put(key, b.docCount())).as("bucket %s twice", key).isNull();
            }
            after = c.afterKey();
        }
        assertThat(seen).isEqualTo(expected);
    }

    @Test
    void pointInTimeAndScrollWalkTheFollowerOnceWhileItKeepsApplying() throws Exception {
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger written = new AtomicInteger();
        Thread writer = new Thread(() -> {
            int i = 0;
            while (writing.get()) {
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                for (int j = 0; j < 50; j++, i++) {
                    body.writeBytes(("{\"index\":{\"_id\":\"new" + i + "\"}}\n{\"name\":\"New " + i
                            + "\",\"country\":\"ZZ\",\"lat\":1,\"lng\":2}\n{\"index\":{\"_id\":\"c" + i % CITIES
                            + "\"}}\n" + cities.get(i % CITIES) + "\n").getBytes(StandardCharsets.UTF_8));
                }
                leader.bulk("/cities/_bulk", body.toByteArray());
                written.addAndGet(50);
                try {
                    Thread.sleep(20); // paces the load (about 2,000 writes a second), it waits for nothing
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "leader-writer");
        writer.start();
        try {
            String pit = followerClient.openPointInTime(o -> o.index("cities-f").keepAlive(t -> t.time("1m"))).id();
            Set<String> ids = new HashSet<>();
            List<FieldValue> after = null;
            long total = -1;
            while (true) {
                List<FieldValue> a = after;
                SearchResponse<Void> page = followerClient.search(s -> {
                    s.pit(p -> p.id(pit).keepAlive(t -> t.time("1m"))).size(1000).trackTotalHits(t -> t.enabled(true))
                            .sort(so -> so.field(f -> f.field("country").order(SortOrder.Asc))).source(x -> x.fetch(false));
                    if (a != null) {
                        s.searchAfter(a);
                    }
                    return s;
                }, Void.class);
                total = page.hits().total().value();
                if (page.hits().hits().isEmpty()) {
                    break;
                }
                for (Hit<Void> h : page.hits().hits()) {
                    assertThat(ids.add(h.id())).as("%s returned twice", h.id()).isTrue();
                }
                after = page.hits().hits().getLast().sort();
            }
            assertThat(ids).hasSize((int) total);
            for (int i = 0; i < CITIES; i++) {
                assertThat(ids).contains("c" + i);
            }
            assertThat(followerClient.closePointInTime(c -> c.id(pit)).numFreed()).as("one per shard").isEqualTo(3);
            assertThat(catchThrowableOfType(ElasticsearchException.class, () -> followerClient.search(s -> s
                    .pit(p -> p.id(pit)), Void.class)).error().type()).isEqualTo("search_context_missing_exception");

            Set<String> scrolled = new HashSet<>();
            SearchResponse<Void> first = followerClient.search(s -> s.index("cities-f").size(2000)
                    .scroll(t -> t.time("1m")).trackTotalHits(t -> t.enabled(true)), Void.class);
            long scrollTotal = first.hits().total().value();
            String scrollId = first.scrollId();
            List<Hit<Void>> hits = first.hits().hits();
            while (!hits.isEmpty()) {
                for (Hit<Void> h : hits) {
                    assertThat(scrolled.add(h.id())).as("%s scrolled twice", h.id()).isTrue();
                }
                String id = scrollId;
                var next = followerClient.scroll(s -> s.scrollId(id).scroll(t -> t.time("1m")), Void.class);
                scrollId = next.scrollId();
                hits = next.hits().hits();
            }
            assertThat(scrolled).hasSize((int) scrollTotal);
            String last = scrollId;
            assertThat(followerClient.clearScroll(c -> c.scrollId(last)).numFreed()).as("one per shard").isEqualTo(3);
        } finally {
            writing.set(false);
            writer.join();
        }
        assertThat(written.get()).isPositive();
    }

    @Test
    void multiGetAndMultiSearchWithGoodAndBadItems() throws IOException {
        MgetResponse<JsonNode> got = followerClient.mget(m -> m.index("cities-f").ids("c1", "c2", "absent"),
                JsonNode.class);
        assertThat(got.docs().get(0).result().found()).isTrue();
        assertThat(got.docs().get(0).result().source().get("name").asText()).isEqualTo(cities.get(1).get("name").asText());
        assertThat(got.docs().get(2).result().found()).isFalse();
        MgetResponse<JsonNode> mixed = followerClient.mget(m -> m.docs(d -> d.index("points-f").id("p3"))
                .docs(d -> d.index("no-such-index").id("x")), JsonNode.class);
        assertThat(mixed.docs().get(0).result().source().get("host").asText()).isEqualTo(points.get(3).get("host")
                .asText());
        assertThat(mixed.docs().get(1).failure().error().type()).isEqualTo("index_not_found_exception");
        assertThat(catchThrowableOfType(ElasticsearchException.class, () -> followerClient.mget(m -> m
                .docs(d -> d.id("x")), JsonNode.class)).status()).isEqualTo(400);

        MsearchResponse<Void> ms = followerClient.msearch(m -> m
                .searches(s -> s.header(h -> h.index("points-f")).body(b -> b.size(0)
                        .query(q -> q.term(t -> t.field("host").value("h0")))
                        .aggregations("n", a -> a.valueCount(v -> v.field("count")))))
                .searches(s -> s.header(h -> h.index("no-such-index")).body(b -> b.size(0)))
                .searches(s -> s.header(h -> h.index("points-f")).body(b -> b.size(0)
                        .aggregations("bad", a -> a.terms(t -> t.field("msg"))))), Void.class);
        long h0 = points.stream().filter(p -> p.get("host").asText().equals("h0")).count();
        assertThat(ms.responses().get(0).result().hits().total().value()).isEqualTo(h0);
        assertThat(ms.responses().get(0).result().aggregations().get("n").valueCount().value()).isEqualTo(h0);
        assertThat(ms.responses().get(1).failure().status()).isEqualTo(404);
        assertThat(ms.responses().get(2).failure().status()).isEqualTo(400);
        assertThat(ms.responses().get(2).failure().error().reason()).contains("Text fields are not optimised");
    }

    @Test
    void limitsAreAnsweredAsElasticsearchAnswersThem() throws IOException {
        followerClient.cluster().putSettings(p -> p.transient_("search.max_buckets", JsonData.of(5))
                .transient_("search.max_open_scroll_context", JsonData.of(2)));
        try {
            ElasticsearchException buckets = catchThrowableOfType(ElasticsearchException.class, () -> followerClient
                    .search(s -> s.index("points-f").size(0).aggregations("d", a -> a.dateHistogram(d -> d.field("ts")
                            .calendarInterval(CalendarInterval.Day))), Void.class));
            assertThat(buckets.status()).isEqualTo(400);
            assertThat(buckets.error().type()).isEqualTo("too_many_buckets_exception");
            List<String> scrolls = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                scrolls.add(followerClient.search(s -> s.index("points-f").size(1).scroll(t -> t.time("1m")),
                        Void.class).scrollId());
            }
            ElasticsearchException tooMany = catchThrowableOfType(ElasticsearchException.class, () -> followerClient
                    .search(s -> s.index("points-f").size(1).scroll(t -> t.time("1m")), Void.class));
            assertThat(tooMany.status()).isEqualTo(429);
            assertThat(tooMany.error().type()).isEqualTo("too_many_scroll_contexts_exception");
            assertThat(followerClient.clearScroll(c -> c.scrollId(scrolls)).numFreed()).as("2 shards each")
                    .isEqualTo(4);
            ElasticsearchException unsupported = catchThrowableOfType(ElasticsearchException.class, () ->
                    followerClient.search(s -> s.index("points-f").withJson(new StringReader(
                            "{\"suggest\":{\"s\":{\"text\":\"x\",\"term\":{\"field\":\"msg\"}}}}")), Void.class));
            assertThat(unsupported.status()).isEqualTo(400);
            ElasticsearchException window = catchThrowableOfType(ElasticsearchException.class, () -> followerClient
                    .search(s -> s.index("points-f").from(9_995).size(10), Void.class));
            assertThat(window.error().reason()).contains("index.max_result_window");
        } finally {
            Http.expect(200, follower.put("/_cluster/settings", "{\"transient\":{\"search.max_buckets\":null,"
                    + "\"search.max_open_scroll_context\":null}}"), "reset the limits");
        }
    }
}
