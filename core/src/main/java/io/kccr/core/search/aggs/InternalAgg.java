package io.kccr.core.search.aggs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One aggregation's result: a shard's partial result before {@link #reduce}, the final one after. Immutable.
 * Rendered as Elasticsearch renders it; with {@code typed_keys} its key is {@code type#name} (e.g.
 * {@code sterms#countries}), which the official client needs to pick the response class.
 */
public interface InternalAgg {

    /** The name the request gave the aggregation. */
    String name();

    /** Elasticsearch's type name in typed keys: {@code sterms}, {@code date_histogram}, {@code avg}, ... */
    String type();

    /** The request's {@code meta}, echoed back; null when none. */
    JsonNode meta();

    /**
     * Merges the results of every shard (this one among them) into the final result: the only reduce there
     * is, so it also applies what Elasticsearch applies in its final reduce (size cuts, empty buckets,
     * pipelines). Buckets are counted against {@code context}'s {@code search.max_buckets}.
     */
    InternalAgg reduce(List<InternalAgg> shards, ReduceContext context);

    /** The body, without the name, e.g. {@code {"value": 3.0}}. */
    ObjectNode body(boolean typedKeys);

    /**
     * A value a {@code buckets_path} or an {@code order} names: {@code value}, a stat ({@code avg},
     * {@code max}, ...), a percentile ({@code 99.0}) or null for the default. NaN when the aggregation has no
     * such single value.
     */
    default double value(String property) {
        return Double.NaN;
    }

    /** Renders this result into {@code parent} under its (typed) key. */
    default void renderInto(ObjectNode parent, boolean typedKeys) {
        ObjectNode body = body(typedKeys);
        if (meta() != null) {
            ObjectNode withMeta = parent.objectNode();
            withMeta.set("meta", meta());
            withMeta.setAll(body);
            body = withMeta;
        }
        parent.set(typedKeys ? type() + "#" + name() : name(), body);
    }
}
