package io.kccr.core.search;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kccr.core.search.aggs.InternalAggs;
import io.kccr.core.search.fetch.SearchHit;
import java.io.IOException;
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
 * @param aggregations the reduced aggregations, or null when none were asked for
 * @param terminatedEarly true when {@code terminate_after} stopped collecting, null when it was not given
 * @param scrollId    {@code _scroll_id} of a scroll, else null
 * @param pitId       {@code pit_id} of a search with a point in time, else null
 */
public record SearchResponse(long took, boolean timedOut, int totalShards, Total total, Float maxScore, List<SearchHit> hits,
                             InternalAggs aggregations, Boolean terminatedEarly, String scrollId, String pitId) {

    public SearchResponse {
        hits = hits == null ? List.of() : List.copyOf(hits);
    }

    /** A response of hits only. */
    public SearchResponse(long took, boolean timedOut, int totalShards, Total total, Float maxScore, List<SearchHit> hits) {
        this(took, timedOut, totalShards, total, maxScore, hits, null, null, null, null);
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

    /** A copy carrying a scroll id and/or a point-in-time id. */
    public SearchResponse withContextIds(String newScrollId, String newPitId) {
        return new SearchResponse(took, timedOut, totalShards, total, maxScore, hits, aggregations, terminatedEarly,
                newScrollId, newPitId);
    }

    /** Elasticsearch's search response JSON, aggregations under their plain names. */
    public ObjectNode toJson() {
        return toJson(false);
    }

    /**
     * Elasticsearch's search response JSON; with {@code typedKeys} (the URL's {@code typed_keys}, which the
     * official client always sends) each aggregation's key is {@code type#name}.
     */
    public ObjectNode toJson(boolean typedKeys) {
        return io.kccr.core.search.fetch.JsonTree.of(json -> writeTo(json, typedKeys));
    }

    /**
     * Writes the response straight to {@code json}, without a tree of the hits: each hit's stored {@code _source} is
     * copied as stored (see {@link SearchHit#writeTo}). {@link #toJson(boolean)} is its tree.
     */
    public void writeTo(JsonGenerator json, boolean typedKeys) throws IOException {
        json.writeStartObject();
        if (scrollId != null) {
            json.writeStringField("_scroll_id", scrollId);
        }
        if (pitId != null) {
            json.writeStringField("pit_id", pitId);
        }
        json.writeNumberField("took", took);
        json.writeBooleanField("timed_out", timedOut);
        if (terminatedEarly != null) {
            json.writeBooleanField("terminated_early", terminatedEarly);
        }
        json.writeObjectFieldStart("_shards");
        json.writeNumberField("total", totalShards);
        json.writeNumberField("successful", totalShards);
        json.writeNumberField("skipped", 0);
        json.writeNumberField("failed", 0);
        json.writeEndObject();
        json.writeObjectFieldStart("hits");
        if (total != null) {
            json.writeObjectFieldStart("total");
            json.writeNumberField("value", total.value());
            json.writeStringField("relation", total.relation());
            json.writeEndObject();
        }
        SearchHit.writeScore(json, "max_score", maxScore);
        json.writeArrayFieldStart("hits");
        for (SearchHit hit : hits) {
            hit.writeTo(json);
        }
        json.writeEndArray();
        json.writeEndObject();
        if (aggregations != null) {
            json.writeFieldName("aggregations");
            json.writeTree(aggregations.toJson(typedKeys));
        }
        json.writeEndObject();
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


}
