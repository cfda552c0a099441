package io.kccr.core.search.aggs;

import java.util.ArrayList;
import java.util.List;

/** A reduced aggregation made of buckets, which pipeline aggregations ({@code bucket_sort}, {@code derivative}) work on. */
public interface MultiBucketAgg extends InternalAgg {

    List<Bucket> buckets();

    /** A copy with other buckets (same type, name and options). */
    MultiBucketAgg withBuckets(List<Bucket> buckets);

    /**
     * The shards' buckets merged position by position, for aggregations whose buckets are fixed by the request
     * (the filters of {@code filters}, the ranges of {@code range}), so every shard has the same buckets in the same
     * order: per position the doc counts are summed and the sub-aggregations reduced. The merged buckets are counted
     * against the request's bucket limit.
     *
     * @param buckets this shard's buckets, whose keys and bounds the merged ones keep
     * @param shards  every shard's result, this one among them, each of the same type
     */
    static List<Bucket> reduceByPosition(List<Bucket> buckets, List<InternalAgg> shards, ReduceContext context) {
        List<Bucket> merged = new ArrayList<>(buckets.size());
        for (int i = 0; i < buckets.size(); i++) {
            long count = 0;
            List<InternalAggs> subs = new ArrayList<>(shards.size());
            for (InternalAgg a : shards) {
                Bucket b = ((MultiBucketAgg) a).buckets().get(i);
                count += b.docCount();
                subs.add(b.subs());
            }
            merged.add(buckets.get(i).withDocCount(count, 0).withSubs(InternalAggs.reduce(subs, context)));
        }
        context.consumeBuckets(merged.size());
        return merged;
    }

    /** Applies {@code pipelines} in order. */
    static InternalAgg applyPipelines(MultiBucketAgg agg, List<PipelineAggregation> pipelines) {
        MultiBucketAgg out = agg;
        for (PipelineAggregation p : pipelines) {
            out = p.apply(out);
        }
        return out;
    }
}
