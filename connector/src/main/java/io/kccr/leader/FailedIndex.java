package io.kccr.leader;

/**
 * A leader index the log lists that could not be opened at start-up (its metadata cannot be read, a shard's log
 * lost acknowledged ops, Lucene refused its files): it is red, takes neither reads nor writes, and says why.
 * It can be deleted.
 *
 * @param name   the index name
 * @param uuid   its uuid, or {@code _na_} when its metadata could not be read
 * @param shards its number of shards, or 1 when unknown
 * @param reason why it failed to open, and what to do
 */
public record FailedIndex(String name, String uuid, int shards, String reason) {
}
