package io.kccr.leader;

import io.kccr.core.error.KccrException;
import io.kccr.core.error.UnavailableException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting for a write's acknowledgement, bounded by the write timeout. */
public final class Acks {
    private Acks() {
    }

    /**
     * The write's result once it is in the log and applied. Fails with the write's own
     * {@link KccrException}, or, when it is not acknowledged within {@code timeout} (plus a margin
     * for the batch it is in), with a 503 if it was still queued (it is dropped: nothing is written) or a 504
     * if it had been sent to Kafka (its outcome is unknown).
     */
    public static WriteResult await(CompletableFuture<WriteResult> future, Duration timeout) {
        return awaitUntil(future, System.nanoTime() + timeout.toNanos() + MARGIN_NANOS, timeout);
    }

    /** The margin over the write timeout that a write's batch may take to be applied after Kafka acknowledged it. */
    private static final long MARGIN_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** The deadline of writes waited for from now on (a bulk waits for all of its items against one deadline). */
    public static long deadline(Duration timeout) {
        return System.nanoTime() + timeout.toNanos() + MARGIN_NANOS;
    }

    /** As {@link #await(CompletableFuture, Duration)}, waiting until {@code deadlineNanos} ({@link #deadline}). */
    public static WriteResult awaitUntil(CompletableFuture<WriteResult> future, long deadlineNanos, Duration timeout) {
        try {
            return future.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof KccrException api) {
                throw api;
            }
            throw new UnavailableException("the write failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            if (!(future instanceof WriteFuture w) || w.abandon()) {
                throw new UnavailableException("the write was not sent to Kafka within " + timeout.toMillis()
                        + "ms (ccr.write.timeout) and was dropped: nothing was written. Check that Kafka is reachable"
                        + " and retry", e);
            }
            throw new UnavailableException("the write was sent to Kafka but not acknowledged within "
                    + timeout.toMillis() + "ms (ccr.write.timeout): it may or may not be in the log. Read the document"
                    + " (GET) before retrying, or retry it with the same id, which writes the same document again", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while waiting for the write", e);
        }
    }
}
