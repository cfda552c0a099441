package io.kccr.node.rest;

import io.kccr.core.error.AlreadyExistsException;
import io.kccr.core.error.InvalidRequestException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.kccr.core.index.IndexNames;
import io.kccr.core.index.IndexSettings;
import io.kccr.core.mapping.Mappings;
import io.kccr.leader.IndexCatalog;
import io.kccr.core.shard.SearchableIndex;
import io.kccr.leader.LeaderIndex;
import java.util.Iterator;

/** The index APIs: create, get, exists, delete, mappings, refresh, flush. Client IO only. */
final class IndexController {
    private final IndexCatalog catalog;
    private final IndexResolver indices;
    private final io.kccr.node.follow.FollowerCatalog followers;

    IndexController(IndexCatalog catalog, IndexResolver indices, io.kccr.node.follow.FollowerCatalog followers) {
        this.catalog = catalog;
        this.followers = followers;
        this.indices = indices;
    }

    /** {@code PUT /<index>} with optional {@code settings}, {@code mappings} and {@code aliases}. */
    void create(Context ctx) {
        String name = ctx.pathParam("index");
        IndexNames.validate(name);
        if (indices.exists(name)) {
            throw new AlreadyExistsException(name, indices.find(name).metadata().uuid());
        }
        JsonNode body = Json.parseObject(ctx.bodyAsBytes());
        Iterator<String> keys = body.fieldNames();
        while (keys.hasNext()) {
            String key = keys.next();
            if (!key.equals("settings") && !key.equals("mappings") && !key.equals("aliases")) {
                throw InvalidRequestException.parse("unknown key [" + key + "] for create index; use settings, mappings or aliases");
            }
        }
        IndexSettings settings = IndexSettings.fromJson(body.get("settings"));
        Mappings mappings = Mappings.fromJson(body.get("mappings"));
        LeaderIndex index = catalog.create(name, settings, mappings);
        ObjectNode out = Json.object();
        out.put("acknowledged", true);
        out.put("shards_acknowledged", true);
        out.put("index", index.name());
        Responses.json(ctx, 200, out);
    }

    /** {@code GET /<index>}. */
    void get(Context ctx) {
        SearchableIndex index = indices.read(ctx.pathParam("index"));
        ObjectNode out = Json.object();
        out.set(index.name(), index.metadata().toGetIndexJson());
        Responses.json(ctx, 200, out);
    }

    /** {@code HEAD /<index>}: 200 or 404, no body. */
    void exists(Context ctx) {
        ctx.status(indices.exists(ctx.pathParam("index")) ? 200 : 404);
    }

    /** {@code DELETE /<index>}. */
    void delete(Context ctx) throws java.io.IOException {
        String name = ctx.pathParam("index");
        if (followers.exists(name)) {
            followers.remove(name);
        } else {
            catalog.delete(name);
        }
        Responses.acknowledged(ctx);
    }

    /** {@code GET /<index>/_mapping}. */
    void getMapping(Context ctx) {
        SearchableIndex index = indices.read(ctx.pathParam("index"));
        ObjectNode out = Json.object();
        out.putObject(index.name()).set("mappings", index.metadata().mappings().toJson());
        Responses.json(ctx, 200, out);
    }

    /** {@code PUT /<index>/_mapping}: adds fields; changing a field's type is a 400. */
    void putMapping(Context ctx) {
        LeaderIndex index = catalog.get(ctx.pathParam("index"));
        JsonNode body = Json.parseObject(ctx.bodyAsBytes());
        index.putMappings(Mappings.fromJson(body));
        Responses.acknowledged(ctx);
    }

    /** {@code POST /<index>/_refresh}. */
    void refresh(Context ctx) {
        SearchableIndex index = indices.read(ctx.pathParam("index"));
        index.refresh();
        Responses.json(ctx, 200, shardsHeader(index));
    }

    /** {@code POST /<index>/_flush}: a Lucene commit of every shard. */
    void flush(Context ctx) {
        LeaderIndex index = catalog.get(ctx.pathParam("index"));
        index.flush();
        Responses.json(ctx, 200, shardsHeader(index));
    }

    /** {@code POST /_refresh}: every index. */
    void refreshAll(Context ctx) {
        int shards = 0;
        for (SearchableIndex index : indices.all()) {
            index.refresh();
            shards += index.metadata().numberOfShards();
        }
        ObjectNode out = Json.object();
        out.set("_shards", shardCounts(shards));
        Responses.json(ctx, 200, out);
    }

    private static ObjectNode shardsHeader(SearchableIndex index) {
        ObjectNode out = Json.object();
        out.set("_shards", shardCounts(index.metadata().numberOfShards()));
        return out;
    }

    static ObjectNode shardCounts(int shards) {
        ObjectNode node = Json.object();
        node.put("total", shards);
        node.put("successful", shards);
        node.put("failed", 0);
        return node;
    }
}
