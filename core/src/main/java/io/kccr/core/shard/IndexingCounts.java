package io.kccr.core.shard;

/**
 * What a shard applied since it was opened on this node, as Elasticsearch's {@code indexing} stats count it:
 * index (and create) ops, delete ops, and the time spent applying each kind to Lucene.
 */
public record IndexingCounts(long indexTotal, long indexTimeNanos, long deleteTotal, long deleteTimeNanos) {

    public static final IndexingCounts NONE = new IndexingCounts(0, 0, 0, 0);

    /** The sum of both. */
    public IndexingCounts plus(IndexingCounts other) {
        return new IndexingCounts(indexTotal + other.indexTotal, indexTimeNanos + other.indexTimeNanos,
                deleteTotal + other.deleteTotal, deleteTimeNanos + other.deleteTimeNanos);
    }
}
