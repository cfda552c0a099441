package io.kccr.core.search.aggs;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The aggregations at one level (the response's {@code aggregations}, or a bucket's sub-aggregations), in request order. */
public record InternalAggs(List<InternalAgg> aggs) {

    public static final InternalAggs EMPTY = new InternalAggs(List.of());

    public InternalAggs {
        aggs = List.copyOf(aggs);
    }

    public InternalAgg get(String name) {
        for (InternalAgg a : aggs) {
            if (a.name().equals(name)) {
                return a;
            }
        }
        return null;
    }

    /** Reduces each aggregation across {@code levels} (one per shard, or per merged bucket), matched by name. */
    public static InternalAggs reduce(List<InternalAggs> levels, ReduceContext context) {
        if (levels.isEmpty()) {
            return EMPTY;
        }
        if (levels.size() == 1 && levels.getFirst().aggs.isEmpty()) {
            return EMPTY;
        }
        Map<String, List<InternalAgg>> byName = new LinkedHashMap<>();
        for (InternalAggs level : levels) {
            for (InternalAgg a : level.aggs) {
                byName.computeIfAbsent(a.name(), k -> new ArrayList<>()).add(a);
            }
        }
        List<InternalAgg> out = new ArrayList<>(byName.size());
        for (List<InternalAgg> same : byName.values()) {
            out.add(same.getFirst().reduce(same, context));
        }
        return new InternalAggs(out);
    }

    /** Renders every aggregation into {@code parent}. */
    public void renderInto(ObjectNode parent, boolean typedKeys) {
        for (InternalAgg a : aggs) {
            a.renderInto(parent, typedKeys);
        }
    }

    /** {@code {"name": {...}, ...}}. */
    public ObjectNode toJson(boolean typedKeys) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        renderInto(n, typedKeys);
        return n;
    }
}
