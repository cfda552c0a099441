package io.kccr.node.rest;

import com.fasterxml.jackson.core.JsonGenerator;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Writes response bodies: JSON (pretty with {@code ?pretty}) in the media type the client asked for. */
final class Responses {
    static final String COMPATIBLE_JSON = "application/vnd.elasticsearch+json;compatible-with=9";

    private Responses() {
    }

    /** What writes a response body, straight to a JSON generator (no tree in between). */
    @FunctionalInterface
    interface JsonBody {
        void writeTo(JsonGenerator json) throws IOException;
    }

    /** Answers {@code body}, a response record (or a JSON tree), serialized by {@link Json#MAPPER}. */
    static void json(Context ctx, int status, Object body) {
        json(ctx, status, json -> Json.MAPPER.writeValue(json, body));
    }

    static void json(Context ctx, int status, JsonBody body) {
        json(ctx, status, 8192, body);
    }

    /** As {@link #json(Context, int, JsonBody)}, the answer expected to be about {@code sizeHint} bytes long. */
    static void json(Context ctx, int status, int sizeHint, JsonBody body) {
        ctx.status(status);
        ctx.contentType(wantsCompatible(ctx) ? COMPATIBLE_JSON : "application/json");
        if (ctx.method().name().equals("HEAD")) {
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(256, sizeHint));
        try (JsonGenerator json = Json.MAPPER.createGenerator(out)) {
            if (ctx.queryParam("pretty") != null && !"false".equals(ctx.queryParam("pretty"))) {
                json.useDefaultPrettyPrinter();
            }
            body.writeTo(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ctx.result(out.toByteArray());
    }

    /** Elasticsearch's answer to a change it made. */
    record Acknowledged(boolean acknowledged) {
    }

    /** {@code {"acknowledged":true}}. */
    static void acknowledged(Context ctx) {
        json(ctx, 200, new Acknowledged(true));
    }

    static void text(Context ctx, int status, String body) {
        ctx.status(status);
        ctx.contentType("text/plain; charset=UTF-8");
        ctx.result(body);
    }

    private static boolean wantsCompatible(Context ctx) {
        String accept = ctx.header("Accept");
        String contentType = ctx.header("Content-Type");
        return (accept != null && accept.contains("vnd.elasticsearch"))
                || (contentType != null && contentType.contains("vnd.elasticsearch"));
    }
}
