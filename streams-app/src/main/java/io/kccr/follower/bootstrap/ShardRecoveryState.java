package io.kccr.follower.bootstrap;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One follower shard's bootstrap progress, as {@code GET /<index>/_recovery} and {@code _ccr/stats}
 * report it: stage, files and bytes (total, reused from an earlier attempt, fetched and verified),
 * times. Written by the copying threads, read by anyone.
 */
public final class ShardRecoveryState {

    /** Elasticsearch's recovery stages that a bootstrap goes through. */
    public enum Stage { INIT, INDEX, FINALIZE, DONE }

    private final int shard;
    private volatile Stage stage = Stage.INIT;
    private volatile long startMillis;
    private volatile long stopMillis;
    private volatile int filesTotal;
    private volatile long bytesTotal;
    private final AtomicLong filesReused = new AtomicLong();
    private final AtomicLong bytesReused = new AtomicLong();
    private final AtomicLong filesRecovered = new AtomicLong();
    private final AtomicLong bytesRecovered = new AtomicLong();
    private final AtomicLong bytesFetched = new AtomicLong();
    private final AtomicLong throttleNanos = new AtomicLong();

    private volatile String peer;

    public ShardRecoveryState(int shard) {
        this.shard = shard;
    }

    /** Starts an attempt over a commit of {@code files} files and {@code bytes} bytes. */
    void start(long nowMillis, int files, long bytes) {
        if (startMillis == 0) {
            startMillis = nowMillis;
        }
        filesTotal = files;
        bytesTotal = bytes;
        filesReused.set(0);
        bytesReused.set(0);
        filesRecovered.set(0);
        bytesRecovered.set(0);
        stage = Stage.INDEX;
    }

    void reused(long length) {
        filesReused.incrementAndGet();
        bytesReused.addAndGet(length);
    }

    /** A chunk arrived (verified or not): counts towards {@link #bytesFetched}. */
    void fetched(long bytes) {
        bytesFetched.addAndGet(bytes);
    }

    /** A file was fetched, verified and installed. */
    void recovered(long length) {
        filesRecovered.incrementAndGet();
        bytesRecovered.addAndGet(length);
    }

    void throttled(long nanos) {
        throttleNanos.addAndGet(nanos);
    }

    void stage(Stage stage, long nowMillis) {
        this.stage = stage;
        if (stage == Stage.DONE) {
            stopMillis = nowMillis;
        }
    }

    /** The node of the follower's own cluster the copy comes from; null when it comes from the leader. */
    public String peer() {
        return peer;
    }

    /** Records where the copy comes from ({@link #peer}). */
    public void peer(String node) {
        this.peer = node;
    }

    public int shard() {
        return shard;
    }

    public Stage stage() {
        return stage;
    }

    public long startMillis() {
        return startMillis;
    }

    /** 0 while running. */
    public long stopMillis() {
        return stopMillis;
    }

    public int filesTotal() {
        return filesTotal;
    }

    public long bytesTotal() {
        return bytesTotal;
    }

    public long filesReused() {
        return filesReused.get();
    }

    public long bytesReused() {
        return bytesReused.get();
    }

    public long filesRecovered() {
        return filesRecovered.get();
    }

    public long bytesRecovered() {
        return bytesRecovered.get();
    }

    /** Every byte received from the leader by this process, including chunks that failed verification. */
    public long bytesFetched() {
        return bytesFetched.get();
    }

    public long throttleMillis() {
        return throttleNanos.get() / 1_000_000;
    }

    /** Bytes done (reused or recovered) over the total, 0 to 100; 100 for an empty commit. */
    public double bytesPercent() {
        long total = bytesTotal;
        return total == 0 ? (stage == Stage.INIT ? 0 : 100) : 100.0 * (bytesReused() + bytesRecovered()) / total;
    }

    public double filesPercent() {
        int total = filesTotal;
        return total == 0 ? (stage == Stage.INIT ? 0 : 100) : 100.0 * (filesReused() + filesRecovered()) / total;
    }
}
