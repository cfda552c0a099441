package io.kccr.leader;

/**
 * A write queued for its shard's writer, and the future its caller waits on.
 *
 * @param queuedNanos {@link System#nanoTime()} when it was queued; the writes of one request share it
 */
record PendingWrite(WriteRequest request, WriteFuture result, long queuedNanos) {
}
