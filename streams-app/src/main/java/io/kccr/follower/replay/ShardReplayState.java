package io.kccr.follower.replay;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One follower shard's progress through a rebuild from the log, as {@code GET /<index>/_recovery}
 * reports it (Elasticsearch's {@code translog} phase: operations replayed of operations to replay,
 * counted in log offsets). Written by the replaying thread, read by anyone.
 */
public final class ShardReplayState {

    /** Elasticsearch's recovery stages that a replay goes through. */
    public enum Stage { INIT, TRANSLOG, DONE }

    private final int shard;
    private volatile Stage stage = Stage.INIT;
    private volatile long startMillis;
    private volatile long stopMillis;
    private volatile long total;
    private final AtomicLong replayed = new AtomicLong();

    public ShardReplayState(int shard) {
        this.shard = shard;
    }

    /** Starts replaying {@code total} offsets. */
    void start(long nowMillis, long total) {
        this.startMillis = nowMillis;
        this.total = total;
        this.replayed.set(0);
        this.stage = Stage.TRANSLOG;
    }

    void replayed(long offsets) {
        replayed.addAndGet(offsets);
    }

    void done(long nowMillis) {
        replayed.set(total);
        stopMillis = nowMillis;
        stage = Stage.DONE;
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

    /** Log offsets to replay (ops, plus the transaction markers between them). */
    public long total() {
        return total;
    }

    public long replayed() {
        return Math.min(replayed.get(), total);
    }

    /** Replayed over total, 0 to 100; 100 for an empty log once started. */
    public double percent() {
        long t = total;
        return t == 0 ? (stage == Stage.INIT ? 0 : 100) : 100.0 * replayed() / t;
    }
}
