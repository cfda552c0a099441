package io.kccr.follower.replay;

import io.kccr.follower.apply.ShardRegistry;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Replays every shard of a follower from the leader's log at once, one thread per shard (a shard's
 * apply is single-threaded, as when streaming). Returns when every shard is replayed and committed;
 * the first failure, or {@code stopped}, stops the others at their next poll; none is interrupted.
 */
public final class LogReplay {
    private LogReplay() {
    }

    /**
     * @param shards  the follower's open shards, in shard order
     * @param states  their progress, in the same order
     * @throws InterruptedException if interrupted (pause, close); the shards are left uncommitted
     */
    public static void run(List<ShardRegistry.Handle> shards, ShardReplay replay, AsOf asOf,
                           List<ShardReplayState> states, BooleanSupplier stopped)
            throws IOException, InterruptedException {
        AtomicBoolean failed = new AtomicBoolean();
        BooleanSupplier stop = () -> failed.get() || stopped.getAsBoolean();
        ExecutorService threads = Executors.newFixedThreadPool(shards.size(),
                Thread.ofPlatform().daemon().name("kccr-replay-", 0).factory());
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < shards.size(); i++) {
                ShardRegistry.Handle h = shards.get(i);
                ShardReplayState state = states.get(i);
                running.add(threads.submit(() -> {
                    try {
                        replay.run(h.shard(), h.applier(), asOf, state, stop);
                    } catch (Exception | Error e) {
                        failed.set(true); // the others stop at their next poll
                        throw e;
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof InterruptedIOException) {
                        throw new InterruptedException(cause.getMessage());
                    }
                    if (cause instanceof IOException io) {
                        throw io;
                    }
                    if (cause instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IOException(cause);
                }
            }
        } finally {
            failed.set(true);
            // no interrupt: a replay thread may be writing to Lucene, whose interrupted writes close the writer
            threads.shutdown();
            threads.awaitTermination(60, TimeUnit.SECONDS);
        }
    }
}
