package io.kccr.core.search.aggs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.Scorable;

/**
 * An aggregator whose results are buckets: it counts documents per bucket ordinal and hands each document on
 * to its sub-aggregators with the bucket's ordinal as their owning bucket.
 */
public abstract class BucketsAggregator extends Aggregator {
    protected final Aggregator[] subs;
    private long[] docCounts = new long[0];

    protected BucketsAggregator(String name, AggregationContext context, List<AggregatorFactory> subFactories)
            throws IOException {
        super(name, context);
        this.subs = new Aggregator[subFactories.size()];
        for (int i = 0; i < subs.length; i++) {
            subs[i] = subFactories.get(i).create(context);
        }
    }

    @Override
    public boolean needsScores() {
        for (Aggregator s : subs) {
            if (s.needsScores()) {
                return true;
            }
        }
        return false;
    }

    /** The sub-aggregators' collectors of {@code leaf}. */
    protected LeafBucketCollector[] subLeaves(LeafReaderContext leaf) throws IOException {
        LeafBucketCollector[] out = new LeafBucketCollector[subs.length];
        for (int i = 0; i < subs.length; i++) {
            out[i] = subs[i].leaf(leaf);
        }
        return out;
    }

    /** Counts {@code doc} in bucket {@code ord} and collects it into the sub-aggregators. */
    protected final void collectBucket(LeafBucketCollector[] subLeaves, int doc, long ord) throws IOException {
        if (ord >= docCounts.length) {
            docCounts = grow(docCounts, ord);
        }
        docCounts[(int) ord]++;
        for (LeafBucketCollector s : subLeaves) {
            s.collect(doc, ord);
        }
    }

    /**
     * Counts each {@code docs[i]} in bucket {@code ords[i]} ({@code i < count}) and hands the batch to the
     * sub-aggregators: one call per sub-aggregator and batch.
     */
    protected final void collectBuckets(LeafBucketCollector[] subLeaves, int[] docs, long[] ords, int count)
            throws IOException {
        long[] counts = docCounts;
        for (int i = 0; i < count; i++) {
            long ord = ords[i];
            if (ord >= counts.length) {
                counts = docCounts = grow(counts, ord);
            }
            counts[(int) ord]++;
        }
        for (LeafBucketCollector s : subLeaves) {
            s.collect(docs, ords, count);
        }
    }

    /**
     * The collector of a leaf without the field, for an aggregator keyed by {@code ords} that reads such documents as
     * its {@code missing} value: every document goes to the bucket of {@code missingKey} under its owning bucket.
     */
    final LeafBucketCollector allToMissing(LeafBucketCollector[] subLeaves, LongKeyedOrds ords, long missingKey) {
        return new Leaf(subLeaves) {
            @Override
            public void collect(int doc, long bucket) throws IOException {
                collectBucket(subLeaves, doc, ords.add(bucket, missingKey));
            }
        };
    }

    /** The document count of bucket {@code ord}. */
    protected final long docCount(long ord) {
        return ord < docCounts.length ? docCounts[(int) ord] : 0;
    }

    /** The sub-aggregations' results for bucket {@code ord}. */
    protected final InternalAggs buildSubs(long ord) throws IOException {
        if (subs.length == 0) {
            return InternalAggs.EMPTY;
        }
        List<InternalAgg> out = new ArrayList<>(subs.length);
        for (Aggregator s : subs) {
            out.add(s.build(ord));
        }
        return new InternalAggs(out);
    }

    @Override
    public void finish() throws IOException {
        for (Aggregator s : subs) {
            s.finish();
        }
    }

    /** A collector that sets the scorer of the sub-collectors too. */
    protected abstract static class Leaf implements LeafBucketCollector {
        protected final LeafBucketCollector[] subLeaves;
        private long[] same = new long[0];
        private long sameBucket;
        /** Scratch for batch collectors: the documents with a bucket, and their bucket ordinals. */
        protected int[] docBuffer = new int[0];
        protected long[] ordBuffer = new long[0];

        protected Leaf(LeafBucketCollector[] subLeaves) {
            this.subLeaves = subLeaves;
        }

        /** {@code count} times {@code bucket}, in an array kept for the next batch. */
        protected final long[] same(long bucket, int count) {
            if (same.length < count) {
                same = new long[count];
                java.util.Arrays.fill(same, bucket);
                sameBucket = bucket;
            } else if (sameBucket != bucket) {
                java.util.Arrays.fill(same, bucket);
                sameBucket = bucket;
            }
            return same;
        }

        /** Makes {@link #docBuffer} and {@link #ordBuffer} hold at least {@code count} entries. */
        protected final void buffers(int count) {
            if (docBuffer.length < count) {
                docBuffer = new int[count];
                ordBuffer = new long[count];
            }
        }

        @Override
        public void setScorer(Scorable scorer) throws IOException {
            setScorers(subLeaves, scorer);
        }
    }
}
