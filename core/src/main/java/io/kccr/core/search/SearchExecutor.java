package io.kccr.core.search;

import io.kccr.core.search.fetch.HitFetcher;
import io.kccr.core.search.query.QueryDsl;
import io.kccr.core.search.query.Sorts;
import io.kccr.core.search.fetch.SearchHit;
import io.kccr.core.error.KccrException;
import io.kccr.core.error.InvalidRequestException;
import com.fasterxml.jackson.databind.JsonNode;
import io.kccr.core.mapping.Mappings;
import io.kccr.core.search.aggs.AggregationParser;
import io.kccr.core.search.aggs.AggregatorFactory;
import io.kccr.core.search.aggs.RequestBreaker;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.SortedNumericSortField;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopDocsCollector;
import org.apache.lucene.search.TopFieldCollector;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.search.TopScoreDocCollectorManager;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.util.BytesRef;

/**
 * Runs searches and counts over an {@link IndexSearcher} (typically over a MultiReader of one
 * index's shard readers) and builds Elasticsearch-shaped responses. Stateless and thread-safe.
 */
public final class SearchExecutor {

    private SearchExecutor() {
    }

    /**
     * Runs {@code req} and returns the page of hits, with {@code took} measured here.
     *
     * @param searcher    over the index's documents
     * @param indexName   the name each hit reports as {@code _index}
     * @param totalShards the shard count {@code _shards} reports
     * @param mappings    the index's mappings (query and sort fields are resolved against them)
     * @throws KccrException 400 for queries or sorts the mappings cannot serve
     */
    public static SearchResponse search(IndexSearcher searcher, String indexName, int totalShards, Mappings mappings,
            SearchRequest req) throws IOException {
        return search(searcher, indexName, totalShards, mappings, req, SearchLimits.DEFAULT);
    }

    /**
     * Runs {@code req} within the node's {@code limits} and returns the page of hits and the aggregations, with
     * {@code took} measured here. Aggregations are computed per shard (the searcher's sub-readers) and reduced as
     * Elasticsearch reduces shard results.
     *
     * @throws KccrException 400 for queries, sorts or aggregations the mappings cannot serve, 400
     *                       {@code too_many_buckets_exception} past {@code search.max_buckets}, 429
     *                       {@code circuit_breaking_exception} past the request breaker
     */
    public static SearchResponse search(IndexSearcher searcher, String indexName, int totalShards, Mappings mappings,
            SearchRequest req, SearchLimits limits) throws IOException {
        long start = System.nanoTime();
        int window = req.from() + req.size();
        Executed e = execute(searcher, mappings, req, limits, window, true, totalShards, indexName);
        Query query = e.query();
        Sort sort = e.sort();
        boolean scored = e.scored();
        QueryPhase.Result result = e.result();
        TopDocs topDocs = result.topDocs();

        SearchResponse.Total total = null;
        if (req.trackTotalHitsUpTo() >= 0) {
            long value = topDocs.totalHits.value();
            boolean lowerBound = topDocs.totalHits.relation() == TotalHits.Relation.GREATER_THAN_OR_EQUAL_TO;
            if (req.trackTotalHitsUpTo() != SearchRequest.TRACK_TOTAL_HITS_ACCURATE
                    && value > req.trackTotalHitsUpTo()) {
                value = req.trackTotalHitsUpTo();
                lowerBound = true;
            }
            total = lowerBound ? SearchResponse.Total.atLeast(value) : SearchResponse.Total.exact(value);
        }

        Float maxScore = null;
        if (window > 0 && scored && topDocs.scoreDocs.length > 0) {
            float max = Float.NEGATIVE_INFINITY;
            for (ScoreDoc sd : topDocs.scoreDocs) {
                max = Math.max(max, sd.score);
            }
            maxScore = max;
        }

        List<SearchHit> hits = List.of();
        if (req.size() > 0 && topDocs.scoreDocs.length > req.from()) {
            hits = HitFetcher.fetch(searcher, indexName, mappings, topDocs.scoreDocs, req.from(), scored, sort != null,
                    req.fetchOptions(), query);
        }
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        return new SearchResponse(took, result.timedOut(), totalShards, total, maxScore, hits, result.aggregations(),
                req.extras().terminateAfter() > 0 ? result.terminatedEarly() : null, null, null);
    }

    /** The query phase of a request: its query, its sort, what it found. */
    private record Executed(Query query, Sort sort, boolean scored, QueryPhase.Result result) {
    }

    private static Executed execute(IndexSearcher searcher, Mappings mappings, SearchRequest req, SearchLimits limits,
                                    int window, boolean reduce, int totalShards, String indexName) throws IOException {
        Query query = toQuery(mappings, req);
        Sort sort = Sorts.toSort(mappings, req.sort());
        List<AggregatorFactory> aggs = req.extras().aggregations() == null ? List.of()
                : AggregationParser.parse(req.extras().aggregations(), mappings, totalShards);
        int numHits = Math.max(1, window);
        int threshold = req.trackTotalHitsUpTo() < 0 ? numHits : req.trackTotalHitsUpTo();
        boolean scored;
        QueryPhase.Result result;
        try (RequestBreaker.Account account = limits.breaker().newAccount()) {
            TopDocsCollector<?> hits;
            ScoreMode hitsMode;
            if (window == 0 && req.searchAfter() == null) {
                hits = null; // size 0: count only
                hitsMode = ScoreMode.COMPLETE_NO_SCORES;
                scored = false;
            } else if (sort == null) {
                TopScoreDocCollectorManager m = new TopScoreDocCollectorManager(numHits, null, threshold);
                hits = m.newCollector();
                hitsMode = hits.scoreMode();
                scored = true;
            } else {
                FieldDoc after = req.searchAfter() == null ? null : searchAfter(sort, req.searchAfter());
                TopFieldCollectorManager m = new TopFieldCollectorManager(sort, numHits, after, threshold);
                hits = m.newCollector();
                hitsMode = hits.scoreMode();
                scored = req.trackScores() || sort.needsScores();
            }
            result = QueryPhase.run(searcher, query, hits, hitsMode, aggs,
                    QueryPhase.aggContext(searcher, mappings, indexName, account), req.extras(), limits, reduce);
            TopDocs topDocs = result.topDocs();
            if (sort != null && scored && topDocs.scoreDocs.length > 0) {
                TopFieldCollector.populateScores(topDocs.scoreDocs, searcher, query);
            }
        } catch (IndexSearcher.TooManyClauses e) {
            throw InvalidRequestException.tooManyClauses( e.getMessage()
                    + "; narrow the query (fewer terms, or terms instead of many should clauses)");
        }
        return new Executed(query, sort, scored, result);
    }

    /**
     * This node's part of a search that spans several nodes: {@code req} over the shards {@code searcher} reads (its
     * top reader's sub-readers, shard {@code shardIds[i]} the i-th), returning their best {@code from + size} hits,
     * fetched, with the raw sort values and shard of each (so that a coordinating node merges them with the other
     * nodes' in the order one searcher over every shard would give), the hit count, and each shard's aggregations
     * unreduced. {@link SearchMerger} does the rest.
     */
    public static ShardsResult queryShards(IndexSearcher searcher, String indexName, int[] shardIds, int totalShards,
                                           Mappings mappings, SearchRequest req, SearchLimits limits)
            throws IOException {
        int window = req.from() + req.size();
        Executed e = execute(searcher, mappings, req, limits, window, false, totalShards, indexName);
        TopDocs topDocs = e.result().topDocs();
        List<SearchHit> fetched = window > 0 && topDocs.scoreDocs.length > 0
                ? HitFetcher.fetch(searcher, indexName, mappings, topDocs.scoreDocs, 0, e.scored(), e.sort() != null,
                        req.fetchOptions(), e.query())
                : List.of();
        List<org.apache.lucene.index.IndexReaderContext> subs = searcher.getTopReaderContext().children() == null
                ? List.of(searcher.getTopReaderContext()) : searcher.getTopReaderContext().children();
        int[] bases = new int[subs.size()];
        for (int i = 0; i < subs.size(); i++) {
            bases[i] = subs.get(i).docBaseInParent;
        }
        List<ShardsResult.Hit> hits = new java.util.ArrayList<>(fetched.size());
        Float maxScore = null;
        for (int i = 0; i < fetched.size(); i++) {
            ScoreDoc sd = topDocs.scoreDocs[i];
            int sub = subIndex(sd.doc, bases);
            List<Object> raw = null;
            if (sd instanceof FieldDoc fd) {
                raw = java.util.Arrays.asList(fd.fields);
            }
            hits.add(new ShardsResult.Hit(shardIds[sub], sd.doc - bases[sub], sd.score, raw, fetched.get(i)));
            if (e.scored() && !Float.isNaN(sd.score)) {
                maxScore = maxScore == null ? sd.score : Math.max(maxScore, sd.score);
            }
        }
        List<ShardsResult.ShardAggs> aggs = new java.util.ArrayList<>();
        for (int i = 0; i < e.result().shardAggs().size(); i++) {
            aggs.add(new ShardsResult.ShardAggs(shardIds[i], e.result().shardAggs().get(i)));
        }
        TotalHits total = topDocs.totalHits;
        return new ShardsResult(hits, total.value(), total.relation() == TotalHits.Relation.GREATER_THAN_OR_EQUAL_TO,
                maxScore, e.result().timedOut(), e.result().terminatedEarly(), aggs);
    }

    private static int subIndex(int doc, int[] bases) {
        int i = java.util.Arrays.binarySearch(bases, doc);
        if (i >= 0) {
            while (i + 1 < bases.length && bases[i + 1] == doc) {
                i++; // empty sub-readers share their base with the next one
            }
            return i;
        }
        return -i - 2;
    }

    /** The top docs of the last page, for scroll and point-in-time continuations: the last hit's sort values. */
    public static List<Object> lastSortValues(SearchResponse response) {
        return response.hits().isEmpty() ? null : response.hits().getLast().sort();
    }

    /** The number of documents matching {@code query}, for {@code _count}. */
    public static long count(IndexSearcher searcher, Query query) throws IOException {
        return searcher.count(query);
    }

    /** {@code _count} with a query-DSL object (null = match_all). */
    public static CountResponse count(IndexSearcher searcher, int totalShards, Mappings mappings, JsonNode query)
            throws IOException {
        return new CountResponse(count(searcher, new QueryDsl(mappings).toQuery(query)), totalShards);
    }

    /** The Lucene query of a request: its query, with any {@code post_filter} as a non-scoring filter. */
    public static Query toQuery(Mappings mappings, SearchRequest req) {
        QueryDsl dsl = new QueryDsl(mappings);
        Query query = dsl.toQuery(req.query());
        if (req.postFilter() != null) {
            query = new BooleanQuery.Builder()
                    .add(query, Occur.MUST)
                    .add(dsl.toQuery(req.postFilter()), Occur.FILTER)
                    .build();
        }
        return query;
    }

    /** The {@code search_after} values as the FieldDoc Lucene continues after. */
    private static FieldDoc searchAfter(Sort sort, List<JsonNode> values) {
        SortField[] fields = sort.getSort();
        Object[] out = new Object[fields.length];
        for (int i = 0; i < fields.length; i++) {
            JsonNode v = values.get(i);
            SortField.Type type = fields[i] instanceof SortedNumericSortField sn ? sn.getNumericType()
                    : fields[i].getType();
            try {
                out[i] = switch (type) {
                    case SCORE -> (float) v.asDouble();
                    case DOC -> (int) v.asLong();
                    case LONG -> v.isNumber() ? v.longValue() : Long.parseLong(v.asText());
                    case INT -> v.isNumber() ? v.intValue() : Integer.parseInt(v.asText());
                    case DOUBLE -> v.isNumber() ? v.doubleValue() : Double.parseDouble(v.asText());
                    case FLOAT -> v.isNumber() ? v.floatValue() : Float.parseFloat(v.asText());
                    case STRING, STRING_VAL, CUSTOM -> v.isNull() ? null : new BytesRef(v.asText());
                    default -> throw new IllegalArgumentException("unsupported sort type " + type);
                };
            } catch (NumberFormatException e) {
                throw InvalidRequestException.illegalArgument("Failed to parse search_after value for field ["
                        + fields[i].getField() + "]: " + e.getMessage());
            }
        }
        return new FieldDoc(Integer.MAX_VALUE, Float.NaN, out);
    }

}
