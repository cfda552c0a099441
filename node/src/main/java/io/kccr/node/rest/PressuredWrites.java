package io.kccr.node.rest;

import io.javalin.http.Handler;
import io.kccr.core.error.InvalidRequestException;
import io.kccr.node.indices.IndexingPressure;
import java.util.Set;

/**
 * The write routes' guard: Elasticsearch's query parameters only, and the request's bytes held against the node's
 * indexing pressure.
 */
final class PressuredWrites {
    private PressuredWrites() {
    }

    /**
     * A write route whose request holds its bytes against the node's indexing pressure while it runs: taken from the
     * Content-Length before the body is read (a chunked body is counted once read), refused with 429 past the limit.
     */
    static Handler wrap(IndexingPressure pressure, Handler handler) {
        return ctx -> {
            for (String param : ctx.queryParamMap().keySet()) {
                if (!WRITE_PARAMS.contains(param)) {
                    throw InvalidRequestException.illegalArgument("request [" + ctx.path() + "] contains unrecognized"
                            + " parameter: [" + param + "]");
                }
            }
            long length = ctx.req().getContentLengthLong();
            long bytes = length >= 0 ? length : ctx.bodyAsBytes().length;
            try (var held = pressure.acquire(Math.max(bytes, 1))) {
                handler.handle(ctx);
            }
        };
    }

    /** The query parameters Elasticsearch's document and bulk APIs take; any other is a 400, as there. */
    private static final Set<String> WRITE_PARAMS = Set.of("refresh", "op_type", "if_seq_no", "if_primary_term",
            "retry_on_conflict", "routing", "timeout", "wait_for_active_shards", "version", "version_type", "pipeline",
            "require_alias", "require_data_stream", "_source", "_source_includes", "_source_excludes", "filter_path",
            "pretty", "human", "error_trace", "list_executed_pipelines", "include_source_on_error");
}
