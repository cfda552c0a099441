package io.kccr.core.search.query;

import io.kccr.core.search.TestIndex;
import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.error.KccrException;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class QueryDslTest {

    private static TestIndex index;

    @BeforeAll
    static void setUp() {
        index = new TestIndex();
    }

    @AfterAll
    static void tearDown() throws IOException {
        index.close();
    }

    private static Query query(String json) {
        try {
            return new QueryDsl(index.mappings).toQuery(TestIndex.JSON.readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ids of the documents matching, sorted by id. */
    private static List<String> ids(String json) {
        return idsOf(query(json));
    }

    private static List<String> idsOf(Query q) {
        try {
            IndexSearcher s = index.searcher;
            TopDocs td = s.search(q, 100);
            List<String> out = new ArrayList<>();
            for (ScoreDoc sd : td.scoreDocs) {
                out.add(s.storedFields().document(sd.doc, Set.of("_id")).get("_id"));
            }
            out.sort(null);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static float topScore(String json) throws IOException {
        TopDocs td = index.searcher.search(query(json), 1);
        return td.scoreDocs[0].score;
    }

    private static KccrException error(String json) {
        try {
            query(json);
        } catch (KccrException e) {
            return e;
        }
        throw new AssertionError("expected an KccrException for " + json);
    }

    @Test
    void matchAllAndNone() {
        assertThat(ids("{\"match_all\":{}}")).containsExactly("1", "2", "3", "4", "5", "6");
        assertThat(ids("{\"match_none\":{}}")).isEmpty();
        assertThat(new QueryDsl(index.mappings).toQuery(null).toString()).isEqualTo("*:*");
    }

    @Nested
    class Match {
        @Test
        void shortFormAnalyzesTextFields() {
            assertThat(ids("{\"match\":{\"name\":\"PARIS\"}}")).containsExactly("1");
            assertThat(ids("{\"match\":{\"name\":\"paris berlin\"}}")).containsExactly("1", "3");
        }

        @Test
        void longFormWithOperatorAndMinimumShouldMatch() {
            assertThat(ids("{\"match\":{\"name\":{\"query\":\"new york\",\"operator\":\"and\"}}}")).containsExactly("4");
            assertThat(ids("{\"match\":{\"name\":{\"query\":\"new paris\",\"operator\":\"AND\"}}}")).isEmpty();
            assertThat(ids("{\"match\":{\"description\":{\"query\":\"city river seine\",\"minimum_should_match\":2}}}"))
                    .containsExactly("1", "3");
            assertThat(ids("{\"match\":{\"description\":{\"query\":\"city river seine\",\"minimum_should_match\":\"100%\"}}}"))
                    .containsExactly("1");
        }

        @Test
        void exactOnKeywordNumericDateAndBoolean() {
            assertThat(ids("{\"match\":{\"country\":\"FR\"}}")).containsExactly("1", "2");
            assertThat(ids("{\"match\":{\"country\":\"fr\"}}")).isEmpty();
            assertThat(ids("{\"match\":{\"name.keyword\":\"New York City\"}}")).containsExactly("4");
            assertThat(ids("{\"match\":{\"population\":\"513000\"}}")).containsExactly("2");
            assertThat(ids("{\"match\":{\"founded\":\"2020-12-31\"}}")).containsExactly("4");
            assertThat(ids("{\"match\":{\"capital\":true}}")).containsExactly("1", "3");
        }

        @Test
        void fuzziness() {
            assertThat(ids("{\"match\":{\"name\":{\"query\":\"berlim\",\"fuzziness\":\"AUTO\"}}}")).containsExactly("3");
            assertThat(ids("{\"match\":{\"name\":{\"query\":\"berlim\"}}}")).isEmpty();
        }

        @Test
        void multipleFieldsIsAParsingException() {
            KccrException e = error("{\"match\":{\"a\":\"x\",\"b\":\"y\"}}");
            assertThat(e).isInstanceOf(InvalidRequestException.class);
            assertThat(e.type()).isEqualTo("parsing_exception");
            assertThat(e.reason()).isEqualTo("[match] query doesn't support multiple fields, found [a] and [b]");
        }

        @Test
        void unknownOption() {
            assertThat(error("{\"match\":{\"name\":{\"query\":\"x\",\"foo\":1}}}").reason())
                    .isEqualTo("[match] query does not support [foo]");
            assertThat(error("{\"match\":{\"name\":{}}}").reason()).isEqualTo("No text specified for text query");
        }

        @Test
        void multiMatch() {
            assertThat(ids("{\"multi_match\":{\"query\":\"paris\",\"fields\":[\"name\",\"description\"]}}"))
                    .containsExactly("1");
            assertThat(ids("{\"multi_match\":{\"query\":\"city\",\"fields\":[\"name^2\",\"description\"]}}"))
                    .containsExactly("1", "2", "3", "4", "6");
        }
    }

    @Test
    void matchPhraseWithSlop() {
        assertThat(ids("{\"match_phrase\":{\"name\":\"new york\"}}")).containsExactly("4");
        assertThat(ids("{\"match_phrase\":{\"name\":\"york new\"}}")).isEmpty();
        assertThat(ids("{\"match_phrase\":{\"name\":{\"query\":\"new city\"}}}")).isEmpty();
        assertThat(ids("{\"match_phrase\":{\"name\":{\"query\":\"new city\",\"slop\":1}}}")).containsExactly("4");
        assertThat(ids("{\"match_phrase\":{\"country\":\"US\"}}")).containsExactly("4", "5");
    }

    @Nested
    class TermAndTerms {
        @Test
        void termIsNotAnalyzed() {
            assertThat(ids("{\"term\":{\"name\":\"paris\"}}")).containsExactly("1");
            assertThat(ids("{\"term\":{\"name\":\"Paris\"}}")).isEmpty();
            assertThat(ids("{\"term\":{\"country\":{\"value\":\"DE\"}}}")).containsExactly("3");
            assertThat(ids("{\"term\":{\"country\":{\"value\":\"de\",\"case_insensitive\":true}}}")).containsExactly("3");
            assertThat(ids("{\"term\":{\"address.city\":\"Paris\"}}")).containsExactly("1");
        }

        @Test
        void termOnNumbersBooleansAndDates() {
            assertThat(ids("{\"term\":{\"population\":513000}}")).containsExactly("2");
            assertThat(ids("{\"term\":{\"population\":\"513000\"}}")).containsExactly("2");
            assertThat(ids("{\"term\":{\"population\":513000.5}}")).isEmpty();
            assertThat(ids("{\"term\":{\"rank\":2}}")).containsExactly("3");
            assertThat(ids("{\"term\":{\"area\":105.4}}")).containsExactly("1");
            assertThat(ids("{\"term\":{\"rating\":4.5}}")).containsExactly("1");
            assertThat(ids("{\"term\":{\"capital\":\"true\"}}")).containsExactly("1", "3");
            assertThat(ids("{\"term\":{\"capital\":false}}")).containsExactly("2", "4", "5", "6");
            assertThat(ids("{\"term\":{\"founded\":\"2020-03-01\"}}")).containsExactly("3");
            assertThat(ids("{\"term\":{\"founded\":\"2020-03-01T10:00:00Z\"}}")).containsExactly("3");
            assertThat(ids("{\"term\":{\"visited\":\"01/02/2021\"}}")).containsExactly("1");
            assertThat(ids("{\"term\":{\"_id\":\"4\"}}")).containsExactly("4");
        }

        @Test
        void badNumberIsAQueryShardException() {
            KccrException e = error("{\"term\":{\"population\":\"abc\"}}");
            assertThat(e).isInstanceOf(InvalidRequestException.class);
            assertThat(e.type()).isEqualTo("query_shard_exception");
            assertThat(e.reason()).isEqualTo("failed to create query: For input string: \"abc\"");
            assertThat(error("{\"term\":{\"area\":\"abc\"}}").reason())
                    .isEqualTo("failed to create query: For input string: \"abc\"");
            assertThat(error("{\"term\":{\"rank\":3000000000}}").reason())
                    .isEqualTo("failed to create query: Value [3000000000] is out of range for an integer");
            assertThat(error("{\"term\":{\"capital\":\"yes\"}}").reason())
                    .isEqualTo("failed to create query: Can't parse boolean value [yes], expected [true] or [false]");
            assertThat(error("{\"term\":{\"founded\":\"nope\"}}").reason()).startsWith(
                    "failed to create query: failed to parse date field [nope] with format"
                            + " [strict_date_optional_time||epoch_millis]");
        }

        @Test
        void terms() {
            assertThat(ids("{\"terms\":{\"country\":[\"FR\",\"DE\"]}}")).containsExactly("1", "2", "3");
            assertThat(ids("{\"terms\":{\"population\":[1500,\"513000\",7]}}")).containsExactly("2", "5");
            assertThat(ids("{\"terms\":{\"rank\":[1,2]}}")).containsExactly("1", "3");
            assertThat(ids("{\"terms\":{\"area\":[47.9,891.8]}}")).containsExactly("2", "3");
            assertThat(ids("{\"terms\":{\"rating\":[4.0]}}")).containsExactly("2");
            assertThat(ids("{\"terms\":{\"tags\":[\"america\"],\"boost\":2}}")).containsExactly("4", "5");
            assertThat(ids("{\"terms\":{\"founded\":[\"2000-01-15\",\"2020-12-31\"]}}")).containsExactly("1", "4");
            assertThat(ids("{\"terms\":{\"_id\":[\"1\",\"6\"]}}")).containsExactly("1", "6");
            assertThat(ids("{\"terms\":{\"country\":[]}}")).isEmpty();
            assertThat(error("{\"terms\":{\"a\":[\"x\"],\"b\":[\"y\"]}}").reason())
                    .isEqualTo("[terms] query does not support multiple fields");
        }
    }

    @Nested
    class Range {
        @Test
        void numeric() {
            assertThat(ids("{\"range\":{\"population\":{\"gte\":1000,\"lt\":600000}}}")).containsExactly("2", "5");
            assertThat(ids("{\"range\":{\"population\":{\"gt\":513000,\"lte\":2148000}}}")).containsExactly("1", "6");
            assertThat(ids("{\"range\":{\"population\":{\"from\":513000,\"to\":815000,\"include_upper\":false}}}"))
                    .containsExactly("2");
            assertThat(ids("{\"range\":{\"population\":{\"gt\":512999.5}}}")).containsExactly("1", "2", "3", "4", "6");
            assertThat(ids("{\"range\":{\"rank\":{\"gte\":\"2\",\"lte\":3}}}")).containsExactly("2", "3");
            assertThat(ids("{\"range\":{\"area\":{\"gt\":105.4,\"lt\":800}}}")).containsExactly("4", "6");
            assertThat(ids("{\"range\":{\"rating\":{\"gte\":4.2}}}")).containsExactly("1", "3");
            assertThat(ids("{\"range\":{\"rating\":{\"gt\":4.2}}}")).containsExactly("1");
            assertThat(ids("{\"range\":{\"population\":{\"gt\":10,\"lt\":5}}}")).isEmpty();
        }

        @Test
        void dates() {
            assertThat(ids("{\"range\":{\"founded\":{\"gte\":\"2020-01-01\"}}}")).containsExactly("3", "4");
            // lte on a day covers the whole day, lt on a day excludes it
            assertThat(ids("{\"range\":{\"founded\":{\"gte\":\"2010\",\"lte\":\"2020-03-01\"}}}")).containsExactly("2", "3");
            assertThat(ids("{\"range\":{\"founded\":{\"gte\":\"2010\",\"lt\":\"2020-03-01\"}}}")).containsExactly("2");
            assertThat(ids("{\"range\":{\"founded\":{\"gt\":\"2020-03\"}}}")).containsExactly("4");
            assertThat(ids("{\"range\":{\"founded\":{\"gte\":1577836800000}}}")).containsExactly("3", "4");
            assertThat(ids("{\"range\":{\"founded\":{\"lt\":\"01/01/2000\",\"format\":\"dd/MM/yyyy\"}}}"))
                    .containsExactly("6");
            assertThat(ids("{\"range\":{\"visited\":{\"gte\":\"01/01/2021\"}}}")).containsExactly("1");
            assertThat(ids("{\"range\":{\"founded\":{\"gte\":\"2020-03-01T11:00:00+01:00\",\"lte\":\"2020-03-01T10:00\"}}}"))
                    .containsExactly("3");
            assertThat(ids("{\"range\":{\"founded\":{\"gte\":\"now-1000y\",\"lt\":\"now/d\"}}}"))
                    .containsExactly("1", "2", "3", "4", "6");
            assertThat(ids("{\"range\":{\"founded\":{\"gte\":\"2020-12-31||-1M/M\"}}}")).containsExactly("4");
        }

        @Test
        void keywordsAndIds() {
            assertThat(ids("{\"range\":{\"country\":{\"gte\":\"DE\",\"lt\":\"US\"}}}")).containsExactly("1", "2", "3");
            assertThat(ids("{\"range\":{\"country\":{\"gt\":\"FR\"}}}")).containsExactly("4", "5");
            assertThat(ids("{\"range\":{\"_seq_no\":{\"gte\":1,\"lte\":1}}}")).containsExactly("3", "4");
        }

        @Test
        void badDate() {
            KccrException e = error("{\"range\":{\"founded\":{\"gte\":\"yesterday\"}}}");
            assertThat(e.type()).isEqualTo("query_shard_exception");
            assertThat(e.reason()).isEqualTo("failed to create query: failed to parse date field [yesterday] with format"
                    + " [strict_date_optional_time||epoch_millis]: [failed to parse date field [yesterday] with format"
                    + " [strict_date_optional_time||epoch_millis]]");
            assertThat(error("{\"range\":{\"founded\":{\"gte\":\"2020\",\"foo\":1}}}").reason())
                    .isEqualTo("[range] query does not support [foo]");
        }
    }

    @Test
    void exists() {
        assertThat(ids("{\"exists\":{\"field\":\"tags\"}}")).containsExactly("1", "2", "3", "4", "5");
        assertThat(ids("{\"exists\":{\"field\":\"description\"}}")).containsExactly("1", "2", "3", "4", "6");
        assertThat(ids("{\"exists\":{\"field\":\"area\"}}")).containsExactly("1", "2", "3", "4", "6");
        assertThat(ids("{\"exists\":{\"field\":\"founded\"}}")).containsExactly("1", "2", "3", "4", "6");
        assertThat(ids("{\"exists\":{\"field\":\"capital\"}}")).containsExactly("1", "2", "3", "4", "5", "6");
        assertThat(ids("{\"exists\":{\"field\":\"location\"}}")).containsExactly("1");
        assertThat(ids("{\"exists\":{\"field\":\"address\"}}")).containsExactly("1");
        assertThat(ids("{\"exists\":{\"field\":\"name.keyword\"}}")).hasSize(6);
        assertThat(ids("{\"exists\":{\"field\":\"nope\"}}")).isEmpty();
        assertThat(error("{\"exists\":{}}").reason()).isEqualTo("[exists] must be provided with a [field]");
    }

    @Test
    void ids() {
        assertThat(ids("{\"ids\":{\"values\":[\"2\",\"5\",\"99\"]}}")).containsExactly("2", "5");
        assertThat(ids("{\"ids\":{\"values\":[]}}")).isEmpty();
    }

    @Test
    void prefixAndWildcard() {
        assertThat(ids("{\"prefix\":{\"country\":\"F\"}}")).containsExactly("1", "2");
        assertThat(ids("{\"prefix\":{\"name\":{\"value\":\"spr\"}}}")).containsExactly("5");
        assertThat(ids("{\"wildcard\":{\"name.keyword\":\"San*co\"}}")).containsExactly("6");
        assertThat(ids("{\"wildcard\":{\"name.keyword\":{\"value\":\"san*\",\"case_insensitive\":true}}}"))
                .containsExactly("6");
        assertThat(error("{\"prefix\":{\"population\":\"5\"}}").type()).isEqualTo("query_shard_exception");
    }

    @Nested
    class Bool {
        @Test
        void combinations() {
            assertThat(ids("""
                    {"bool":{"must":{"match":{"description":"city"}},
                             "filter":[{"term":{"capital":true}}],
                             "must_not":[{"term":{"country":"DE"}}]}}""")).containsExactly("1");
            assertThat(ids("""
                    {"bool":{"should":[{"term":{"country":"FR"}},{"term":{"country":"DE"}}]}}"""))
                    .containsExactly("1", "2", "3");
            assertThat(ids("""
                    {"bool":{"should":[{"term":{"country":"FR"}},{"term":{"capital":true}},{"term":{"tags":"big"}}],
                             "minimum_should_match":2}}""")).containsExactly("1", "3");
            assertThat(ids("""
                    {"bool":{"filter":{"term":{"tags":"europe"}},
                             "should":[{"term":{"country":"DE"}}]}}""")).containsExactly("1", "2", "3");
            assertThat(ids("""
                    {"bool":{"filter":{"term":{"tags":"europe"}},
                             "should":[{"term":{"country":"DE"}},{"term":{"country":"US"}}],
                             "minimum_should_match":"1"}}""")).containsExactly("3");
        }

        @Test
        void mustNotOnlyMatchesAllOthers() {
            assertThat(ids("{\"bool\":{\"must_not\":{\"term\":{\"country\":\"FR\"}}}}"))
                    .containsExactly("3", "4", "5", "6");
            assertThat(ids("{\"bool\":{}}")).hasSize(6);
        }

        @Test
        void filterDoesNotScore() throws IOException {
            assertThat(topScore("{\"bool\":{\"filter\":{\"term\":{\"country\":\"FR\"}}}}")).isEqualTo(0f);
            assertThat(topScore("{\"bool\":{\"must\":{\"term\":{\"country\":\"FR\"}}}}")).isGreaterThan(0f);
            assertThat(topScore("{\"constant_score\":{\"filter\":{\"term\":{\"country\":\"FR\"}},\"boost\":3}}"))
                    .isEqualTo(3f);
        }

        @Test
        void unknownClause() {
            assertThat(error("{\"bool\":{\"musts\":[]}}").reason()).isEqualTo("[bool] query does not support [musts]");
        }
    }

    @Nested
    class QueryString {
        private List<String> qs(String q) {
            return ids("{\"query_string\":{\"query\":" + TestIndex.JSON.valueToTree(q) + "}}");
        }

        @Test
        void fieldValueOnKeywordAndNumbers() {
            assertThat(qs("country:FR")).containsExactly("1", "2");
            assertThat(qs("country:fr")).isEmpty();
            assertThat(qs("population:[1000 TO 5000]")).containsExactly("5");
            assertThat(qs("population:{513000 TO *]")).containsExactly("1", "3", "4", "6");
            assertThat(qs("population:513000")).containsExactly("2");
            assertThat(qs("population:>=2148000")).containsExactly("1", "3", "4");
            assertThat(qs("population:<2148000")).containsExactly("2", "5", "6");
            assertThat(qs("-country:FR")).containsExactly("3", "4", "5", "6");
            assertThat(qs("tags:europe AND (-country:FR)")).containsExactly("3");
            assertThat(qs("name:berlim~")).containsExactly("3");
            assertThat(qs("name:[l TO m]")).containsExactly("2");
            assertThat(qs("  ")).isEmpty();
        }

        @Test
        void defaultFieldsAndOperators() {
            assertThat(qs("paris OR berlin")).containsExactly("1", "3");
            assertThat(qs("name:new AND country:US")).containsExactly("4");
            assertThat(qs("city -capital:true")).containsExactly("2", "4", "6");
            assertThat(qs("2148000")).containsExactly("1");
            assertThat(ids("{\"query_string\":{\"query\":\"city river\",\"default_operator\":\"AND\"}}"))
                    .containsExactly("1", "3");
            assertThat(ids("{\"query_string\":{\"query\":\"paris\",\"default_field\":\"description\"}}")).isEmpty();
            assertThat(ids("{\"query_string\":{\"query\":\"light OR spree\",\"fields\":[\"name\",\"description^2\"]}}"))
                    .containsExactly("1", "3");
        }

        @Test
        void datesPhrasesWildcardsAndExists() {
            assertThat(qs("founded:[2020-01-01 TO *]")).containsExactly("3", "4");
            assertThat(qs("founded:2020-12-31")).containsExactly("4");
            assertThat(qs("name:\"new york\"")).containsExactly("4");
            assertThat(qs("name.keyword:\"New York City\"")).containsExactly("4");
            assertThat(qs("country:F*")).containsExactly("1", "2");
            assertThat(qs("name:spring*")).containsExactly("5");
            assertThat(qs("_exists_:area")).containsExactly("1", "2", "3", "4", "6");
            assertThat(qs("country:*")).containsExactly("1", "2", "3", "4", "5");
            assertThat(qs("*")).hasSize(6);
            assertThat(qs("nope:thing")).isEmpty();
        }

        @Test
        void errors() {
            // lenient by default when searching all fields, as in Elasticsearch
            assertThat(qs("population:abc")).isEmpty();
            KccrException e = error("{\"query_string\":{\"query\":\"population:abc\",\"default_field\":\"name\"}}");
            assertThat(e.type()).isEqualTo("query_shard_exception");
            assertThat(e.reason()).isEqualTo("failed to create query: For input string: \"abc\"");
            KccrException parse = error("{\"query_string\":{\"query\":\"name:(paris\"}}");
            assertThat(parse.type()).isEqualTo("query_shard_exception");
            assertThat(parse.reason()).isEqualTo("Failed to parse query [name:(paris]");
            assertThat(error("{\"query_string\":{}}").reason()).isEqualTo("[query_string] must be provided with a [query]");
        }
    }

    @Test
    void boostWrapsAnyQuery() throws IOException {
        Query q = query("{\"match\":{\"name\":{\"query\":\"paris\",\"boost\":2}}}");
        assertThat(q).isInstanceOf(BoostQuery.class);
        float plain = topScore("{\"match\":{\"name\":\"paris\"}}");
        assertThat(topScore("{\"match\":{\"name\":{\"query\":\"paris\",\"boost\":2}}}")).isEqualTo(plain * 2);
        assertThat(topScore("{\"term\":{\"country\":{\"value\":\"DE\",\"boost\":0.5}}}"))
                .isEqualTo(topScore("{\"term\":{\"country\":\"DE\"}}") * 0.5f);
        assertThat(topScore("{\"match_all\":{\"boost\":4}}")).isEqualTo(4f);
        assertThat(topScore("{\"range\":{\"population\":{\"gte\":0,\"boost\":3}}}")).isEqualTo(3f);
    }

    @Test
    void unknownFieldsMatchNothing() {
        assertThat(query("{\"term\":{\"nope\":\"x\"}}")).isInstanceOf(MatchNoDocsQuery.class);
        assertThat(ids("{\"match\":{\"nope\":\"x\"}}")).isEmpty();
        assertThat(ids("{\"range\":{\"nope\":{\"gte\":1}}}")).isEmpty();
        assertThat(ids("{\"terms\":{\"nope\":[1]}}")).isEmpty();
        assertThat(ids("{\"match_phrase\":{\"address\":\"x\"}}")).isEmpty();
    }

    @Test
    void malformedDsl() {
        KccrException e = error("{\"foo\":{}}");
        assertThat(e).isInstanceOf(InvalidRequestException.class);
        assertThat(e.type()).isEqualTo("parsing_exception");
        assertThat(e.reason()).isEqualTo("unknown query [foo]");
        assertThat(error("{\"match\":\"x\"}").reason()).isEqualTo("[match] query malformed, no start_object after query name");
        assertThat(error("{\"match_all\":{},\"term\":{}}").reason())
                .isEqualTo("[match_all] malformed query, expected [END_OBJECT] but found [FIELD_NAME]");
        assertThat(error("{\"match_all\":{\"foo\":1}}").reason()).isEqualTo("[match_all] query does not support [foo]");
        assertThat(error("{\"term\":{\"country\":{\"value\":\"x\",\"foo\":1}}}").reason())
                .isEqualTo("[term] query does not support [foo]");
        assertThat(error("{}").type()).isEqualTo("parsing_exception");
        assertThat(error("{\"bool\":{\"must\":[{\"nope\":{}}]}}").reason()).isEqualTo("unknown query [nope]");
    }
}
