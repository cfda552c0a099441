package io.kccr.node.rest;

import io.javalin.http.Context;
import io.kccr.node.indices.IndexExpressions;
import java.util.List;

/**
 * Elasticsearch's resolve index API, {@code GET /_resolve/index/<expression>} ({@link IndexExpressions}): what the
 * console suggests leader indices from. Client IO only.
 */
final class ResolveIndexController {
    private final IndexExpressions expressions;

    ResolveIndexController(IndexExpressions expressions) {
        this.expressions = expressions;
    }

    /** The answer: the indices found; no aliases or data streams here, so those lists are always empty. */
    record Resolved(List<Index> indices, List<Object> aliases, List<Object> dataStreams) {
    }

    /** One index found, with its state ({@code open} or {@code closed}) as its one attribute. */
    record Index(String name, List<String> attributes) {
    }

    /** {@code GET /_resolve/index/<expression>}. */
    void resolve(Context ctx) {
        List<Index> found = expressions.resolve(ctx.pathParam("name")).entrySet().stream()
                .map(e -> new Index(e.getKey(), List.of(e.getValue() ? "closed" : "open"))).toList();
        Responses.json(ctx, 200, new Resolved(found, List.of(), List.of()));
    }
}
