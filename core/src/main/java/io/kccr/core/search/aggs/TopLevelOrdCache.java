package io.kccr.core.search.aggs;

import java.util.Arrays;

/**
 * A direct-mapped cache of the bucket ordinals of the top-level owning bucket, keyed by a bucket key (a date
 * histogram's rounded millis, a histogram's key bits): a multiply and a shift find the slot, where the bucket table
 * ({@link LongKeyedOrds}) hashes through a map per owning bucket. Fibonacci hashing spreads keys in arithmetic
 * progression (every histogram's keys) over distinct slots, so a year of days or a day of minutes hits every time;
 * a collision only sends the lookup on to the table. Fixed size (24 KB, not accounted: it does not grow with the
 * buckets). Not thread-safe: one aggregator.
 */
final class TopLevelOrdCache {
    private static final int BITS = 11;
    private final long[] keys = new long[1 << BITS];
    private final int[] ords = new int[1 << BITS];

    TopLevelOrdCache() {
        Arrays.fill(ords, -1);
    }

    private static int slot(long key) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> (64 - BITS));
    }

    /** The ordinal cached for {@code key}, or -1. */
    int get(long key) {
        int slot = slot(key);
        return keys[slot] == key ? ords[slot] : -1;
    }

    void put(long key, int ord) {
        int slot = slot(key);
        keys[slot] = key;
        ords[slot] = ord;
    }
}
