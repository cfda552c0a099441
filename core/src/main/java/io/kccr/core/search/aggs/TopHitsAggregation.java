package io.kccr.core.search.aggs;

import io.kccr.core.search.fetch.SearchHit;
import io.kccr.core.search.fetch.FetchOptions;
import io.kccr.core.search.fetch.HitFetcher;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopDocsCollector;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.search.TopScoreDocCollectorManager;

/**
 * {@code top_hits}: per bucket the best {@code from + size} documents by score or by {@code sort}, collected with
 * Lucene's top-docs collectors and fetched on the shard; the reduce merges the shards' lists as Lucene merges
 * shards' top docs ({@link TopDocs#merge}).
 */
public final class TopHitsAggregation {
    private TopHitsAggregation() {
    }

    /** The parsed aggregation; {@code sort} null means by score. */
    public record Factory(String name, int from, int size, Sort sort, boolean trackScores, FetchOptions fetch,
                          JsonNode meta) implements AggregatorFactory {
        @Override
        public Aggregator create(AggregationContext context) {
            return new TopHitsAggregator(this, context);
        }
    }

    private static final class TopHitsAggregator extends Aggregator {
        private final Factory f;
        private final List<TopDocsCollector<?>> collectors = new ArrayList<>();

        TopHitsAggregator(Factory f, AggregationContext context) {
            super(f.name, context);
            this.f = f;
        }

        @Override
        public boolean needsScores() {
            return f.sort == null || f.sort.needsScores();
        }

        private TopDocsCollector<?> collector(long bucket) {
            while (collectors.size() <= bucket) {
                collectors.add(null);
            }
            TopDocsCollector<?> c = collectors.get((int) bucket);
            if (c == null) {
                int n = Math.max(1, f.from + f.size);
                c = f.sort == null ? new TopScoreDocCollectorManager(n, null, Integer.MAX_VALUE).newCollector()
                        : new TopFieldCollectorManager(f.sort, n, null, Integer.MAX_VALUE).newCollector();
                collectors.set((int) bucket, c);
                context.account(64L * n, name);
            }
            return c;
        }

        @Override
        public LeafBucketCollector leaf(LeafReaderContext leaf) {
            Map<Long, LeafCollector> leafCollectors = new java.util.HashMap<>();
            return new LeafBucketCollector() {
                Scorable scorer;

                @Override
                public void setScorer(Scorable s) throws IOException {
                    scorer = s;
                    for (LeafCollector lc : leafCollectors.values()) {
                        lc.setScorer(s);
                    }
                }

                @Override
                public void collect(int doc, long bucket) throws IOException {
                    LeafCollector lc = leafCollectors.get(bucket);
                    if (lc == null) {
                        lc = collector(bucket).getLeafCollector(leaf);
                        if (scorer != null) {
                            lc.setScorer(scorer);
                        }
                        leafCollectors.put(bucket, lc);
                    }
                    lc.collect(doc);
                }
            };
        }

        @Override
        public InternalAgg build(long bucket) throws IOException {
            TopDocsCollector<?> c = bucket < collectors.size() ? collectors.get((int) bucket) : null;
            TopDocs top = c == null ? (f.sort == null ? new TopDocs(new org.apache.lucene.search.TotalHits(0,
                    org.apache.lucene.search.TotalHits.Relation.EQUAL_TO), new ScoreDoc[0])
                    : new TopFieldDocs(new org.apache.lucene.search.TotalHits(0,
                    org.apache.lucene.search.TotalHits.Relation.EQUAL_TO), new ScoreDoc[0], f.sort.getSort()))
                    : c.topDocs();
            boolean scored = f.sort == null;
            List<SearchHit> hits = HitFetcher.fetch(context.searcher(), context.indexName(),
                    context.mappings(), top.scoreDocs, 0, scored, f.sort != null, f.fetch, null);
            return new InternalTopHits(f, top, hits);
        }
    }

    /** A {@code top_hits} result: the shard's (or merged) top docs and their fetched hits, in the same order. */
    public record InternalTopHits(Factory factory, TopDocs topDocs, List<SearchHit> hits) implements InternalAgg {
        @Override
        public String name() {
            return factory.name;
        }

        @Override
        public String type() {
            return "top_hits";
        }

        @Override
        public JsonNode meta() {
            return factory.meta;
        }

        @Override
        public InternalAgg reduce(List<InternalAgg> shards, ReduceContext context) {
            Map<ScoreDoc, SearchHit> hitOf = new IdentityHashMap<>();
            TopDocs[] all = new TopDocs[shards.size()];
            for (int i = 0; i < all.length; i++) {
                InternalTopHits t = (InternalTopHits) shards.get(i);
                all[i] = t.topDocs;
                for (int j = 0; j < t.topDocs.scoreDocs.length; j++) {
                    t.topDocs.scoreDocs[j].shardIndex = i;
                    hitOf.put(t.topDocs.scoreDocs[j], t.hits.get(j));
                }
            }
            TopDocs merged;
            if (factory.sort == null) {
                merged = TopDocs.merge(factory.from, factory.size, all);
            } else {
                TopFieldDocs[] fieldDocs = new TopFieldDocs[all.length];
                for (int i = 0; i < all.length; i++) {
                    fieldDocs[i] = (TopFieldDocs) all[i];
                }
                merged = TopDocs.merge(factory.sort, factory.from, factory.size, fieldDocs);
            }
            List<SearchHit> hits = new ArrayList<>(merged.scoreDocs.length);
            for (ScoreDoc sd : merged.scoreDocs) {
                hits.add(hitOf.get(sd));
            }
            return new InternalTopHits(factory, merged, hits);
        }

        @Override
        public ObjectNode body(boolean typedKeys) {
            ObjectNode n = JsonNodeFactory.instance.objectNode();
            ObjectNode h = n.putObject("hits");
            ObjectNode total = h.putObject("total");
            total.put("value", topDocs.totalHits.value());
            total.put("relation", "eq");
            Float max = null;
            for (SearchHit hit : hits) {
                if (hit.score() != null && !hit.score().isNaN()) {
                    max = max == null ? hit.score() : Math.max(max, hit.score());
                }
            }
            if (max == null) {
                h.putNull("max_score");
            } else {
                h.put("max_score", max);
            }
            ArrayNode arr = h.putArray("hits");
            for (SearchHit hit : hits) {
                arr.add(hit.toJson());
            }
            return n;
        }
    }
}
