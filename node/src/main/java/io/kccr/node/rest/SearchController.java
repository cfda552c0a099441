package io.kccr.node.rest;

import io.javalin.http.Context;
import io.kccr.core.search.SearchRequest;
import io.kccr.node.indices.IndexSearch;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/** {@code _search} and {@code _count}: parse, search the index's shards, render. Client IO only. */
final class SearchController {
    private final IndexSearch search;

    SearchController(IndexSearch search) {
        this.search = search;
    }

    /** {@code GET|POST /<index>/_search}, and {@code /_search} over every index. */
    void search(Context ctx) throws IOException {
        SearchRequest request = SearchRequest.parse(Json.parseObject(ctx.bodyAsBytes()), params(ctx));
        Responses.json(ctx, 200, search.search(ctx.pathParamMap().get("index"), request).toJson());
    }

    /** {@code GET|POST /<index>/_count}. */
    void count(Context ctx) throws IOException {
        Responses.json(ctx, 200, search.count(ctx.pathParam("index"),
                SearchRequest.parseCountQuery(Json.parseObject(ctx.bodyAsBytes()), params(ctx))).toJson());
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
