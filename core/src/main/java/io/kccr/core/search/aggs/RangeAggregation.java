package io.kccr.core.search.aggs;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedNumericDocValues;

/**
 * {@code range} and {@code date_range}: a bucket per requested range ({@code from} inclusive, {@code to}
 * exclusive), in order of {@code from} then {@code to}; every range is in the answer, empty ones too. A document
 * counts once per range that one of its values falls in.
 */
public final class RangeAggregation {
    private RangeAggregation() {
    }

    /** One requested range; {@code key} null means {@code from-to} with {@code *} for an open end. */
    public record Range(String key, double from, double to) {
    }

    /** The parsed aggregation. */
    public record Factory(String name, boolean date, ValuesSource source, List<Range> ranges, boolean keyed,
                          Double missing, ValueFormat format, List<AggregatorFactory> subs,
                          List<PipelineAggregation> pipelines, JsonNode meta) implements AggregatorFactory {
        @Override
        public Aggregator create(AggregationContext context) throws IOException {
            return new RangeAggregator(this, context);
        }

        String keyOf(Range r) {
            if (r.key != null) {
                return r.key;
            }
            return bound(r.from) + "-" + bound(r.to);
        }

        private String bound(double v) {
            if (Double.isInfinite(v)) {
                return "*";
            }
            String s = format.format(v);
            return s != null ? s : Double.toString(v);
        }
    }

    private static final class RangeAggregator extends BucketsAggregator {
        private final Factory f;
        private final int n;

        RangeAggregator(Factory f, AggregationContext context) throws IOException {
            super(f.name, context, f.subs);
            this.f = f;
            this.n = f.ranges.size();
        }

        @Override
        public LeafBucketCollector leaf(LeafReaderContext leaf) throws IOException {
            LeafBucketCollector[] subLeaves = subLeaves(leaf);
            boolean[] seen = new boolean[n];
            if (!f.source.isMapped()) {
                return f.missing == null ? LeafBucketCollector.NO_OP : new Leaf(subLeaves) {
                    @Override
                    public void collect(int doc, long bucket) throws IOException {
                        collectValue(doc, bucket, f.missing, subLeaves, seen);
                    }
                };
            }
            SortedNumericDocValues values = f.source.numbers(leaf.reader());
            return new Leaf(subLeaves) {
                @Override
                public void collect(int doc, long bucket) throws IOException {
                    java.util.Arrays.fill(seen, false);
                    if (values.advanceExact(doc)) {
                        for (int i = 0, c = values.docValueCount(); i < c; i++) {
                            collectValue(doc, bucket, f.source.toDouble(values.nextValue()), subLeaves, seen);
                        }
                    } else if (f.missing != null) {
                        collectValue(doc, bucket, f.missing, subLeaves, seen);
                    }
                }
            };
        }

        private void collectValue(int doc, long bucket, double v, LeafBucketCollector[] subLeaves, boolean[] seen)
                throws IOException {
            for (int r = 0; r < n; r++) {
                Range range = f.ranges.get(r);
                if (!seen[r] && v >= range.from && v < range.to) {
                    seen[r] = true;
                    collectBucket(subLeaves, doc, bucket * n + r);
                }
            }
        }

        @Override
        public InternalAgg build(long owningBucket) throws IOException {
            List<Bucket> buckets = new ArrayList<>(n);
            for (int r = 0; r < n; r++) {
                Range range = f.ranges.get(r);
                long ord = owningBucket * n + r;
                Bucket.RangeBounds bounds = new Bucket.RangeBounds(range.from, range.to, f.format.format(range.from),
                        f.format.format(range.to));
                buckets.add(new Bucket(f.keyOf(range), null, docCount(ord), 0, buildSubs(ord), bounds));
            }
            return new InternalRange(f, buckets);
        }
    }
}
