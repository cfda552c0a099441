package io.kccr.core.feed;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One assigned shard in the feed: the read requests its fetcher handed over and not yet written (its
 * {@link ReadBuffer}), and the task that writes them, in offset order, on the feed's apply threads.
 *
 * <p>The task is scheduled when there is work (records, due maintenance, an unassignment to finish) and runs on one
 * apply thread at a time: a shard's writes never overlap, and each sees the previous one's effects (the scheduling
 * state's atomic moves order them). A turn runs at most {@link FeedLimits#writesPerTurn} write requests, then lets
 * other shards' tasks go first. The fetcher pauses the partition while the buffer is at one of the limits, and the
 * task wakes the fetcher once it is below them again.
 *
 * <p>Thread-safety: the buffer is filled by the shard's fetcher thread and drained by its task; counters are written
 * by one of them each and read by anyone ({@link #stats}); {@link #unassign} may be called from any thread.
 */
public final class FeedShard {
    private static final Logger log = LoggerFactory.getLogger(FeedShard.class);
    private static final int IDLE = 0;
    private static final int QUEUED = 1;
    private static final int DONE = 2;

    private final ShardAssignment assignment;
    private final ShardSink sink;
    private final FeedLimits limits;
    private final Fetcher fetcher;
    private final Executor applyThreads;
    private final LongSupplier nanoTime;
    private final Runnable turn = this::turn;

    private final ReadBuffer buffer;
    private final AtomicInteger state = new AtomicInteger(IDLE);
    private final CompletableFuture<Void> quiesced = new CompletableFuture<>();
    private final AtomicBoolean wakeRequested = new AtomicBoolean();
    private volatile boolean assigned = true;
    private volatile boolean maintenanceRequested;
    /** Set by the task after a failed write: reads pause, the buffer is dropped and read again from the sink's offset. */
    private volatile boolean rereadPending;
    private volatile long retryAtNanos;

    // the fetcher thread's
    long deliveredPosition = -1;
    long readBackoffUntilNanos;
    private volatile boolean paused;
    private volatile long readRequests;
    private volatile long failedReadRequests;
    private volatile long operationsRead;
    private volatile long bytesRead;
    private volatile long readNanos;
    private volatile long lastReadMillis;
    private volatile long lastPollMillis;

    // the task's
    private final List<ConsumerRecord<byte[], byte[]>> request = new ArrayList<>();
    private volatile boolean writing;
    private volatile long writeRequests;
    private volatile long failedWriteRequests;
    private volatile long writeNanos;

    FeedShard(ShardAssignment assignment, Fetcher fetcher, Executor applyThreads, FeedBudget budget,
              LongSupplier nanoTime) {
        this.assignment = assignment;
        this.sink = assignment.sink();
        this.limits = assignment.limits();
        this.fetcher = fetcher;
        this.applyThreads = applyThreads;
        this.nanoTime = nanoTime;
        this.buffer = new ReadBuffer(limits, budget);
    }

    public ShardAssignment assignment() {
        return assignment;
    }

    public TopicPartition partition() {
        return assignment.partition();
    }

    /** Whether the feed still applies this shard (not unassigned, not stopped by an error). */
    public boolean assigned() {
        return assigned;
    }

    /**
     * Stops applying the shard: no write request starts after this call, and its partition leaves its consumer.
     * Any thread, any number of times.
     *
     * @return completed once no write request or maintenance of the shard runs any more (at once when none did);
     *         from within the shard's own task it completes when the task ends, so do not wait for it there
     */
    public CompletableFuture<Void> unassign() {
        if (assigned) {
            assigned = false;
            fetcher.remove(this);
        }
        if (state.compareAndSet(IDLE, DONE)) {
            quiesced.complete(null);
        }
        return quiesced;
    }

    /** What was read and written of the shard so far. */
    public FeedShardStats stats() {
        return new FeedShardStats(readRequests, failedReadRequests, operationsRead, bytesRead, readNanos / 1_000_000,
                buffer.bufferedReads(), buffer.bufferedOps(), buffer.bufferedBytes(), writing, writeRequests,
                failedWriteRequests, writeNanos / 1_000_000, lastReadMillis, lastPollMillis, paused);
    }

    ShardSink sink() {
        return sink;
    }

    // ---- the fetcher's side

    /**
     * Fetcher thread: hands over the records {@code records} one poll returned for the partition (possibly none), as
     * read requests of at most the shard's read limits, and the consumer's {@code position} after them.
     */
    void deliver(List<ConsumerRecord<byte[], byte[]>> records, long position, long pollNanos, long nowMillis) {
        if (!assigned || rereadPending) {
            return; // what comes before the re-read is read again from the sink's offset
        }
        int n = records.size();
        if (n == 0) {
            if (position > deliveredPosition) {
                deliveredPosition = position;
                add(new ReadBatch(List.of(), 0, position));
            }
            return;
        }
        long total = 0;
        int from = 0;
        long bytes = 0;
        int batches = 0;
        for (int i = 0; i < n; i++) {
            long size = ReadBatch.size(records.get(i));
            if (i > from && (i - from >= limits.maxReadOps() || bytes + size > limits.maxReadBytes())) {
                add(new ReadBatch(records.subList(from, i), bytes, -1));
                batches++;
                total += bytes;
                from = i;
                bytes = 0;
            }
            bytes += size;
        }
        add(new ReadBatch(records.subList(from, n), bytes, position));
        batches++;
        total += bytes;
        deliveredPosition = position;
        readRequests += batches;
        operationsRead += n;
        bytesRead += total;
        readNanos += pollNanos;
        lastReadMillis = nowMillis;
    }

    private void add(ReadBatch batch) {
        buffer.add(batch);
        schedule();
    }

    /** Fetcher thread: a poll that could have returned the shard's records came back (with or without them). */
    void polled(long nowMillis) {
        if (!paused) {
            lastPollMillis = nowMillis;
        }
    }

    /** Fetcher thread: a poll failed for this shard; returns whether the shard goes on (after a backoff). */
    boolean readFailed(Throwable error) {
        failedReadRequests++;
        long delay = decide(error, true);
        if (delay < 0) {
            return false;
        }
        readBackoffUntilNanos = nanoTime.getAsLong() + delay * 1_000_000;
        return true;
    }

    /** Fetcher thread: whether reads of the shard must pause now (buffer at a limit, backing off, re-read due). */
    boolean shouldPause(long nowNanos) {
        return rereadPending || nowNanos < readBackoffUntilNanos || buffer.atLimit();
    }

    void paused(boolean paused) {
        this.paused = paused;
        wakeRequested.set(false);
    }

    /** Fetcher thread: whether a failed write's re-read is due; then the fetcher seeks to {@link #rereadFrom}. */
    boolean rereadDue(long nowNanos) {
        return rereadPending && nowNanos >= retryAtNanos;
    }

    /**
     * Fetcher thread: drops the buffer (the task takes nothing from it while a re-read is pending) and returns the
     * offset to read from again; reads resume after this.
     */
    long rereadFrom() {
        buffer.drop();
        long from = sink.nextOffset();
        deliveredPosition = from;
        rereadPending = false;
        schedule();
        return from;
    }

    /** Fetcher thread, once the shard left its consumer: what it held is released. */
    void removed() {
        buffer.drop();
        paused = false;
    }

    // ---- the maintenance timer's side

    /** Asks for the sink's maintenance at the task's next turn, if it has any due. */
    void maintainIfDue(long nowNanos) {
        if (assigned && !maintenanceRequested && sink.maintenanceDue(nowNanos)) {
            maintenanceRequested = true;
            schedule();
        }
    }

    // ---- the task

    private void schedule() {
        if (state.compareAndSet(IDLE, QUEUED)) {
            applyThreads.execute(turn);
        }
    }

    private boolean hasWork() {
        return maintenanceRequested || (!rereadPending && buffer.hasMore());
    }

    private void turn() {
        try {
            if (assigned && maintenanceRequested) {
                maintenanceRequested = false;
                maintain();
            }
            for (int i = 0; i < limits.writesPerTurn() && assigned && !rereadPending; i++) {
                if (!write()) {
                    break;
                }
            }
        } catch (RuntimeException | Error e) {
            log.error("shard [{}]: unexpected failure of the feed's task", partition(), e);
        } finally {
            if (!assigned) {
                state.set(DONE);
                quiesced.complete(null);
            } else {
                state.set(IDLE);
                if (hasWork()) {
                    schedule();
                }
                if (!assigned && state.compareAndSet(IDLE, DONE)) {
                    quiesced.complete(null); // unassigned meanwhile, and its own compareAndSet came first
                }
            }
        }
    }

    private void maintain() {
        try {
            sink.maintain();
        } catch (Exception e) {
            failedWriteRequests++;
            writeFailed(e);
        }
    }

    /** Takes one write request from the buffer and applies it; false when the buffer was empty. */
    private boolean write() {
        request.clear();
        long advance = buffer.take(request);
        if (advance == ReadBuffer.NOTHING) {
            return false;
        }
        int ops = request.size();
        if (paused && wakeRequested.compareAndSet(false, true)) {
            fetcher.wake(); // it resumes the partition once below the limits
        }
        if (ops == 0) {
            sink.advanceTo(advance);
            return true;
        }
        long t0 = nanoTime.getAsLong();
        writing = true;
        try {
            sink.apply(request);
            if (advance >= 0) {
                sink.advanceTo(advance);
            }
            writeRequests++;
        } catch (Exception e) {
            failedWriteRequests++;
            writeFailed(e);
        } finally {
            writing = false;
            writeNanos += nanoTime.getAsLong() - t0;
            request.clear();
        }
        return true;
    }

    private void writeFailed(Exception e) {
        long delay = decide(e, false);
        if (delay < 0) {
            return;
        }
        buffer.dropHead();
        retryAtNanos = nanoTime.getAsLong() + delay * 1_000_000;
        rereadPending = true;
        fetcher.wake();
    }

    /** The sink's decision; a negative one unassigns the shard. */
    private long decide(Throwable error, boolean reading) {
        long delay;
        try {
            delay = sink.onFailure(error, reading);
        } catch (RuntimeException e) {
            log.error("shard [{}]: deciding about a failure failed; the shard stops", partition(), e);
            delay = -1;
        }
        if (delay < 0 && assigned) {
            assigned = false;
            fetcher.remove(this);
        }
        return delay;
    }
}
