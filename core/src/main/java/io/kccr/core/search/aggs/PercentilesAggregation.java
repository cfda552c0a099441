package io.kccr.core.search.aggs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.tdunning.math.stats.TDigest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.LeafReaderContext;

/**
 * {@code percentiles}: per bucket a t-digest (Ted Dunning's, merging variant, {@code compression} 100 by
 * default as in Elasticsearch) of the field's values; shards' digests merge in the reduce. Keys render as
 * {@code "99.0"}; {@code keyed: false} gives a list of {@code {key, value}}.
 */
public final class PercentilesAggregation {
    /** Elasticsearch's default percents. */
    public static final double[] DEFAULT_PERCENTS = {1, 5, 25, 50, 75, 95, 99};

    private PercentilesAggregation() {
    }

    /** The parsed aggregation. */
    public record Factory(String name, ValuesSource source, double[] percents, double compression, boolean keyed,
                          Double missing, ValueFormat format, JsonNode meta) implements AggregatorFactory {
        @Override
        public Aggregator create(AggregationContext context) {
            return new PercentilesAggregator(this, context);
        }

        TDigest newDigest() {
            return TDigest.createMergingDigest(compression);
        }
    }

    private static final class PercentilesAggregator extends Aggregator {
        private final Factory f;
        private final List<TDigest> digests = new ArrayList<>();
        private final List<Integer> accounted = new ArrayList<>();

        PercentilesAggregator(Factory f, AggregationContext context) {
            super(f.name, context);
            this.f = f;
        }

        private void add(long bucket, double value) {
            while (digests.size() <= bucket) {
                digests.add(null);
                accounted.add(0);
            }
            int b = (int) bucket;
            TDigest d = digests.get(b);
            if (d == null) {
                d = f.newDigest();
                digests.set(b, d);
            }
            d.add(value);
            // a merging digest's size is bounded by its compression; account its growth now and then
            if ((d.size() & 1023) == 1) {
                int bytes = d.byteSize();
                context.account(bytes - accounted.get(b), name);
                accounted.set(b, bytes);
            }
        }

        @Override
        public LeafBucketCollector leaf(LeafReaderContext leaf) throws IOException {
            return f.source.doubles(leaf.reader(), f.missing, this::add);
        }

        @Override
        public InternalAgg build(long bucket) {
            TDigest d = bucket < digests.size() ? digests.get((int) bucket) : null;
            return new InternalPercentiles(f, d == null ? f.newDigest() : d);
        }
    }

    /** A {@code percentiles} result ({@code tdigest_percentiles}). */
    public record InternalPercentiles(Factory factory, TDigest digest) implements InternalAgg {
        @Override
        public String name() {
            return factory.name;
        }

        @Override
        public String type() {
            return "tdigest_percentiles";
        }

        @Override
        public JsonNode meta() {
            return factory.meta;
        }

        @Override
        public InternalAgg reduce(List<InternalAgg> shards, ReduceContext context) {
            TDigest merged = factory.newDigest();
            for (InternalAgg a : shards) {
                TDigest d = ((InternalPercentiles) a).digest;
                if (d.size() > 0) {
                    merged.add(d);
                }
            }
            return new InternalPercentiles(factory, merged);
        }

        /** The value at {@code percent} (0-100), NaN without values. */
        public double percentile(double percent) {
            if (digest.size() == 0) {
                return Double.NaN;
            }
            return digest.quantile(percent / 100);
        }

        @Override
        public double value(String property) {
            if (property == null) {
                return Double.NaN;
            }
            try {
                return percentile(Double.parseDouble(property));
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }

        @Override
        public ObjectNode body(boolean typedKeys) {
            ObjectNode n = JsonNodeFactory.instance.objectNode();
            if (factory.keyed) {
                ObjectNode values = n.putObject("values");
                for (double p : factory.percents) {
                    double v = percentile(p);
                    String key = Double.toString(p);
                    if (Double.isNaN(v)) {
                        values.putNull(key);
                    } else {
                        values.put(key, v);
                        String s = factory.format.format(v);
                        if (s != null) {
                            values.put(key + "_as_string", s);
                        }
                    }
                }
            } else {
                ArrayNode values = n.putArray("values");
                for (double p : factory.percents) {
                    ObjectNode e = values.addObject();
                    e.put("key", p);
                    double v = percentile(p);
                    if (Double.isNaN(v)) {
                        e.putNull("value");
                    } else {
                        e.put("value", v);
                    }
                }
            }
            return n;
        }
    }
}
