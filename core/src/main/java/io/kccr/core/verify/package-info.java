/**
 * Verification that a follower index is identical to its leader index, document by document, per shard: a
 * {@link io.kccr.core.verify.ShardDigester} streams a shard's live documents in id order (id, seq_no, source hash)
 * from one point-in-time reader, {@link io.kccr.core.verify.DigestNdjson} carries such a digest between nodes, and
 * {@link io.kccr.core.verify.DigestComparator} merge-joins a leader's and a follower's digests into a
 * {@link io.kccr.core.verify.ShardReport}; {@link io.kccr.core.verify.Verifier} does it for every shard. Memory is
 * constant in the number of documents. No HTTP in here.
 */
package io.kccr.core.verify;
