package io.kccr.node.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.kccr.core.search.SearchContexts;
import io.kccr.core.search.SearchExecutor;
import io.kccr.core.search.SearchRequest;
import io.kccr.core.search.SearchResponse;
import io.kccr.core.shard.SearchableIndex;
import io.kccr.node.indices.IndexResolver;
import io.kccr.core.error.InvalidRequestException;
import io.kccr.leader.LeaderIndex;
import io.kccr.node.cluster.ClusterPit;
import io.kccr.node.cluster.ClusterSearch;
import io.kccr.node.cluster.PitId;
import io.kccr.node.search.SearchService;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code _search} and {@code _count}: parse, search the index's shards, render. Client IO only. */
final class SearchController {
    private final IndexResolver indices;
    private final SearchService service;
    private final ClusterSearch cluster;
    private final ClusterPit pits;

    /**
     * @param cluster searches over the shards of several nodes; null on a node alone
     * @param pits    points in time over the shards of several nodes; null on a node alone
     */
    SearchController(IndexResolver indices, SearchService service, ClusterSearch cluster, ClusterPit pits) {
        this.indices = indices;
        this.service = service;
        this.cluster = cluster;
        this.pits = pits;
    }

    /** {@code GET|POST /<index>/_search}, with {@code ?scroll=} the first page of a scroll. */
    void search(Context ctx) throws IOException, InterruptedException {
        ClusterSearch.Target spread = spreadFollower(ctx);
        if (spread != null) {
            JsonNode body = Json.parseObject(ctx.bodyAsBytes());
            SearchRequest request = SearchRequest.parse(body, params(ctx), spread.metadata().settings()
                    .maxResultWindow());
            if (request.extras().pit() != null) { // a point in time names its index itself
                throw InvalidRequestException.validation("Validation Failed: 1: [indices] cannot be used with point in"
                        + " time. Do not specify any index with point in time.;");
            }
            searchOverNodes(spread, body, request, ctx);
            return;
        }
        SearchableIndex index = indices.read(ctx.pathParam("index"));
        JsonNode body = Json.parseObject(ctx.bodyAsBytes());
        SearchRequest request = SearchRequest.parse(body, params(ctx), index.metadata().settings().maxResultWindow());
        if (request.extras().pit() != null) { // a point in time names its index itself
            throw InvalidRequestException.validation("Validation Failed: 1: [indices] cannot be used with point in"
                    + " time. Do not specify any index with point in time.;");
        }
        if (overNodes(index, ctx)) {
            searchOverNodes(cluster.target((LeaderIndex) index), body, request, ctx);
            return;
        }
        render(ctx, run(index, request, ctx.queryParam("scroll")));
    }

    /**
     * The follower index the request names as a search over its parts needs it, when it is spread over the nodes and
     * this node hosts a part of it (else the request was sent to one that does); null otherwise.
     */
    private ClusterSearch.Target spreadFollower(Context ctx) {
        return cluster == null ? null : cluster.spreadFollower(ctx.pathParam("index"));
    }

    /**
     * Index {@code name} as a search over the shards of several nodes needs it: a leader index of the cluster, or a
     * follower index spread over its nodes of which this node hosts a part; null for any other.
     */
    static ClusterSearch.Target overNodes(ClusterSearch cluster, IndexResolver indices, String name) {
        ClusterSearch.Target spread = cluster.spreadFollower(name);
        if (spread != null) {
            return spread;
        }
        return indices.read(name) instanceof LeaderIndex leader ? cluster.target(leader) : null;
    }

    /** Whether the search needs shards of other nodes. */
    private boolean overNodes(SearchableIndex index, Context ctx) {
        return cluster != null && index instanceof LeaderIndex leader
                && !cluster.servedHere(leader, ctx.queryParam("preference"));
    }

    /** A search, or the first page of a scroll ({@code ?scroll=}), over shards of several nodes. */
    private void searchOverNodes(ClusterSearch.Target index, JsonNode body, SearchRequest request, Context ctx)
            throws IOException, InterruptedException {
        String scroll = ctx.queryParam("scroll");
        ClusterSearch.Outcome o = scroll == null ? cluster.search(index, body, params(ctx), request)
                : pits.scrolls().open(index, body, params(ctx), request, SearchContexts.keepAlive(scroll, "scroll"));
        Responses.json(ctx, 200, o.toJson(typedKeys(ctx)));
    }

    /** {@code GET|POST /_search}: over the one index there is, or on the point in time the body names. */
    void searchAll(Context ctx) throws IOException, InterruptedException {
        JsonNode body = Json.parseObject(ctx.bodyAsBytes());
        SearchRequest request = SearchRequest.parse(body, params(ctx));
        if (request.extras().pit() != null && pits != null && PitId.isClusterId(request.extras().pit().id())) {
            PitId id = PitId.decode(request.extras().pit().id());
            RequestGuard.authorizeIndex(ctx, "indices:data/read/search", id.index());
            ClusterSearch.Target index = overNodes(cluster, indices, id.index());
            if (index == null) {
                throw io.kccr.core.error.NotFoundException.searchContext(request.extras().pit().id());
            }
            Responses.json(ctx, 200, pits.search(index, id, body, params(ctx), request).toJson(typedKeys(ctx)));
            return;
        }
        if (request.extras().pit() != null) {
            // the point in time's index is authorized as a search on it would be: its id alone reads nothing
            service.contexts().indexOf(request.extras().pit().id(), io.kccr.core.search.SearchContexts.Kind.PIT)
                    .ifPresent(index -> RequestGuard.authorizeIndex(ctx, "indices:data/read/search", index));
            render(ctx, service.searchPit(request));
            return;
        }
        List<SearchableIndex> all = indices.all();
        if (all.size() == 1) {
            RequestGuard.authorizeIndex(ctx, "indices:data/read/search", all.getFirst().name());
            if (overNodes(all.getFirst(), ctx)) {
                searchOverNodes(cluster.target((LeaderIndex) all.getFirst()), body, request, ctx);
                return;
            }
            render(ctx, run(all.getFirst(), request, ctx.queryParam("scroll")));
            return;
        }
        if (all.isEmpty()) {
            render(ctx, new SearchResponse(0, false, 0, new SearchResponse.Total(0, "eq"), null, List.of()));
            return;
        }
        throw io.kccr.core.error.InvalidRequestException.illegalArgument("searching several indices at once is not supported;"
                + " search one index: /<index>/_search");
    }

    private SearchResponse run(SearchableIndex index, SearchRequest request, String scroll) throws IOException {
        if (scroll != null) {
            return service.openScroll(index, request, SearchContexts.keepAlive(scroll, "scroll"));
        }
        return service.search(index, request);
    }

    /** {@code GET|POST /<index>/_count}. */
    void count(Context ctx) throws IOException, InterruptedException {
        ClusterSearch.Target spread = spreadFollower(ctx);
        SearchableIndex index = spread != null ? null : indices.read(ctx.pathParam("index"));
        JsonNode query = SearchRequest.parseCountQuery(Json.parseObject(ctx.bodyAsBytes()), params(ctx));
        if (spread != null || overNodes(index, ctx)) {
            com.fasterxml.jackson.databind.node.ObjectNode body = Json.MAPPER.createObjectNode();
            if (query != null) {
                body.set("query", query);
            }
            body.put("size", 0);
            body.put("track_total_hits", true);
            Map<String, String> p = new HashMap<>();
            if (ctx.queryParam("preference") != null) {
                p.put("preference", ctx.queryParam("preference"));
            }
            ClusterSearch.Outcome o = cluster.search(spread != null ? spread : cluster.target((LeaderIndex) index),
                    body, p, SearchRequest.parse(body, Map.of()));
            com.fasterxml.jackson.databind.node.ObjectNode answer = Json.MAPPER.createObjectNode();
            answer.put("count", o.response().total().value());
            answer.set("_shards", o.toJson(false).get("_shards"));
            Responses.json(ctx, 200, answer);
            return;
        }
        Responses.json(ctx, 200, index.search(searcher -> SearchExecutor.count(searcher,
                index.metadata().numberOfShards(), index.metadata().mappings(), query)).toJson());
    }

    /** The response, aggregations under typed keys when the URL asks ({@code typed_keys}, as the official client does). */
    static void render(Context ctx, SearchResponse response) {
        boolean typedKeys = typedKeys(ctx);
        Responses.json(ctx, 200, 1024 + 1024 * response.hits().size(), json -> response.writeTo(json, typedKeys));
    }

    static boolean typedKeys(Context ctx) {
        String v = ctx.queryParam("typed_keys");
        return v != null && !v.equals("false");
    }

    static Map<String, String> params(Context ctx) {
        Map<String, String> params = new HashMap<>();
        ctx.queryParamMap().forEach((k, v) -> {
            if (!v.isEmpty()) {
                params.put(k, v.getLast());
            }
        });
        params.remove("pretty");
        return params;
    }
}
