package io.kccr.core.feed;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory all shards of a feed may hold in read requests not yet written, whatever their own limits say: the
 * bound that keeps a node following many shards that all catch up at once within its heap. A fetcher stops polling
 * while it is exhausted and goes on as the apply threads release. Thread-safe.
 */
final class FeedBudget {
    /** Heap a record costs beyond its key and value bytes: the record, its headers, the fetch buffer it pins. */
    private static final long RECORD_OVERHEAD = 320;

    private final long limit;
    private final AtomicLong used = new AtomicLong();

    FeedBudget(long limitBytes) {
        this.limit = limitBytes;
    }

    /** The heap {@code records} records of {@code bytes} key and value bytes hold. */
    static long footprint(long records, long bytes) {
        return 2 * bytes + records * RECORD_OVERHEAD;
    }

    void take(long footprint) {
        used.addAndGet(footprint);
    }

    void release(long footprint) {
        used.addAndGet(-footprint);
    }

    boolean exhausted() {
        return used.get() >= limit;
    }

    long used() {
        return used.get();
    }
}
