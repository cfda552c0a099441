package io.kccr.core.search.aggs;

import io.kccr.core.error.InvalidRequestException;

/**
 * What a reduce needs besides the shard results: the {@code search.max_buckets} limit, counted over every
 * multi-bucket aggregation of the response at every level, as Elasticsearch counts it. Not thread-safe: one
 * per request.
 */
public final class ReduceContext {
    private final int maxBuckets;
    private long buckets;

    public ReduceContext(int maxBuckets) {
        this.maxBuckets = maxBuckets;
    }

    /**
     * Counts {@code n} more buckets in the response.
     *
     * @throws InvalidRequestException {@code too_many_buckets_exception} past {@code search.max_buckets}
     */
    public void consumeBuckets(int n) {
        buckets += n;
        if (buckets > maxBuckets) {
            throw InvalidRequestException.tooManyBuckets(maxBuckets);
        }
    }

    /** Fails as {@link #consumeBuckets} would if {@code pending} more buckets were counted (before building them). */
    public void checkPending(long pending) {
        if (buckets + pending > maxBuckets) {
            throw InvalidRequestException.tooManyBuckets(maxBuckets);
        }
    }

    /** Buckets counted so far. */
    public long buckets() {
        return buckets;
    }
}
