package io.kccr.core.feed;

/**
 * What the feed measured of one assigned shard since it was assigned: Elasticsearch's read and write request
 * counters, in the feed's terms. A read request is a shard's share of one consumer poll (at most its read limits);
 * a write request one call of {@link ShardSink#apply}.
 *
 * @param readRequests        read requests handed to the shard
 * @param failedReadRequests  polls of the shard's consumer that failed for this shard
 * @param operationsRead      records read
 * @param bytesRead           their key and value bytes
 * @param readMillis          time of the polls that returned the shard's read requests (a poll that returned several
 *                            shards' records counts for each)
 * @param bufferedReads       read requests held, not yet written in full
 * @param bufferedOps         records held, not yet in a write request
 * @param bufferedBytes       their key and value bytes
 * @param writing             whether a write request of the shard runs now
 * @param writeRequests       write requests applied
 * @param failedWriteRequests write requests (or maintenance) that failed
 * @param writeMillis         time spent in write requests
 * @param lastReadMillis      wall-clock time of the last read request (a poll that returned records of the shard),
 *                            0 before the first
 * @param lastPollMillis      wall-clock time of the last poll that could have returned the shard's records and came
 *                            back without error (it was assigned and not paused), 0 before the first
 * @param paused              whether reads of the shard are paused (buffer full, or backing off after an error)
 */
public record FeedShardStats(long readRequests, long failedReadRequests, long operationsRead, long bytesRead,
                             long readMillis, int bufferedReads, long bufferedOps, long bufferedBytes,
                             boolean writing, long writeRequests, long failedWriteRequests, long writeMillis,
                             long lastReadMillis, long lastPollMillis, boolean paused) {
}
