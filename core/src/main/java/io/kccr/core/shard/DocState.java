package io.kccr.core.shard;

/**
 * What the shard knows of one document id: the op that last wrote it.
 *
 * @param seqNo       seq_no of that op
 * @param primaryTerm its primary term
 * @param version     the document's version after it
 * @param deleted     true when that op was a delete
 */
public record DocState(long seqNo, long primaryTerm, long version, boolean deleted) {
}
