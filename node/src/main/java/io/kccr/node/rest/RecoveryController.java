package io.kccr.node.rest;

import io.javalin.http.Context;
import io.kccr.node.indices.IndexResolver;
import io.kccr.node.indices.IndicesOptions;
import java.time.Clock;

/**
 * {@code GET /_recovery} and {@code GET /<index>/_recovery} ({@link RecoveryResponses});
 * {@code ?active_only=true} leaves out shards that are done. Client IO only.
 */
final class RecoveryController {
    private final IndexResolver indices;
    private final Clock clock;

    RecoveryController(IndexResolver indices, Clock clock) {
        this.indices = indices;
        this.clock = clock;
    }

    void recovery(Context ctx) {
        boolean activeOnly = "true".equals(ctx.queryParam("active_only"));
        Responses.json(ctx, 200, RecoveryResponses.of(indices.resolve(ctx.pathParamMap().get("index"),
                RequestParams.indicesOptions(ctx, IndicesOptions.STRICT_EXPAND_OPEN_FORBID_CLOSED)), activeOnly,
                clock.millis()));
    }
}
