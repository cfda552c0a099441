package io.kccr.follower.bootstrap;

/**
 * The node's limit on bootstrap copy rate ({@code ccr.indices.recovery.max_bytes_per_sec}), shared by
 * every shard of every bootstrap: each chunk reserves its bytes before it is requested, and waits
 * until the rate allows them. The rate is passed on each call, so a settings change applies at
 * once. Thread-safe.
 */
public final class Throttle {
    private long nextFreeNanos;

    /**
     * Waits until {@code bytes} more may be read at {@code bytesPerSecond} (0: no limit).
     *
     * @return how long it waited, in nanoseconds
     */
    public long acquire(long bytes, long bytesPerSecond) throws InterruptedException {
        if (bytesPerSecond <= 0) {
            return 0;
        }
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            if (nextFreeNanos < now) {
                nextFreeNanos = now;
            }
            wait = nextFreeNanos - now;
            nextFreeNanos += (long) (bytes * 1e9 / bytesPerSecond);
        }
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        return wait;
    }
}
