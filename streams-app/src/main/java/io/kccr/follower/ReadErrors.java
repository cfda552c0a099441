package io.kccr.follower;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The retryable errors a follower met recently, for {@code read_exceptions}: each with the time it
 * happened. They stop being reported once an op was read after them. Thread-safe.
 */
final class ReadErrors {
    private static final int KEEP = 10;

    /** One error: when it happened, what it was, and how many came in a row then (1 for the first). */
    record Error(long atMillis, String message, int attempt) {
    }

    private final Deque<Error> errors = new ArrayDeque<>();
    private final Clock clock;
    private int consecutive;

    ReadErrors() {
        this(Clock.systemUTC());
    }

    ReadErrors(Clock clock) {
        this.clock = clock;
    }

    /** Records an error; returns how many came in a row (for the backoff). */
    synchronized int record(String message) {
        errors.addLast(new Error(clock.millis(), message, ++consecutive));
        while (errors.size() > KEEP) {
            errors.removeFirst();
        }
        return consecutive;
    }

    /**
     * Records an error and returns how long to wait before retrying: an exponential backoff from
     * 50 ms, capped at {@code capMillis}, with jitter over its upper half.
     */
    long recordAndBackoff(String message, long capMillis) {
        int attempt = record(message);
        long backoff = Math.min(capMillis, 50L << Math.min(attempt, 10));
        return backoff / 2 + java.util.concurrent.ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
    }

    /** The messages of the errors since the last successful read at {@code lastReadMillis}, oldest first. */
    List<String> recent(long lastReadMillis) {
        return since(lastReadMillis).stream().map(Error::message).toList();
    }

    /** The errors since the last successful read at {@code lastReadMillis}, oldest first. */
    synchronized List<Error> since(long lastReadMillis) {
        if (!errors.isEmpty() && errors.getLast().atMillis() < lastReadMillis) {
            consecutive = 0;
        }
        return errors.stream().filter(e -> e.atMillis() >= lastReadMillis).toList();
    }
}
