package io.kccr.core.feed;

import java.time.Duration;

/**
 * The settings of a consumer that several shards share: shards whose read limits give the same profile are
 * fetched by the same consumers, so each shard's {@code max_read_request_*} and {@code read_poll_timeout} are
 * real consumer settings, while the many shards with the defaults share one consumer.
 *
 * @param maxPollRecords        {@code max.poll.records}
 * @param maxPartitionFetchBytes {@code max.partition.fetch.bytes}
 * @param fetchMaxWaitMs        {@code fetch.max.wait.ms}
 */
record ReadProfile(int maxPollRecords, int maxPartitionFetchBytes, int fetchMaxWaitMs) {

    /**
     * The longest a fetch waits at the broker when there is nothing new. A consumer sends one fetch per broker at a
     * time, so a shard assigned to it while a fetch waits is first fetched when that fetch returns: longer waits
     * (Elasticsearch's default read poll timeout is a minute) would delay new shards by as much.
     */
    static final Duration MAX_FETCH_WAIT = Duration.ofMillis(500);

    static ReadProfile of(FeedLimits limits) {
        long wait = Math.min(limits.readPollTimeout().toMillis(), MAX_FETCH_WAIT.toMillis());
        return new ReadProfile(limits.maxReadOps(), (int) Math.min(Integer.MAX_VALUE, limits.maxReadBytes()),
                (int) Math.max(1, wait));
    }
}
