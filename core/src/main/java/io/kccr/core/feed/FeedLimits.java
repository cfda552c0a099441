package io.kccr.core.feed;

import java.time.Duration;
import java.util.Objects;

/**
 * How much of one shard's partition the feed reads ahead and how it hands it over: Elasticsearch's follow
 * parameters, in the units of a Kafka consumer and a write request.
 *
 * @param maxReadOps       the most records in one read request (a shard's share of one poll); also the consumer's
 *                         {@code max.poll.records}
 * @param maxReadBytes     the most key and value bytes in one read request; also the consumer's
 *                         {@code max.partition.fetch.bytes} (a single larger record still comes through)
 * @param readPollTimeout  how long a fetch waits at the broker for new records when the shard is caught up (the
 *                         consumer's {@code fetch.max.wait.ms}, at most {@link ReadProfile#MAX_FETCH_WAIT})
 * @param maxBufferedReads read requests a shard may hold unwritten; at that many its partition is paused
 * @param maxBufferedOps   records a shard may hold unwritten; at that many its partition is paused
 * @param maxBufferedBytes key and value bytes a shard may hold unwritten; at that many its partition is paused
 * @param maxWriteOps      the most records in one write request (one call of {@link ShardSink#apply})
 * @param maxWriteBytes    the most key and value bytes in one write request (a single larger record still goes)
 * @param writesPerTurn    write requests a shard runs back to back on an apply thread before other shards' go
 */
public record FeedLimits(int maxReadOps, long maxReadBytes, Duration readPollTimeout, int maxBufferedReads,
                         long maxBufferedOps, long maxBufferedBytes, int maxWriteOps, long maxWriteBytes,
                         int writesPerTurn) {

    /** Elasticsearch's defaults, mapped as {@code FollowParameters} maps them. */
    public static final FeedLimits DEFAULTS = new FeedLimits(5120, 32L << 20, Duration.ofMinutes(1), 12,
            Integer.MAX_VALUE, 512L << 20, 5120, Long.MAX_VALUE, 9);

    public FeedLimits {
        Objects.requireNonNull(readPollTimeout, "readPollTimeout");
        if (maxReadOps < 1 || maxReadBytes < 1 || maxBufferedReads < 1 || maxBufferedOps < 1 || maxBufferedBytes < 1
                || maxWriteOps < 1 || maxWriteBytes < 1 || writesPerTurn < 1 || readPollTimeout.isNegative()) {
            throw new IllegalArgumentException("feed limits must be positive: " + this);
        }
    }
}
