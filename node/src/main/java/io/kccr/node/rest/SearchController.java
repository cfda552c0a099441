package io.kccr.node.rest;

import io.kccr.core.error.InvalidRequestException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.kccr.core.search.SearchExecutor;
import io.kccr.core.search.SearchRequest;
import io.kccr.core.search.SearchResponse;
import io.kccr.core.shard.SearchableIndex;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code _search} and {@code _count}: parse, search the index's shards, render. Client IO only. */
final class SearchController {
    private final IndexResolver indices;

    SearchController(IndexResolver indices) {
        this.indices = indices;
    }

    /** {@code GET|POST /<index>/_search}. */
    void search(Context ctx) throws IOException {
        SearchableIndex index = indices.read(ctx.pathParam("index"));
        SearchRequest request = SearchRequest.parse(Json.parseObject(ctx.bodyAsBytes()), params(ctx));
        SearchResponse response = index.search(searcher -> SearchExecutor.search(searcher, index.name(),
                index.metadata().numberOfShards(), index.metadata().mappings(), request));
        Responses.json(ctx, 200, response.toJson());
    }

    /** {@code GET|POST /_search}: over every index; with none, an empty result. */
    void searchAll(Context ctx) throws IOException {
        List<SearchableIndex> all = indices.all();
        SearchRequest request = SearchRequest.parse(Json.parseObject(ctx.bodyAsBytes()), params(ctx));
        if (all.size() == 1) {
            SearchableIndex index = all.getFirst();
            Responses.json(ctx, 200, index.search(searcher -> SearchExecutor.search(searcher, index.name(),
                    index.metadata().numberOfShards(), index.metadata().mappings(), request)).toJson());
            return;
        }
        SearchResponse empty = new SearchResponse(0, false, 0, new SearchResponse.Total(0, "eq"), null, List.of());
        if (all.isEmpty()) {
            Responses.json(ctx, 200, empty.toJson());
            return;
        }
        throw io.kccr.core.error.InvalidRequestException.illegalArgument("searching several indices at once is not supported;"
                + " search one index: /<index>/_search");
    }

    /** {@code GET|POST /<index>/_count}. */
    void count(Context ctx) throws IOException {
        SearchableIndex index = indices.read(ctx.pathParam("index"));
        JsonNode query = SearchRequest.parseCountQuery(Json.parseObject(ctx.bodyAsBytes()), params(ctx));
        Responses.json(ctx, 200, index.search(searcher -> SearchExecutor.count(searcher,
                index.metadata().numberOfShards(), index.metadata().mappings(), query)).toJson());
    }

    private static Map<String, String> params(Context ctx) {
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
