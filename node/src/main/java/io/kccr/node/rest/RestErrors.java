package io.kccr.node.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kccr.core.error.ApiException;
import io.javalin.http.HttpResponseException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that maps failures to HTTP: an {@link ApiException} keeps its status and type;
 * anything else is a 500 whose reason names the failure. The body is Elasticsearch's error shape,
 * {@code {"error":{"root_cause":[...],"type":...,"reason":...},"status":N}}.
 */
final class RestErrors {
    private static final Logger log = LoggerFactory.getLogger(RestErrors.class);

    private RestErrors() {
    }

    /** Unwraps futures' wrappers and turns {@code t} into an {@link ApiException}. */
    static ApiException toApiException(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ApiException api) {
            return api;
        }
        if (cause instanceof HttpResponseException http) {
            return new ApiException(http.getStatus(), http.getStatus() == 413 ? "content_too_long_exception"
                    : "illegal_argument_exception", http.getMessage());
        }
        log.warn("request failed", cause);
        return new ApiException(500, "exception", cause.getClass().getSimpleName() + ": " + cause.getMessage(),
                java.util.Map.of(), cause);
    }

    /** The error as Elasticsearch renders it in a response body. */
    static ObjectNode body(ApiException e) {
        ObjectNode root = Json.object();
        ObjectNode error = cause(e);
        ArrayNode rootCause = error.putArray("root_cause");
        rootCause.add(cause(e));
        ObjectNode full = root.putObject("error");
        full.setAll(error);
        Throwable inner = e.getCause();
        if (inner != null && inner != e) {
            ObjectNode causedBy = full.putObject("caused_by");
            if (inner instanceof ApiException api) {
                causedBy.setAll(cause(api));
            } else {
                causedBy.put("type", snakeCase(inner.getClass().getSimpleName()));
                causedBy.put("reason", inner.getMessage());
            }
        }
        root.put("status", e.status());
        return root;
    }

    /** {@code {"type":...,"reason":...,+metadata}}: one error cause, as in root_cause or a bulk item. */
    static ObjectNode cause(ApiException e) {
        ObjectNode node = Json.object();
        node.put("type", e.type());
        node.put("reason", e.reason());
        e.metadata().forEach((k, v) -> node.put(k, String.valueOf(v)));
        return node;
    }

    private static String snakeCase(String className) {
        return className.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
