package io.kccr.core.search.aggs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code terms} result ({@code sterms}, {@code lterms} or {@code dterms}). A shard's has its best
 * {@code shard_size} buckets and the count of the rest; the reduce merges them and works out the error bounds
 * as Elasticsearch's {@code AbstractInternalTerms} does: a shard that returned {@code shard_size} buckets
 * ordered by count may have missed a term with up to its smallest returned count; ordered by key it misses
 * nothing; ordered by a sub-aggregation the error is unknown (-1).
 */
public record InternalTerms(String name, String type, List<BucketOrder> order, int size, int shardSize,
                            long minDocCount, boolean showTermDocCountError, List<Bucket> buckets, long docCountError,
                            long otherDocCount, List<PipelineAggregation> pipelines, JsonNode meta)
        implements MultiBucketAgg {

    @Override
    public InternalAgg reduce(List<InternalAgg> shards, ReduceContext context) {
        Map<Object, List<Bucket>> byKey = new LinkedHashMap<>();
        Map<Object, Long> errorOfMerged = new LinkedHashMap<>();
        long sumError = 0;
        long other = 0;
        for (InternalAgg a : shards) {
            InternalTerms t = (InternalTerms) a;
            other += t.otherDocCount;
            long shardError = t.shardError();
            if (sumError != -1) {
                sumError = shardError == -1 ? -1 : sumError + shardError;
            }
            for (Bucket b : t.buckets) {
                byKey.computeIfAbsent(b.key(), k -> new ArrayList<>()).add(b);
                // a bucket's error counts the shards that did not return it: all shards' errors minus its own shards'
                errorOfMerged.merge(b.key(), shardError == -1 ? 0 : -shardError, Long::sum);
            }
        }
        List<Bucket> merged = new ArrayList<>(byKey.size());
        for (Map.Entry<Object, List<Bucket>> e : byKey.entrySet()) {
            List<Bucket> same = e.getValue();
            long count = 0;
            List<InternalAggs> subs = new ArrayList<>(same.size());
            for (Bucket b : same) {
                count += b.docCount();
                subs.add(b.subs());
            }
            long error = sumError == -1 ? -1 : sumError + errorOfMerged.get(e.getKey());
            Bucket first = same.getFirst();
            merged.add(new Bucket(first.key(), first.keyAsString(), count, error, InternalAggs.reduce(subs, context),
                    null));
        }
        merged.sort(BucketOrder.comparator(order));
        List<Bucket> kept = new ArrayList<>(Math.min(size, merged.size()));
        for (Bucket b : merged) {
            if (b.docCount() < minDocCount) {
                continue;
            }
            if (kept.size() < size) {
                kept.add(b);
            } else {
                other += b.docCount();
            }
        }
        context.consumeBuckets(kept.size());
        InternalTerms reduced = new InternalTerms(name, type, order, size, shardSize, minDocCount,
                showTermDocCountError, kept, sumError, other, pipelines, meta);
        return MultiBucketAgg.applyPipelines(reduced, pipelines);
    }

    /** This shard's error as Elasticsearch's {@code getDocCountError}. */
    private long shardError() {
        int n = buckets.size();
        boolean keyOrder = order.size() == 1 && order.getFirst().isKey();
        if (n == 0 || n < shardSize || keyOrder) {
            return 0;
        }
        if (order.size() == 1 && order.getFirst().isCount() && !order.getFirst().asc()) {
            return docCountError > 0 ? docCountError
                    : buckets.stream().mapToLong(Bucket::docCount).min().orElse(0);
        }
        return -1;
    }

    @Override
    public MultiBucketAgg withBuckets(List<Bucket> newBuckets) {
        return new InternalTerms(name, type, order, size, shardSize, minDocCount, showTermDocCountError, newBuckets,
                docCountError, otherDocCount, pipelines, meta);
    }

    @Override
    public ObjectNode body(boolean typedKeys) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("doc_count_error_upper_bound", docCountError);
        n.put("sum_other_doc_count", otherDocCount);
        ArrayNode arr = n.putArray("buckets");
        for (Bucket b : buckets) {
            ObjectNode bn = b.toJson(typedKeys, true);
            if (showTermDocCountError) {
                ObjectNode ordered = JsonNodeFactory.instance.objectNode();
                bn.fields().forEachRemaining(e -> {
                    ordered.set(e.getKey(), e.getValue());
                    if (e.getKey().equals("doc_count")) {
                        ordered.put("doc_count_error_upper_bound", b.docCountError());
                    }
                });
                bn = ordered;
            }
            arr.add(bn);
        }
        return n;
    }
}
