package io.kccr.core.search.aggs;

import io.kccr.core.error.CircuitBreakingException;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The node's memory budget for the working state of requests (aggregation buckets, digests, sketches, top
 * hits): Elasticsearch's {@code request} circuit breaker. Every request accounts what it allocates through an
 * {@link Account}; when the sum over all running requests would pass the limit, the request that asks is
 * refused with 429 {@code circuit_breaking_exception} instead of taking the node's heap. Thread-safe.
 */
public final class RequestBreaker {
    /** Elasticsearch's default {@code indices.breaker.request.limit}: 60% of the heap. */
    public static final double DEFAULT_HEAP_FRACTION = 0.6;

    private final LongSupplier limit;
    private final AtomicLong used = new AtomicLong();

    /** @param limit the current limit in bytes (a setting may change it) */
    public RequestBreaker(LongSupplier limit) {
        this.limit = limit;
    }

    /** A breaker with the default limit, 60% of the maximum heap. */
    public static RequestBreaker ofHeapFraction(double fraction) {
        long bytes = (long) (Runtime.getRuntime().maxMemory() * fraction);
        return new RequestBreaker(() -> bytes);
    }

    /** Bytes accounted by running requests now. */
    public long used() {
        return used.get();
    }

    public long limit() {
        return limit.getAsLong();
    }

    /**
     * A new account for one request; close it when the request is done. The limit is read here, once: a request
     * accounts every new bucket, and reading a dynamic setting each time cost a tenth of a small aggregation.
     */
    public Account newAccount() {
        return new Account(limit.getAsLong());
    }

    private void add(long bytes, long max, String aggName) {
        long now = used.addAndGet(bytes);
        if (bytes > 0 && now > max) {
            used.addAndGet(-bytes);
            // the label is built only when refusing: accounting is on the path of every new bucket
            String label = "<agg [" + aggName + "]>";
            throw new CircuitBreakingException("[request] Data too large, data for [" + label + "] would be [" + now
                    + "/" + human(now) + "], which is larger than the limit of [" + max + "/" + human(max) + "]; ask"
                    + " for fewer or smaller buckets (a smaller size, fewer sub-aggregations, a lower"
                    + " precision_threshold), or raise indices.breaker.request.limit", now, max);
        }
    }

    private static String human(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1fgb", bytes / (double) (1L << 30));
        }
        if (bytes >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1fmb", bytes / (double) (1L << 20));
        }
        if (bytes >= 1L << 10) {
            return String.format(Locale.ROOT, "%.1fkb", bytes / (double) (1L << 10));
        }
        return bytes + "b";
    }

    /** What one request holds. Not thread-safe: one request's thread. Closing releases everything. */
    public final class Account implements AutoCloseable {
        private final long limit;
        private long held;

        private Account(long limit) {
            this.limit = limit;
        }

        /**
         * Accounts {@code bytes} more for {@code label} (e.g. the aggregation's name).
         *
         * @throws CircuitBreakingException past the limit; nothing is accounted then
         */
        public void add(long bytes, String label) {
            RequestBreaker.this.add(bytes, limit, label);
            held += bytes;
        }

        public long held() {
            return held;
        }

        @Override
        public void close() {
            if (held != 0) {
                RequestBreaker.this.used.addAndGet(-held);
                held = 0;
            }
        }
    }
}
