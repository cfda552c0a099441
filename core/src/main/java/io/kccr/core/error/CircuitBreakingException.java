package io.kccr.core.error;

import java.util.Map;

/**
 * {@code circuit_breaking_exception}: the request would take more memory than the node allows requests
 * ({@code indices.breaker.request.limit}); nothing was kept. Retry with a request that needs less (fewer or
 * smaller buckets), or later when other requests have finished.
 */
public final class CircuitBreakingException extends KccrException {
    private final long bytesWanted;
    private final long bytesLimit;

    public CircuitBreakingException(String reason, long bytesWanted, long bytesLimit) {
        super("circuit_breaking_exception", reason, Map.of("bytes_wanted", bytesWanted, "bytes_limit", bytesLimit,
                "durability", "TRANSIENT"), null);
        this.bytesWanted = bytesWanted;
        this.bytesLimit = bytesLimit;
    }

    public long bytesWanted() {
        return bytesWanted;
    }

    public long bytesLimit() {
        return bytesLimit;
    }
}
