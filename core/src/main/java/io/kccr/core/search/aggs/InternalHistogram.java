package io.kccr.core.search.aggs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@code histogram} or {@code date_histogram} result: buckets by key. The reduce merges equal keys, fills in
 * the empty buckets between the first and last key (and out to {@code extended_bounds}) when
 * {@code min_doc_count} is 0, orders, drops buckets under {@code min_doc_count}, then runs the pipelines.
 *
 * @param emptySubs the sub-aggregations of a bucket with no documents (for filled-in buckets)
 */
public record InternalHistogram(HistogramAggregation.Factory factory, List<Bucket> buckets, InternalAggs emptySubs)
        implements MultiBucketAgg {

    @Override
    public String name() {
        return factory.name();
    }

    @Override
    public String type() {
        return factory.date() ? "date_histogram" : "histogram";
    }

    @Override
    public JsonNode meta() {
        return factory.meta();
    }

    @Override
    public InternalAgg reduce(List<InternalAgg> shards, ReduceContext context) {
        TreeMap<Double, List<Bucket>> byKey = new TreeMap<>();
        for (InternalAgg a : shards) {
            for (Bucket b : ((InternalHistogram) a).buckets) {
                byKey.computeIfAbsent(b.numericKey(), k -> new ArrayList<>()).add(b);
            }
        }
        List<Bucket> merged = new ArrayList<>(byKey.size());
        for (Map.Entry<Double, List<Bucket>> e : byKey.entrySet()) {
            long count = 0;
            List<InternalAggs> subs = new ArrayList<>();
            for (Bucket b : e.getValue()) {
                count += b.docCount();
                subs.add(b.subs());
            }
            Bucket first = e.getValue().getFirst();
            merged.add(new Bucket(first.key(), first.keyAsString(), count, 0, InternalAggs.reduce(subs, context), null));
        }
        if (factory.minDocCount() == 0) {
            merged = fillGaps(merged, context);
        }
        List<Bucket> kept = new ArrayList<>(merged.size());
        for (Bucket b : merged) {
            if (b.docCount() >= factory.minDocCount()) {
                kept.add(b);
            }
        }
        context.consumeBuckets(kept.size());
        List<BucketOrder> order = factory.order();
        if (!(order.size() == 1 && order.getFirst().isKey() && order.getFirst().asc())) {
            kept.sort(BucketOrder.comparator(order));
        }
        return MultiBucketAgg.applyPipelines(new InternalHistogram(factory, kept, emptySubs), factory.pipelines());
    }

    private List<Bucket> fillGaps(List<Bucket> merged, ReduceContext context) {
        HistogramAggregation.Factory f = factory;
        Double lo = merged.isEmpty() ? null : merged.getFirst().numericKey();
        Double hi = merged.isEmpty() ? null : merged.getLast().numericKey();
        if (!Double.isNaN(f.boundsMin())) {
            double k = f.numericKey(f.keyBits(f.boundsMin()));
            lo = lo == null ? k : Math.min(lo, k);
        }
        if (!Double.isNaN(f.boundsMax())) {
            double k = f.numericKey(f.keyBits(f.boundsMax()));
            hi = hi == null ? k : Math.max(hi, k);
        }
        if (lo == null) {
            return merged;
        }
        InternalAggs empty = InternalAggs.reduce(List.of(emptySubs), context);
        List<Bucket> out = new ArrayList<>();
        int i = 0;
        long key = f.keyBits(lo);
        while (f.numericKey(key) <= hi) {
            double k = f.numericKey(key);
            if (i < merged.size() && merged.get(i).numericKey() == k) {
                out.add(merged.get(i++));
            } else {
                out.add(new Bucket(f.key(key), f.format().format(k), 0, 0, empty, null));
                context.checkPending(out.size()); // before a wide gap builds millions of buckets
            }
            key = f.date() ? f.rounding().next(key) : Double.doubleToLongBits(k + f.interval());
        }
        while (i < merged.size()) {
            out.add(merged.get(i++));
        }
        return out;
    }

    @Override
    public MultiBucketAgg withBuckets(List<Bucket> newBuckets) {
        return new InternalHistogram(factory, newBuckets, emptySubs);
    }

    @Override
    public ObjectNode body(boolean typedKeys) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        if (factory.keyed()) {
            ObjectNode obj = n.putObject("buckets");
            for (Bucket b : buckets) {
                obj.set(b.keyAsString() != null ? b.keyAsString() : String.valueOf(b.key()), b.toJson(typedKeys, true));
            }
        } else {
            ArrayNode arr = n.putArray("buckets");
            for (Bucket b : buckets) {
                arr.add(b.toJson(typedKeys, true));
            }
        }
        return n;
    }
}
