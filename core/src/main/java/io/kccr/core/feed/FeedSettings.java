package io.kccr.core.feed;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link LogFeed} is sized.
 *
 * @param applyThreads        threads that apply write requests, for all shards of all clusters
 * @param consumersPerProfile most consumers per Kafka cluster and read profile; shards spread over them
 * @param maintenanceInterval how often shards are asked about maintenance and positions are committed to groups
 * @param bufferLimitBytes    heap all shards' unwritten read requests may hold; fetchers wait above it
 * @param offsetCommitsInFlight most group offset commits outstanding at once, per cluster
 * @param pollTimeout         the longest a fetcher waits in one poll
 */
public record FeedSettings(int applyThreads, int consumersPerProfile, Duration maintenanceInterval,
                           long bufferLimitBytes, int offsetCommitsInFlight, Duration pollTimeout) {

    public FeedSettings {
        Objects.requireNonNull(maintenanceInterval, "maintenanceInterval");
        Objects.requireNonNull(pollTimeout, "pollTimeout");
        if (applyThreads < 1 || consumersPerProfile < 1 || bufferLimitBytes < 1 || offsetCommitsInFlight < 1) {
            throw new IllegalArgumentException("feed settings must be positive: " + this);
        }
    }

    /**
     * One apply thread per core (a shard applies on one thread at a time, so more would only help with more shards
     * than cores, which then take turns anyway), one consumer per cluster and profile (a consumer reads far faster
     * than Lucene indexes), an eighth of the heap (at most 256 MB) for read-ahead, maintenance every second.
     */
    public static FeedSettings defaults() {
        long heapEighth = Runtime.getRuntime().maxMemory() / 8;
        return new FeedSettings(Runtime.getRuntime().availableProcessors(), 1, Duration.ofSeconds(1),
                Math.min(256L << 20, heapEighth), 32, Duration.ofSeconds(1));
    }
}
