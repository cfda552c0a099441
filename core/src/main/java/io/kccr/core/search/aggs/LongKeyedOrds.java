package io.kccr.core.search.aggs;

import com.carrotsearch.hppc.IntArrayList;
import com.carrotsearch.hppc.LongIntHashMap;
import java.util.ArrayList;
import java.util.List;

/**
 * Bucket ordinals for (owning bucket, long key) pairs, dense from 0 in order of first sight: the bucket
 * table of the terms, histogram and composite aggregators. Accounts its memory to the request. Not thread-safe.
 */
final class LongKeyedOrds {
    private static final long BYTES_PER_ENTRY = 40;
    private final AggregationContext context;
    private final String label;
    private final List<LongIntHashMap> byOwner = new ArrayList<>();
    private final List<IntArrayList> ordsByOwner = new ArrayList<>();
    private long[] keys = new long[16];
    private long[] owners = new long[16];
    private int size;

    LongKeyedOrds(AggregationContext context, String label) {
        this.context = context;
        this.label = label;
    }

    /** The ordinal of ({@code owner}, {@code key}), added when new. */
    int add(long owner, long key) {
        while (byOwner.size() <= owner) {
            byOwner.add(null);
            ordsByOwner.add(null);
        }
        LongIntHashMap map = byOwner.get((int) owner);
        if (map == null) {
            map = new LongIntHashMap();
            byOwner.set((int) owner, map);
            ordsByOwner.set((int) owner, new IntArrayList());
        }
        int slot = map.indexOf(key);
        if (map.indexExists(slot)) {
            return map.indexGet(slot);
        }
        int ord = size++;
        context.account(BYTES_PER_ENTRY, label);
        map.indexInsert(slot, key, ord);
        if (ord >= keys.length) {
            keys = java.util.Arrays.copyOf(keys, keys.length * 2);
            owners = java.util.Arrays.copyOf(owners, owners.length * 2);
        }
        keys[ord] = key;
        owners[ord] = owner;
        ordsByOwner.get((int) owner).add(ord);
        return ord;
    }

    /** The ordinal of ({@code owner}, {@code key}), or -1. */
    int find(long owner, long key) {
        if (owner >= byOwner.size() || byOwner.get((int) owner) == null) {
            return -1;
        }
        return byOwner.get((int) owner).getOrDefault(key, -1);
    }

    int size() {
        return size;
    }

    long key(int ord) {
        return keys[ord];
    }

    /** The ordinals owned by {@code owner}, in order of first sight. */
    int[] ordsOf(long owner) {
        if (owner >= byOwner.size() || byOwner.get((int) owner) == null) {
            return new int[0];
        }
        return ordsByOwner.get((int) owner).toArray();
    }
}
