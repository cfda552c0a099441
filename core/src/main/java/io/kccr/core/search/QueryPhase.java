package io.kccr.core.search;

import io.kccr.core.search.aggs.AggregationContext;
import io.kccr.core.search.aggs.Aggregator;
import io.kccr.core.search.aggs.AggregatorFactory;
import io.kccr.core.search.aggs.InternalAgg;
import io.kccr.core.search.aggs.InternalAggs;
import io.kccr.core.search.aggs.LeafBucketCollector;
import io.kccr.core.search.aggs.ReduceContext;
import io.kccr.core.search.aggs.RequestBreaker;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.IndexReaderContext;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.BulkScorer;
import org.apache.lucene.search.CollectionTerminatedException;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TotalHitCountCollector;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.DocIdStream;
import org.apache.lucene.search.FilterScorable;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopDocsCollector;
import org.apache.lucene.search.Weight;

/**
 * The query phase of one search: one pass over the matching documents of every shard that feeds both the
 * top-hits collector and the shard's aggregators, shard by shard (each shard's aggregation is its own partial
 * result, reduced across shards afterwards as Elasticsearch reduces shard responses). Honours
 * {@code terminate_after} (per shard) and {@code timeout} (partial results). Not thread-safe: one per search.
 */
final class QueryPhase {

    /**
     * What the pass found.
     *
     * @param aggregations the aggregations reduced across the searcher's shards, null when none were asked or they
     *                     were kept per shard
     * @param shardAggs    each shard's own aggregation results, not reduced (another node reduces them with other
     *                     shards'), empty unless asked for
     */
    record Result(TopDocs topDocs, InternalAggs aggregations, boolean timedOut, boolean terminatedEarly,
                  List<InternalAggs> shardAggs) {
    }

    /** Thrown out of collection when the {@code timeout} passed. */
    private static final class TimeExceeded extends RuntimeException {
        TimeExceeded() {
            super(null, null, false, false);
        }
    }

    private QueryPhase() {
    }

    /**
     * Runs {@code query} over {@code searcher}'s shards (the sub-readers of its top reader).
     *
     * @param hits      the top-hits collector (from its manager), fed every matching document; null to only count
     *                  them ({@code size: 0}: no hit is kept, so no document needs a score or a queue slot)
     * @param hitsMode  the collector's score mode
     * @param factories the aggregations, empty for none
     */
    static Result run(IndexSearcher searcher, Query query, TopDocsCollector<?> hits, ScoreMode hitsMode,
                      List<AggregatorFactory> factories, AggregationContext aggContext, SearchExtras extras,
                      SearchLimits limits) throws IOException {
        return run(searcher, query, hits, hitsMode, factories, aggContext, extras, limits, true);
    }

    /**
     * As {@link #run(IndexSearcher, Query, TopDocsCollector, ScoreMode, List, AggregationContext, SearchExtras,
     * SearchLimits)}; with {@code reduce} false, each shard's aggregations are returned as they are
     * ({@link Result#shardAggs}), for a coordinating node to reduce with the other nodes' shards.
     */
    static Result run(IndexSearcher searcher, Query query, TopDocsCollector<?> hits, ScoreMode hitsMode,
                      List<AggregatorFactory> factories, AggregationContext aggContext, SearchExtras extras,
                      SearchLimits limits, boolean reduce) throws IOException {
        List<List<LeafReaderContext>> shards = shards(searcher);
        boolean aggs = !factories.isEmpty();
        List<List<Aggregator>> perShard = new ArrayList<>();
        boolean aggScores = false;
        if (aggs) {
            for (int s = 0; s < shards.size(); s++) {
                List<Aggregator> list = new ArrayList<>();
                for (AggregatorFactory f : factories) {
                    Aggregator a = f.create(aggContext);
                    aggScores |= a.needsScores();
                    list.add(a);
                }
                perShard.add(list);
            }
        }
        TotalHitCountCollector counter = hits == null ? new TotalHitCountCollector() : null;
        boolean onlyCounting = hits == null && !aggs && extras.terminateAfter() == 0 && extras.timeoutMillis() < 0;
        Collector hitsCollector = hits != null ? hits : counter;
        if (hits == null) {
            hitsMode = ScoreMode.COMPLETE_NO_SCORES;
        }
        ScoreMode mode = !aggs && extras.terminateAfter() == 0 ? hitsMode
                : hitsMode.needsScores() || aggScores ? ScoreMode.COMPLETE : ScoreMode.COMPLETE_NO_SCORES;
        Weight weight = searcher.createWeight(searcher.rewrite(query), mode, 1f);
        if (onlyCounting) {
            counter.setWeight(weight); // a leaf whose count Lucene knows (e.g. match_all, a term) is not iterated
        }
        long deadline = extras.timeoutMillis() < 0 ? Long.MAX_VALUE
                : limits.nanoTime().getAsLong() + extras.timeoutMillis() * 1_000_000L;
        boolean timedOut = false;
        boolean terminated = false;
        long[] seen = {0}; // documents collected over all shards: the clock is read every 1,024 of them
        outer:
        for (int s = 0; s < shards.size(); s++) {
            List<Aggregator> aggregators = aggs ? perShard.get(s) : List.of();
            long[] collected = {0};
            for (LeafReaderContext leaf : shards.get(s)) {
                Combined leafCollector = new Combined(leaf, hitsCollector, aggregators, !aggs && extras.terminateAfter() == 0,
                        extras.terminateAfter(), collected, seen, deadline, limits,
                        aggs && !aggScores && extras.terminateAfter() == 0, hits == null);
                if (leafCollector.idle()) {
                    continue; // counted without iterating
                }
                try {
                    BulkScorer scorer = weight.bulkScorer(leaf);
                    if (scorer != null) {
                        scorer.score(leafCollector, leaf.reader().getLiveDocs(), 0, DocIdSetIterator.NO_MORE_DOCS);
                    }
                    leafCollector.finish();
                } catch (CollectionTerminatedException e) {
                    leafCollector.finish();
                    if (extras.terminateAfter() > 0 && collected[0] >= extras.terminateAfter()) {
                        terminated = true;
                        break; // this shard is done: on to the next
                    }
                } catch (TimeExceeded e) {
                    timedOut = true;
                    break outer;
                }
            }
        }
        InternalAggs reduced = null;
        List<InternalAggs> kept = List.of();
        if (aggs) {
            List<InternalAggs> shardResults = new ArrayList<>(perShard.size());
            for (List<Aggregator> aggregators : perShard) {
                List<InternalAgg> results = new ArrayList<>(aggregators.size());
                for (Aggregator a : aggregators) {
                    a.finish();
                    results.add(a.build(0));
                }
                shardResults.add(new InternalAggs(results));
            }
            if (reduce) {
                reduced = InternalAggs.reduce(shardResults, new ReduceContext(limits.maxBuckets()));
            } else {
                kept = shardResults;
            }
        }
        TopDocs top = hits != null ? hits.topDocs()
                : new TopDocs(new TotalHits(counter.getTotalHits(), TotalHits.Relation.EQUAL_TO), new ScoreDoc[0]);
        return new Result(top, reduced, timedOut, terminated, kept);
    }

    /** The leaves of each shard: the sub-readers of a composite top reader, else one shard of all leaves. */
    static List<List<LeafReaderContext>> shards(IndexSearcher searcher) {
        IndexReaderContext top = searcher.getTopReaderContext();
        List<List<LeafReaderContext>> out = new ArrayList<>();
        if (top.children() == null || top.children().isEmpty()) {
            out.add(top.leaves());
            return out;
        }
        for (IndexReaderContext child : top.children()) {
            List<LeafReaderContext> leaves = new ArrayList<>();
            leavesOf(child, leaves);
            out.add(leaves);
        }
        return out;
    }

    /** The leaves under a sub-context (only the top context may be asked for its leaves directly). */
    private static void leavesOf(IndexReaderContext context, List<LeafReaderContext> out) {
        if (context instanceof LeafReaderContext leaf) {
            out.add(leaf);
            return;
        }
        for (IndexReaderContext child : context.children()) {
            leavesOf(child, out);
        }
    }

    /** Documents per batch handed to the aggregators (see {@link LeafBucketCollector}). */
    private static final int BATCH = 1024;

    /** One leaf's collector for the hits and every aggregation at once. */
    private static final class Combined implements LeafCollector {
        private final LeafCollector hits;
        private final LeafBucketCollector[] aggs;
        private final boolean hitsOnly;
        private final int terminateAfter;
        private final long[] collected;
        private final long[] seen;
        private final long deadline;
        private final SearchLimits limits;
        /** Documents waiting for the aggregators, when they take batches; null when they take each at once. */
        private final int[] batch;
        private int batched;
        /** Whether the hits are only counted, so runs of documents may skip the per-document path. */
        private final boolean counting;
        private LeafCollector hitsLeaf;

        /**
         * @param batching whether the aggregators may take documents in batches (none reads scores, and
         *                 {@code terminate_after} does not count them)
         * @param counting whether {@code hitsCollector} only counts the hits
         */
        Combined(LeafReaderContext leaf, Collector hitsCollector, List<Aggregator> aggregators,
                 boolean hitsOnly, int terminateAfter, long[] collected, long[] seen, long deadline,
                 SearchLimits limits, boolean batching, boolean counting)
                throws IOException {
            LeafCollector h;
            try {
                h = hitsCollector.getLeafCollector(leaf);
            } catch (CollectionTerminatedException e) {
                h = null;
            }
            this.hits = h;
            this.hitsLeaf = h;
            this.aggs = new LeafBucketCollector[aggregators.size()];
            for (int i = 0; i < aggs.length; i++) {
                aggs[i] = aggregators.get(i).leaf(leaf);
            }
            this.hitsOnly = hitsOnly;
            this.terminateAfter = terminateAfter;
            this.collected = collected;
            this.seen = seen;
            this.deadline = deadline;
            this.limits = limits;
            this.batch = batching && aggs.length > 0 ? new int[BATCH] : null;
            this.counting = counting;
        }

        /**
         * A run of matching documents (a match_all leaf without deletions comes as one): counted at once and handed
         * to the aggregators batch by batch, with no call per document.
         */
        @Override
        public void collectRange(int min, int max) throws IOException {
            if (batch == null || !counting) {
                LeafCollector.super.collectRange(min, max);
                return;
            }
            if (hitsLeaf != null) {
                hitsLeaf.collectRange(min, max);
            }
            collected[0] += max - min;
            int doc = min;
            while (doc < max) {
                int n = Math.min(BATCH - batched, max - doc);
                for (int i = 0; i < n; i++) {
                    batch[batched++] = doc++;
                }
                if (batched == BATCH) {
                    flush();
                    checkTime(n);
                }
            }
        }

        /** As {@link #collectRange}, for a stream of matching documents. */
        @Override
        public void collect(DocIdStream stream) throws IOException {
            if (batch == null || !counting) {
                LeafCollector.super.collect(stream);
                return;
            }
            flush();
            int n;
            while ((n = stream.intoArray(batch)) > 0) {
                if (hitsLeaf != null) {
                    for (int i = 0; i < n; i++) {
                        hitsLeaf.collect(batch[i]);
                    }
                }
                collected[0] += n;
                batched = n;
                flush();
                checkTime(n);
            }
        }

        private void checkTime(int docs) {
            seen[0] += docs;
            if (deadline != Long.MAX_VALUE && limits.nanoTime().getAsLong() > deadline) {
                throw new TimeExceeded();
            }
        }

        @Override
        public void setScorer(Scorable scorer) throws IOException {
            if (hitsLeaf != null) {
                // with aggregations every document must be seen: the hits collector may not raise the bar
                hitsLeaf.setScorer(hitsOnly ? scorer : new FilterScorable(scorer) {
                    @Override
                    public void setMinCompetitiveScore(float minScore) {
                    }
                });
            }
            for (LeafBucketCollector a : aggs) {
                a.setScorer(scorer);
            }
        }

        @Override
        public void collect(int doc) throws IOException {
            if (terminateAfter > 0 && collected[0] >= terminateAfter) {
                throw new CollectionTerminatedException();
            }
            collected[0]++;
            if ((++seen[0] & 1023) == 0 && deadline != Long.MAX_VALUE && limits.nanoTime().getAsLong() > deadline) {
                throw new TimeExceeded();
            }
            if (hitsLeaf != null) {
                try {
                    hitsLeaf.collect(doc);
                } catch (CollectionTerminatedException e) {
                    hitsLeaf = null; // the hits are complete; aggregations go on
                    if (aggs.length == 0) {
                        throw e;
                    }
                }
            }
            if (batch != null) {
                batch[batched++] = doc;
                if (batched == BATCH) {
                    flush();
                }
                return;
            }
            for (LeafBucketCollector a : aggs) {
                a.collect(doc, 0);
            }
        }

        /** Hands the waiting documents to the aggregators. */
        private void flush() throws IOException {
            if (batched > 0) {
                for (LeafBucketCollector a : aggs) {
                    a.collect(batch, batched, 0L);
                }
                batched = 0;
            }
        }

        /** Nothing to collect in this leaf: the hits were counted up front and there are no aggregations. */
        boolean idle() {
            return hits == null && aggs.length == 0;
        }

        @Override
        public DocIdSetIterator competitiveIterator() throws IOException {
            return hitsOnly && hits != null ? hits.competitiveIterator() : null;
        }

        @Override
        public void finish() throws IOException {
            flush();
            if (hits != null) {
                hits.finish();
            }
        }
    }

    /** Opens the request's breaker account and the aggregation context. */
    static AggregationContext aggContext(IndexSearcher searcher, io.kccr.core.mapping.Mappings mappings,
                                         String indexName, RequestBreaker.Account account) {
        return new AggregationContext(searcher, mappings, indexName, account);
    }
}
