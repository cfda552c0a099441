package io.kccr.core.search.aggs;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * One bucket of a multi-bucket aggregation. Immutable.
 *
 * @param key           the key: a {@link String} (keyword terms, filters, ranges), a {@link Long} (long, date and
 *                      boolean terms, date histograms), a {@link Double} (double terms, histograms) or, for
 *                      composite, a {@code Map<String, Object>} of those
 * @param keyAsString   the formatted key, or null
 * @param docCount      documents in the bucket
 * @param docCountError terms only: the most this bucket's count may be short by, -1 unknown
 * @param subs          the sub-aggregations
 * @param range         range buckets only: the bounds, else null
 */
public record Bucket(Object key, String keyAsString, long docCount, long docCountError, InternalAggs subs,
                     RangeBounds range) {

    /** A range bucket's bounds ({@code from} inclusive, {@code to} exclusive; infinite when open). */
    public record RangeBounds(double from, double to, String fromAsString, String toAsString) {
    }

    public Bucket withDocCount(long count, long error) {
        return new Bucket(key, keyAsString, count, error, subs, range);
    }

    public Bucket withSubs(InternalAggs newSubs) {
        return new Bucket(key, keyAsString, docCount, docCountError, newSubs, range);
    }

    /** The key as a number (for ordering and histograms); NaN for string keys. */
    public double numericKey() {
        return key instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /** {@code key}, {@code key_as_string} (when any), {@code doc_count} and the sub-aggregations. */
    public ObjectNode toJson(boolean typedKeys, boolean withKey) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        if (withKey) {
            putKey(n, "key", key);
            if (keyAsString != null) {
                n.put("key_as_string", keyAsString);
            }
        }
        n.put("doc_count", docCount);
        subs.renderInto(n, typedKeys);
        return n;
    }

    @SuppressWarnings("unchecked")
    static void putKey(ObjectNode n, String field, Object key) {
        switch (key) {
            case null -> n.putNull(field);
            case String s -> n.put(field, s);
            case Long l -> n.put(field, l);
            case Double d -> n.put(field, d);
            case Boolean b -> n.put(field, b);
            case Map<?, ?> m -> {
                ObjectNode o = n.putObject(field);
                ((Map<String, Object>) m).forEach((k, v) -> putKey(o, k, v));
            }
            default -> n.put(field, key.toString());
        }
    }
}
