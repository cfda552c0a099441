package io.kccr.core.index;

/**
 * A block on an index's writes, as Elasticsearch names its blocks: {@code LEVEL/id/description}. A block whose
 * level is {@code TOO_MANY_REQUESTS} (the flood-stage disk block) is lifted by the node once its cause is gone, and
 * writes it refuses may be retried later (429); any other is {@code FORBIDDEN} (403) until an operator acts.
 *
 * @param id              Elasticsearch's block id (12 for {@code read_only_allow_delete}); ours start at 1000
 * @param description     what is blocked and why, and what to do
 * @param tooManyRequests the level: true for {@code TOO_MANY_REQUESTS}, false for {@code FORBIDDEN}
 */
public record IndexBlock(int id, String description, boolean tooManyRequests) {

    /** {@code index.blocks.read_only_allow_delete}, set while the node's disk is past the flood-stage watermark. */
    public static final IndexBlock FLOOD_STAGE = new IndexBlock(12, "disk usage exceeded flood-stage watermark,"
            + " index has read-only-allow-delete block; free disk space or add disk: the block is removed once usage"
            + " is below the high watermark (cluster.routing.allocation.disk.watermark.high)", true);

    /** A block of writes to a topic whose settings can lose acknowledged writes. */
    public static IndexBlock unsafeTopic(String advice) {
        return new IndexBlock(1001, advice, false);
    }

    /** A block while a follower's documents are re-published into this index (unfollow). */
    public static IndexBlock converting(String follower) {
        return new IndexBlock(1002, "index is being converted from follower index [" + follower + "] (unfollow);"
                + " it takes writes once the conversion is done", false);
    }

    /** {@code LEVEL/id/description}, as Elasticsearch renders a block. */
    @Override
    public String toString() {
        return (tooManyRequests ? "TOO_MANY_REQUESTS" : "FORBIDDEN") + "/" + id + "/" + description;
    }
}
