package io.kccr.core.search.aggs;

import io.kccr.core.mapping.Mappings;
import io.kccr.core.search.query.QueryDsl;
import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Weight;

/**
 * What the aggregators of one request share: the searcher over every shard (documents are collected with
 * its leaves, so doc ids are the searcher's), the mappings, the index name, the request's breaker account,
 * and the weights of filter queries (built once, used on every shard). Not thread-safe: one request.
 */
public final class AggregationContext {
    private final IndexSearcher searcher;
    private final Mappings mappings;
    private final String indexName;
    private final RequestBreaker.Account account;
    private final Map<Query, Weight> weights = new IdentityHashMap<>();

    public AggregationContext(IndexSearcher searcher, Mappings mappings, String indexName,
                              RequestBreaker.Account account) {
        this.searcher = searcher;
        this.mappings = mappings;
        this.indexName = indexName;
        this.account = account;
    }

    public IndexSearcher searcher() {
        return searcher;
    }

    public Mappings mappings() {
        return mappings;
    }

    public String indexName() {
        return indexName;
    }

    /** Accounts {@code bytes} to the request (see {@link RequestBreaker}). */
    public void account(long bytes, String label) {
        account.add(bytes, label);
    }

    /** The non-scoring weight of a filter query (the same {@code query} instance gets the same weight). */
    public Weight filterWeight(Query query) throws IOException {
        Weight w = weights.get(query);
        if (w == null) {
            w = searcher.createWeight(searcher.rewrite(query), ScoreMode.COMPLETE_NO_SCORES, 1f);
            weights.put(query, w);
        }
        return w;
    }

    /** The Lucene query of a query-DSL object against the mappings. */
    public static Query toQuery(Mappings mappings, com.fasterxml.jackson.databind.JsonNode dsl) {
        return new QueryDsl(mappings).toQuery(dsl);
    }
}
