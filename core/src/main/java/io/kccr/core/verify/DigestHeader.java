package io.kccr.core.verify;

/**
 * The first line of a shard's digest: which shard it is and where it stood.
 *
 * @param index          the index the digest was taken of
 * @param shard          the shard number
 * @param numberOfShards how many shards the index has
 * @param maxSeqNo       the highest seq_no the shard had applied when its reader was opened (-1 for none)
 * @param checkpoint     the seq_no up to which documents carry a hash: the {@code max_seq_no} asked for, capped at
 *                       {@code maxSeqNo}; all of them without one asked for
 */
public record DigestHeader(String index, int shard, int numberOfShards, long maxSeqNo, long checkpoint) {
}
