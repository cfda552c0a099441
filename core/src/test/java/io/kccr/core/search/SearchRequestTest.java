package io.kccr.core.search;

import io.kccr.core.search.fetch.SourceFilter;
import io.kccr.core.search.query.SortSpec;
import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.error.KccrException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchRequestTest {

    private static JsonNode json(String s) throws IOException {
        return TestIndex.JSON.readTree(s);
    }

    private static SearchRequest parse(String body) throws IOException {
        return SearchRequest.parse(body == null ? null : json(body), Map.of());
    }

    private static KccrException error(String body, Map<String, String> params) {
        try {
            SearchRequest.parse(body == null ? null : json(body), params);
        } catch (KccrException e) {
            return e;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected an KccrException");
    }

    @Test
    void defaults() throws IOException {
        SearchRequest r = parse(null);
        assertThat(r.query().toString()).isEqualTo("{\"match_all\":{}}");
        assertThat(r.from()).isZero();
        assertThat(r.size()).isEqualTo(10);
        assertThat(r.sort()).isEmpty();
        assertThat(r.source()).isEqualTo(SourceFilter.FETCH_ALL);
        assertThat(r.trackTotalHitsUpTo()).isEqualTo(10_000);
        assertThat(r.seqNoPrimaryTerm()).isFalse();
        assertThat(r.version()).isFalse();
        assertThat(parse("{}")).isEqualTo(r);
        assertThat(SearchRequest.defaults()).isEqualTo(r);
    }

    @Test
    void bodyKeys() throws IOException {
        SearchRequest r = parse("""
                {"query":{"term":{"country":"FR"}},"from":5,"size":"20","track_total_hits":false,
                 "seq_no_primary_term":true,"version":true,"timeout":"1s","highlight":{"fields":{}},"explain":false,
                 "stored_fields":"_none_"}""");
        assertThat(r.query().toString()).isEqualTo("{\"term\":{\"country\":\"FR\"}}");
        assertThat(r.from()).isEqualTo(5);
        assertThat(r.size()).isEqualTo(20);
        assertThat(r.trackTotalHitsUpTo()).isEqualTo(SearchRequest.TRACK_TOTAL_HITS_DISABLED);
        assertThat(r.seqNoPrimaryTerm()).isTrue();
        assertThat(r.version()).isTrue();
        assertThat(parse("{\"track_total_hits\":true}").trackTotalHitsUpTo())
                .isEqualTo(SearchRequest.TRACK_TOTAL_HITS_ACCURATE);
        assertThat(parse("{\"track_total_hits\":100}").trackTotalHitsUpTo()).isEqualTo(100);
    }

    @Test
    void sortForms() throws IOException {
        assertThat(parse("{\"sort\":\"country\"}").sort()).containsExactly(SortSpec.of("country", SortSpec.Order.ASC));
        assertThat(parse("""
                {"sort":[{"population":"desc"},{"name.keyword":{"order":"asc","missing":"_first"}},"_score","_doc"]}""")
                .sort()).containsExactly(
                        SortSpec.of("population", SortSpec.Order.DESC),
                        new SortSpec("name.keyword", SortSpec.Order.ASC, "_first", null, null),
                        SortSpec.of("_score", SortSpec.Order.DESC),
                        SortSpec.of("_doc", SortSpec.Order.ASC));
        assertThat(parse("{\"sort\":{\"rank\":{\"order\":\"desc\",\"mode\":\"min\",\"unmapped_type\":\"long\"}}}").sort())
                .containsExactly(new SortSpec("rank", SortSpec.Order.DESC, null, "min", "long"));
        assertThat(error("{\"sort\":{\"rank\":\"up\"}}", Map.of()).reason()).isEqualTo("Unknown SortOrder [up]");
    }

    @Test
    void sourceForms() throws IOException {
        assertThat(parse("{\"_source\":false}").source().fetch()).isFalse();
        assertThat(parse("{\"_source\":true}").source()).isEqualTo(SourceFilter.FETCH_ALL);
        assertThat(parse("{\"_source\":\"name\"}").source().includes()).containsExactly("name");
        assertThat(parse("{\"_source\":[\"name\",\"address.*\"]}").source().includes())
                .containsExactly("name", "address.*");
        SourceFilter f = parse("{\"_source\":{\"includes\":[\"a*\"],\"excludes\":[\"address.zip\"]}}").source();
        assertThat(f.includes()).containsExactly("a*");
        assertThat(f.excludes()).containsExactly("address.zip");
    }

    @Test
    void urlParametersOverrideTheBody() throws IOException {
        SearchRequest r = SearchRequest.parse(json("{\"query\":{\"match_all\":{}},\"size\":3,\"_source\":false}"),
                Map.of("q", "country:FR", "from", "2", "size", "5", "sort", "population:desc,name.keyword",
                        "_source_includes", "name,country", "_source_excludes", "tags", "track_total_hits", "true",
                        "seq_no_primary_term", "true", "version", ""));
        assertThat(r.query().toString()).isEqualTo("{\"query_string\":{\"query\":\"country:FR\"}}");
        assertThat(r.from()).isEqualTo(2);
        assertThat(r.size()).isEqualTo(5);
        assertThat(r.sort()).containsExactly(SortSpec.of("population", SortSpec.Order.DESC),
                SortSpec.of("name.keyword", SortSpec.Order.ASC));
        assertThat(r.source()).isEqualTo(new SourceFilter(true, List.of("name", "country"), List.of("tags")));
        assertThat(r.trackTotalHitsUpTo()).isEqualTo(SearchRequest.TRACK_TOTAL_HITS_ACCURATE);
        assertThat(r.seqNoPrimaryTerm()).isTrue();
        assertThat(r.version()).isTrue();
        assertThat(SearchRequest.parse(null, Map.of("_source", "false")).source().fetch()).isFalse();
        assertThat(SearchRequest.parse(null, Map.of("_source", "name")).source().includes()).containsExactly("name");
        assertThat(SearchRequest.parse(null, Map.of("track_total_hits", "7")).trackTotalHitsUpTo()).isEqualTo(7);
        assertThat(SearchRequest.parse(null, Map.of("q", "x", "df", "name", "default_operator", "AND")).query()
                .toString()).isEqualTo(
                        "{\"query_string\":{\"query\":\"x\",\"default_field\":\"name\",\"default_operator\":\"AND\"}}");
        assertThat(error(null, Map.of("size", "ten")).reason())
                .isEqualTo("Failed to parse int parameter [size] with value [ten]");
    }

    @Test
    void resultWindow() {
        KccrException e = error("{\"from\":9995,\"size\":10}", Map.of());
        assertThat(e).isInstanceOf(InvalidRequestException.class);
        assertThat(e.type()).isEqualTo("illegal_argument_exception");
        assertThat(e.reason()).isEqualTo("Result window is too large, from + size must be less than or equal to:"
                + " [10000] but was [10005]. See the scroll api for a more efficient way to request large data sets."
                + " This limit can be set by changing the [index.max_result_window] index level setting.");
        assertThat(error(null, Map.of("size", "10001")).reason()).contains("but was [10001]");
        assertThat(error("{\"size\":-1}", Map.of()).reason()).isEqualTo("[size] parameter cannot be negative, found [-1]");
        assertThat(error("{\"from\":-2}", Map.of()).reason()).isEqualTo("[from] parameter cannot be negative, found [-2]");
    }

    @Test
    void unknownKeys() {
        KccrException e = error("{\"foo\":{}}", Map.of());
        assertThat(e).isInstanceOf(InvalidRequestException.class);
        assertThat(e.type()).isEqualTo("parsing_exception");
        assertThat(e.reason()).isEqualTo("Unknown key for a START_OBJECT in [foo].");
        assertThat(error("{\"foo\":1}", Map.of()).reason()).isEqualTo("Unknown key for a VALUE_NUMBER in [foo].");
        assertThat(error("{\"foo\":[]}", Map.of()).reason()).isEqualTo("Unknown key for a START_ARRAY in [foo].");
        assertThat(error("{\"query\":\"x\"}", Map.of()).reason()).isEqualTo("Unknown key for a VALUE_STRING in [query].");
    }

    @Test
    void unsupportedKeysAreRejectedAndAggregationsKept() {
        SearchRequest r = SearchRequest.parse(TestIndex.JSON.valueToTree(Map.of("aggs", Map.of("c",
                Map.of("terms", Map.of("field", "country"))))), Map.of());
        assertThat(r.extras().aggregations().toString()).isEqualTo("{\"c\":{\"terms\":{\"field\":\"country\"}}}");
        assertThat(error("{\"aggs\":{},\"aggregations\":{}}", Map.of()).reason()).contains("[aggs] or [aggregations]");
        assertThat(error("{\"suggest\":{}}", Map.of()).reason()).contains("[suggest] is not supported");
        assertThat(error("{\"explain\":true}", Map.of()).reason()).contains("[explain] is not supported");
    }

    @Test
    void searchAfterNeedsASort() {
        assertThatThrownBy(() -> parse("{\"search_after\":[1]}")).isInstanceOf(KccrException.class)
                .hasMessageContaining("requires a [sort]");
        assertThatThrownBy(() -> parse("{\"sort\":[\"rank\"],\"search_after\":[1,2]}"))
                .hasMessage("search_after has 2 value(s) but sort has 1.");
    }

    @Test
    void countQuery() throws IOException {
        assertThat(SearchRequest.parseCountQuery(null, Map.of()).toString()).isEqualTo("{\"match_all\":{}}");
        assertThat(SearchRequest.parseCountQuery(json("{\"query\":{\"term\":{\"a\":1}}}"), Map.of()).toString())
                .isEqualTo("{\"term\":{\"a\":1}}");
        assertThat(SearchRequest.parseCountQuery(null, Map.of("q", "a:1")).toString())
                .isEqualTo("{\"query_string\":{\"query\":\"a:1\"}}");
        assertThatThrownBy(() -> SearchRequest.parseCountQuery(json("{\"size\":1}"), Map.of()))
                .hasMessage("request does not support [size]");
    }
}
