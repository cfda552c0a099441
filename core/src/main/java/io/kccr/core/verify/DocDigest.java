package io.kccr.core.verify;

/**
 * One live document of a shard as a digest shows it.
 *
 * @param id    the document id
 * @param seqNo the seq_no of the op that last wrote it
 * @param hash  {@link SourceHash} of its {@code _source}; null when the digest left it out (the document is beyond
 *              the checkpoint asked for, so it is not compared)
 */
public record DocDigest(String id, long seqNo, String hash) {
}
