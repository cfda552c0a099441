package io.kccr.leader;

import io.kccr.core.wire.Operation;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a leader shard's committed batches to Lucene and acknowledges their writes, on its own
 * thread, while the shard's writer publishes the next batch: one batch at a time, in log order.
 *
 * <p>Used by the shard's writer thread only: it {@link #submit}s a batch once the one before is
 * done ({@link #await}).
 */
final class BatchApplier implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BatchApplier.class);

    private final String index;
    private final LeaderShard shard;
    private final BiConsumer<List<PendingWrite>, Throwable> fail;
    private final ExecutorService thread;
    private CompletableFuture<Throwable> applying = CompletableFuture.completedFuture(null);

    /** {@code fail} completes writes exceptionally, when their batch could not be applied. */
    BatchApplier(String index, LeaderShard shard, BiConsumer<List<PendingWrite>, Throwable> fail) {
        this.index = index;
        this.shard = shard;
        this.fail = fail;
        this.thread = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon()
                .name("kccr-apply[" + index + "][" + shard.shardId() + "]").factory());
    }

    /** Starts applying a committed batch; call {@link #await} first. */
    void submit(List<SequencedWrite> batch) {
        applying = CompletableFuture.supplyAsync(() -> applyAndAcknowledge(batch), thread);
    }

    /** Waits for the batch being applied, if any: null when it was applied, else why it was not. */
    Throwable await() {
        Throwable failure = applying.join();
        applying = CompletableFuture.completedFuture(null);
        return failure;
    }

    private Throwable applyAndAcknowledge(List<SequencedWrite> batch) {
        try {
            long position = 0;
            for (SequencedWrite s : batch) {
                long offset = s.sent().get().offset();
                // A document that did not exist when sequenced cannot be in Lucene now (ops apply in
                // sequence order): add it without the delete-by-id an update costs.
                shard.apply(s.op(), s.write().request().doc(), offset, s.result() == WriteResult.Result.CREATED);
                position = offset + 2;
            }
            // The transaction's commit marker follows its last record; this shard's producer is the
            // partition's only writer, so the next op is after the marker.
            shard.advanceTo(position);
        } catch (Exception | Error e) {
            // The log has the batch but Lucene does not: the writer re-derives the shard from the log. An Error too
            // (a bug, a stack overflow in Lucene): it must not leave the writes unanswered and the writer waiting.
            log.warn("[{}][{}] applying a committed batch failed; replaying from the log", index, shard.shardId(), e);
            fail.accept(batch.stream().map(SequencedWrite::write).toList(), new io.kccr.core.error.FailedException("["
                    + index + "][" + shard.shardId() + "] the write is in the log, but applying it to this node's index"
                    + " failed (" + e + "); the shard applies it again from the log before its next write", e));
            return e;
        }
        for (SequencedWrite s : batch) {
            Operation op = s.op();
            s.write().result().complete(new WriteResult(op.id(), shard.shardId(), op.seqNo(), op.primaryTerm(),
                    op.version(), s.result()));
        }
        return null;
    }

    /** Lets the thread end once the batch being applied is done. */
    @Override
    public void close() {
        thread.shutdown();
    }
}
