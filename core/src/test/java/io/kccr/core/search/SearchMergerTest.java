package io.kccr.core.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kccr.core.mapping.DocumentMapper;
import io.kccr.core.mapping.Mappings;
import io.kccr.core.routing.ShardRouting;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.MultiReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A search whose shards are on two nodes, each node searching its own and the coordinating node merging, gives the
 * same page, count and aggregations as one searcher over all the shards.
 */
class SearchMergerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SHARDS = 3;
    private static Mappings mappings;
    private static final List<DirectoryReader> readers = new ArrayList<>();

    @BeforeAll
    static void index() throws IOException {
        mappings = Mappings.fromJson(JSON.readTree("""
                {"properties":{"group":{"type":"keyword"},"n":{"type":"long"},"x":{"type":"double"},
                 "text":{"type":"text"}}}"""));
        DocumentMapper mapper = new DocumentMapper();
        List<IndexWriter> writers = new ArrayList<>();
        List<ByteBuffersDirectory> dirs = new ArrayList<>();
        for (int s = 0; s < SHARDS; s++) {
            ByteBuffersDirectory dir = new ByteBuffersDirectory();
            dirs.add(dir);
            writers.add(new IndexWriter(dir, new IndexWriterConfig(DocumentMapper.analyzer())));
        }
        for (int i = 0; i < 300; i++) {
            String id = "doc-" + i;
            String source = "{\"group\":\"g" + (i % 7) + "\",\"n\":" + (i % 50) + ",\"x\":" + (i * 0.5)
                    + (i % 11 == 0 ? "" : ",\"text\":\"word" + (i % 5) + " common\"") + "}";
            var doc = mapper.parse(id, source.getBytes(StandardCharsets.UTF_8), mappings);
            writers.get(ShardRouting.shardFor(id, SHARDS)).addDocument(doc.toLuceneDocument(i, 1, 1));
            if (i % 40 == 0) {
                writers.get(ShardRouting.shardFor(id, SHARDS)).flush(); // a few segments per shard
            }
        }
        for (int s = 0; s < SHARDS; s++) {
            writers.get(s).close();
            readers.add(DirectoryReader.open(dirs.get(s)));
        }
    }

    @AfterAll
    static void close() throws IOException {
        for (DirectoryReader r : readers) {
            r.close();
        }
    }

    private static IndexSearcher over(int... shards) throws IOException {
        IndexReader[] subs = new IndexReader[shards.length];
        for (int i = 0; i < shards.length; i++) {
            subs[i] = readers.get(shards[i]);
        }
        return new IndexSearcher(new MultiReader(subs, false));
    }

    private static ObjectNode single(SearchRequest req) throws IOException {
        return SearchExecutor.search(over(0, 1, 2), "idx", SHARDS, mappings, req, SearchLimits.DEFAULT).toJson();
    }

    private static ObjectNode split(SearchRequest req) throws IOException {
        ShardsResult a = SearchExecutor.queryShards(over(0, 2), "idx", new int[] {0, 2}, SHARDS, mappings, req,
                SearchLimits.DEFAULT);
        ShardsResult b = SearchExecutor.queryShards(over(1), "idx", new int[] {1}, SHARDS, mappings, req,
                SearchLimits.DEFAULT);
        // each part goes over the wire, and is read against the request as the coordinating node parses it
        List<io.kccr.core.search.aggs.AggregatorFactory> factories = req.extras().aggregations() == null ? List.of()
                : io.kccr.core.search.aggs.AggregationParser.parse(req.extras().aggregations(), mappings, SHARDS);
        ShardsResult aWire = ShardsResultJson.fromJson(JSON.readTree(ShardsResultJson.toJson(a).toString()), factories);
        ShardsResult bWire = ShardsResultJson.fromJson(JSON.readTree(ShardsResultJson.toJson(b).toString()), factories);
        return SearchMerger.merge(req, mappings, List.of(bWire, aWire), SHARDS, 65_535, 0).toJson();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"sort\":[{\"n\":\"asc\"}],\"size\":10}",
        "{\"sort\":[{\"n\":\"asc\"}],\"from\":25,\"size\":10}",
        "{\"sort\":[{\"group\":\"asc\"},{\"x\":\"desc\"}],\"from\":7,\"size\":30}",
        "{\"sort\":[{\"n\":\"desc\"}],\"size\":5,\"search_after\":[40]}",
        "{\"query\":{\"match_all\":{}},\"size\":20,\"from\":100}",
        "{\"query\":{\"bool\":{\"filter\":{\"term\":{\"group\":\"g3\"}}}},\"size\":100}",
        "{\"query\":{\"range\":{\"n\":{\"gte\":10,\"lt\":20}}},\"sort\":[\"_score\",{\"x\":\"asc\"}],\"size\":15}",
        "{\"size\":0,\"track_total_hits\":true}",
        "{\"size\":3,\"track_total_hits\":50}",
        "{\"size\":0,\"aggs\":{\"groups\":{\"terms\":{\"field\":\"group\"},\"aggs\":{\"n\":{\"stats\":{\"field\":\"n\"}}}}}}",
        "{\"size\":0,\"aggs\":{\"h\":{\"histogram\":{\"field\":\"x\",\"interval\":20}},\"c\":{\"cardinality\":{\"field\":\"n\"}}}}",
        "{\"size\":0,\"aggs\":{\"r\":{\"range\":{\"field\":\"n\",\"ranges\":[{\"to\":10},{\"from\":10,\"to\":30},{\"from\":30}]},"
                + "\"aggs\":{\"avg\":{\"avg\":{\"field\":\"x\"}}}},"
                + "\"f\":{\"filters\":{\"filters\":{\"a\":{\"term\":{\"group\":\"g1\"}},\"b\":{\"range\":{\"n\":{\"gt\":40}}}}}},"
                + "\"m\":{\"missing\":{\"field\":\"group\"},\"aggs\":{\"x\":{\"extended_stats\":{\"field\":\"x\"}}}},"
                + "\"p\":{\"percentiles\":{\"field\":\"x\",\"percents\":[50,99]}}}}",
        "{\"size\":0,\"aggs\":{\"groups\":{\"terms\":{\"field\":\"group\",\"size\":3},"
                + "\"aggs\":{\"top\":{\"top_hits\":{\"size\":2,\"sort\":[{\"x\":\"desc\"}]}}}}}}",
        "{\"size\":0,\"aggs\":{\"c\":{\"composite\":{\"size\":5,\"sources\":[{\"g\":{\"terms\":{\"field\":\"group\"}}},"
                + "{\"n\":{\"terms\":{\"field\":\"n\"}}}]}}}}"
    })
    void twoNodesAnswerAsOneSearcher(String body) throws IOException {
        SearchRequest req = SearchRequest.parse(JSON.readTree(body), Map.of());
        ObjectNode expected = single(req);
        ObjectNode actual = split(req);
        expected.remove("took");
        actual.remove("took");
        // as the client reads them (a number node's Java type is no part of the answer)
        assertThat(JSON.readTree(actual.toString())).isEqualTo(JSON.readTree(expected.toString()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"query\":{\"match\":{\"text\":\"word2 common\"}},\"size\":300}",
        "{\"query\":{\"term\":{\"group\":\"g3\"}},\"size\":100}"})
    void scoredHitsAreTheSameDocumentsWithScoresOfEachNodesShards(String body) throws IOException {
        // relevance statistics are each node's own (as each shard's in Elasticsearch): same hits, same count
        SearchRequest req = SearchRequest.parse(JSON.readTree(body), Map.of());
        JsonNode expected = single(req).path("hits");
        JsonNode actual = split(req).path("hits");
        assertThat(actual.path("total")).isEqualTo(expected.path("total"));
        assertThat(ids(actual)).containsExactlyInAnyOrderElementsOf(ids(expected));
    }

    private static List<String> ids(JsonNode hits) {
        List<String> out = new ArrayList<>();
        hits.path("hits").forEach(h -> out.add(h.path("_id").asText()));
        return out;
    }
}
