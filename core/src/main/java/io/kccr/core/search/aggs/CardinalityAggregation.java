package io.kccr.core.search.aggs;

import com.dynatrace.hash4j.hashing.Hasher64;
import com.dynatrace.hash4j.hashing.Hashing;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedNumericDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.util.BytesRef;

/**
 * {@code cardinality}: the approximate count of distinct values, per bucket a {@link HyperLogLogPlusPlus} fed
 * with 64-bit hashes of the values (keyword bytes with komihash; numbers through a mix of their bits). Keyword
 * values are hashed once per segment ordinal.
 */
public final class CardinalityAggregation {
    private static final Hasher64 HASHER = Hashing.komihash5_0();

    private CardinalityAggregation() {
    }

    /** The parsed aggregation. */
    public record Factory(String name, ValuesSource source, int precisionThreshold, String missing, JsonNode meta)
            implements AggregatorFactory {
        @Override
        public Aggregator create(AggregationContext context) {
            return new CardinalityAggregator(this, context);
        }
    }

    static long hashBytes(BytesRef b) {
        return HASHER.hashBytesToLong(b.bytes, b.offset, b.length);
    }

    static long hashLong(long v) {
        return HASHER.hashLongLongToLong(v, 0x9E3779B97F4A7C15L);
    }

    private static final class CardinalityAggregator extends Aggregator {
        private final Factory f;
        private final List<HyperLogLogPlusPlus> counters = new ArrayList<>();

        CardinalityAggregator(Factory f, AggregationContext context) {
            super(f.name, context);
            this.f = f;
        }

        private HyperLogLogPlusPlus counter(long bucket) {
            while (counters.size() <= bucket) {
                counters.add(null);
            }
            HyperLogLogPlusPlus c = counters.get((int) bucket);
            if (c == null) {
                c = new HyperLogLogPlusPlus(f.precisionThreshold);
                counters.set((int) bucket, c);
                context.account(64, name);
            }
            return c;
        }

        private void add(long bucket, long hash) {
            HyperLogLogPlusPlus c = counter(bucket);
            long before = c.bytes();
            c.addHash(hash);
            long after = c.bytes();
            if (after != before) {
                context.account(after - before, name);
            }
        }

        @Override
        public LeafBucketCollector leaf(LeafReaderContext leaf) throws IOException {
            Long missingHash = f.missing == null ? null
                    : f.source.isNumeric() ? hashLong(f.source.toRaw(Double.parseDouble(f.missing)))
                    : hashBytes(new BytesRef(f.missing));
            if (!f.source.isMapped()) {
                return missingHash == null ? LeafBucketCollector.NO_OP : (doc, bucket) -> add(bucket, missingHash);
            }
            if (f.source.isKeyword()) {
                SortedSetDocValues values = f.source.keywords(leaf.reader());
                long[] hashes = new long[(int) Math.min(values.getValueCount(), Integer.MAX_VALUE - 8)];
                boolean[] hashed = new boolean[hashes.length];
                context.account(hashes.length * 9L, name);
                return (doc, bucket) -> {
                    if (values.advanceExact(doc)) {
                        for (int i = 0, n = values.docValueCount(); i < n; i++) {
                            int ord = (int) values.nextOrd();
                            if (!hashed[ord]) {
                                hashes[ord] = hashBytes(values.lookupOrd(ord));
                                hashed[ord] = true;
                            }
                            add(bucket, hashes[ord]);
                        }
                    } else if (missingHash != null) {
                        add(bucket, missingHash);
                    }
                };
            }
            SortedNumericDocValues values = f.source.numbers(leaf.reader());
            return (doc, bucket) -> {
                if (values.advanceExact(doc)) {
                    for (int i = 0, n = values.docValueCount(); i < n; i++) {
                        add(bucket, hashLong(values.nextValue()));
                    }
                } else if (missingHash != null) {
                    add(bucket, missingHash);
                }
            };
        }

        @Override
        public InternalAgg build(long bucket) {
            HyperLogLogPlusPlus c = bucket < counters.size() ? counters.get((int) bucket) : null;
            return new InternalCardinality(f.name, c == null ? new HyperLogLogPlusPlus(f.precisionThreshold) : c, f.meta);
        }
    }

    /** A {@code cardinality} result: {@code {"value": N}}. */
    public record InternalCardinality(String name, HyperLogLogPlusPlus counter, JsonNode meta) implements InternalAgg {
        @Override
        public String type() {
            return "cardinality";
        }

        @Override
        public InternalAgg reduce(List<InternalAgg> shards, ReduceContext context) {
            HyperLogLogPlusPlus merged = null;
            for (InternalAgg a : shards) {
                HyperLogLogPlusPlus c = ((InternalCardinality) a).counter;
                if (merged == null) {
                    merged = c; // the shard's counter is not used again: merge into it
                } else {
                    merged.merge(c);
                }
            }
            return new InternalCardinality(name, merged, meta);
        }

        @Override
        public double value(String property) {
            return counter.cardinality();
        }

        @Override
        public ObjectNode body(boolean typedKeys) {
            ObjectNode n = JsonNodeFactory.instance.objectNode();
            n.put("value", counter.cardinality());
            return n;
        }
    }
}
