package io.kccr.core.search.aggs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** A {@code range} or {@code date_range} result: one bucket per requested range, in the request's (sorted) order. */
public record InternalRange(RangeAggregation.Factory factory, List<Bucket> buckets) implements MultiBucketAgg {

    @Override
    public String name() {
        return factory.name();
    }

    @Override
    public String type() {
        return factory.date() ? "date_range" : "range";
    }

    @Override
    public JsonNode meta() {
        return factory.meta();
    }

    @Override
    public InternalAgg reduce(List<InternalAgg> shards, ReduceContext context) {
        List<Bucket> merged = MultiBucketAgg.reduceByPosition(buckets, shards, context);
        return MultiBucketAgg.applyPipelines(new InternalRange(factory, merged), factory.pipelines());
    }

    @Override
    public MultiBucketAgg withBuckets(List<Bucket> newBuckets) {
        return new InternalRange(factory, newBuckets);
    }

    @Override
    public ObjectNode body(boolean typedKeys) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        ObjectNode keyed = factory.keyed() ? n.putObject("buckets") : null;
        ArrayNode arr = factory.keyed() ? null : n.putArray("buckets");
        for (Bucket b : buckets) {
            ObjectNode bn = JsonNodeFactory.instance.objectNode();
            if (!factory.keyed()) {
                bn.put("key", (String) b.key());
            }
            Bucket.RangeBounds r = b.range();
            if (!Double.isInfinite(r.from())) {
                bn.put("from", r.from());
                if (r.fromAsString() != null) {
                    bn.put("from_as_string", r.fromAsString());
                }
            }
            if (!Double.isInfinite(r.to())) {
                bn.put("to", r.to());
                if (r.toAsString() != null) {
                    bn.put("to_as_string", r.toAsString());
                }
            }
            bn.setAll(b.toJson(typedKeys, false));
            if (keyed != null) {
                keyed.set((String) b.key(), bn);
            } else {
                arr.add(bn);
            }
        }
        return n;
    }
}
