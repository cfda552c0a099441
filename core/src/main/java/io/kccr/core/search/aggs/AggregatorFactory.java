package io.kccr.core.search.aggs;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;

/**
 * A parsed aggregation of the request: makes its {@link Aggregator} for each shard. Immutable; validated
 * against the mappings when parsed, so a bad request fails before anything runs.
 */
public interface AggregatorFactory {

    String name();

    /** The request's {@code meta}, or null. */
    JsonNode meta();

    /**
     * The pipeline aggregations declared beside the sub-aggregations, applied to this one's buckets after the reduce.
     * None by default: a metric aggregation has neither sub-aggregations nor buckets.
     */
    default List<PipelineAggregation> pipelines() {
        return List.of();
    }

    Aggregator create(AggregationContext context) throws IOException;
}
