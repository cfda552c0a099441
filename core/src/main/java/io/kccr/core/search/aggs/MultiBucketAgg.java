package io.kccr.core.search.aggs;

import java.util.List;

/** A reduced aggregation made of buckets, which pipeline aggregations ({@code bucket_sort}, {@code derivative}) work on. */
public interface MultiBucketAgg extends InternalAgg {

    List<Bucket> buckets();

    /** A copy with other buckets (same type, name and options). */
    MultiBucketAgg withBuckets(List<Bucket> buckets);

    /** Applies {@code pipelines} in order. */
    static InternalAgg applyPipelines(MultiBucketAgg agg, List<PipelineAggregation> pipelines) {
        MultiBucketAgg out = agg;
        for (PipelineAggregation p : pipelines) {
            out = p.apply(out);
        }
        return out;
    }
}
