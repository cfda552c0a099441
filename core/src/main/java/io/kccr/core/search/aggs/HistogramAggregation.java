package io.kccr.core.search.aggs;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
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
        private final TopLevelOrdCache topOrds = new TopLevelOrdCache();

        HistogramAggregator(Factory f, AggregationContext context) throws IOException {
            super(f.name, context, f.subs);
            this.f = f;
            this.ords = new LongKeyedOrds(context, f.name);
        }

        /** The bucket ordinal of {@code key} under owning bucket {@code bucket}, added when new. */
        private int ord(long bucket, long key) {
            if (bucket != 0) {
                return ords.add(bucket, key);
            }
            int ord = topOrds.get(key);
            if (ord < 0) {
                ord = ords.add(0, key);
                topOrds.put(key, ord);
            }
            return ord;
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
            NumericDocValues single = DocValues.unwrapSingleton(values);
            if (single != null) {
                // one value per document (the segment says so): no value count, no duplicate-key check
                return new Leaf(subLeaves) {
                    final KeyOf keys = new KeyOf(f, src);

                    @Override
                    public void collect(int doc, long bucket) throws IOException {
                        if (single.advanceExact(doc)) {
                            collectBucket(subLeaves, doc, ord(bucket, keys.key(single.longValue())));
                        } else if (f.missing != null) {
                            collectBucket(subLeaves, doc, ord(bucket, missingKey));
                        }
                    }

                    @Override
                    public void collect(int[] docs, int count, long bucket) throws IOException {
                        collect(docs, same(bucket, count), count);
                    }

                    @Override
                    public void collect(int[] docs, long[] buckets, int count) throws IOException {
                        buffers(count);
                        int[] withValue = docBuffer;
                        long[] bucketOrds = ordBuffer;
                        int n = 0;
                        for (int i = 0; i < count; i++) {
                            int doc = docs[i];
                            if (single.advanceExact(doc)) {
                                withValue[n] = doc;
                                bucketOrds[n++] = ord(buckets[i], keys.key(single.longValue()));
                            } else if (f.missing != null) {
                                withValue[n] = doc;
                                bucketOrds[n++] = ord(buckets[i], missingKey);
                            }
                        }
                        collectBuckets(subLeaves, withValue, bucketOrds, n);
                    }
                };
            }
            return new Leaf(subLeaves) {
                final KeyOf keys = new KeyOf(f, src);

                @Override
                public void collect(int doc, long bucket) throws IOException {
                    if (values.advanceExact(doc)) {
                        long previousKey = 0;
                        for (int i = 0, n = values.docValueCount(); i < n; i++) {
                            long key = keys.key(values.nextValue());
                            if (i > 0 && key == previousKey) {
                                continue;
                            }
                            previousKey = key;
                            collectBucket(subLeaves, doc, ord(bucket, key));
                        }
                    } else if (f.missing != null) {
                        collectBucket(subLeaves, doc, ord(bucket, missingKey));
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

    /**
     * The bucket key of a raw doc value. For dates the last bucket's range is remembered: time series are mostly in
     * order, so most values fall in it and skip the rounding. One per leaf collector; not thread-safe.
     */
    private static final class KeyOf {
        private final Factory f;
        private final ValuesSource src;
        private long cachedStart = Long.MAX_VALUE;
        private long cachedEnd = Long.MIN_VALUE;
        private long cachedKey;

        KeyOf(Factory f, ValuesSource src) {
            this.f = f;
            this.src = src;
        }

        long key(long raw) {
            if (!f.date) {
                return f.keyBits(src.toDouble(raw));
            }
            if (raw >= cachedStart && raw < cachedEnd) {
                return cachedKey;
            }
            long key = f.rounding.round(raw);
            cachedKey = key;
            cachedStart = key;
            cachedEnd = f.rounding.next(key);
            return key;
        }
    }
}
