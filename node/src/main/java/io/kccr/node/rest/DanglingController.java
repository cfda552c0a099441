package io.kccr.node.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.javalin.http.Context;
import io.kccr.core.error.InvalidRequestException;
import io.kccr.node.indices.DanglingIndices;
import java.util.List;
import java.util.Map;

/**
 * Elasticsearch's dangling indices API: {@code GET /_dangling}, {@code POST /_dangling/<uuid>?accept_data_loss=true}
 * (import), {@code DELETE /_dangling/<uuid>?accept_data_loss=true}. Client IO only.
 */
final class DanglingController {
    /** One entry of {@code dangling_indices}. */
    record Entry(@JsonProperty("index_name") String indexName, @JsonProperty("index_uuid") String indexUuid,
                 @JsonProperty("creation_date_millis") long creationDateMillis,
                 @JsonProperty("node_ids") List<String> nodeIds) {
    }

    record Listing(@JsonProperty("_nodes") Map<String, Integer> nodes, @JsonProperty("cluster_name") String clusterName,
                   @JsonProperty("dangling_indices") List<Entry> danglingIndices) {
    }

    private final DanglingIndices dangling;
    private final String clusterName;
    private final String nodeId;

    DanglingController(DanglingIndices dangling, String clusterName, String nodeId) {
        this.dangling = dangling;
        this.clusterName = clusterName;
        this.nodeId = nodeId;
    }

    void list(Context ctx) {
        List<Entry> entries = dangling.list().stream()
                .map(d -> new Entry(d.name() == null ? "_na_" : d.name(), d.uuid(), d.creationDate(), List.of(nodeId)))
                .toList();
        Responses.json(ctx, 200, new Listing(Map.of("total", 1, "successful", 1, "failed", 0), clusterName, entries));
    }

    void importIndex(Context ctx) {
        dangling.importIndex(ctx.pathParam("uuid"), acceptDataLoss(ctx));
        Responses.json(ctx, 200, Map.of("acknowledged", true));
    }

    void delete(Context ctx) {
        dangling.delete(ctx.pathParam("uuid"), acceptDataLoss(ctx));
        Responses.json(ctx, 200, Map.of("acknowledged", true));
    }

    private static boolean acceptDataLoss(Context ctx) {
        String value = ctx.queryParam("accept_data_loss");
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.isEmpty() || value.equals("true")) {
            return true;
        }
        throw InvalidRequestException.illegalArgument("Failed to parse value [" + value + "] as only [true] or [false]"
                + " are allowed.");
    }
}
