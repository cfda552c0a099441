package io.kccr.core.search;

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
 * The result of a search, rendered by {@link #toJson()} exactly as Elasticsearch's search response:
 * {@code {"took":N,"timed_out":false,"_shards":{...},"hits":{"total":{...},"max_score":F|null,"hits":[...]}}}.
 *
 * @param took        milliseconds the search took
 * @param timedOut    whether it timed out (always false here)
 * @param totalShards shards searched (all successful)
 * @param total       the hit count, or null when {@code track_total_hits} is false (then omitted)
 * @param maxScore    the best score, or null (sorted without scores, or no hits)
 * @param hits        the page of hits
 */
public record SearchResponse(long took, boolean timedOut, int totalShards, Total total, Float maxScore, List<Hit> hits) {

    public SearchResponse {
        hits = hits == null ? List.of() : List.copyOf(hits);
    }

    /**
     * {@code hits.total}.
     *
     * @param value    the count
     * @param relation {@code eq} when exact, {@code gte} when a lower bound
     */
    public record Total(long value, String relation) {
        public static Total exact(long value) {
            return new Total(value, "eq");
        }

        public static Total atLeast(long value) {
            return new Total(value, "gte");
        }

        public ObjectNode toJson() {
            ObjectNode n = JsonNodeFactory.instance.objectNode();
            n.put("value", value);
            n.put("relation", relation);
            return n;
        }
    }

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
     */
    public record Hit(String index, String id, Float score, JsonNode source, List<Object> sort, Long seqNo,
            Long primaryTerm, Long version) {

        public Hit {
            sort = sort == null ? null : Collections.unmodifiableList(new ArrayList<>(sort));
        }

        /** Elasticsearch's hit JSON, keys in its order. */
        public ObjectNode toJson() {
            ObjectNode n = JsonNodeFactory.instance.objectNode();
            n.put("_index", index);
            n.put("_id", id);
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
            if (sort != null) {
                ArrayNode values = n.putArray("sort");
                for (Object v : sort) {
                    addValue(values, v);
                }
            }
            return n;
        }
    }

    /** Elasticsearch's search response JSON. */
    public ObjectNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("took", took);
        root.put("timed_out", timedOut);
        root.set("_shards", shardsJson(totalShards));
        ObjectNode h = root.putObject("hits");
        if (total != null) {
            h.set("total", total.toJson());
        }
        putScore(h, "max_score", maxScore);
        ArrayNode arr = h.putArray("hits");
        for (Hit hit : hits) {
            arr.add(hit.toJson());
        }
        return root;
    }

    /** {@code {"total":S,"successful":S,"skipped":0,"failed":0}}. */
    public static ObjectNode shardsJson(int totalShards) {
        ObjectNode s = JsonNodeFactory.instance.objectNode();
        s.put("total", totalShards);
        s.put("successful", totalShards);
        s.put("skipped", 0);
        s.put("failed", 0);
        return s;
    }

    private static void putScore(ObjectNode n, String key, Float score) {
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
