package io.kccr.node.rest;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * Elasticsearch's error body, {@code {"error":{"type":..,"reason":..,<metadata>,"root_cause":[..],"caused_by":..},
 * "status":N}}, as {@link RestErrors} renders every failure.
 *
 * @param error  what went wrong
 * @param status the HTTP status, repeated in the body
 */
record ErrorResponse(Detail error, int status) {

    /**
     * One cause: the entries of {@code root_cause}, and the {@code error} of a failed bulk item.
     *
     * @param metadata fields beside type and reason (e.g. {@code index}), in their order: numbers as numbers, the
     *                 rest as text
     */
    @JsonPropertyOrder({"type", "reason", "metadata"})
    record Cause(String type, String reason, @JsonAnyGetter Map<String, Object> metadata) {
    }

    /**
     * The {@code error} object: the cause's fields, the root causes, and the underlying failure if any.
     *
     * @param causedBy the exception beneath, null (and left out) when there is none
     */
    @JsonPropertyOrder({"type", "reason", "metadata", "root_cause", "caused_by"})
    record Detail(String type, String reason, @JsonAnyGetter Map<String, Object> metadata, List<Cause> rootCause,
                  @JsonInclude(JsonInclude.Include.NON_NULL) CausedBy causedBy) {
    }

    /** The exception beneath an error: its type and message (null when it has none). */
    record CausedBy(String type, String reason) {
    }
}
