package io.kccr.core.search;

import io.kccr.core.search.aggs.InternalAggs;
import io.kccr.core.search.fetch.SearchHit;
import java.util.List;

/**
 * One node's part of a search over the shards it holds ({@link SearchExecutor#queryShards}), for a coordinating node
 * to merge with the other nodes' parts ({@link SearchMerger}).
 *
 * @param hits           the node's best {@code from + size} hits, in the request's order
 * @param total          how many documents matched on these shards (up to {@code track_total_hits})
 * @param totalLowerBound whether {@code total} is a lower bound
 * @param maxScore       the best score, or null when not scored
 * @param timedOut       whether the search timed out on this node
 * @param terminatedEarly whether {@code terminate_after} stopped a shard
 * @param aggs           each shard's aggregations, unreduced; empty when none were asked for
 */
public record ShardsResult(List<Hit> hits, long total, boolean totalLowerBound, Float maxScore, boolean timedOut,
                           boolean terminatedEarly, List<ShardAggs> aggs) {

    public ShardsResult {
        hits = List.copyOf(hits);
        aggs = List.copyOf(aggs);
    }

    /**
     * One hit.
     *
     * @param shard the shard it is in
     * @param doc   its doc id in that shard's reader (the tie-breaker after the sort values, with the shard)
     * @param score its score (NaN when not scored)
     * @param sort  the raw sort values Lucene compares (Long, Integer, Double, Float, BytesRef or null), null
     *              when sorted by score
     * @param hit   the hit as the response shows it
     */
    public record Hit(int shard, int doc, float score, List<Object> sort, SearchHit hit) {
    }

    /** One shard's aggregations. */
    public record ShardAggs(int shard, InternalAggs aggs) {
    }
}
