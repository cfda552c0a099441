package io.kccr.follower;

import io.kccr.core.feed.ShardSink;
import io.kccr.core.index.ShardCommitData;
import io.kccr.follower.apply.FollowerShard;
import io.kccr.follower.apply.OperationApplier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A follower shard as the feed sees it: write requests go through its {@link OperationApplier} (idempotent by
 * seq_no, invariant 4), and a durable Lucene commit follows at most every commit interval.
 *
 * <p><b>Crash safety (invariant 5).</b> A commit records the shard's checkpoint (its {@code max_seq_no} and the offset
 * of the next record to apply, invariant 3), and a shard assigned again starts reading there, so nothing between the
 * offsets and the data is lost whenever a crash comes; ops applied after the checkpoint and read again are skipped
 * or re-applied to the same effect. As the log brings the gap back anyway, the commit need not follow every write:
 * it is made every {@code commitInterval} (a Lucene commit flushes and fsyncs seconds of segments) and runs on the
 * {@code committer}, beside the apply threads, which only take the checkpoint it records. A failed commit is
 * reported at the next maintenance, as a failed write.
 *
 * <p>Thread-safety as {@link ShardSink}.
 */
final class FollowerShardSink implements ShardSink {
    private final FollowerShard shard;
    private final OperationApplier applier;
    private final Executor committer;
    private final long commitIntervalNanos;
    private final FailureDecision failures;
    private volatile long lastCommitNanos = System.nanoTime();
    private volatile CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null);
    /** A commit asked for now ({@link #commitNow}), completed by the commit that follows; null when none. */
    private volatile CompletableFuture<Void> requested;

    /** Decides what a failure of the shard means (the follower's one retry-versus-fatal decision). */
    @FunctionalInterface
    interface FailureDecision {
        long onFailure(FollowerShard shard, Throwable error, boolean reading);
    }

    FollowerShardSink(FollowerShard shard, OperationApplier applier, Executor committer, Duration commitInterval,
                      FailureDecision failures) {
        this.shard = shard;
        this.applier = applier;
        this.committer = committer;
        this.commitIntervalNanos = commitInterval.toNanos();
        this.failures = failures;
    }

    FollowerShard shard() {
        return shard;
    }

    @Override
    public void apply(List<ConsumerRecord<byte[], byte[]>> records) {
        applier.apply(records);
    }

    @Override
    public void advanceTo(long position) {
        shard.advanceTo(position);
    }

    @Override
    public long nextOffset() {
        return shard.nextOffset();
    }

    @Override
    public long position() {
        return shard.nextOffset();
    }

    @Override
    public boolean maintenanceDue(long nowNanos) {
        return inFlight.isDone() && (inFlight.isCompletedExceptionally() || requested != null
                || nowNanos - lastCommitNanos >= commitIntervalNanos && shard.hasUncommittedOps());
    }

    /**
     * Asks for a commit of everything applied so far at the shard's next maintenance, not waiting for the commit
     * interval (a peer copies the shard's last commit). The future completes once it is durable (at once when nothing
     * was left to commit), or when the shard stops being applied ({@link #settleRequests}).
     */
    synchronized CompletableFuture<Void> commitNow() {
        if (requested == null) {
            requested = new CompletableFuture<>();
        }
        return requested;
    }

    private synchronized CompletableFuture<Void> takeRequest() {
        CompletableFuture<Void> asked = requested;
        requested = null;
        return asked;
    }

    /** The shard is no longer applied (its stop committed it or not): a commit asked for is not coming. */
    void settleRequests() {
        CompletableFuture<Void> asked = takeRequest();
        if (asked != null) {
            asked.complete(null);
        }
    }

    @Override
    public void maintain() {
        CompletableFuture<Void> last = inFlight;
        if (!last.isDone()) {
            return;
        }
        CompletableFuture<Void> asked = takeRequest();
        inFlight = CompletableFuture.completedFuture(null);
        try {
            last.join(); // rethrows a failed commit here, where it counts as a failed write
        } catch (RuntimeException e) {
            if (asked != null) {
                asked.completeExceptionally(e);
            }
            throw e;
        }
        if (!shard.hasUncommittedOps()) {
            if (asked != null) {
                asked.complete(null);
            }
            return;
        }
        ShardCommitData checkpoint = shard.checkpoint();
        lastCommitNanos = System.nanoTime();
        inFlight = CompletableFuture.runAsync(() -> {
            try {
                shard.commit(checkpoint);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, committer);
        if (asked != null) {
            inFlight.whenComplete((v, e) -> {
                if (e == null) {
                    asked.complete(null);
                } else {
                    asked.completeExceptionally(e);
                }
            });
        }
    }

    @Override
    public long onFailure(Throwable error, boolean reading) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return failures.onFailure(shard, cause, reading);
    }

    /** Waits for a commit in flight (the shard is no longer applied); a failed one is left to the next commit. */
    void awaitCommit() {
        try {
            inFlight.join();
        } catch (CompletionException e) {
            // the shard's next commit (on stop, or when it is released) reports it
        }
    }
}
