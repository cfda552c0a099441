package io.kccr.core.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kccr.core.search.aggs.AggWire;
import io.kccr.core.search.aggs.AggregatorFactory;
import io.kccr.core.search.fetch.SearchHit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.lucene.util.BytesRef;

/**
 * The wire form of a {@link ShardsResult}, as one node sends its part of a search to the coordinating node: JSON,
 * the hits as the response shows them plus what the merge compares (shard, doc, score, raw sort values with their
 * types), and each shard's aggregations ({@link AggWire}). Stateless.
 */
public final class ShardsResultJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    static {
        AggWire.hitsCodec(new AggWire.Hits() {
            @Override
            public JsonNode write(SearchHit hit) {
                return hit.toJson();
            }

            @Override
            public SearchHit read(JsonNode json) {
                return hit(json);
            }
        });
    }

    private ShardsResultJson() {
    }

    public static ObjectNode toJson(ShardsResult r) {
        ObjectNode n = F.objectNode();
        n.put("total", r.total());
        n.put("lower_bound", r.totalLowerBound());
        if (r.maxScore() != null) {
            n.put("max_score", r.maxScore().toString());
        }
        n.put("timed_out", r.timedOut());
        n.put("terminated_early", r.terminatedEarly());
        ArrayNode hits = n.putArray("hits");
        for (ShardsResult.Hit h : r.hits()) {
            ObjectNode o = hits.addObject();
            o.put("shard", h.shard());
            o.put("doc", h.doc());
            o.put("score", Float.toString(h.score()));
            if (h.sort() != null) {
                ArrayNode sort = o.putArray("sort");
                h.sort().forEach(v -> sort.add(rawValue(v)));
            }
            o.set("hit", h.hit().toJson());
        }
        ArrayNode aggs = n.putArray("aggs");
        for (ShardsResult.ShardAggs a : r.aggs()) {
            ObjectNode o = aggs.addObject();
            o.put("shard", a.shard());
            o.set("aggs", AggWire.write(a.aggs()));
        }
        return n;
    }

    /**
     * Reads a part back.
     *
     * @param factories the request's aggregations, parsed by the coordinating node (their results are read against
     *                  them); empty when none were asked for
     */
    public static ShardsResult fromJson(JsonNode n, List<AggregatorFactory> factories) {
        List<ShardsResult.Hit> hits = new ArrayList<>();
        for (JsonNode o : n.path("hits")) {
            List<Object> sort = null;
            if (o.has("sort")) {
                sort = new ArrayList<>();
                for (JsonNode v : o.get("sort")) {
                    sort.add(rawValue(v));
                }
            }
            hits.add(new ShardsResult.Hit(o.get("shard").asInt(), o.get("doc").asInt(),
                    Float.parseFloat(o.get("score").asText()), sort, hit(o.get("hit"))));
        }
        List<ShardsResult.ShardAggs> aggs = new ArrayList<>();
        for (JsonNode o : n.path("aggs")) {
            aggs.add(new ShardsResult.ShardAggs(o.get("shard").asInt(), AggWire.read(o.get("aggs"), factories)));
        }
        Float maxScore = n.hasNonNull("max_score") ? Float.parseFloat(n.get("max_score").asText()) : null;
        return new ShardsResult(hits, n.get("total").asLong(), n.get("lower_bound").asBoolean(), maxScore,
                n.get("timed_out").asBoolean(), n.get("terminated_early").asBoolean(), aggs);
    }

    /** A sort value Lucene compares, typed: {@code ["l",7]}, {@code ["d","1.5"]}, {@code ["b","base64"]}, null. */
    private static JsonNode rawValue(Object v) {
        ArrayNode a = F.arrayNode();
        switch (v) {
            case null -> {
                return F.nullNode();
            }
            case Long l -> a.add("l").add(l);
            case Integer i -> a.add("i").add(i);
            case Double d -> a.add("d").add(Double.toString(d));
            case Float f -> a.add("f").add(Float.toString(f));
            case BytesRef b -> a.add("b").add(Base64.getEncoder().encodeToString(BytesRef.deepCopyOf(b).bytes));
            default -> throw new IllegalArgumentException("a sort value of type " + v.getClass().getName()
                    + " cannot be sent to another node");
        }
        return a;
    }

    private static Object rawValue(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        String type = v.get(0).asText();
        JsonNode value = v.get(1);
        return switch (type) {
            case "l" -> value.asLong();
            case "i" -> value.asInt();
            case "d" -> Double.parseDouble(value.asText());
            case "f" -> Float.parseFloat(value.asText());
            case "b" -> new BytesRef(Base64.getDecoder().decode(value.asText()));
            default -> throw new IllegalArgumentException("unknown sort value type [" + type + "]");
        };
    }

    /** A hit from the JSON {@link SearchHit#toJson()} wrote. */
    static SearchHit hit(JsonNode n) {
        Float score = n.hasNonNull("_score") ? (float) n.get("_score").asDouble() : null;
        List<Object> sort = null;
        if (n.has("sort")) {
            sort = new ArrayList<>();
            for (JsonNode v : n.get("sort")) {
                sort.add(v.isNull() ? null : v.isIntegralNumber() ? (Object) v.asLong()
                        : v.isNumber() ? (Object) v.asDouble() : v.isBoolean() ? (Object) v.asBoolean() : v.asText());
            }
        }
        Long seqNo = n.has("_seq_no") ? n.get("_seq_no").asLong() : null;
        Long primaryTerm = n.has("_seq_no") ? n.get("_primary_term").asLong() : null;
        Long version = n.has("_version") ? n.get("_version").asLong() : null;
        return new SearchHit(n.get("_index").asText(), n.hasNonNull("_id") ? n.get("_id").asText() : null, score,
                n.get("_source"), sort, seqNo, primaryTerm, version,
                n.get("fields") instanceof ObjectNode f ? f : null,
                n.get("highlight") instanceof ObjectNode h ? h : null);
    }
}
