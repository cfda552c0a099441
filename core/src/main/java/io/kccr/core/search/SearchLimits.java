package io.kccr.core.search;

import io.kccr.core.search.aggs.RequestBreaker;
import java.util.function.LongSupplier;

/**
 * The node's limits on one search: {@code search.max_buckets} and the memory breaker for aggregations, and the
 * clock {@code timeout} is measured with. Immutable.
 *
 * @param maxBuckets {@code search.max_buckets} (Elasticsearch's default 65,536)
 * @param breaker    the node's request breaker
 * @param nanoTime   a monotonic clock in nanoseconds
 */
public record SearchLimits(int maxBuckets, RequestBreaker breaker, LongSupplier nanoTime) {
    public static final int DEFAULT_MAX_BUCKETS = 65_536;

    /** The defaults: 65,536 buckets, a breaker at 60% of the heap, the system clock. */
    public static final SearchLimits DEFAULT = new SearchLimits(DEFAULT_MAX_BUCKETS,
            RequestBreaker.ofHeapFraction(RequestBreaker.DEFAULT_HEAP_FRACTION), System::nanoTime);
}
