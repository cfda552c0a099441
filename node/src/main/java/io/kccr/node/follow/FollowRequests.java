package io.kccr.node.follow;

import com.fasterxml.jackson.databind.JsonNode;
import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.settings.ByteSizeValue;
import io.kccr.core.settings.TimeValue;
import io.kccr.follower.FollowParameters;
import java.time.Duration;

/**
 * Reads Elasticsearch's follow tuning parameters from a request body (or a stored follower's), over a base; sizes and
 * times with the one {@link ByteSizeValue} and {@link TimeValue} parser. A bad value is a 400 naming it.
 */
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
                size(body, "max_read_request_size", base.maxReadRequestSize()),
                intValue(body, "max_write_request_operation_count", base.maxWriteRequestOperationCount()),
                size(body, "max_write_request_size", base.maxWriteRequestSize()),
                intValue(body, "max_outstanding_write_requests", base.maxOutstandingWriteRequests()),
                intValue(body, "max_write_buffer_count", base.maxWriteBufferCount()),
                size(body, "max_write_buffer_size", base.maxWriteBufferSize()),
                time(body, "max_retry_delay", base.maxRetryDelay()),
                time(body, "read_poll_timeout", base.readPollTimeout()));
    }

    /**
     * The put-follow request's {@code timeout} parameter, or {@code absent} when not given.
     *
     * @throws InvalidRequestException when it is not a time value of 0 or more
     */
    public static Duration timeout(String value, Duration absent) {
        return value == null ? absent : duration("timeout", value);
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

    private static ByteSizeValue size(JsonNode body, String name, ByteSizeValue base) {
        JsonNode v = body.get(name);
        if (v == null || v.isNull()) {
            return base;
        }
        ByteSizeValue size;
        try {
            size = ByteSizeValue.parse(v.asText(), name);
        } catch (IllegalArgumentException e) {
            throw InvalidRequestException.illegalArgument(e.getMessage());
        }
        if (size.bytes() < 1) {
            throw InvalidRequestException.illegalArgument("[" + name + "] must be larger than 0, got [" + v.asText()
                    + "]");
        }
        return size;
    }

    private static Duration time(JsonNode body, String name, Duration base) {
        JsonNode v = body.get(name);
        return v == null || v.isNull() ? base : duration(name, v.asText());
    }

    private static Duration duration(String name, String value) {
        TimeValue time;
        try {
            time = TimeValue.parse(value, name);
        } catch (IllegalArgumentException e) {
            throw InvalidRequestException.illegalArgument(e.getMessage());
        }
        if (time.isMinusOne()) {
            throw InvalidRequestException.illegalArgument("[" + name + "] must not be negative, got [" + value
                    + "]; give a time value such as 30s");
        }
        return time.toDuration();
    }
}
