package io.kccr.core.search.aggs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** A {@code filter} or {@code missing} result: {@code {"doc_count": N, ...sub-aggregations}}. */
public record InternalSingleBucket(String name, String type, long docCount, InternalAggs subs, JsonNode meta)
        implements InternalAgg {

    @Override
    public InternalAgg reduce(List<InternalAgg> shards, ReduceContext context) {
        long count = 0;
        List<InternalAggs> all = new ArrayList<>(shards.size());
        for (InternalAgg a : shards) {
            InternalSingleBucket s = (InternalSingleBucket) a;
            count += s.docCount;
            all.add(s.subs);
        }
        return new InternalSingleBucket(name, type, count, InternalAggs.reduce(all, context), meta);
    }

    @Override
    public double value(String property) {
        return property == null || property.equals("_count") || property.equals("doc_count") ? docCount : Double.NaN;
    }

    @Override
    public ObjectNode body(boolean typedKeys) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("doc_count", docCount);
        subs.renderInto(n, typedKeys);
        return n;
    }
}
