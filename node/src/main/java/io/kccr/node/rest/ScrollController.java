package io.kccr.node.rest;

import io.kccr.leader.LeaderIndex;
import io.kccr.node.cluster.ClusterSearch;
import io.kccr.node.indices.IndexResolver;
import io.kccr.core.error.InvalidRequestException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.kccr.core.search.SearchContexts;
import io.kccr.node.search.SearchService;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Scrolls and points in time: {@code POST /_search/scroll}, {@code DELETE /_search/scroll},
 * {@code POST /<index>/_pit}, {@code DELETE /_pit}. Client IO only.
 */
final class ScrollController {
    private final IndexResolver indices;
    private final SearchService service;
    private final ClusterSearch cluster;

    /** @param cluster the node's cluster search, null on a node alone */
    ScrollController(IndexResolver indices, SearchService service, ClusterSearch cluster) {
        this.indices = indices;
        this.service = service;
        this.cluster = cluster;
    }

    /** {@code GET|POST /_search/scroll[/<id>]}: the next page. */
    void scroll(Context ctx) throws IOException {
        JsonNode body = Json.parseObject(ctx.bodyAsBytes());
        String id = ctx.pathParamMap().get("id");
        String keepAlive = ctx.queryParam("scroll");
        if (body.isObject()) {
            for (var it = body.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                switch (k) {
                    case "scroll_id" -> id = body.get(k).asText();
                    case "scroll" -> keepAlive = body.get(k).asText();
                    case "rest_total_hits_as_int" -> { }
                    default -> throw InvalidRequestException.parsing("Unknown parameter [" + k + "] in request body"
                            + " or parameter is of the wrong type[" + body.get(k).getNodeType() + "] ");
                }
            }
        }
        if (ctx.queryParam("scroll_id") != null) {
            id = ctx.queryParam("scroll_id");
        }
        if (id == null || id.isBlank()) {
            throw InvalidRequestException.validation("Validation Failed: 1: scrollId is missing;");
        }
        Duration alive = keepAlive == null ? null : SearchContexts.keepAlive(keepAlive, "scroll");
        authorize(ctx, "indices:data/read/scroll", id, SearchContexts.Kind.SCROLL);
        SearchController.render(ctx, service.scroll(id, alive));
    }

    /** {@code DELETE /_search/scroll[/<id>]}: {@code {"succeeded":true,"num_freed":N}}, 404 when none was open. */
    void clearScroll(Context ctx) {
        List<String> ids = new ArrayList<>();
        String path = ctx.pathParamMap().get("id");
        if (path != null) {
            ids.addAll(List.of(path.split(",")));
        }
        JsonNode body = Json.parseObject(ctx.bodyAsBytes());
        if (body.has("scroll_id")) {
            JsonNode v = body.get("scroll_id");
            if (v.isArray()) {
                v.forEach(x -> ids.add(x.asText()));
            } else {
                ids.addAll(List.of(v.asText().split(",")));
            }
        }
        if (ids.isEmpty()) {
            throw InvalidRequestException.validation("Validation Failed: 1: no scroll ids specified;");
        }
        for (String id : ids) {
            if (id.equals("_all")) {
                RequestGuard.authorizeCluster(ctx, "cluster:admin/indices/scroll/clear_all");
            } else {
                authorize(ctx, "indices:data/read/scroll/clear", id, SearchContexts.Kind.SCROLL);
            }
        }
        int freed = service.clearScrolls(ids);
        freed(ctx, freed, freed > 0 || ids.contains("_all"));
    }

    /** {@code POST /<index>/_pit?keep_alive=1m}: {@code {"id": ..., "_shards": {...}}}. */
    void openPit(Context ctx) throws IOException {
        var index = indices.read(ctx.pathParam("index"));
        String keepAlive = ctx.queryParam("keep_alive");
        if (keepAlive == null) {
            throw InvalidRequestException.validation("Validation Failed: 1: [keep_alive] is missing;");
        }
        if (cluster != null && index instanceof LeaderIndex leader && !cluster.servedHere(leader, "_local")) {
            // a point in time pins this node's copies: one missing a shard would page through part of the index
            throw InvalidRequestException.illegalArgument("a point in time over index [" + index.name() + "], whose"
                    + " shards are on several nodes, is not supported yet: open it on a node that holds a copy of every"
                    + " shard (GET /_cat/shards/" + index.name() + "), or page with search_after without a point in time");
        }
        String id = service.openPit(index, SearchContexts.keepAlive(keepAlive, "keep_alive"));
        Responses.json(ctx, 200, json -> {
            json.writeStartObject();
            json.writeStringField("id", id);
            json.writeFieldName("_shards");
            Json.MAPPER.writeTree(json, io.kccr.core.search.SearchResponse.shardsJson(
                    index.metadata().numberOfShards()));
            json.writeEndObject();
        });
    }

    /** {@code DELETE /_pit} with {@code {"id": ...}}: 404 with {@code num_freed: 0} when it was not open. */
    void closePit(Context ctx) {
        JsonNode body = Json.parseObject(ctx.bodyAsBytes());
        if (!body.has("id")) {
            throw InvalidRequestException.validation("Validation Failed: 1: point in time id is missing;");
        }
        authorize(ctx, "indices:data/read/close_point_in_time", body.get("id").asText(), SearchContexts.Kind.PIT);
        boolean closed = service.closePit(body.get("id").asText());
        freed(ctx, closed ? 1 : 0, closed);
    }

    /**
     * Authorizes {@code action} on the index the open scroll or point in time {@code id} searches: its id alone does
     * not let a caller without the index's privileges read or close it. An id that is not open is the controller's 404.
     */
    void authorize(Context ctx, String action, String id, SearchContexts.Kind kind) {
        service.contexts().indexOf(id, kind).ifPresent(index -> RequestGuard.authorizeIndex(ctx, action, index));
    }

    private static void freed(Context ctx, int n, boolean found) {
        Responses.json(ctx, found ? 200 : 404, json -> {
            json.writeStartObject();
            json.writeBooleanField("succeeded", true);
            json.writeNumberField("num_freed", n);
            json.writeEndObject();
        });
    }
}
