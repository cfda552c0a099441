package io.kccr.follower;

import io.kccr.core.settings.ByteSizeUnit;
import io.kccr.core.settings.ByteSizeValue;
import io.kccr.core.settings.TimeValue;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Elasticsearch's follow tuning parameters, reported back in {@code _ccr/info}. Each has its effect in the node's
 * feed ({@code FollowerFeed#limits}, the README's table): the read ones size the follower's reads (its consumer's
 * {@code max.poll.records}, {@code max.partition.fetch.bytes}, {@code fetch.max.wait.ms}, and the read requests
 * a poll is cut into), the buffer ones bound what is read ahead of the writes (the partition is paused at them), the
 * write ones size the write requests (one call into Lucene each) and how many of a shard run in a row, and
 * {@code max_retry_delay} caps the retry backoff.
 */
public record FollowParameters(int maxReadRequestOperationCount, int maxOutstandingReadRequests,
                               ByteSizeValue maxReadRequestSize, int maxWriteRequestOperationCount,
                               ByteSizeValue maxWriteRequestSize, int maxOutstandingWriteRequests,
                               int maxWriteBufferCount, ByteSizeValue maxWriteBufferSize, Duration maxRetryDelay,
                               Duration readPollTimeout) {

    /** Elasticsearch's defaults. */
    public static final FollowParameters DEFAULTS = new FollowParameters(5120, 12, ByteSizeValue.of(32, ByteSizeUnit.MB),
            5120, ByteSizeValue.ofBytes(Long.MAX_VALUE), 9, Integer.MAX_VALUE, ByteSizeValue.of(512, ByteSizeUnit.MB),
            Duration.ofMillis(500), Duration.ofMinutes(1));

    public FollowParameters {
        Objects.requireNonNull(maxReadRequestSize, "maxReadRequestSize");
        Objects.requireNonNull(maxWriteRequestSize, "maxWriteRequestSize");
        Objects.requireNonNull(maxWriteBufferSize, "maxWriteBufferSize");
        Objects.requireNonNull(maxRetryDelay, "maxRetryDelay");
        Objects.requireNonNull(readPollTimeout, "readPollTimeout");
    }

    /**
     * The parameters as {@code _ccr/info} shows them, as Elasticsearch's {@code getStringRep()}: sizes in the unit
     * they were given in ({@code 32mb}), times in the largest unit that holds them whole ({@code 1m}, {@code 500ms}).
     */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("max_read_request_operation_count", maxReadRequestOperationCount);
        m.put("max_outstanding_read_requests", maxOutstandingReadRequests);
        m.put("max_read_request_size", maxReadRequestSize.stringRep());
        m.put("max_write_request_operation_count", maxWriteRequestOperationCount);
        m.put("max_write_request_size", maxWriteRequestSize.stringRep());
        m.put("max_outstanding_write_requests", maxOutstandingWriteRequests);
        m.put("max_write_buffer_count", maxWriteBufferCount);
        m.put("max_write_buffer_size", maxWriteBufferSize.stringRep());
        m.put("max_retry_delay", TimeValue.of(maxRetryDelay).stringRep());
        m.put("read_poll_timeout", TimeValue.of(readPollTimeout).stringRep());
        return m;
    }
}
