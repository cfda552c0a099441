package io.kccr.core.search;

import io.kccr.core.search.query.QueryDsl;
import io.kccr.core.error.KccrException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SearchExecutorTest {

    private static TestIndex index;

    @BeforeAll
    static void setUp() {
        index = new TestIndex();
    }

    @AfterAll
    static void tearDown() throws IOException {
        index.close();
    }

    private static ObjectNode search(String body) throws IOException {
        return search(body, Map.of());
    }

    private static ObjectNode search(String body, Map<String, String> params) throws IOException {
        SearchRequest req = SearchRequest.parse(body == null ? null : TestIndex.JSON.readTree(body), params);
        ObjectNode json = SearchExecutor.search(index.searcher, "cities", 2, index.mappings, req).toJson();
        json.put("took", 3); // measured: pinned for the comparisons
        return json;
    }

    private static List<String> ids(JsonNode response) {
        List<String> out = new ArrayList<>();
        response.get("hits").get("hits").forEach(h -> out.add(h.get("_id").asText()));
        return out;
    }

    private static List<String> sortValues(JsonNode response) {
        List<String> out = new ArrayList<>();
        response.get("hits").get("hits").forEach(h -> out.add(h.get("sort").toString()));
        return out;
    }

    @Test
    void rendersElasticsearchJsonExactly() throws IOException {
        ObjectNode r = search("""
                {"query":{"ids":{"values":["2"]}},"_source":["name","population"],
                 "seq_no_primary_term":true,"version":true}""");
        assertThat(r.toString()).isEqualTo("{\"took\":3,\"timed_out\":false,"
                + "\"_shards\":{\"total\":2,\"successful\":2,\"skipped\":0,\"failed\":0},"
                + "\"hits\":{\"total\":{\"value\":1,\"relation\":\"eq\"},\"max_score\":1.0,\"hits\":["
                + "{\"_index\":\"cities\",\"_id\":\"2\",\"_version\":1,\"_seq_no\":0,\"_primary_term\":1,\"_score\":1.0,"
                + "\"_source\":{\"name\":\"Lyon\",\"population\":513000}}]}}");

        ObjectNode sorted = search("{\"query\":{\"term\":{\"country\":\"US\"}},\"sort\":{\"population\":\"desc\"},"
                + "\"_source\":false}");
        assertThat(sorted.toString()).isEqualTo("{\"took\":3,\"timed_out\":false,"
                + "\"_shards\":{\"total\":2,\"successful\":2,\"skipped\":0,\"failed\":0},"
                + "\"hits\":{\"total\":{\"value\":2,\"relation\":\"eq\"},\"max_score\":null,\"hits\":["
                + "{\"_index\":\"cities\",\"_id\":\"4\",\"_score\":null,\"sort\":[8336000]},"
                + "{\"_index\":\"cities\",\"_id\":\"5\",\"_score\":null,\"sort\":[1500]}]}}");
    }

    @Test
    void streamedResponseIsTheRenderedTree() throws IOException {
        for (String body : List.of("{}", "{\"_source\":[\"name\"]}", "{\"sort\":{\"population\":\"desc\"},"
                + "\"seq_no_primary_term\":true,\"version\":true}", "{\"_source\":false,\"size\":2}",
                "{\"size\":0,\"aggs\":{\"c\":{\"terms\":{\"field\":\"country\"}}}}")) {
            SearchRequest req = SearchRequest.parse(TestIndex.JSON.readTree(body), Map.of());
            SearchResponse response = SearchExecutor.search(index.searcher, "cities", 2, index.mappings, req);
            for (boolean typedKeys : new boolean[] {false, true}) {
                java.io.StringWriter out = new java.io.StringWriter();
                try (var json = TestIndex.JSON.createGenerator(out)) {
                    response.writeTo(json, typedKeys);
                }
                assertThat(out.toString()).as(body).isEqualTo(response.toJson(typedKeys).toString());
            }
        }
    }

    @Test
    void storedSourceIsCopiedAsWritten() throws IOException {
        String stored = "{ \"a\": 4.0, \"b\": 1e5, \"c\": -0.50, \"big\": 123456789012345678901234567890,"
                + " \"s\": \"x\\\"y\\u00e9\u00e9\", \"n\": null, \"arr\": [1, {\"t\": true, \"f\": false}, []], \"o\": {} }";
        var hit = new io.kccr.core.search.fetch.SearchHit("i", "1", 1.5f, null, null, null, null, null, null, null,
                new org.apache.lucene.util.BytesRef(stored.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        java.io.StringWriter out = new java.io.StringWriter();
        try (var json = TestIndex.JSON.createGenerator(out)) {
            hit.writeTo(json);
        }
        assertThat(out.toString()).isEqualTo("{\"_index\":\"i\",\"_id\":\"1\",\"_score\":1.5,\"_source\":"
                + "{\"a\":4.0,\"b\":1e5,\"c\":-0.50,\"big\":123456789012345678901234567890,\"s\":\"x\\\"y\u00e9\u00e9\","
                + "\"n\":null,\"arr\":[1,{\"t\":true,\"f\":false},[]],\"o\":{}}}");
        assertThat(TestIndex.JSON.readTree(out.toString()).get("_source"))
                .isEqualTo(TestIndex.JSON.readTree(stored));
    }

    @Test
    void defaultSearchScoresAndReturnsSources() throws IOException {
        ObjectNode r = search(null);
        assertThat(r.get("hits").get("total").toString()).isEqualTo("{\"value\":6,\"relation\":\"eq\"}");
        assertThat(r.get("hits").get("max_score").floatValue()).isEqualTo(1.0f);
        assertThat(ids(r)).containsExactlyInAnyOrder("1", "2", "3", "4", "5", "6");
        JsonNode first = r.get("hits").get("hits").get(0);
        assertThat(first.get("_score").floatValue()).isEqualTo(1.0f);
        assertThat(first.has("sort")).isFalse();
        assertThat(first.has("_seq_no")).isFalse();
        assertThat(first.has("_version")).isFalse();
        assertThat(first.get("_source").get("name").isTextual()).isTrue();
    }

    @Test
    void relevanceOrder() throws IOException {
        ObjectNode r = search("{\"query\":{\"match\":{\"description\":\"city river seine\"}}}");
        assertThat(ids(r).get(0)).isEqualTo("1");
        assertThat(r.get("hits").get("max_score").floatValue())
                .isEqualTo(r.get("hits").get("hits").get(0).get("_score").floatValue());
    }

    @Test
    void sortOnKeywordAscAndDesc() throws IOException {
        ObjectNode asc = search("{\"sort\":[{\"country\":\"asc\"},{\"rank\":\"asc\"}]}");
        assertThat(ids(asc)).containsExactly("3", "1", "2", "4", "5", "6");
        assertThat(sortValues(asc)).containsExactly("[\"DE\",2]", "[\"FR\",1]", "[\"FR\",3]", "[\"US\",4]",
                "[\"US\",5]", "[null,6]");
        assertThat(asc.get("hits").get("max_score").isNull()).isTrue();
        assertThat(asc.get("hits").get("hits").get(0).get("_score").isNull()).isTrue();

        ObjectNode desc = search("{\"sort\":[{\"country\":{\"order\":\"desc\"}},\"rank\"]}");
        assertThat(ids(desc)).containsExactly("4", "5", "1", "2", "3", "6");

        ObjectNode first = search("{\"sort\":[{\"country\":{\"order\":\"asc\",\"missing\":\"_first\"}},\"rank\"]}");
        assertThat(ids(first)).containsExactly("6", "3", "1", "2", "4", "5");
    }

    @Test
    void sortOnNumbersAndDates() throws IOException {
        ObjectNode pop = search("{\"sort\":{\"population\":\"desc\"},\"size\":3}");
        assertThat(ids(pop)).containsExactly("4", "3", "1");
        assertThat(sortValues(pop)).containsExactly("[8336000]", "[3645000]", "[2148000]");

        ObjectNode area = search("{\"sort\":[\"area\"]}");
        assertThat(ids(area)).containsExactly("2", "1", "6", "4", "3", "5");
        assertThat(sortValues(area).get(0)).isEqualTo("[47.9]");

        ObjectNode rating = search("{\"sort\":[{\"rating\":\"desc\"}],\"size\":2}");
        assertThat(ids(rating)).containsExactly("1", "3");
        assertThat(rating.get("hits").get("hits").get(0).get("sort").get(0).floatValue()).isEqualTo(4.5f);

        ObjectNode founded = search("{\"sort\":[\"founded\"]}");
        assertThat(ids(founded)).containsExactly("6", "1", "2", "3", "4", "5");
        assertThat(sortValues(founded).get(1)).isEqualTo("[" + TestIndex.millis("2000-01-15", null) + "]");
        assertThat(sortValues(founded).get(5)).isEqualTo("[" + Long.MAX_VALUE + "]");

        ObjectNode url = search(null, Map.of("sort", "rank:desc", "size", "2"));
        assertThat(ids(url)).containsExactly("6", "5");
        assertThat(sortValues(url)).containsExactly("[6]", "[5]");
    }

    @Test
    void sortOnScoreAndTrackScores() throws IOException {
        ObjectNode r = search("{\"query\":{\"match\":{\"description\":\"city river\"}},\"sort\":[\"_score\"]}");
        JsonNode top = r.get("hits").get("hits").get(0);
        assertThat(top.get("_score").floatValue()).isEqualTo(top.get("sort").get(0).floatValue());
        assertThat(r.get("hits").get("max_score").floatValue()).isEqualTo(top.get("_score").floatValue());

        ObjectNode tracked = search("{\"sort\":[\"rank\"],\"track_scores\":true,\"size\":1}");
        assertThat(tracked.get("hits").get("hits").get(0).get("_score").floatValue()).isEqualTo(1f);
        assertThat(tracked.get("hits").get("max_score").floatValue()).isEqualTo(1f);
    }

    @Test
    void sortErrors() {
        assertThatThrownBy(() -> search("{\"sort\":[\"name\"]}")).isInstanceOf(KccrException.class)
                .hasMessageStartingWith("Text fields are not optimised");
        assertThatThrownBy(() -> search("{\"sort\":[\"nope\"]}")).isInstanceOf(KccrException.class)
                .hasMessage("No mapping found for [nope] in order to sort on")
                .extracting(e -> ((KccrException) e).type()).isEqualTo("query_shard_exception");
    }

    @Test
    void unmappedTypeSortsEverythingAsMissing() throws IOException {
        ObjectNode r = search("{\"sort\":[{\"nope\":{\"unmapped_type\":\"long\"}}]}");
        assertThat(ids(r)).hasSize(6);
    }

    @Test
    void sourceFiltering() throws IOException {
        JsonNode src = search("{\"query\":{\"ids\":{\"values\":[\"1\"]}},\"_source\":[\"address.*\",\"name\"]}")
                .get("hits").get("hits").get(0).get("_source");
        assertThat(src.toString()).isEqualTo("{\"name\":\"Paris\",\"address\":{\"city\":\"Paris\",\"zip\":\"75001\"}}");

        src = search("{\"query\":{\"ids\":{\"values\":[\"1\"]}},"
                + "\"_source\":{\"includes\":[\"address\"],\"excludes\":[\"address.zip\"]}}")
                .get("hits").get("hits").get(0).get("_source");
        assertThat(src.toString()).isEqualTo("{\"address\":{\"city\":\"Paris\"}}");

        src = search("{\"query\":{\"ids\":{\"values\":[\"1\"]}},\"_source\":\"*ion\"}")
                .get("hits").get("hits").get(0).get("_source");
        assertThat(src.toString()).isEqualTo("{\"population\":2148000,\"location\":{\"lat\":48.85,\"lon\":2.35},"
                + "\"description\":\"The city of light on the river Seine\"}");

        src = search("{\"query\":{\"ids\":{\"values\":[\"2\"]}},\"_source\":{\"excludes\":[\"description\",\"t*\"]}}")
                .get("hits").get("hits").get(0).get("_source");
        assertThat(src.toString()).isEqualTo("{\"name\":\"Lyon\",\"country\":\"FR\",\"population\":513000,"
                + "\"area\":47.90,\"rating\":4.0,\"rank\":3,\"capital\":false,\"founded\":\"2010-06-30\"}");

        src = search("{\"query\":{\"ids\":{\"values\":[\"1\"]}}}", Map.of("_source_includes", "address.city"))
                .get("hits").get("hits").get(0).get("_source");
        assertThat(src.toString()).isEqualTo("{\"address\":{\"city\":\"Paris\"}}");

        JsonNode hit = search("{\"_source\":false,\"size\":1}").get("hits").get("hits").get(0);
        assertThat(hit.has("_source")).isFalse();
    }

    @Test
    void trackTotalHits() throws IOException {
        assertThat(search("{\"track_total_hits\":2}").get("hits").get("total").toString())
                .isEqualTo("{\"value\":2,\"relation\":\"gte\"}");
        assertThat(search("{\"track_total_hits\":6}").get("hits").get("total").toString())
                .isEqualTo("{\"value\":6,\"relation\":\"eq\"}");
        assertThat(search("{\"track_total_hits\":true,\"size\":1}").get("hits").get("total").toString())
                .isEqualTo("{\"value\":6,\"relation\":\"eq\"}");
        assertThat(search("{\"track_total_hits\":false}").get("hits").has("total")).isFalse();
        assertThat(search("{\"track_total_hits\":2,\"sort\":[\"rank\"],\"size\":1}").get("hits").get("total").toString())
                .isEqualTo("{\"value\":2,\"relation\":\"gte\"}");
    }

    @Test
    void fromSizeAndSearchAfter() throws IOException {
        assertThat(ids(search("{\"sort\":[\"rank\"],\"from\":2,\"size\":2}"))).containsExactly("2", "4");
        assertThat(ids(search("{\"sort\":[\"rank\"],\"from\":5,\"size\":2}"))).containsExactly("6");
        assertThat(ids(search("{\"sort\":[\"rank\"],\"from\":10}"))).isEmpty();
        assertThat(ids(search("{\"sort\":[\"rank\"],\"size\":2,\"search_after\":[2]}"))).containsExactly("2", "4");
        assertThat(ids(search("{\"sort\":[{\"country\":\"asc\"},\"rank\"],\"size\":2,\"search_after\":[\"FR\",1]}")))
                .containsExactly("2", "4");
        ObjectNode none = search("{\"size\":0}");
        assertThat(ids(none)).isEmpty();
        assertThat(none.get("hits").get("total").get("value").asLong()).isEqualTo(6);
        assertThat(none.get("hits").get("max_score").isNull()).isTrue();
    }

    @Test
    void noHits() throws IOException {
        ObjectNode r = search("{\"query\":{\"term\":{\"nope\":\"x\"}}}");
        assertThat(r.get("hits").toString())
                .isEqualTo("{\"total\":{\"value\":0,\"relation\":\"eq\"},\"max_score\":null,\"hits\":[]}");
    }

    @Test
    void seqNoPrimaryTermAndVersion() throws IOException {
        JsonNode hit = search("{\"query\":{\"ids\":{\"values\":[\"4\"]}},\"seq_no_primary_term\":true}")
                .get("hits").get("hits").get(0);
        assertThat(hit.get("_seq_no").asLong()).isEqualTo(1);
        assertThat(hit.get("_primary_term").asLong()).isEqualTo(1);
        assertThat(hit.has("_version")).isFalse();
        hit = search("{\"query\":{\"ids\":{\"values\":[\"4\"]}}}", Map.of("version", "true"))
                .get("hits").get("hits").get(0);
        assertThat(hit.get("_version").asLong()).isEqualTo(2);
        assertThat(hit.has("_seq_no")).isFalse();
    }

    @Test
    void queryStringFromUrlAndPostFilter() throws IOException {
        assertThat(ids(search(null, Map.of("q", "country:FR", "sort", "rank")))).containsExactly("1", "2");
        assertThat(ids(search("{\"post_filter\":{\"term\":{\"country\":\"US\"}},\"sort\":[\"rank\"]}")))
                .containsExactly("4", "5");
    }

    @Test
    void count() throws IOException {
        assertThat(SearchExecutor.count(index.searcher,
                new QueryDsl(index.mappings).toQuery(TestIndex.JSON.readTree("{\"term\":{\"tags\":\"big\"}}"))))
                .isEqualTo(3);
        CountResponse c = SearchExecutor.count(index.searcher, 2, index.mappings,
                SearchRequest.parseCountQuery(null, Map.of("q", "country:FR")));
        assertThat(c.toJson().toString())
                .isEqualTo("{\"count\":2,\"_shards\":{\"total\":2,\"successful\":2,\"skipped\":0,\"failed\":0}}");
    }
}
