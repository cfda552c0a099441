package io.kccr.core.search.aggs;

import java.io.IOException;
import org.apache.lucene.search.Scorable;

/**
 * Collects the documents of one leaf into the buckets of an aggregator: {@code bucket} is the owning bucket's ordinal.
 * Documents come in ascending order (a document with several values may come again, for each of its buckets), one at
 * a time or in batches; a collector handles both the same way. Batches exist so that an aggregation over many
 * documents runs in tight loops, one call per aggregator and batch, instead of a chain of calls per document; they
 * are used only when no aggregator reads scores (a score belongs to the document being collected).
 */
public interface LeafBucketCollector {

    /** Adds {@code doc} (leaf-relative) to the aggregator's state for owning bucket {@code bucket}. */
    void collect(int doc, long bucket) throws IOException;

    /** Adds {@code docs[0..count)} to owning bucket {@code bucket}. The array is the caller's: read it, keep nothing. */
    default void collect(int[] docs, int count, long bucket) throws IOException {
        for (int i = 0; i < count; i++) {
            collect(docs[i], bucket);
        }
    }

    /** Adds each {@code docs[i]} to owning bucket {@code buckets[i]}, {@code i < count}. The arrays are the caller's. */
    default void collect(int[] docs, long[] buckets, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            collect(docs[i], buckets[i]);
        }
    }

    /** The scorer of the documents collected next, for aggregations that use scores (top_hits). */
    default void setScorer(Scorable scorer) throws IOException {
    }

    /** Collects nothing: a leaf without the field. */
    LeafBucketCollector NO_OP = new LeafBucketCollector() {
        @Override
        public void collect(int doc, long bucket) {
        }

        @Override
        public void collect(int[] docs, int count, long bucket) {
        }

        @Override
        public void collect(int[] docs, long[] buckets, int count) {
        }
    };
}
