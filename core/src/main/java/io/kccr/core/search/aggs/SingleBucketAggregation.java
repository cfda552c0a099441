package io.kccr.core.search.aggs;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.Weight;

/**
 * {@code filter} (the documents that also match a query) and {@code missing} (the documents without a value for
 * a field): one bucket, with sub-aggregations.
 */
public final class SingleBucketAggregation {
    private SingleBucketAggregation() {
    }

    /** The parsed aggregation: {@code filter} set for a filter, {@code missingOf} for missing. */
    public record Factory(String name, String type, Query filter, ValuesSource missingOf, List<AggregatorFactory> subs,
                          List<PipelineAggregation> pipelines, JsonNode meta) implements AggregatorFactory {
        @Override
        public Aggregator create(AggregationContext context) throws IOException {
            return new SingleBucketAggregator(this, context);
        }
    }

    /** A forward-only membership test of a leaf's documents, asked in increasing doc order. */
    static final class Matches {
        private final DocIdSetIterator it;

        Matches(DocIdSetIterator it) {
            this.it = it;
        }

        static Matches of(Weight weight, LeafReaderContext leaf) throws IOException {
            ScorerSupplier s = weight.scorerSupplier(leaf);
            if (s == null) {
                return new Matches(null);
            }
            Scorer scorer = s.get(Long.MAX_VALUE);
            return new Matches(scorer.iterator());
        }

        boolean matches(int doc) throws IOException {
            if (it == null) {
                return false;
            }
            if (it.docID() < doc) {
                it.advance(doc);
            }
            return it.docID() == doc;
        }
    }

    private static final class SingleBucketAggregator extends BucketsAggregator {
        private final Factory f;

        SingleBucketAggregator(Factory f, AggregationContext context) throws IOException {
            super(f.name, context, f.subs);
            this.f = f;
        }

        @Override
        public LeafBucketCollector leaf(LeafReaderContext leaf) throws IOException {
            LeafBucketCollector[] subLeaves = subLeaves(leaf);
            if (f.filter != null) {
                Matches matches = Matches.of(context.filterWeight(f.filter), leaf);
                return new Leaf(subLeaves) {
                    @Override
                    public void collect(int doc, long bucket) throws IOException {
                        if (matches.matches(doc)) {
                            collectBucket(subLeaves, doc, bucket);
                        }
                    }
                };
            }
            ValuesSource src = f.missingOf;
            if (!src.isMapped()) {
                return new Leaf(subLeaves) {
                    @Override
                    public void collect(int doc, long bucket) throws IOException {
                        collectBucket(subLeaves, doc, bucket);
                    }
                };
            }
            DocIdSetIterator values = src.isKeyword() ? src.keywords(leaf.reader()) : src.numbers(leaf.reader());
            if (values == null) {
                values = DocValues.emptySortedNumeric();
            }
            DocIdSetIterator it = values;
            return new Leaf(subLeaves) {
                @Override
                public void collect(int doc, long bucket) throws IOException {
                    if (it.docID() < doc) {
                        it.advance(doc);
                    }
                    if (it.docID() != doc) {
                        collectBucket(subLeaves, doc, bucket);
                    }
                }
            };
        }

        @Override
        public InternalAgg build(long owningBucket) throws IOException {
            return new InternalSingleBucket(f.name, f.type, docCount(owningBucket), buildSubs(owningBucket), f.meta);
        }
    }
}
