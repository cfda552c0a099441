package io.kccr.node.indices;

import io.kccr.core.error.RejectedException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Elasticsearch's indexing pressure: the bytes of the write requests in flight on this node, bounded node-wide by
 * {@code indexing_pressure.memory.limit}. A request takes its bytes before its body is read and gives them back once
 * it is answered; one that would pass the limit is refused at once with 429 {@code es_rejected_execution_exception},
 * so a flood of bulks meets a retryable answer instead of filling the heap and the shards' queues.
 *
 * <p>Thread-safe and lock-free.
 */
public final class IndexingPressure {
    private final long limit;
    private final AtomicLong current = new AtomicLong();
    private final AtomicLong rejections = new AtomicLong();
    /** {@link System#nanoTime} of the last request that took bytes. */
    private volatile long lastAcquiredNanos = System.nanoTime();

    public IndexingPressure(long limit) {
        this.limit = limit;
    }

    /** Bytes held by a request until it is answered; closing gives them back (once). */
    public final class Ticket implements AutoCloseable {
        private final long bytes;
        private final AtomicBoolean released = new AtomicBoolean();

        private Ticket(long bytes) {
            this.bytes = bytes;
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                current.addAndGet(-bytes);
            }
        }
    }

    /**
     * Takes {@code bytes} for a write request.
     *
     * @throws RejectedException (429) when the bytes in flight would pass the limit
     */
    public Ticket acquire(long bytes) {
        lastAcquiredNanos = System.nanoTime();
        long after = current.addAndGet(bytes);
        if (after > limit) {
            current.addAndGet(-bytes);
            rejections.incrementAndGet();
            throw new RejectedException("rejected execution of coordinating operation [coordinating_and_primary_bytes="
                    + (after - bytes) + ", replica_bytes=0, all_bytes=" + (after - bytes)
                    + ", coordinating_operation_bytes=" + bytes + ", max_coordinating_and_primary_bytes=" + limit
                    + "]: too many write bytes in flight on this node (indexing_pressure.memory.limit); retry with"
                    + " backoff, or send smaller bulks");
        }
        return new Ticket(bytes);
    }

    /** Bytes of the write requests in flight now. */
    public long currentBytes() {
        return current.get();
    }

    /**
     * Waits, at most {@code timeout}, until no write request is in flight and none came for {@code quiet}: a stopping
     * node lets the writes already on it finish, and those other nodes still route to it arrive.
     *
     * @return whether it got quiet before the timeout
     */
    public boolean awaitQuiet(Duration quiet, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (current.get() > 0 || System.nanoTime() - lastAcquiredNanos < quiet.toNanos()) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** {@code indexing_pressure.memory.limit} in bytes. */
    public long limitBytes() {
        return limit;
    }

    /** Write requests refused since the node started. */
    public long rejections() {
        return rejections.get();
    }
}
