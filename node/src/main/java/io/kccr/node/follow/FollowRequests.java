package io.kccr.node.follow;

import io.kccr.core.error.InvalidRequestException;
import com.fasterxml.jackson.databind.JsonNode;
import io.kccr.core.index.TimeValues;
import io.kccr.follower.FollowParameters;
import java.time.Duration;

/** Reads Elasticsearch's follow tuning parameters from a request body, over a base. */
public final class FollowRequests {
    private FollowRequests() {
    }

    /** {@code base} with the parameters {@code body} names; a bad value is a 400 naming it. */
    public static FollowParameters parameters(JsonNode body, FollowParameters base) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            return base;
        }
        return new FollowParameters(
                intValue(body, "max_read_request_operation_count", base.maxReadRequestOperationCount()),
                intValue(body, "max_outstanding_read_requests", base.maxOutstandingReadRequests()),
                text(body, "max_read_request_size", base.maxReadRequestSize()),
                intValue(body, "max_write_request_operation_count", base.maxWriteRequestOperationCount()),
                text(body, "max_write_request_size", base.maxWriteRequestSize()),
                intValue(body, "max_outstanding_write_requests", base.maxOutstandingWriteRequests()),
                intValue(body, "max_write_buffer_count", base.maxWriteBufferCount()),
                text(body, "max_write_buffer_size", base.maxWriteBufferSize()),
                time(body, "max_retry_delay", base.maxRetryDelay()),
                time(body, "read_poll_timeout", base.readPollTimeout()));
    }

    private static int intValue(JsonNode body, String name, int base) {
        JsonNode v = body.get(name);
        if (v == null || v.isNull()) {
            return base;
        }
        if (!v.canConvertToInt() && !v.isTextual()) {
            throw InvalidRequestException.illegalArgument("[" + name + "] must be a whole number, got [" + v + "]");
        }
        try {
            int n = v.isTextual() ? Integer.parseInt(v.asText()) : v.asInt();
            if (n < 1) {
                throw InvalidRequestException.illegalArgument("[" + name + "] must be larger than 0, got [" + n + "]");
            }
            return n;
        } catch (NumberFormatException e) {
            throw InvalidRequestException.illegalArgument("[" + name + "] must be a whole number, got [" + v.asText() + "]");
        }
    }

    private static String text(JsonNode body, String name, String base) {
        JsonNode v = body.get(name);
        return v == null || v.isNull() ? base : v.asText();
    }

    private static Duration time(JsonNode body, String name, Duration base) {
        JsonNode v = body.get(name);
        return v == null || v.isNull() ? base : TimeValues.parse(v.asText(), name);
    }
}
