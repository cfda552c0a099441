package io.kccr.node.rest;

import io.kccr.core.error.NotFoundException;
import io.kccr.core.error.InvalidRequestException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.kccr.core.search.SourceFilter;
import io.kccr.leader.Acks;
import io.kccr.leader.DocumentUpdater;
import io.kccr.core.shard.GetResult;
import io.kccr.core.shard.SearchableIndex;
import io.kccr.leader.LeaderIndex;
import io.kccr.leader.WriteCondition;
import io.kccr.leader.WriteResult;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** The single-document APIs: index, create, get, delete, update. Client IO only. */
final class DocumentController {
    private final IndexResolver indices;
    private final WriteGuard guard;
    private final Duration writeTimeout;

    DocumentController(IndexResolver indices, WriteGuard guard, Duration writeTimeout) {
        this.indices = indices;
        this.guard = guard;
        this.writeTimeout = writeTimeout;
    }

    /** {@code PUT|POST /<index>/_doc/<id>}, {@code POST /<index>/_doc}. */
    void index(Context ctx) {
        write(ctx, false);
    }

    /** {@code PUT|POST /<index>/_create/<id>}: 409 if the document exists. */
    void create(Context ctx) {
        write(ctx, true);
    }

    private void write(Context ctx, boolean createOnly) {
        String indexName = ctx.pathParam("index");
        String id = ctx.pathParamMap().get("id");
        byte[] source = ctx.bodyAsBytes();
        WriteCondition condition = RequestParams.condition(ctx, createOnly);
        RequestParams.Refresh refresh = RequestParams.Refresh.of(ctx);
        checkSource(source);
        LeaderIndex index = guard.writableIndex(indexName);
        WriteResult result = Acks.await(index.index(id, source, condition), writeTimeout);
        respond(ctx, index, result, refresh);
    }

    /**
     * A document source must be one JSON object: anything else is Elasticsearch's 400
     * {@code mapper_parsing_exception} (not the request-body {@code parse_exception}), and is
     * rejected before an index is auto-created for it.
     */
    private static void checkSource(byte[] source) {
        JsonNode parsed;
        try {
            parsed = Json.parse(source);
        } catch (InvalidRequestException e) {
            throw InvalidRequestException.mapperParsing("failed to parse: " + e.reason(), e.getCause());
        }
        if (parsed.isMissingNode()) {
            throw InvalidRequestException.validation("Validation Failed: 1: source is missing;");
        }
        if (!parsed.isObject()) {
            throw InvalidRequestException.mapperParsing("failed to parse",
                    new IllegalArgumentException("Malformed content, must start with an object"));
        }
    }

    /** {@code DELETE /<index>/_doc/<id>}. */
    void delete(Context ctx) {
        LeaderIndex index = guard.writableExistingIndex(ctx.pathParam("index"));
        WriteCondition condition = RequestParams.condition(ctx, false);
        RequestParams.Refresh refresh = RequestParams.Refresh.of(ctx);
        WriteResult result = Acks.await(index.delete(ctx.pathParam("id"), condition), writeTimeout);
        respond(ctx, index, result, refresh);
    }

    /** {@code POST /<index>/_update/<id>}: partial document, upsert, doc_as_upsert. */
    void update(Context ctx) {
        LeaderIndex index = guard.writableIndex(ctx.pathParam("index"));
        JsonNode body = Json.parseObject(ctx.bodyAsBytes());
        RequestParams.Refresh refresh = RequestParams.Refresh.of(ctx);
        Long retries = RequestParams.longParam(ctx, "retry_on_conflict");
        DocumentUpdater.Outcome outcome = new DocumentUpdater(index, writeTimeout)
                .update(ctx.pathParam("id"), body, retries == null ? 0 : retries.intValue(),
                        RequestParams.longParam(ctx, "if_seq_no"), RequestParams.longParam(ctx, "if_primary_term"));
        respond(ctx, index, outcome.result(), refresh);
    }

    /** {@code GET|HEAD /<index>/_doc/<id>}: realtime. */
    void get(Context ctx) throws IOException {
        SearchableIndex index = indices.read(ctx.pathParam("index"));
        GetResult got = index.get(ctx.pathParam("id"));
        ObjectNode body = Json.object();
        body.put("_index", index.name());
        body.put("_id", got.id());
        if (got.found()) {
            body.put("_version", got.version());
            body.put("_seq_no", got.seqNo());
            body.put("_primary_term", got.primaryTerm());
            body.put("found", true);
            JsonNode source = SourceFilter.fromUrl(SourceFilter.FETCH_ALL, ctx.queryParam("_source"),
                    ctx.queryParam("_source_includes"), ctx.queryParam("_source_excludes"))
                    .apply(Json.MAPPER.readTree(got.source()));
            if (source != null) {
                body.set("_source", source);
            }
        } else {
            body.put("found", false);
        }
        Responses.json(ctx, got.found() ? 200 : 404, body);
    }

    /** {@code GET /<index>/_source/<id>}: the source alone. */
    void source(Context ctx) throws IOException {
        SearchableIndex index = indices.read(ctx.pathParam("index"));
        GetResult got = index.get(ctx.pathParam("id"));
        if (!got.found()) {
            throw NotFoundException.resource("Document not found [" + index.name() + "]/[" + got.id() + "]");
        }
        Responses.json(ctx, 200, Json.MAPPER.readTree(got.source()));
    }


    private static void respond(Context ctx, LeaderIndex index, WriteResult result, RequestParams.Refresh refresh) {
        if (refresh != RequestParams.Refresh.NONE) {
            index.refresh(List.of(result));
        }
        ObjectNode body = resultJson(index.name(), result);
        if (refresh == RequestParams.Refresh.IMMEDIATE) {
            body.put("forced_refresh", true);
        }
        int status = switch (result.result()) {
            case CREATED -> 201;
            case NOT_FOUND -> 404;
            default -> 200;
        };
        Responses.json(ctx, status, body);
    }

    /** A write's result in Elasticsearch's shape, as the document APIs and bulk items render it. */
    static ObjectNode resultJson(String index, WriteResult result) {
        ObjectNode body = Json.object();
        body.put("_index", index);
        body.put("_id", result.id());
        body.put("_version", result.version());
        body.put("result", result.result().jsonName());
        ObjectNode shards = body.putObject("_shards");
        shards.put("total", 1);
        shards.put("successful", result.result() == WriteResult.Result.NOOP ? 0 : 1);
        shards.put("failed", 0);
        body.put("_seq_no", result.seqNo());
        body.put("_primary_term", result.primaryTerm());
        return body;
    }
}
