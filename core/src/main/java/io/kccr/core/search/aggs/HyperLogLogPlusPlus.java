package io.kccr.core.search.aggs;

import com.carrotsearch.hppc.LongHashSet;
import com.carrotsearch.hppc.cursors.LongCursor;
import com.dynatrace.hash4j.distinctcount.HyperLogLog;

/**
 * One bucket's distinct-value counter as Elasticsearch's HyperLogLog++: exact (a set of 64-bit hashes, linear
 * counting's role) while there are at most {@code threshold} distinct hashes, then a HyperLogLog sketch of
 * precision {@code p} (hash4j's, with its maximum-likelihood estimator). So counts up to
 * {@code precision_threshold} are exact but for hash collisions, and larger ones have HLL's relative error of about
 * {@code 1.04 / sqrt(2^p)}. Mergeable; not thread-safe.
 */
public final class HyperLogLogPlusPlus {
    /** Elasticsearch's limits and default of {@code precision_threshold}. */
    public static final int MAX_THRESHOLD = 40_000;
    public static final int DEFAULT_THRESHOLD = 3_000;

    private final int precision;
    private final int threshold;
    private LongHashSet exact = new LongHashSet();
    private HyperLogLog sketch;

    public HyperLogLogPlusPlus(int threshold) {
        this.threshold = threshold;
        this.precision = precisionFromThreshold(threshold);
    }

    /**
     * Elasticsearch's {@code precisionFromThreshold}: enough registers that the sketch takes no more memory than
     * the exact set would at the threshold, between 4 and 18.
     */
    public static int precisionFromThreshold(long count) {
        long hashTableEntries = (long) Math.ceil(count / 0.75);
        int precision = 64 - Long.numberOfLeadingZeros(hashTableEntries * Integer.BYTES);
        return Math.max(4, Math.min(18, precision));
    }

    /** Bytes this counter holds (for the request's breaker). */
    public long bytes() {
        return sketch != null ? (1L << precision) : 16L + exact.size() * 16L;
    }

    public void addHash(long hash) {
        if (sketch != null) {
            sketch.add(hash);
            return;
        }
        exact.add(hash);
        if (exact.size() > threshold) {
            toSketch();
        }
    }

    private void toSketch() {
        sketch = HyperLogLog.create(precision);
        for (LongCursor c : exact) {
            sketch.add(c.value);
        }
        exact = null;
    }

    /** Adds everything {@code other} counted. */
    public void merge(HyperLogLogPlusPlus other) {
        if (other.sketch == null) {
            for (LongCursor c : other.exact) {
                addHash(c.value);
            }
            return;
        }
        if (sketch == null) {
            toSketch();
        }
        sketch.add(other.sketch);
    }

    /** The counter's state, for another node to merge ({@link #fromBytes}). */
    public byte[] toBytes() {
        if (sketch != null) {
            byte[] state = sketch.getState();
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1 + state.length);
            return b.put((byte) 1).put(state).array();
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1 + 4 + exact.size() * 8);
        b.put((byte) 0).putInt(exact.size());
        for (LongCursor c : exact) {
            b.putLong(c.value);
        }
        return b.array();
    }

    /** A counter of {@code threshold} in the state {@link #toBytes} gave. */
    public static HyperLogLogPlusPlus fromBytes(int threshold, byte[] bytes) {
        HyperLogLogPlusPlus c = new HyperLogLogPlusPlus(threshold);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
        if (b.get() == 1) {
            byte[] state = new byte[b.remaining()];
            b.get(state);
            c.sketch = HyperLogLog.wrap(state);
            c.exact = null;
        } else {
            int n = b.getInt();
            for (int i = 0; i < n; i++) {
                c.exact.add(b.getLong());
            }
        }
        return c;
    }

    public long cardinality() {
        return sketch == null ? exact.size() : Math.round(sketch.getDistinctCountEstimate());
    }
}
