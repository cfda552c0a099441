package io.kccr.core.search.aggs;

import java.io.IOException;
import org.apache.lucene.search.Scorable;

/** Collects the documents of one leaf into the buckets of an aggregator: {@code bucket} is the owning bucket's ordinal. */
public interface LeafBucketCollector {

    /** Adds {@code doc} (leaf-relative) to the aggregator's state for owning bucket {@code bucket}. */
    void collect(int doc, long bucket) throws IOException;

    /** The scorer of the documents collected next, for aggregations that use scores (top_hits). */
    default void setScorer(Scorable scorer) throws IOException {
    }

    /** Collects nothing: a leaf without the field. */
    LeafBucketCollector NO_OP = (doc, bucket) -> { };
}
