package io.kccr.core.search.aggs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.kccr.core.error.CircuitBreakingException;
import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.search.SearchExecutor;
import io.kccr.core.search.SearchLimits;
import io.kccr.core.search.SearchRequest;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every aggregation against answers computed here from the raw documents of a three-shard on-disk index: exact
 * counts, sums and extremes; cardinality exact under its threshold; percentiles within t-digest's error.
 */
class AggregationsTest {
    @TempDir
    static Path dir;
    static TimeSeriesIndex index;
    static List<TimeSeriesIndex.Doc> docs;

    @BeforeAll
    static void build() throws IOException {
        index = new TimeSeriesIndex(dir, 3000, 42);
        docs = index.docs;
    }

    @AfterAll
    static void close() throws IOException {
        index.close();
    }

    static JsonNode search(String body) throws IOException {
        return search(body, SearchLimits.DEFAULT);
    }

    static JsonNode search(String body, SearchLimits limits) throws IOException {
        SearchRequest req = SearchRequest.parse(TimeSeriesIndex.JSON.readTree(body), Map.of());
        return SearchExecutor.search(index.searcher, "ts", 3, index.mappings, req, limits).toJson(true);
    }

    static Map<String, Long> countBy(java.util.function.Function<TimeSeriesIndex.Doc, String> key) {
        return docs.stream().collect(Collectors.groupingBy(key, TreeMap::new, Collectors.counting()));
    }

    @Test
    void termsWithAvgAndStatsTwoLevelsDeep() throws IOException {
        JsonNode r = search("""
                {"size":0,"aggs":{"hosts":{"terms":{"field":"host","size":20},
                  "aggs":{"avg_value":{"avg":{"field":"value"}},"stats_count":{"stats":{"field":"count"}},
                          "up":{"terms":{"field":"up"},"aggs":{"max_value":{"max":{"field":"value"}}}}}}}}""");
        JsonNode terms = r.get("aggregations").get("sterms#hosts");
        Map<String, Long> expected = countBy(TimeSeriesIndex.Doc::host);
        assertThat(terms.get("buckets")).hasSize(expected.size());
        assertThat(terms.get("sum_other_doc_count").asLong()).isZero();
        assertThat(terms.get("doc_count_error_upper_bound").asLong()).isZero();
        long previous = Long.MAX_VALUE;
        for (JsonNode b : terms.get("buckets")) {
            String host = b.get("key").asText();
            long count = b.get("doc_count").asLong();
            assertThat(count).isEqualTo(expected.get(host)).isLessThanOrEqualTo(previous);
            previous = count;
            List<TimeSeriesIndex.Doc> mine = docs.stream().filter(d -> d.host().equals(host)).toList();
            double avg = mine.stream().filter(d -> d.value() != null).mapToDouble(TimeSeriesIndex.Doc::value)
                    .average().orElseThrow();
            assertThat(b.get("avg#avg_value").get("value").asDouble()).isCloseTo(avg, within(1e-9));
            JsonNode stats = b.get("stats#stats_count");
            List<Long> counts = mine.stream().map(TimeSeriesIndex.Doc::count).filter(Objects::nonNull).toList();
            assertThat(stats.get("count").asLong()).isEqualTo(counts.size());
            assertThat(stats.get("sum").asDouble()).isEqualTo(counts.stream().mapToLong(Long::longValue).sum());
            assertThat(stats.get("min").asLong()).isEqualTo(Collections.min(counts));
            assertThat(stats.get("max").asLong()).isEqualTo(Collections.max(counts));
            for (JsonNode up : b.get("lterms#up").get("buckets")) {
                boolean flag = up.get("key").asLong() == 1;
                assertThat(up.get("key_as_string").asText()).isEqualTo(Boolean.toString(flag));
                List<TimeSeriesIndex.Doc> sub = mine.stream().filter(d -> d.up() == flag).toList();
                assertThat(up.get("doc_count").asLong()).isEqualTo(sub.size());
                assertThat(up.get("max#max_value").get("value").asDouble()).isEqualTo(sub.stream()
                        .filter(d -> d.value() != null).mapToDouble(TimeSeriesIndex.Doc::value).max().orElseThrow());
            }
        }
    }

    @Test
    void termsErrorBoundsAcrossShardsAreHonest() throws IOException {
        JsonNode terms = search("""
                {"size":0,"aggs":{"hosts":{"terms":{"field":"host","size":3,"shard_size":3,
                  "show_term_doc_count_error":true}}}}""").get("aggregations").get("sterms#hosts");
        Map<String, Long> expected = countBy(TimeSeriesIndex.Doc::host);
        long kept = 0;
        long bound = terms.get("doc_count_error_upper_bound").asLong();
        for (JsonNode b : terms.get("buckets")) {
            long truth = expected.get(b.get("key").asText());
            long count = b.get("doc_count").asLong();
            kept += count;
            assertThat(count).isLessThanOrEqualTo(truth);
            assertThat(truth - count).isLessThanOrEqualTo(b.get("doc_count_error_upper_bound").asLong());
        }
        // every document has one host: what is not in a returned bucket is in sum_other_doc_count
        assertThat(terms.get("sum_other_doc_count").asLong()).isEqualTo(docs.size() - kept);
        assertThat(bound).isPositive();
        // a term left out entirely has at most the bound
        Set<String> returned = new HashSet<>();
        terms.get("buckets").forEach(b -> returned.add(b.get("key").asText()));
        expected.forEach((host, c) -> {
            if (!returned.contains(host)) {
                assertThat(c).isLessThanOrEqualTo(bound + terms.get("buckets").get(2).get("doc_count").asLong());
            }
        });
    }

    @Test
    void termsOrderedByKeyAndBySubAggregationAndOnMultiValuedKeywords() throws IOException {
        JsonNode r = search("""
                {"size":0,"aggs":{"tags":{"terms":{"field":"tags","order":{"_key":"asc"},"missing":"none"}},
                  "by_max":{"terms":{"field":"host","order":{"m":"desc"},"size":3},"aggs":{"m":{"max":{"field":"count"}}}}}}""");
        Map<String, Long> tags = new TreeMap<>();
        for (TimeSeriesIndex.Doc d : docs) {
            if (d.tags().isEmpty()) {
                tags.merge("none", 1L, Long::sum);
            }
            d.tags().forEach(t -> tags.merge(t, 1L, Long::sum));
        }
        Map<String, Long> got = new TreeMap<>();
        List<String> order = new ArrayList<>();
        r.get("aggregations").get("sterms#tags").get("buckets").forEach(b -> {
            got.put(b.get("key").asText(), b.get("doc_count").asLong());
            order.add(b.get("key").asText());
        });
        assertThat(got).isEqualTo(tags);
        assertThat(order).isSorted();
        List<Double> maxes = new ArrayList<>();
        r.get("aggregations").get("sterms#by_max").get("buckets").forEach(b -> maxes.add(b.get("max#m").get("value")
                .asDouble()));
        assertThat(maxes).isSortedAccordingTo(Collections.reverseOrder());
    }

    @Test
    void dateHistogramFillsEmptyDaysAndDerivativeFollowsTheSums() throws IOException {
        JsonNode r = search("""
                {"size":0,"query":{"bool":{"must_not":{"range":{"ts":{"gte":"2024-01-05","lt":"2024-01-07"}}}}},
                 "aggs":{"days":{"date_histogram":{"field":"ts","calendar_interval":"day","min_doc_count":0,
                   "extended_bounds":{"min":"2023-12-30","max":"2024-01-22"}},
                   "aggs":{"total":{"sum":{"field":"count"}},"d":{"derivative":{"buckets_path":"total"}}}}}}""");
        JsonNode buckets = r.get("aggregations").get("date_histogram#days").get("buckets");
        long first = LocalDate.parse("2023-12-30").atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        assertThat(buckets).hasSize(24);
        Double previous = null;
        for (int i = 0; i < buckets.size(); i++) {
            JsonNode b = buckets.get(i);
            long day = first + i * 86_400_000L;
            assertThat(b.get("key").asLong()).isEqualTo(day);
            assertThat(b.get("key_as_string").asText()).isEqualTo(Instant.ofEpochMilli(day).toString()
                    .replace("Z", ".000Z"));
            List<TimeSeriesIndex.Doc> mine = docs.stream().filter(d -> d.ts() >= day && d.ts() < day + 86_400_000L)
                    .filter(d -> d.ts() < TimeSeriesIndex.START + 4 * 86_400_000L
                            || d.ts() >= TimeSeriesIndex.START + 6 * 86_400_000L).toList();
            assertThat(b.get("doc_count").asLong()).as("day %d", i).isEqualTo(mine.size());
            double sum = mine.stream().map(TimeSeriesIndex.Doc::count).filter(Objects::nonNull)
                    .mapToLong(Long::longValue).sum();
            assertThat(b.get("sum#total").get("value").asDouble()).isEqualTo(sum);
            if (previous == null) {
                assertThat(b.has("derivative#d")).isFalse();
            } else {
                assertThat(b.get("derivative#d").get("value").asDouble()).isEqualTo(sum - previous);
            }
            previous = sum;
        }
    }

    @Test
    void dateHistogramInATimeZoneAndFixedIntervals() throws IOException {
        JsonNode r = search("""
                {"size":0,"aggs":{"weeks":{"date_histogram":{"field":"ts","calendar_interval":"week",
                   "time_zone":"America/New_York"}},
                  "six_hours":{"date_histogram":{"field":"ts","fixed_interval":"6h"}}}}""");
        ZoneId ny = ZoneId.of("America/New_York");
        Map<Long, Long> weeks = new TreeMap<>();
        for (TimeSeriesIndex.Doc d : docs) {
            LocalDate local = Instant.ofEpochMilli(d.ts()).atZone(ny).toLocalDate();
            LocalDate monday = local.minusDays(local.getDayOfWeek().getValue() - 1);
            weeks.merge(monday.atStartOfDay(ny).toInstant().toEpochMilli(), 1L, Long::sum);
        }
        Map<Long, Long> got = new TreeMap<>();
        r.get("aggregations").get("date_histogram#weeks").get("buckets").forEach(b -> {
            got.put(b.get("key").asLong(), b.get("doc_count").asLong());
            assertThat(b.get("key_as_string").asText()).endsWith("-05:00");
        });
        assertThat(got).isEqualTo(weeks);
        Map<Long, Long> sixHours = new TreeMap<>();
        docs.forEach(d -> sixHours.merge(Math.floorDiv(d.ts(), 21_600_000L) * 21_600_000L, 1L, Long::sum));
        Map<Long, Long> gotSix = new TreeMap<>();
        r.get("aggregations").get("date_histogram#six_hours").get("buckets")
                .forEach(b -> gotSix.put(b.get("key").asLong(), b.get("doc_count").asLong()));
        assertThat(gotSix).isEqualTo(sixHours);
    }

    @Test
    void histogramRangesFiltersAndMissing() throws IOException {
        JsonNode r = search("""
                {"size":0,"aggs":{"h":{"histogram":{"field":"value","interval":10}},
                  "r":{"range":{"field":"value","ranges":[{"to":25},{"from":25,"to":50},{"from":50}]}},
                  "dr":{"date_range":{"field":"ts","ranges":[{"key":"early","to":"2024-01-10"},{"from":"2024-01-10"}]}},
                  "f":{"filter":{"term":{"up":true}},"aggs":{"n":{"value_count":{"field":"count"}}}},
                  "fs":{"filters":{"filters":{"cpu":{"match":{"msg":"cpu"}},"disk":{"match":{"msg":"disk"}}},
                        "other_bucket_key":"rest"}},
                  "no_value":{"missing":{"field":"value"}}}}""").get("aggregations");
        Map<Double, Long> hist = new TreeMap<>();
        docs.stream().filter(d -> d.value() != null).forEach(d -> hist.merge(Math.floor(d.value() / 10) * 10, 1L,
                Long::sum));
        Map<Double, Long> gotHist = new TreeMap<>();
        r.get("histogram#h").get("buckets").forEach(b -> gotHist.put(b.get("key").asDouble(), b.get("doc_count")
                .asLong()));
        assertThat(gotHist).isEqualTo(hist);
        JsonNode ranges = r.get("range#r").get("buckets");
        assertThat(ranges.get(0).get("key").asText()).isEqualTo("*-25.0");
        assertThat(ranges.get(1).get("key").asText()).isEqualTo("25.0-50.0");
        assertThat(ranges.get(2).get("key").asText()).isEqualTo("50.0-*");
        assertThat(ranges.get(0).get("doc_count").asLong()).isEqualTo(docs.stream()
                .filter(d -> d.value() != null && d.value() < 25).count());
        assertThat(ranges.get(2).get("doc_count").asLong()).isEqualTo(docs.stream()
                .filter(d -> d.value() != null && d.value() >= 50).count());
        long cut = Instant.parse("2024-01-10T00:00:00Z").toEpochMilli();
        JsonNode dr = r.get("date_range#dr").get("buckets");
        assertThat(dr.get(0).get("key").asText()).isEqualTo("early");
        assertThat(dr.get(0).get("to_as_string").asText()).isEqualTo("2024-01-10T00:00:00.000Z");
        assertThat(dr.get(0).get("doc_count").asLong()).isEqualTo(docs.stream().filter(d -> d.ts() < cut).count());
        assertThat(r.get("filter#f").get("doc_count").asLong()).isEqualTo(docs.stream()
                .filter(TimeSeriesIndex.Doc::up).count());
        assertThat(r.get("filter#f").get("value_count#n").get("value").asLong()).isEqualTo(docs.stream()
                .filter(d -> d.up() && d.count() != null).count());
        JsonNode fs = r.get("filters#fs").get("buckets");
        assertThat(fs.get("cpu").get("doc_count").asLong()).isEqualTo(docs.stream()
                .filter(d -> d.msg().contains("cpu")).count());
        assertThat(fs.get("rest").get("doc_count").asLong()).isEqualTo(docs.stream()
                .filter(d -> !d.msg().contains("cpu") && !d.msg().contains("disk")).count());
        assertThat(r.get("missing#no_value").get("doc_count").asLong()).isEqualTo(docs.stream()
                .filter(d -> d.value() == null).count());
    }

    @Test
    void extendedStatsCardinalityAndPercentiles() throws IOException {
        JsonNode r = search("""
                {"size":0,"aggs":{"es":{"extended_stats":{"field":"count"}},
                  "hosts":{"cardinality":{"field":"host"}},"counts":{"cardinality":{"field":"count"}},
                  "coarse":{"cardinality":{"field":"count","precision_threshold":100}},
                  "p":{"percentiles":{"field":"value","percents":[50,95,99]}}}}""").get("aggregations");
        List<Long> counts = docs.stream().map(TimeSeriesIndex.Doc::count).filter(Objects::nonNull).toList();
        double mean = counts.stream().mapToLong(Long::longValue).average().orElseThrow();
        double variance = counts.stream().mapToDouble(c -> (c - mean) * (c - mean)).sum() / counts.size();
        JsonNode es = r.get("extended_stats#es");
        assertThat(es.get("count").asLong()).isEqualTo(counts.size());
        assertThat(es.get("variance").asDouble()).isCloseTo(variance, within(variance * 1e-9));
        assertThat(es.get("std_deviation").asDouble()).isCloseTo(Math.sqrt(variance), within(1e-6));
        assertThat(es.get("std_deviation_bounds").get("upper").asDouble()).isCloseTo(mean + 2 * Math.sqrt(variance),
                within(1e-6));
        assertThat(r.get("cardinality#hosts").get("value").asLong())
                .isEqualTo(docs.stream().map(TimeSeriesIndex.Doc::host).distinct().count());
        long distinctCounts = counts.stream().distinct().count();
        assertThat(r.get("cardinality#counts").get("value").asLong()).isEqualTo(distinctCounts);
        // past precision_threshold: HLL with p = 9, relative error about 1.04 / sqrt(512) = 4.6%; allow 3 sigma
        assertThat((double) r.get("cardinality#coarse").get("value").asLong())
                .isCloseTo(distinctCounts, within(distinctCounts * 0.14));
        List<Double> values = docs.stream().map(TimeSeriesIndex.Doc::value).filter(Objects::nonNull).sorted().toList();
        JsonNode p = r.get("tdigest_percentiles#p").get("values");
        for (String key : List.of("50.0", "95.0", "99.0")) {
            double q = Double.parseDouble(key) / 100;
            double got = p.get(key).asDouble();
            // t-digest's error is in rank: the value found sits within 1% of the requested rank
            int lo = (int) Math.floor((q - 0.01) * values.size());
            int hi = (int) Math.min(values.size() - 1, Math.ceil((q + 0.01) * values.size()));
            assertThat(got).as(key).isBetween(values.get(Math.max(0, lo)), values.get(hi));
        }
    }

    @Test
    void compositePagesThroughEveryBucketExactlyOnce() throws IOException {
        Map<String, Long> expected = new TreeMap<>();
        docs.forEach(d -> expected.merge(d.host() + "|" + d.up(), 1L, Long::sum));
        Map<String, Long> seen = new TreeMap<>();
        String after = null;
        int pages = 0;
        while (true) {
            JsonNode c = search("{\"size\":0,\"aggs\":{\"c\":{\"composite\":{\"size\":5,"
                    + (after == null ? "" : "\"after\":" + after + ",")
                    + "\"sources\":[{\"h\":{\"terms\":{\"field\":\"host\"}}},{\"u\":{\"terms\":{\"field\":\"up\","
                    + "\"order\":\"desc\"}}}]},\"aggs\":{\"s\":{\"sum\":{\"field\":\"count\"}}}}}}")
                    .get("aggregations").get("composite#c");
            if (c.get("buckets").isEmpty()) {
                break;
            }
            pages++;
            for (JsonNode b : c.get("buckets")) {
                String host = b.get("key").get("h").asText();
                boolean up = b.get("key").get("u").asLong() == 1;
                assertThat(seen.put(host + "|" + up, b.get("doc_count").asLong())).isNull();
                assertThat(b.get("sum#s").get("value").asDouble()).isEqualTo((double) docs.stream()
                        .filter(d -> d.host().equals(host) && d.up() == up && d.count() != null)
                        .mapToLong(TimeSeriesIndex.Doc::count).sum());
            }
            after = c.get("after_key").toString();
        }
        assertThat(seen).isEqualTo(expected);
        assertThat(pages).isEqualTo((expected.size() + 4) / 5);
    }

    @Test
    void topHitsPerBucketAndBucketSort() throws IOException {
        JsonNode r = search("""
                {"size":0,"aggs":{"hosts":{"terms":{"field":"host","size":20},"aggs":{
                  "top":{"top_hits":{"size":2,"sort":[{"count":"desc"}],"_source":["count"]}},
                  "total":{"sum":{"field":"count"}},
                  "best":{"bucket_sort":{"sort":[{"total":{"order":"desc"}}],"size":3}}}}}}""");
        JsonNode buckets = r.get("aggregations").get("sterms#hosts").get("buckets");
        assertThat(buckets).hasSize(3);
        Map<String, Long> totals = new HashMap<>();
        docs.forEach(d -> totals.merge(d.host(), d.count() == null ? 0 : d.count(), Long::sum));
        List<Long> best = totals.values().stream().sorted(Collections.reverseOrder()).limit(3).toList();
        for (int i = 0; i < 3; i++) {
            JsonNode b = buckets.get(i);
            assertThat(b.get("sum#total").get("value").asLong()).isEqualTo(best.get(i));
            String host = b.get("key").asText();
            List<Long> top = docs.stream().filter(d -> d.host().equals(host) && d.count() != null)
                    .map(TimeSeriesIndex.Doc::count).sorted(Collections.reverseOrder()).limit(2).toList();
            JsonNode hits = b.get("top_hits#top").get("hits");
            assertThat(hits.get("total").get("value").asLong()).isEqualTo(docs.stream()
                    .filter(d -> d.host().equals(host)).count());
            assertThat(List.of(hits.get("hits").get(0).get("_source").get("count").asLong(),
                    hits.get("hits").get(1).get("_source").get("count").asLong())).isEqualTo(top);
        }
    }

    @Test
    void highlightsMatchesInFragments() throws IOException {
        JsonNode r = search("""
                {"query":{"match":{"msg":"latency"}},"size":3,
                 "highlight":{"fields":{"msg":{"fragment_size":20,"number_of_fragments":2}},
                   "pre_tags":["<b>"],"post_tags":["</b>"]}}""");
        assertThat(r.get("hits").get("hits")).isNotEmpty();
        for (JsonNode hit : r.get("hits").get("hits")) {
            JsonNode fragments = hit.get("highlight").get("msg");
            assertThat(fragments.size()).isBetween(1, 2);
            assertThat(fragments.toString()).contains("<b>latency</b>");
        }
        assertThatThrownBy(() -> search("{\"highlight\":{\"fields\":{\"msg\":{}},\"type\":\"fvh\"}}"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("unified");
    }

    @Test
    void limitsAnswerAsElasticsearch() {
        SearchLimits fewBuckets = new SearchLimits(10, SearchLimits.DEFAULT.breaker(), System::nanoTime);
        assertThatThrownBy(() -> search("{\"size\":0,\"aggs\":{\"h\":{\"terms\":{\"field\":\"host\",\"size\":20}}}}",
                fewBuckets)).isInstanceOfSatisfying(InvalidRequestException.class,
                e -> assertThat(e.type()).isEqualTo("too_many_buckets_exception"));
        RequestBreaker tiny = new RequestBreaker(() -> 2_000);
        SearchLimits smallMemory = new SearchLimits(65_536, tiny, System::nanoTime);
        assertThatThrownBy(() -> search("{\"size\":0,\"aggs\":{\"h\":{\"terms\":{\"field\":\"host\"},"
                + "\"aggs\":{\"p\":{\"percentiles\":{\"field\":\"value\"}}}}}}", smallMemory))
                .isInstanceOf(CircuitBreakingException.class);
        assertThat(tiny.used()).as("a refused request gives back what it held").isZero();
        assertThatThrownBy(() -> search("{\"aggs\":{\"x\":{\"terms\":{\"field\":\"msg\"}}}}"))
                .hasMessageContaining("Text fields are not optimised");
        assertThatThrownBy(() -> search("{\"aggs\":{\"x\":{\"terms\":{\"field\":\"host\",\"bogus\":1}}}}"))
                .hasMessageContaining("unknown field [bogus]");
        assertThatThrownBy(() -> search("{\"aggs\":{\"x\":{\"nope\":{}}}}"))
                .hasMessageContaining("Unknown aggregation type [nope]");
    }

    @Test
    void terminateAfterAndDocvalueFields() throws IOException {
        JsonNode r = search("{\"terminate_after\":5,\"size\":100,\"track_total_hits\":true,"
                + "\"docvalue_fields\":[\"host\",{\"field\":\"ts\"}],\"_source\":false}");
        assertThat(r.get("terminated_early").asBoolean()).isTrue();
        assertThat(r.get("hits").get("total").get("value").asLong()).isEqualTo(15);
        JsonNode fields = r.get("hits").get("hits").get(0).get("fields");
        assertThat(fields.get("host").get(0).asText()).isIn((Object[]) TimeSeriesIndex.HOSTS);
        assertThat(fields.get("ts").get(0).asText()).startsWith("2024-01-");
    }

    @Test
    void timeoutAnswersWhatWasCollectedAndFieldsComeFromTheSource() throws IOException {
        long[] nanos = {0};
        // every look at the clock moves it by 1 ms: the 1 ms timeout passes at the second check (2,048 documents)
        SearchLimits clock = new SearchLimits(65_536, SearchLimits.DEFAULT.breaker(), () -> nanos[0] += 1_000_000);
        JsonNode r = search("{\"timeout\":\"1ms\",\"size\":0,\"track_total_hits\":true}", clock);
        assertThat(r.get("timed_out").asBoolean()).isTrue();
        assertThat(r.get("hits").get("total").get("value").asLong()).isPositive().isLessThan(docs.size());

        JsonNode hit = search("{\"query\":{\"ids\":{\"values\":[\"d7\"]}},\"_source\":false,"
                + "\"fields\":[\"host\",\"t*\"]}").get("hits").get("hits").get(0);
        TimeSeriesIndex.Doc d7 = docs.get(7);
        assertThat(hit.has("_source")).isFalse();
        assertThat(hit.get("fields").get("host").get(0).asText()).isEqualTo(d7.host());
        assertThat(hit.get("fields").get("ts").get(0).asText()).isEqualTo(java.time.format.DateTimeFormatter
                .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC).format(Instant.ofEpochMilli(d7.ts())));
    }
}
