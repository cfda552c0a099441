package io.kccr.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.io.UncheckedIOException;

/** Writes response bodies: JSON (pretty with {@code ?pretty}) in the media type the client asked for. */
final class Responses {
    static final String COMPATIBLE_JSON = "application/vnd.elasticsearch+json;compatible-with=9";

    private Responses() {
    }

    static void json(Context ctx, int status, JsonNode body) {
        ctx.status(status);
        ctx.contentType(wantsCompatible(ctx) ? COMPATIBLE_JSON : "application/json");
        if (ctx.method().name().equals("HEAD")) {
            return;
        }
        try {
            boolean pretty = ctx.queryParam("pretty") != null && !"false".equals(ctx.queryParam("pretty"));
            ctx.result(pretty ? Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(body)
                    : Json.MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
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
