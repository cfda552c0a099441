package io.kccr.core.search.fetch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One hit.
 *
 * @param index       the index name
 * @param id          the document id
 * @param score       the score, or null when not computed (sorted on fields)
 * @param source      the (filtered) source, or null when not requested
 * @param sort        sort values (numbers, strings or nulls) when the search was sorted, else null
 * @param seqNo       {@code _seq_no}, or null when not requested
 * @param primaryTerm {@code _primary_term}, or null when not requested
 * @param version     {@code _version}, or null when not requested
 * @param fields      {@code fields} ({@code docvalue_fields} and {@code fields} values by field), or null
 * @param highlight   {@code highlight} fragments by field, or null
 */
public record SearchHit(String index, String id, Float score, JsonNode source, List<Object> sort, Long seqNo,
        Long primaryTerm, Long version, ObjectNode fields, ObjectNode highlight) {

    public SearchHit {
        sort = sort == null ? null : Collections.unmodifiableList(new ArrayList<>(sort));
    }

    public SearchHit(String index, String id, Float score, JsonNode source, List<Object> sort, Long seqNo,
               Long primaryTerm, Long version) {
        this(index, id, score, source, sort, seqNo, primaryTerm, version, null, null);
    }

    public SearchHit withHighlight(ObjectNode newHighlight) {
        return new SearchHit(index, id, score, source, sort, seqNo, primaryTerm, version, fields, newHighlight);
    }

    /** Elasticsearch's hit JSON, keys in its order. */
    public ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("_index", index);
        if (id != null) {
            n.put("_id", id);
        }
        if (version != null) {
            n.put("_version", version);
        }
        if (seqNo != null) {
            n.put("_seq_no", seqNo);
            n.put("_primary_term", primaryTerm == null ? 0L : primaryTerm);
        }
        putScore(n, "_score", score);
        if (source != null) {
            n.set("_source", source);
        }
        if (fields != null) {
            n.set("fields", fields);
        }
        if (highlight != null) {
            n.set("highlight", highlight);
        }
        if (sort != null) {
            ArrayNode values = n.putArray("sort");
            for (Object v : sort) {
                addValue(values, v);
            }
        }
        return n;
    }

    /** {@code key}: the score, or null for none (no relevance computed). */
    public static void putScore(ObjectNode n, String key, Float score) {
        if (score == null || score.isNaN()) {
            n.putNull(key);
        } else {
            n.put(key, score);
        }
    }

    private static void addValue(ArrayNode arr, Object v) {
        switch (v) {
            case null -> arr.addNull();
            case Long l -> arr.add(l);
            case Integer i -> arr.add(i);
            case Double d -> arr.add(d);
            case Float fl -> arr.add(fl);
            case BigInteger bi -> arr.add(bi);
            case BigDecimal bd -> arr.add(bd);
            case Boolean b -> arr.add(b);
            case JsonNode j -> arr.add(j);
            default -> arr.add(v.toString());
        }
    }
}
