package io.kccr.core.search.aggs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedNumericDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.util.FixedBitSet;

/**
 * {@code composite}: buckets for every combination of its sources' values ({@code terms}, {@code histogram},
 * {@code date_histogram}), in the sources' order, {@code size} at a time after the {@code after} key, so that a
 * client pages through every bucket. Each shard keeps only the {@code size} smallest keys past {@code after}
 * (memory bounded by {@code size}), records which documents had a key, and once the pass is done replays those
 * documents into the sub-aggregations of the kept buckets. Top level only.
 */
public final class CompositeAggregation {
    private CompositeAggregation() {
    }

    /** One source: a terms, histogram or date_histogram of a field. */
    public record Source(String name, String kind, ValuesSource values, double interval, Rounding rounding,
                         boolean asc, boolean missingBucket, ValueFormat format) {

        /** The key values of one document (empty when it has none and there is no missing bucket). */
        List<Object> keys(LeafValues leaf, int doc) throws IOException {
            List<Object> out = new ArrayList<>(1);
            if (leaf.keywords != null) {
                if (leaf.keywords.advanceExact(doc)) {
                    for (int i = 0; i < leaf.keywords.docValueCount(); i++) {
                        out.add(leaf.keywords.lookupOrd(leaf.keywords.nextOrd()).utf8ToString());
                    }
                }
            } else if (leaf.numbers != null && leaf.numbers.advanceExact(doc)) {
                for (int i = 0; i < leaf.numbers.docValueCount(); i++) {
                    Object k = key(leaf.numbers.nextValue());
                    if (!out.contains(k)) {
                        out.add(k);
                    }
                }
            }
            if (out.isEmpty() && missingBucket) {
                out.add(null);
            }
            return out;
        }

        private Object key(long raw) {
            return switch (kind) {
                case "date_histogram" -> rounding.round(raw);
                case "histogram" -> Math.floor(values.toDouble(raw) / interval) * interval;
                default -> values.isFloatingPoint() ? (Object) values.toDouble(raw) : (Object) raw;
            };
        }

        /** The key as the response shows it: a formatted date when a format is given. */
        Object render(Object key) {
            if (key != null && kind.equals("date_histogram") && !(format instanceof ValueFormat.Raw)
                    && format instanceof ValueFormat.Date d && d.format() != null) {
                return format.format(((Long) key).doubleValue());
            }
            return key;
        }
    }

    /** A leaf's doc values of one source. */
    private record LeafValues(SortedSetDocValues keywords, SortedNumericDocValues numbers) {
    }

    /** The parsed aggregation; {@code after} null for the first page. */
    public record Factory(String name, List<Source> sources, int size, List<Object> after,
                          List<AggregatorFactory> subs, List<PipelineAggregation> pipelines, JsonNode meta)
            implements AggregatorFactory {
        @Override
        public Aggregator create(AggregationContext context) throws IOException {
            return new CompositeAggregator(this, context);
        }

        Comparator<List<Object>> comparator() {
            return (a, b) -> {
                for (int i = 0; i < sources.size(); i++) {
                    int c = compareValues(a.get(i), b.get(i));
                    if (c != 0) {
                        return sources.get(i).asc ? c : -c;
                    }
                }
                return 0;
            };
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private static int compareValues(Object x, Object y) {
            if (x == null || y == null) {
                return x == y ? 0 : x == null ? -1 : 1; // the missing bucket first
            }
            if (x instanceof Number nx && y instanceof Number ny && x.getClass() != y.getClass()) {
                return Double.compare(nx.doubleValue(), ny.doubleValue());
            }
            return ((Comparable) x).compareTo(y);
        }
    }

    private static final class CompositeAggregator extends BucketsAggregator {
        private final Factory f;
        private final Comparator<List<Object>> cmp;
        private final TreeMap<List<Object>, long[]> top;
        private final List<LeafReaderContext> leaves = new ArrayList<>();
        private final List<FixedBitSet> recorded = new ArrayList<>();
        private Map<List<Object>, Integer> ordOf;

        CompositeAggregator(Factory f, AggregationContext context) throws IOException {
            super(f.name, context, f.subs);
            this.f = f;
            this.cmp = f.comparator();
            this.top = new TreeMap<>(cmp);
        }

        private LeafValues[] leafValues(LeafReaderContext leaf) throws IOException {
            LeafValues[] out = new LeafValues[f.sources.size()];
            for (int i = 0; i < out.length; i++) {
                ValuesSource vs = f.sources.get(i).values;
                out[i] = !vs.isMapped() ? new LeafValues(null, null)
                        : vs.isKeyword() ? new LeafValues(vs.keywords(leaf.reader()), null)
                        : new LeafValues(null, vs.numbers(leaf.reader()));
            }
            return out;
        }

        /** Every combination of the sources' keys of {@code doc}, past {@code after}. */
        private List<List<Object>> tuples(LeafValues[] values, int doc) throws IOException {
            List<List<Object>> tuples = new ArrayList<>();
            tuples.add(new ArrayList<>());
            for (int i = 0; i < values.length; i++) {
                List<Object> keys = f.sources.get(i).keys(values[i], doc);
                if (keys.isEmpty()) {
                    return List.of();
                }
                List<List<Object>> next = new ArrayList<>(tuples.size() * keys.size());
                for (List<Object> t : tuples) {
                    for (Object k : keys) {
                        List<Object> n = new ArrayList<>(t);
                        n.add(k);
                        next.add(n);
                    }
                }
                tuples = next;
            }
            if (f.after != null) {
                tuples.removeIf(t -> cmp.compare(t, f.after) <= 0);
            }
            return tuples;
        }

        @Override
        public LeafBucketCollector leaf(LeafReaderContext leaf) throws IOException {
            LeafValues[] values = leafValues(leaf);
            FixedBitSet docs = f.subs.isEmpty() ? null : new FixedBitSet(leaf.reader().maxDoc());
            if (docs != null) {
                context.account(docs.ramBytesUsed(), name);
                leaves.add(leaf);
                recorded.add(docs);
            }
            return (doc, bucket) -> {
                boolean any = false;
                for (List<Object> t : tuples(values, doc)) {
                    long[] count = top.get(t);
                    if (count != null) {
                        count[0]++;
                        any = true;
                    } else if (top.size() < f.size || cmp.compare(t, top.lastKey()) < 0) {
                        top.put(t, new long[] {1});
                        any = true;
                        if (top.size() > f.size) {
                            top.pollLastEntry();
                        } else {
                            context.account(96, name);
                        }
                    }
                }
                if (any && docs != null) {
                    docs.set(doc);
                }
            };
        }

        @Override
        public void finish() throws IOException {
            ordOf = new LinkedHashMap<>();
            int ord = 0;
            for (List<Object> k : top.keySet()) {
                ordOf.put(k, ord++);
            }
            if (f.subs.isEmpty()) {
                return;
            }
            Scorable noScore = new Scorable() {
                @Override
                public float score() {
                    return 0f;
                }
            };
            for (int i = 0; i < leaves.size(); i++) {
                LeafReaderContext leaf = leaves.get(i);
                LeafValues[] values = leafValues(leaf);
                LeafBucketCollector[] subLeaves = subLeaves(leaf);
                setScorers(subLeaves, noScore);
                FixedBitSet docs = recorded.get(i);
                for (int doc = docs.nextSetBit(0); doc != org.apache.lucene.search.DocIdSetIterator.NO_MORE_DOCS;
                     doc = doc + 1 >= docs.length() ? org.apache.lucene.search.DocIdSetIterator.NO_MORE_DOCS
                             : docs.nextSetBit(doc + 1)) {
                    for (List<Object> t : tuples(values, doc)) {
                        Integer o = ordOf.get(t);
                        if (o != null) {
                            for (LeafBucketCollector s : subLeaves) {
                                s.collect(doc, o);
                            }
                        }
                    }
                }
            }
            super.finish();
        }

        @Override
        public InternalAgg build(long owningBucket) throws IOException {
            List<Bucket> buckets = new ArrayList<>(top.size());
            for (Map.Entry<List<Object>, long[]> e : top.entrySet()) {
                int ord = ordOf.get(e.getKey());
                buckets.add(new Bucket(e.getKey(), null, e.getValue()[0], 0, buildSubs(ord), null));
            }
            return new InternalComposite(f, buckets);
        }
    }

    /** A {@code composite} result: buckets keyed by a list of source values, and the {@code after_key}. */
    public record InternalComposite(Factory factory, List<Bucket> buckets) implements MultiBucketAgg {
        @Override
        public String name() {
            return factory.name;
        }

        @Override
        public String type() {
            return "composite";
        }

        @Override
        public JsonNode meta() {
            return factory.meta;
        }

        @Override
        @SuppressWarnings("unchecked")
        public InternalAgg reduce(List<InternalAgg> shards, ReduceContext context) {
            TreeMap<List<Object>, List<Bucket>> byKey = new TreeMap<>(factory.comparator());
            for (InternalAgg a : shards) {
                for (Bucket b : ((InternalComposite) a).buckets) {
                    byKey.computeIfAbsent((List<Object>) b.key(), k -> new ArrayList<>()).add(b);
                }
            }
            List<Bucket> merged = new ArrayList<>();
            for (Map.Entry<List<Object>, List<Bucket>> e : byKey.entrySet()) {
                if (merged.size() == factory.size) {
                    break;
                }
                long count = 0;
                List<InternalAggs> subs = new ArrayList<>();
                for (Bucket b : e.getValue()) {
                    count += b.docCount();
                    subs.add(b.subs());
                }
                merged.add(new Bucket(e.getKey(), null, count, 0, InternalAggs.reduce(subs, context), null));
            }
            context.consumeBuckets(merged.size());
            return MultiBucketAgg.applyPipelines(new InternalComposite(factory, merged), factory.pipelines);
        }

        @Override
        public MultiBucketAgg withBuckets(List<Bucket> newBuckets) {
            return new InternalComposite(factory, newBuckets);
        }

        @SuppressWarnings("unchecked")
        private Map<String, Object> keyMap(Object key) {
            List<Object> values = (List<Object>) key;
            Map<String, Object> out = new LinkedHashMap<>();
            for (int i = 0; i < factory.sources.size(); i++) {
                Source s = factory.sources.get(i);
                out.put(s.name, s.render(values.get(i)));
            }
            return out;
        }

        @Override
        public ObjectNode body(boolean typedKeys) {
            ObjectNode n = JsonNodeFactory.instance.objectNode();
            if (!buckets.isEmpty()) {
                Bucket.putKey(n, "after_key", keyMap(buckets.getLast().key()));
            }
            ArrayNode arr = n.putArray("buckets");
            for (Bucket b : buckets) {
                ObjectNode bn = JsonNodeFactory.instance.objectNode();
                Bucket.putKey(bn, "key", keyMap(b.key()));
                bn.put("doc_count", b.docCount());
                b.subs().renderInto(bn, typedKeys);
                arr.add(bn);
            }
            return n;
        }
    }
}
