package io.kccr.node.rest;

import io.kccr.core.error.KccrException;
import io.javalin.http.HttpResponseException;
import io.kccr.core.error.AlreadyExistsException;
import io.kccr.core.error.AuthenticationException;
import io.kccr.core.error.AuthorizationException;
import io.kccr.core.error.CircuitBreakingException;
import io.kccr.core.error.ClusterBlockException;
import io.kccr.core.error.ContentTooLongException;
import io.kccr.core.error.FailedException;
import io.kccr.core.error.IndexClosedException;
import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.error.NotFoundException;
import io.kccr.core.error.ReadOnlyIndexException;
import io.kccr.core.error.RejectedException;
import io.kccr.core.error.TimedOutException;
import io.kccr.core.error.UnavailableException;
import io.kccr.core.error.VersionConflictException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that maps failures to HTTP: each kind of {@link KccrException} to its status (the
 * switch is exhaustive, so a new kind cannot go unmapped), an {@link HttpError} keeps its own, anything
 * else is a 500 whose reason names the failure. The body is Elasticsearch's error shape,
 * {@code {"error":{"root_cause":[...],"type":...,"reason":...},"status":N}}.
 */
final class RestErrors {
    private static final Logger log = LoggerFactory.getLogger(RestErrors.class);

    /** An error as the REST API answers it. */
    record Reply(int status, String type, String reason, Map<String, Object> metadata, Throwable cause) {
    }

    private RestErrors() {
    }

    /** The HTTP status of each kind of failure. */
    static int status(KccrException e) {
        return switch (e) {
            case NotFoundException x -> 404;
            case AlreadyExistsException x -> 400;
            case InvalidRequestException x -> 400;
            case IndexClosedException x -> 400;
            case VersionConflictException x -> 409;
            case ReadOnlyIndexException x -> 403;
            case RejectedException x -> 429;
            case UnavailableException x -> 503;
            case TimedOutException x -> 504;
            case FailedException x -> 500;
            case CircuitBreakingException x -> 429;
            case AuthenticationException x -> 401;
            case AuthorizationException x -> 403;
            case ClusterBlockException x -> x.retryable() ? 429 : 403;
            case ContentTooLongException x -> 413;
        };
    }

    /** Unwraps futures' wrappers and turns {@code t} into the reply the client gets. */
    static Reply reply(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return switch (cause) {
            case KccrException e -> new Reply(status(e), e.type(), e.reason(), e.metadata(), e.getCause());
            case HttpError e -> new Reply(e.status(), e.type(), e.getMessage(), Map.of(), null);
            case HttpResponseException e -> new Reply(e.getStatus(), e.getStatus() == 413
                    ? "content_too_long_exception" : "illegal_argument_exception", e.getMessage(), Map.of(), null);
            default -> {
                log.warn("request failed", cause);
                yield new Reply(500, "exception", cause.getClass().getSimpleName() + ": " + cause.getMessage(),
                        Map.of(), cause);
            }
        };
    }

    /** The error as Elasticsearch renders it in a response body. */
    static ErrorResponse body(Reply e) {
        ErrorResponse.Cause cause = cause(e);
        Throwable inner = e.cause();
        ErrorResponse.CausedBy causedBy = switch (inner) {
            case null -> null;
            case KccrException k -> new ErrorResponse.CausedBy(k.type(), k.reason());
            default -> new ErrorResponse.CausedBy(snakeCase(inner.getClass().getSimpleName()), inner.getMessage());
        };
        return new ErrorResponse(new ErrorResponse.Detail(cause.type(), cause.reason(), cause.metadata(),
                List.of(cause), causedBy), e.status());
    }

    /** One error cause, as in root_cause or a bulk item: type, reason and the metadata (numbers kept numbers). */
    static ErrorResponse.Cause cause(Reply e) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        e.metadata().forEach((k, v) -> metadata.put(k, v instanceof Number n ? (Object) n.longValue() : String.valueOf(v)));
        return new ErrorResponse.Cause(e.type(), e.reason(), metadata);
    }

    private static String snakeCase(String className) {
        return className.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
