package io.kccr.node.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.kccr.core.search.SearchContexts;
import io.kccr.core.search.SearchExecutor;
import io.kccr.core.search.SearchRequest;
import io.kccr.core.search.SearchResponse;
import io.kccr.core.shard.SearchableIndex;
import io.kccr.node.indices.IndexResolver;
import io.kccr.node.search.SearchService;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code _search} and {@code _count}: parse, search the index's shards, render. Client IO only. */
final class SearchController {
    private final IndexResolver indices;
    private final SearchService service;

    SearchController(IndexResolver indices, SearchService service) {
        this.indices = indices;
        this.service = service;
    }

    /** {@code GET|POST /<index>/_search}, with {@code ?scroll=} the first page of a scroll. */
    void search(Context ctx) throws IOException {
        SearchableIndex index = indices.read(ctx.pathParam("index"));
        SearchRequest request = SearchRequest.parse(Json.parseObject(ctx.bodyAsBytes()), params(ctx),
                index.metadata().settings().maxResultWindow());
        render(ctx, run(index, request, ctx.queryParam("scroll")));
    }

    /** {@code GET|POST /_search}: over the one index there is, or on the point in time the body names. */
    void searchAll(Context ctx) throws IOException {
        SearchRequest request = SearchRequest.parse(Json.parseObject(ctx.bodyAsBytes()), params(ctx));
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
    void count(Context ctx) throws IOException {
        SearchableIndex index = indices.read(ctx.pathParam("index"));
        JsonNode query = SearchRequest.parseCountQuery(Json.parseObject(ctx.bodyAsBytes()), params(ctx));
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
