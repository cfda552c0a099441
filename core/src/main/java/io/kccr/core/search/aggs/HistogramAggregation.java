package io.kccr.core.search.aggs;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedNumericDocValues;

/**
 * {@code histogram} (fixed numeric intervals, keys as doubles) and {@code date_histogram} (calendar or fixed
 * intervals in a time zone, keys as epoch millis). A document counts once per bucket its values fall in. Empty
 * buckets ({@code min_doc_count: 0}, {@code extended_bounds}) are filled in by the reduce.
 */
public final class HistogramAggregation {
    private HistogramAggregation() {
    }

    /**
     * The parsed aggregation: for {@code histogram} {@code rounding} is null and {@code interval}/{@code offset}
     * apply; {@code boundsMin}/{@code boundsMax} are the extended bounds (NaN when not given).
     */
    public record Factory(String name, boolean date, ValuesSource source, double interval, double offset,
                          Rounding rounding, long minDocCount, double boundsMin, double boundsMax,
                          List<BucketOrder> order, boolean keyed, Double missing, ValueFormat format,
                          List<AggregatorFactory> subs, List<PipelineAggregation> pipelines, JsonNode meta)
            implements AggregatorFactory {

        @Override
        public Aggregator create(AggregationContext context) throws IOException {
            return new HistogramAggregator(this, context);
        }

        /** The key of a value (a double for histograms, millis for dates, as raw long bits of the key). */
        long keyBits(double value) {
            if (date) {
                return rounding.round((long) value);
            }
            double key = Math.floor((value - offset) / interval) * interval + offset;
            return Double.doubleToLongBits(key);
        }

        Object key(long bits) {
            return date ? (Object) bits : (Object) Double.longBitsToDouble(bits);
        }

        double numericKey(long bits) {
            return date ? bits : Double.longBitsToDouble(bits);
        }
    }

    private static final class HistogramAggregator extends BucketsAggregator {
        private final Factory f;
        private final LongKeyedOrds ords;

        HistogramAggregator(Factory f, AggregationContext context) throws IOException {
            super(f.name, context, f.subs);
            this.f = f;
            this.ords = new LongKeyedOrds(context, f.name);
        }

        @Override
        public LeafBucketCollector leaf(LeafReaderContext leaf) throws IOException {
            LeafBucketCollector[] subLeaves = subLeaves(leaf);
            long missingKey = f.missing == null ? 0 : f.keyBits(f.missing);
            if (!f.source.isMapped()) {
                return f.missing == null ? LeafBucketCollector.NO_OP : allToMissing(subLeaves, ords, missingKey);
            }
            SortedNumericDocValues values = f.source.numbers(leaf.reader());
            ValuesSource src = f.source;
            return new Leaf(subLeaves) {
                // the last bucket's range: time series are mostly in order, so most values reuse it
                long cachedStart = Long.MAX_VALUE;
                long cachedEnd = Long.MIN_VALUE;
                long cachedKey;

                @Override
                public void collect(int doc, long bucket) throws IOException {
                    if (values.advanceExact(doc)) {
                        long previousKey = 0;
                        for (int i = 0, n = values.docValueCount(); i < n; i++) {
                            long raw = values.nextValue();
                            long key;
                            if (f.date) {
                                if (raw >= cachedStart && raw < cachedEnd) {
                                    key = cachedKey;
                                } else {
                                    key = f.rounding.round(raw);
                                    cachedKey = key;
                                    cachedStart = key;
                                    cachedEnd = f.rounding.next(key);
                                }
                            } else {
                                key = f.keyBits(src.toDouble(raw));
                            }
                            if (i > 0 && key == previousKey) {
                                continue;
                            }
                            previousKey = key;
                            collectBucket(subLeaves, doc, ords.add(bucket, key));
                        }
                    } else if (f.missing != null) {
                        collectBucket(subLeaves, doc, ords.add(bucket, missingKey));
                    }
                }
            };
        }

        @Override
        public InternalAgg build(long owningBucket) throws IOException {
            int[] owned = ords.ordsOf(owningBucket);
            List<Bucket> buckets = new ArrayList<>(owned.length);
            for (int ord : owned) {
                long bits = ords.key(ord);
                double numeric = f.numericKey(bits);
                buckets.add(new Bucket(f.key(bits), f.format.format(numeric), docCount(ord), 0, buildSubs(ord), null));
            }
            buckets.sort(BucketOrder::compareKeys);
            InternalAggs emptySubs = buildSubs(Integer.MAX_VALUE - 1);
            return new InternalHistogram(f, buckets, emptySubs);
        }
    }
}
