package io.kccr.node.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.error.NotFoundException;
import io.kccr.core.search.fetch.SourceFilter;
import io.kccr.core.shard.GetResult;
import io.kccr.leader.WriteCondition;
import io.kccr.leader.WriteResult;
import io.kccr.node.indices.Documents;
import java.io.IOException;

/** The single-document APIs: index, create, get, delete, update. Client IO only. */
final class DocumentController {
    private final Documents documents;

    DocumentController(Documents documents) {
        this.documents = documents;
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
        String index = ctx.pathParam("index");
        byte[] source = ctx.bodyAsBytes();
        WriteCondition condition = RequestParams.condition(ctx, createOnly);
        RequestParams.Refresh refresh = RequestParams.Refresh.of(ctx);
        checkSource(source);
        WriteResult result = documents.index(index, ctx.pathParamMap().get("id"), source, condition,
                refresh != RequestParams.Refresh.NONE);
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
        String index = ctx.pathParam("index");
        WriteCondition condition = RequestParams.condition(ctx, false);
        RequestParams.Refresh refresh = RequestParams.Refresh.of(ctx);
        WriteResult result = documents.delete(index, ctx.pathParam("id"), condition,
                refresh != RequestParams.Refresh.NONE);
        respond(ctx, index, result, refresh);
    }

    /** {@code POST /<index>/_update/<id>}: partial document, upsert, doc_as_upsert. */
    void update(Context ctx) {
        String index = ctx.pathParam("index");
        JsonNode body = Json.parseObject(ctx.bodyAsBytes());
        RequestParams.Refresh refresh = RequestParams.Refresh.of(ctx);
        Long retries = RequestParams.longParam(ctx, "retry_on_conflict");
        WriteResult result = documents.update(index, ctx.pathParam("id"), body,
                retries == null ? 0 : retries.intValue(), RequestParams.longParam(ctx, "if_seq_no"),
                RequestParams.longParam(ctx, "if_primary_term"), refresh != RequestParams.Refresh.NONE);
        respond(ctx, index, result, refresh);
    }

    /** {@code GET|HEAD /<index>/_doc/<id>}: realtime. */
    void get(Context ctx) throws IOException {
        String index = ctx.pathParam("index");
        SourceFilter filter = SourceFilter.fromUrl(SourceFilter.FETCH_ALL, ctx.queryParam("_source"),
                ctx.queryParam("_source_includes"), ctx.queryParam("_source_excludes"));
        GetResult got = documents.get(index, ctx.pathParam("id"));
        JsonNode source = got.found() ? filter.apply(Json.MAPPER.readTree(got.source())) : null;
        Responses.json(ctx, got.found() ? 200 : 404, DocumentResponses.Got.of(index, got, source));
    }

    /** {@code GET /<index>/_source/<id>}: the source alone. */
    void source(Context ctx) throws IOException {
        String index = ctx.pathParam("index");
        GetResult got = documents.get(index, ctx.pathParam("id"));
        if (!got.found()) {
            throw NotFoundException.resource("Document not found [" + index + "]/[" + got.id() + "]");
        }
        Responses.json(ctx, 200, Json.MAPPER.readTree(got.source()));
    }

    private static void respond(Context ctx, String index, WriteResult result, RequestParams.Refresh refresh) {
        Responses.json(ctx, DocumentResponses.status(result), DocumentResponses.Written.of(index, result,
                refresh == RequestParams.Refresh.IMMEDIATE));
    }
}
