package io.kccr.node.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.shard.SearchableIndex;
import io.kccr.follower.FollowerIndex;
import io.kccr.follower.FollowerIndexSettings;
import io.kccr.node.follow.FollowerCatalog;
import io.kccr.node.follow.FollowerSettings;
import io.kccr.node.indices.IndexResolver;
import io.kccr.node.indices.IndicesOptions;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The index stats, get and update settings APIs on multi-target paths ({@code a,b}, {@code logs-*}, {@code _all}) with
 * Elasticsearch's {@code ignore_unavailable}, {@code allow_no_indices} and {@code expand_wildcards}. Client IO only.
 */
final class IndexStatsController {
    private final IndexResolver indices;
    private final FollowerCatalog followers;

    IndexStatsController(IndexResolver indices, FollowerCatalog followers) {
        this.indices = indices;
        this.followers = followers;
    }

    /**
     * {@code PUT /_settings} and {@code PUT /<index>/_settings} with {@code preserve_existing}: the settings a follower
     * index may set itself ({@link FollowerSettings}), kept with it. Every target is checked before any changes: a
     * leader index among them (its settings are fixed when it is created here) or a bad setting is a 400 and
     * nothing changes.
     */
    void putSettings(Context ctx) throws IOException {
        JsonNode body = Json.parseObject(ctx.bodyAsBytes());
        boolean preserve = "true".equals(ctx.queryParam("preserve_existing"));
        Map<String, FollowerIndexSettings> updates = new LinkedHashMap<>();
        for (SearchableIndex index : indices.resolve(ctx.pathParamMap().get("index"),
                RequestParams.indicesOptions(ctx, IndicesOptions.STRICT_EXPAND_OPEN_CLOSED))) {
            FollowerIndex follower = followers.getOrNull(index.name());
            if (follower == null) {
                throw InvalidRequestException.illegalArgument("can not update the settings of index [" + index.name()
                        + "]: a leader index's settings are set when it is created here; only a follower index's own"
                        + " settings (index.refresh_interval, ...) can be changed");
            }
            updates.put(index.name(), FollowerSettings.update(follower.settings(), body, preserve));
        }
        for (Map.Entry<String, FollowerIndexSettings> update : updates.entrySet()) {
            followers.updateSettings(update.getKey(), current -> update.getValue());
        }
        Responses.acknowledged(ctx);
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

    /** Flat settings nested at their dots, as Elasticsearch renders settings without {@code flat_settings}. */
    static ObjectNode nest(ObjectNode flat) {
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
