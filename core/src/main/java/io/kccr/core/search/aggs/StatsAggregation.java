package io.kccr.core.search.aggs;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedSetDocValues;

/**
 * The single-field metrics that one pass of sums and extremes answers: {@code min}, {@code max}, {@code sum},
 * {@code avg}, {@code value_count}, {@code stats} and {@code extended_stats}. Sums are compensated (Kahan), as
 * Elasticsearch's, so the result does not depend on the order of the documents. {@code value_count} also counts
 * keyword values; the others need a numeric, date or boolean field.
 */
public final class StatsAggregation {
    private StatsAggregation() {
    }

    /** Which of the metrics; the result renders accordingly. */
    public enum Kind {
        MIN("min"), MAX("max"), SUM("sum"), AVG("avg"), VALUE_COUNT("value_count"), STATS("stats"),
        EXTENDED_STATS("extended_stats");

        final String type;

        Kind(String type) {
            this.type = type;
        }
    }

    /** The parsed aggregation. */
    public record Factory(String name, Kind kind, ValuesSource source, Double missing, ValueFormat format, double sigma,
                          JsonNode meta) implements AggregatorFactory {
        @Override
        public Aggregator create(AggregationContext context) {
            return new StatsAggregator(this, context);
        }

        InternalStats empty() {
            return new InternalStats(name, kind, 0, 0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0, sigma,
                    format, meta);
        }
    }

    private static final class StatsAggregator extends Aggregator {
        private final Factory f;
        private final boolean squares;
        private final boolean extremes;
        private long[] counts = new long[0];
        private double[] sums = new double[0];
        private double[] compensations = new double[0];
        private double[] mins = new double[0];
        private double[] maxs = new double[0];
        private double[] sumsOfSquares = new double[0];
        private double[] squareCompensations = new double[0];

        StatsAggregator(Factory f, AggregationContext context) {
            super(f.name, context);
            this.f = f;
            this.squares = f.kind == Kind.EXTENDED_STATS;
            this.extremes = f.kind != Kind.SUM && f.kind != Kind.AVG && f.kind != Kind.VALUE_COUNT;
        }

        @Override
        public LeafBucketCollector leaf(LeafReaderContext leaf) throws IOException {
            ValuesSource src = f.source;
            if (src.isKeyword()) { // value_count only (checked when parsed)
                SortedSetDocValues values = src.keywords(leaf.reader());
                return (doc, bucket) -> {
                    if (values.advanceExact(doc)) {
                        ensure(bucket);
                        counts[(int) bucket] += values.docValueCount();
                    } else if (f.missing != null) {
                        ensure(bucket);
                        counts[(int) bucket]++;
                    }
                };
            }
            if (src.isMapped()) {
                NumericDocValues single = DocValues.unwrapSingleton(src.numbers(leaf.reader()));
                if (single != null) {
                    // one value per document (the segment says so): read it directly, no value count
                    Double missing = f.missing;
                    return new LeafBucketCollector() {
                        @Override
                        public void collect(int doc, long bucket) throws IOException {
                            if (single.advanceExact(doc)) {
                                add(bucket, src.toDouble(single.longValue()));
                            } else if (missing != null) {
                                add(bucket, missing);
                            }
                        }

                        @Override
                        public void collect(int[] docs, long[] buckets, int count) throws IOException {
                            for (int i = 0; i < count; i++) {
                                if (single.advanceExact(docs[i])) {
                                    add(buckets[i], src.toDouble(single.longValue()));
                                } else if (missing != null) {
                                    add(buckets[i], missing);
                                }
                            }
                        }
                    };
                }
            }
            return src.doubles(leaf.reader(), f.missing, this::add);
        }

        private void ensure(long bucket) {
            if (bucket >= counts.length) {
                counts = grow(counts, bucket);
                sums = grow(sums, bucket, 0);
                compensations = grow(compensations, bucket, 0);
                mins = grow(mins, bucket, Double.POSITIVE_INFINITY);
                maxs = grow(maxs, bucket, Double.NEGATIVE_INFINITY);
                if (squares) {
                    sumsOfSquares = grow(sumsOfSquares, bucket, 0);
                    squareCompensations = grow(squareCompensations, bucket, 0);
                }
            }
        }

        private void add(long bucket, double value) {
            ensure(bucket);
            int b = (int) bucket;
            counts[b]++;
            kahan(sums, compensations, b, value);
            if (extremes) {
                if (value < mins[b]) {
                    mins[b] = value;
                }
                if (value > maxs[b]) {
                    maxs[b] = value;
                }
            }
            if (squares) {
                kahan(sumsOfSquares, squareCompensations, b, value * value);
            }
        }

        private static void kahan(double[] sums, double[] comps, int b, double value) {
            double sum = sums[b];
            if (!Double.isFinite(value) || !Double.isFinite(sum)) {
                sums[b] = sum + value;
                return;
            }
            double corrected = value - comps[b];
            double next = sum + corrected;
            comps[b] = (next - sum) - corrected;
            sums[b] = next;
        }

        @Override
        public InternalAgg build(long bucket) {
            if (bucket >= counts.length) {
                return f.empty();
            }
            int b = (int) bucket;
            return new InternalStats(f.name, f.kind, counts[b], sums[b], mins[b], maxs[b],
                    squares ? sumsOfSquares[b] : 0, f.sigma, f.format, f.meta);
        }
    }
}
