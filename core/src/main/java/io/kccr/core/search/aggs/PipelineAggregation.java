package io.kccr.core.search.aggs;

import io.kccr.core.error.InvalidRequestException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A parent pipeline aggregation, run on its parent's reduced buckets: {@code bucket_sort} (sorts, pages or
 * truncates them) and {@code derivative} (adds each bucket's difference from the previous one as a metric).
 * Immutable.
 */
public sealed interface PipelineAggregation {

    String name();

    /** The parent with this pipeline applied. */
    MultiBucketAgg apply(MultiBucketAgg parent);

    /** How a bucket without the value counts: skipped, or as zero. */
    enum GapPolicy {
        SKIP, INSERT_ZEROS, KEEP_VALUES;

        static GapPolicy parse(String s) {
            return switch (s) {
                case "skip" -> SKIP;
                case "insert_zeros" -> INSERT_ZEROS;
                case "keep_values" -> KEEP_VALUES;
                default -> throw InvalidRequestException.illegalArgument("Unknown gap_policy [" + s + "]; use skip,"
                        + " insert_zeros or keep_values");
            };
        }
    }

    /** {@code bucket_sort}: {@code sort} (paths, as terms' order), then {@code from} and {@code size}. */
    record BucketSort(String name, List<BucketOrder> sort, int from, Integer size, GapPolicy gapPolicy)
            implements PipelineAggregation {
        @Override
        public MultiBucketAgg apply(MultiBucketAgg parent) {
            List<Bucket> buckets = new ArrayList<>(parent.buckets());
            if (!sort.isEmpty()) {
                if (gapPolicy == GapPolicy.SKIP) {
                    buckets.removeIf(b -> sort.stream().anyMatch(o -> !o.isKey() && !o.isCount()
                            && Double.isNaN(BucketPath.resolve(b, o.path()))));
                }
                Comparator<Bucket> cmp = null;
                for (BucketOrder o : sort) {
                    Comparator<Bucket> one = BucketOrder.comparator(List.of(o));
                    cmp = cmp == null ? one : cmp.thenComparing(one);
                }
                buckets.sort(cmp);
            }
            int start = Math.min(from, buckets.size());
            int end = size == null ? buckets.size() : Math.min(buckets.size(), start + size);
            return parent.withBuckets(buckets.subList(start, end));
        }
    }

    /**
     * {@code derivative}: for each bucket after the first, the difference between its {@code buckets_path} value
     * and the previous bucket's ({@code value}, and with {@code unit} on a date histogram,
     * {@code normalized_value} per unit).
     */
    record Derivative(String name, String bucketsPath, GapPolicy gapPolicy, Long unitMillis, JsonNode meta)
            implements PipelineAggregation {
        @Override
        public MultiBucketAgg apply(MultiBucketAgg parent) {
            if (!(parent instanceof InternalHistogram)) {
                throw InvalidRequestException.illegalArgument("derivative aggregation [" + name + "] must have a"
                        + " histogram or date_histogram as parent");
            }
            List<Bucket> out = new ArrayList<>(parent.buckets().size());
            Double previous = null;
            double previousKey = Double.NaN;
            for (Bucket b : parent.buckets()) {
                double v = BucketPath.resolve(b, bucketsPath);
                if (Double.isNaN(v) && gapPolicy == GapPolicy.INSERT_ZEROS) {
                    v = 0;
                }
                if (Double.isNaN(v)) {
                    out.add(b);
                    continue; // skip: the gap has no derivative and does not reset the previous value
                }
                if (previous == null) {
                    out.add(b);
                } else {
                    double diff = v - previous;
                    Double normalized = unitMillis == null ? null : diff / ((b.numericKey() - previousKey) / unitMillis);
                    List<InternalAgg> subs = new ArrayList<>(b.subs().aggs());
                    subs.add(new Value(name, diff, normalized, meta));
                    out.add(b.withSubs(new InternalAggs(subs)));
                }
                previous = v;
                previousKey = b.numericKey();
            }
            return parent.withBuckets(out);
        }
    }

    /** A derivative's value in one bucket ({@code derivative} in typed keys). */
    record Value(String name, double value, Double normalized, JsonNode meta) implements InternalAgg {
        @Override
        public String type() {
            return "derivative";
        }

        @Override
        public InternalAgg reduce(List<InternalAgg> shards, ReduceContext context) {
            return this;
        }

        @Override
        public double value(String property) {
            return value;
        }

        @Override
        public ObjectNode body(boolean typedKeys) {
            ObjectNode n = JsonNodeFactory.instance.objectNode();
            n.put("value", value);
            if (normalized != null) {
                n.put("normalized_value", normalized);
            }
            return n;
        }
    }
}
