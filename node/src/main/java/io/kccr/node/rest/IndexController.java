package io.kccr.node.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kccr.core.error.NotFoundException;
import io.javalin.http.Context;
import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.index.IndexSettings;
import io.kccr.core.mapping.Mappings;
import io.kccr.core.shard.SearchableIndex;
import io.kccr.leader.LeaderIndex;
import io.kccr.node.indices.IndexAdmin;
import io.kccr.node.indices.IndexResolver;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/** The index APIs: create, get, exists, delete, mappings, refresh, flush. Client IO only. */
final class IndexController {
    private static final Set<String> CREATE_KEYS = Set.of("settings", "mappings", "aliases");

    private final IndexAdmin admin;
    private final IndexResolver indices;

    IndexController(IndexAdmin admin, IndexResolver indices) {
        this.admin = admin;
        this.indices = indices;
    }

    /** {@code PUT /<index>} with optional {@code settings}, {@code mappings} and {@code aliases}. */
    void create(Context ctx) {
        JsonNode body = Json.parseObject(ctx.bodyAsBytes());
        for (Map.Entry<String, JsonNode> field : body.properties()) {
            if (!CREATE_KEYS.contains(field.getKey())) {
                throw InvalidRequestException.parse("unknown key [" + field.getKey()
                        + "] for create index; use settings, mappings or aliases");
            }
        }
        LeaderIndex index = admin.create(ctx.pathParam("index"), IndexSettings.fromJson(body.get("settings")),
                Mappings.fromJson(body.get("mappings")));
        Responses.json(ctx, 200, new IndexResponses.Created(true, true, index.name()));
    }

    /** {@code GET /<index>}: a closed index too (as Elasticsearch answers a closed index named explicitly). */
    void get(Context ctx) {
        String name = ctx.pathParam("index");
        SearchableIndex index = indices.find(name);
        if (index == null) {
            throw NotFoundException.index(name);
        }
        JsonNode json = index.metadata().toGetIndexJson();
        if (indices.isClosed(name) && json.path("settings").path("index") instanceof ObjectNode settings) {
            settings.put("verified_before_close", "true"); // Elasticsearch's mark of a closed index
        }
        Responses.json(ctx, 200, Map.of(index.name(), json));
    }

    /** {@code HEAD /<index>}: 200 or 404, no body. */
    void exists(Context ctx) {
        ctx.status(indices.exists(ctx.pathParam("index")) ? 200 : 404);
    }

    /** {@code DELETE /<index>}. */
    void delete(Context ctx) throws IOException {
        admin.delete(ctx.pathParam("index"));
        Responses.acknowledged(ctx);
    }

    /** {@code GET /<index>/_mapping}. */
    void getMapping(Context ctx) {
        SearchableIndex index = indices.read(ctx.pathParam("index"));
        Responses.json(ctx, 200, Map.of(index.name(),
                new IndexResponses.IndexMappings(index.metadata().mappings().toJson())));
    }

    /** {@code PUT /<index>/_mapping}: adds fields; changing a field's type is a 400. */
    void putMapping(Context ctx) {
        Mappings additions = Mappings.fromJson(Json.parseObject(ctx.bodyAsBytes()));
        admin.putMappings(ctx.pathParam("index"), additions);
        Responses.acknowledged(ctx);
    }

    /** {@code POST /<index>/_refresh}, and {@code POST /_refresh} for every index. */
    void refresh(Context ctx) {
        Responses.json(ctx, 200, IndexResponses.Shards.all(admin.refresh(ctx.pathParamMap().get("index"))));
    }

    /** {@code POST /<index>/_flush}, {@code POST /_flush}: a Lucene commit of every shard. */
    void flush(Context ctx) {
        Responses.json(ctx, 200, IndexResponses.Shards.all(admin.flush(ctx.pathParamMap().get("index"))));
    }
}
