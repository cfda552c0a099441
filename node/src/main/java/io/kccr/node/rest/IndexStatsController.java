package io.kccr.node.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.kccr.core.shard.SearchableIndex;
import io.kccr.node.indices.IndexResolver;
import io.kccr.node.indices.IndicesOptions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The index stats and get settings APIs on multi-target paths ({@code a,b}, {@code logs-*}, {@code _all}) with
 * Elasticsearch's {@code ignore_unavailable}, {@code allow_no_indices} and {@code expand_wildcards}. Client IO only.
 */
final class IndexStatsController {
    private final IndexResolver indices;

    IndexStatsController(IndexResolver indices) {
        this.indices = indices;
    }

    /** {@code GET /_stats} and {@code GET /<index>/_stats}: open indices (a named closed one is a 400). */
    void stats(Context ctx) {
        Responses.json(ctx, 200, IndexStatsResponse.of(indices.resolve(ctx.pathParamMap().get("index"),
                RequestParams.indicesOptions(ctx, IndicesOptions.STRICT_EXPAND_OPEN_FORBID_CLOSED))));
    }

    /**
     * {@code GET /_settings} and {@code GET /<index>/_settings}: open and closed indices, nested or with
     * {@code flat_settings}; a closed one carries Elasticsearch's {@code index.verified_before_close}.
     */
    void getSettings(Context ctx) {
        boolean flat = ctx.queryParam("flat_settings") != null && !"false".equals(ctx.queryParam("flat_settings"));
        Map<String, Object> out = new LinkedHashMap<>();
        for (SearchableIndex index : indices.resolve(ctx.pathParamMap().get("index"),
                RequestParams.indicesOptions(ctx, IndicesOptions.STRICT_EXPAND_OPEN_CLOSED))) {
            JsonNode settings = index.metadata().toGetIndexJson().path("settings");
            ObjectNode flatSettings = Json.object();
            flatten("", settings, flatSettings);
            if (indices.isClosed(index.name())) {
                flatSettings.put("index.verified_before_close", "true");
            }
            out.put(index.name(), Map.of("settings", flat ? flatSettings : nest(flatSettings)));
        }
        Responses.json(ctx, 200, out);
    }

    private static void flatten(String prefix, JsonNode node, ObjectNode out) {
        node.properties().forEach(e -> {
            if (e.getValue().isObject()) {
                flatten(prefix + e.getKey() + ".", e.getValue(), out);
            } else {
                out.set(prefix + e.getKey(), e.getValue());
            }
        });
    }

    private static ObjectNode nest(ObjectNode flat) {
        ObjectNode root = Json.object();
        flat.properties().forEach(e -> {
            String[] parts = e.getKey().split("\\.");
            ObjectNode at = root;
            for (int i = 0; i < parts.length - 1; i++) {
                at = at.has(parts[i]) && at.get(parts[i]).isObject() ? (ObjectNode) at.get(parts[i])
                        : at.putObject(parts[i]);
            }
            at.set(parts[parts.length - 1], e.getValue());
        });
        return root;
    }
}
