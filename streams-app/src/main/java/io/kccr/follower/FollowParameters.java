package io.kccr.follower;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Elasticsearch's follow tuning parameters. All are accepted and reported back in
 * {@code _ccr/info}; here {@code max_read_request_operation_count} bounds the records a poll
 * returns, {@code read_poll_timeout} is the poll timeout, {@code max_read_request_size} bounds the
 * bytes a fetch returns per partition, and {@code max_retry_delay} caps the retry backoff. The
 * write-side parameters mean nothing here (ops are applied as they are read) and are kept as given.
 */
public record FollowParameters(int maxReadRequestOperationCount, int maxOutstandingReadRequests,
                               String maxReadRequestSize, int maxWriteRequestOperationCount,
                               String maxWriteRequestSize, int maxOutstandingWriteRequests,
                               int maxWriteBufferCount, String maxWriteBufferSize, Duration maxRetryDelay,
                               Duration readPollTimeout) {

    /** Elasticsearch's defaults. */
    public static final FollowParameters DEFAULTS = new FollowParameters(5120, 12, "32mb", 5120, "9223372036854775807b",
            9, 2147483647, "512mb", Duration.ofMillis(500), Duration.ofMinutes(1));

    /** The parameters as {@code _ccr/info} shows them. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("max_read_request_operation_count", maxReadRequestOperationCount);
        m.put("max_outstanding_read_requests", maxOutstandingReadRequests);
        m.put("max_read_request_size", maxReadRequestSize);
        m.put("max_write_request_operation_count", maxWriteRequestOperationCount);
        m.put("max_write_request_size", maxWriteRequestSize);
        m.put("max_outstanding_write_requests", maxOutstandingWriteRequests);
        m.put("max_write_buffer_count", maxWriteBufferCount);
        m.put("max_write_buffer_size", maxWriteBufferSize);
        m.put("max_retry_delay", maxRetryDelay.toMillis() + "ms");
        m.put("read_poll_timeout", readPollTimeout.toMillis() + "ms");
        return m;
    }
}
