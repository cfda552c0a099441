package io.kccr.follower;

import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The current failure of one follower shard's reads or writes, for {@code read_exceptions} as Elasticsearch shows
 * it: the seq_no the shard needs next, how many times reading from there failed in a row (each a retry), and the
 * latest reason. It stops being reported once the shard made progress after it: a successful read (for a read
 * failure) or write request (for a write failure). Thread-safe.
 */
final class ReadErrors {

    /**
     * The current failure.
     *
     * @param fromSeqNo   the first seq_no the shard still needs
     * @param retries     how many times it failed in a row from there
     * @param reason      what went wrong the last time
     * @param atMillis    when it last failed
     * @param write       whether applying failed (else reading did)
     * @param writesThen  the shard's successful write requests when it last failed
     */
    record Failure(long fromSeqNo, int retries, String reason, long atMillis, boolean write, long writesThen) {
    }

    private final Clock clock;
    private Failure current;

    ReadErrors(Clock clock) {
        this.clock = clock;
    }

    /** Records a failure from {@code fromSeqNo}; returns how many came in a row from there. */
    synchronized int record(long fromSeqNo, String reason, boolean write, long writesNow) {
        int retries = current != null && current.fromSeqNo() == fromSeqNo ? current.retries() + 1 : 1;
        current = new Failure(fromSeqNo, retries, reason, clock.millis(), write, writesNow);
        return retries;
    }

    /**
     * Records a failure and returns how long to wait before trying again: an exponential backoff from 50 ms, capped
     * at {@code capMillis}, with jitter over its upper half.
     */
    long recordAndBackoff(long fromSeqNo, String reason, boolean write, long writesNow, long capMillis) {
        int attempt = record(fromSeqNo, reason, write, writesNow);
        long backoff = Math.min(capMillis, 50L << Math.min(attempt, 10));
        return backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
    }

    /**
     * The failure still current, given when the shard last read successfully and how many write requests it applied
     * so far; null when there is none (or it made progress since, which forgets it).
     */
    synchronized Failure current(long lastReadMillis, long writesNow) {
        if (current != null && (current.write() ? writesNow > current.writesThen()
                : lastReadMillis > current.atMillis())) {
            current = null;
        }
        return current;
    }
}
