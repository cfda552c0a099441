package io.kccr.node.rest;

import io.kccr.leader.LeaderIndex;
import io.kccr.core.error.NotFoundException;
import io.kccr.node.cluster.ClusterPit;
import io.kccr.node.cluster.ClusterRouting;
import io.kccr.node.cluster.ClusterScrolls;
import io.kccr.node.cluster.ScrollId;
import io.kccr.node.cluster.ClusterSearch;
import io.kccr.node.cluster.PitId;
import io.kccr.node.cluster.PitParts;
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
    private final ClusterPit pits;

    /**
     * @param cluster the node's cluster search, null on a node alone
     * @param pits    points in time over the shards of several nodes, null on a node alone
     */
    ScrollController(IndexResolver indices, SearchService service, ClusterSearch cluster, ClusterPit pits) {
        this.indices = indices;
        this.service = service;
        this.cluster = cluster;
        this.pits = pits;
    }

    /** {@code GET|POST /_search/scroll[/<id>]}: the next page. */
    void scroll(Context ctx) throws IOException, InterruptedException {
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
        if (pits != null && ScrollId.isClusterId(id)) {
            scrollOverNodes(ctx, ScrollId.decode(id), alive);
            return;
        }
        authorize(ctx, "indices:data/read/scroll", id, SearchContexts.Kind.SCROLL);
        SearchController.render(ctx, service.scroll(id, alive));
    }

    /** The next page of a scroll over shards of several nodes, which any node serves. */
    private void scrollOverNodes(Context ctx, ScrollId id, Duration alive) throws IOException, InterruptedException {
        RequestGuard.authorizeIndex(ctx, "indices:data/read/scroll", id.index());
        ClusterSearch.Target index = SearchController.overNodes(cluster, indices, id.index());
        if (index == null) {
            throw NotFoundException.searchContext(id.encode());
        }
        Responses.json(ctx, 200, pits.scrolls().next(index, id, alive).toJson(SearchController.typedKeys(ctx)));
    }

    /** {@code DELETE /_search/scroll[/<id>]}: {@code {"succeeded":true,"num_freed":N}}, 404 when none was open. */
    void clearScroll(Context ctx) throws InterruptedException {
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
        List<String> local = new ArrayList<>();
        List<ScrollId> overNodes = new ArrayList<>();
        for (String id : ids) {
            if (id.equals("_all")) {
                RequestGuard.authorizeCluster(ctx, "cluster:admin/indices/scroll/clear_all");
                local.add(id);
            } else if (pits != null && ScrollId.isClusterId(id)) {
                ScrollId scroll = ScrollId.decode(id);
                RequestGuard.authorizeIndex(ctx, "indices:data/read/scroll/clear", scroll.index());
                overNodes.add(scroll);
            } else {
                authorize(ctx, "indices:data/read/scroll/clear", id, SearchContexts.Kind.SCROLL);
                local.add(id);
            }
        }
        boolean all = ids.contains("_all");
        int freed = service.clearScrolls(local);
        if (pits != null) {
            freed += clearOverNodes(ctx, overNodes, all);
        }
        freed(ctx, freed, freed > 0 || all);
    }

    /**
     * Clears scrolls over shards of several nodes, their parts wherever they are, and with {@code _all} every other
     * node's scroll contexts (unless another node sent this one its part of that).
     */
    private int clearOverNodes(Context ctx, List<ScrollId> ids, boolean all) throws InterruptedException {
        ClusterScrolls scrolls = pits.scrolls();
        if (all) {
            return ClusterRouting.forwarded(ctx) ? 0 : scrolls.clearOthers(ClusterRouting.headers(ctx));
        }
        int freed = 0;
        for (ScrollId id : ids) {
            freed += scrolls.clear(id);
        }
        return freed;
    }

    /** {@code POST /<index>/_pit?keep_alive=1m}: {@code {"id": ..., "_shards": {...}}}. */
    void openPit(Context ctx) throws IOException, InterruptedException {
        ClusterSearch.Target spread = cluster == null ? null : cluster.spreadFollower(ctx.pathParam("index"));
        var index = spread != null ? null : indices.read(ctx.pathParam("index"));
        String keepAlive = ctx.queryParam("keep_alive");
        if (keepAlive == null) {
            throw InvalidRequestException.validation("Validation Failed: 1: [keep_alive] is missing;");
        }
        Duration alive = SearchContexts.keepAlive(keepAlive, "keep_alive");
        // a node holding a copy of every shard pins its own copies; otherwise each shard's copy is pinned where it is
        // (a follower index spread over the nodes: each part's)
        String id = spread != null ? pits.open(spread, alive)
                : cluster != null && index instanceof LeaderIndex leader && !cluster.servedHere(leader, "_local")
                ? pits.open(cluster.target(leader), alive) : service.openPit(index, alive);
        int shards = (spread != null ? spread.metadata() : index.metadata()).numberOfShards();
        Responses.json(ctx, 200, json -> {
            json.writeStartObject();
            json.writeStringField("id", id);
            json.writeFieldName("_shards");
            Json.MAPPER.writeTree(json, io.kccr.core.search.SearchResponse.shardsJson(shards));
            json.writeEndObject();
        });
    }

    /** {@code DELETE /_pit} with {@code {"id": ...}}: 404 with {@code num_freed: 0} when it was not open. */
    void closePit(Context ctx) throws InterruptedException {
        JsonNode body = Json.parseObject(ctx.bodyAsBytes());
        if (!body.has("id")) {
            throw InvalidRequestException.validation("Validation Failed: 1: point in time id is missing;");
        }
        if (pits != null && PitId.isClusterId(body.get("id").asText())) {
            PitId id = PitId.decode(body.get("id").asText());
            RequestGuard.authorizeIndex(ctx, "indices:data/read/close_point_in_time", id.index());
            int freed = pits.close(id);
            freed(ctx, freed, freed > 0);
            return;
        }
        authorize(ctx, "indices:data/read/close_point_in_time", body.get("id").asText(), SearchContexts.Kind.PIT);
        int freed = service.closePit(body.get("id").asText());
        freed(ctx, freed, freed > 0);
    }

    /** {@value PitParts#PATH}{@code <index>/_open}: this node's part of a point in time opened through another. */
    void openPart(Context ctx) throws IOException {
        ClusterSearch.Target index = target(ctx);
        JsonNode body = Json.parseObject(ctx.bodyAsBytes());
        List<Integer> shards = new ArrayList<>();
        body.path("shards").forEach(s -> shards.add(s.asInt()));
        Duration alive = SearchContexts.keepAlive(body.path("keep_alive").asText(), "keep_alive");
        SearchContexts.Kind kind = "scroll".equals(body.path("kind").asText()) ? SearchContexts.Kind.SCROLL
                : SearchContexts.Kind.PIT;
        Responses.json(ctx, 200, pits.parts().open(index, shards, alive, kind).toJson());
    }

    /** {@value PitParts#PATH}{@code <index>/_search}: this node's part of a search on a point in time. */
    void searchPart(Context ctx) throws IOException {
        ClusterSearch.Target index = target(ctx);
        byte[] json = ClusterSearch.toJson(pits.parts().search(index, PitParts.Search.parse(ctx.bodyAsBytes())));
        ctx.status(200);
        ctx.contentType("application/json");
        ctx.result(json);
    }

    /** {@value PitParts#PATH}{@code <index>/_close}: closes this node's part of a point in time. */
    void closePart(Context ctx) {
        String index = target(ctx).name();
        int freed = pits.parts().close(index, Json.parseObject(ctx.bodyAsBytes()).path("context").asText());
        Responses.json(ctx, 200, Json.MAPPER.createObjectNode().put("freed", freed));
    }

    /** The index a part of a point in time is asked about, as {@link SearchController#overNodes} finds it. */
    private ClusterSearch.Target target(Context ctx) {
        ClusterSearch.Target index = SearchController.overNodes(cluster, indices, ctx.pathParam("index"));
        if (index == null) {
            throw io.kccr.core.error.NotFoundException.index(ctx.pathParam("index"));
        }
        return index;
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
