package io.kccr.core.search;

import io.kccr.core.mapping.Mappings;
import io.kccr.core.search.aggs.InternalAggs;
import io.kccr.core.search.aggs.ReduceContext;
import io.kccr.core.search.fetch.SearchHit;
import io.kccr.core.search.query.Sorts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.search.TotalHits;

/**
 * The coordinating node's reduce of a search that ran on several nodes: merges their hits in the request's order
 * (the sort values, then the shard, then the doc within it, as one searcher over every shard in shard order
 * breaks ties), keeps the page {@code [from, from + size)}, adds up the hit counts and reduces the shards'
 * aggregations as {@link SearchExecutor#search} reduces them on one node. Stateless.
 */
public final class SearchMerger {
    private SearchMerger() {
    }

    /**
     * @param req         the request (as each node ran it)
     * @param mappings    the index's mappings (to build the sort the hits were compared by)
     * @param parts       every node's part
     * @param totalShards the index's shard count
     * @param maxBuckets  {@code search.max_buckets}
     * @param tookMillis  the time since the coordinating node got the request
     */
    public static SearchResponse merge(SearchRequest req, Mappings mappings, List<ShardsResult> parts,
                                       int totalShards, int maxBuckets, long tookMillis) {
        Sort sort = Sorts.toSort(mappings, req.sort());
        Map<Long, SearchHit> byDoc = new HashMap<>();
        long total = 0;
        boolean lowerBound = false;
        Float maxScore = null;
        boolean timedOut = false;
        boolean terminated = false;
        List<ShardsResult.ShardAggs> shardAggs = new ArrayList<>();
        TopDocs[] tops = sort == null ? new TopDocs[parts.size()] : new TopFieldDocs[parts.size()];
        for (int p = 0; p < parts.size(); p++) {
            ShardsResult part = parts.get(p);
            total += part.total();
            lowerBound |= part.totalLowerBound();
            timedOut |= part.timedOut();
            terminated |= part.terminatedEarly();
            if (part.maxScore() != null) {
                maxScore = maxScore == null ? part.maxScore() : Math.max(maxScore, part.maxScore());
            }
            shardAggs.addAll(part.aggs());
            ScoreDoc[] docs = new ScoreDoc[part.hits().size()];
            for (int i = 0; i < docs.length; i++) {
                ShardsResult.Hit h = part.hits().get(i);
                docs[i] = sort == null ? new ScoreDoc(h.doc(), h.score(), h.shard())
                        : new FieldDoc(h.doc(), h.score(), h.sort().toArray(), h.shard());
                byDoc.put(key(h.shard(), h.doc()), h.hit());
            }
            TotalHits hits = new TotalHits(part.total(), part.totalLowerBound()
                    ? TotalHits.Relation.GREATER_THAN_OR_EQUAL_TO : TotalHits.Relation.EQUAL_TO);
            tops[p] = sort == null ? new TopDocs(hits, docs) : new TopFieldDocs(hits, docs, sort.getSort());
        }
        List<SearchHit> page = new ArrayList<>();
        if (req.size() > 0 && parts.stream().anyMatch(x -> !x.hits().isEmpty())) {
            TopDocs merged = sort == null ? TopDocs.merge(req.from(), req.size(), tops)
                    : TopDocs.merge(sort, req.from(), req.size(), (TopFieldDocs[]) tops);
            for (ScoreDoc sd : merged.scoreDocs) {
                page.add(byDoc.get(key(sd.shardIndex, sd.doc)));
            }
        }
        SearchResponse.Total totalHits = null;
        if (req.trackTotalHitsUpTo() >= 0) {
            if (req.trackTotalHitsUpTo() != SearchRequest.TRACK_TOTAL_HITS_ACCURATE && total > req.trackTotalHitsUpTo()) {
                total = req.trackTotalHitsUpTo();
                lowerBound = true;
            }
            totalHits = lowerBound ? SearchResponse.Total.atLeast(total) : SearchResponse.Total.exact(total);
        }
        // in shard order, as one node reduces them (ties between equal buckets or top hits fall the same way)
        shardAggs.sort(java.util.Comparator.comparingInt(ShardsResult.ShardAggs::shard));
        InternalAggs aggs = req.extras().aggregations() == null ? null
                : InternalAggs.reduce(shardAggs.stream().map(ShardsResult.ShardAggs::aggs).toList(),
                        new ReduceContext(maxBuckets));
        if (page.isEmpty() || req.size() == 0) {
            maxScore = page.isEmpty() ? null : maxScore;
        }
        return new SearchResponse(tookMillis, timedOut, totalShards, totalHits, maxScore, page, aggs,
                req.extras().terminateAfter() > 0 ? terminated : null, null, null);
    }

    private static long key(int shard, int doc) {
        return ((long) shard << 32) | (doc & 0xffffffffL);
    }
}
