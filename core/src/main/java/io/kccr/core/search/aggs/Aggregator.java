package io.kccr.core.search.aggs;

import java.io.IOException;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.Scorable;

/**
 * Collects one aggregation on one shard, for any number of owning buckets (the buckets of its parent, or
 * bucket 0 at the top level), then builds the shard's partial result per owning bucket. Created per shard and
 * request; not thread-safe. Memory it keeps per bucket is accounted to the request's breaker account.
 */
public abstract class Aggregator {
    protected final String name;
    protected final AggregationContext context;

    protected Aggregator(String name, AggregationContext context) {
        this.name = name;
        this.context = context;
    }

    public String name() {
        return name;
    }

    /** The collector of {@code leaf}'s documents. */
    public abstract LeafBucketCollector leaf(LeafReaderContext leaf) throws IOException;

    /** The shard's result for owning bucket {@code owningBucket} (empty when nothing was collected there). */
    public abstract InternalAgg build(long owningBucket) throws IOException;

    /** Whether this aggregator (or one below it) reads scores. */
    public boolean needsScores() {
        return false;
    }

    /** Called after the shard's last leaf, before any {@link #build}: e.g. a replay of deferred documents. */
    public void finish() throws IOException {
    }

    /** Grows {@code array} to hold index {@code index}, accounting the new bytes to the request. */
    protected long[] grow(long[] array, long index) {
        if (index < array.length) {
            return array;
        }
        int size = (int) Math.max(index + 1, Math.min(Integer.MAX_VALUE - 8, array.length + (array.length >> 1) + 16));
        context.account((long) (size - array.length) * Long.BYTES, name);
        return java.util.Arrays.copyOf(array, size);
    }

    /** As {@link #grow(long[], long)}, for doubles, new slots set to {@code fill}. */
    protected double[] grow(double[] array, long index, double fill) {
        if (index < array.length) {
            return array;
        }
        int old = array.length;
        int size = (int) Math.max(index + 1, Math.min(Integer.MAX_VALUE - 8, old + (old >> 1) + 16));
        context.account((long) (size - old) * Double.BYTES, name);
        double[] out = java.util.Arrays.copyOf(array, size);
        java.util.Arrays.fill(out, old, size, fill);
        return out;
    }

    /** Passes {@code scorer} to every collector of {@code leaves}. */
    protected static void setScorers(LeafBucketCollector[] leaves, Scorable scorer) throws IOException {
        for (LeafBucketCollector l : leaves) {
            l.setScorer(scorer);
        }
    }
}
