package io.kccr.leader;

import io.kccr.core.error.KccrException;
import io.kccr.core.error.UnavailableException;
import io.kccr.core.mapping.Mappings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single thread through which every write of one leader shard passes, in order: it assigns
 * seq_nos, checks each write's condition against the document's current state, publishes a whole
 * batch of queued writes (from any number of concurrent requests) in one Kafka transaction, and
 * only once that transaction is committed applies the batch to Lucene and acknowledges it
 * (invariant 1, log first). Grouping many requests' ops into each transaction is what makes the
 * transactional producer fast enough: a transaction commit costs milliseconds whatever its size.
 *
 * <p>If a transaction fails, no op of its batch is acknowledged, the seq_nos are taken back, and
 * before the next batch the writer re-registers its producer and replays the partition's tail
 * (a commit that reached the broker although the client saw an error is then applied, so the
 * index stays the projection of the log). If another process fences this shard's producer, the
 * shard stops taking writes for good.
 *
 * <p>A committed batch is applied to Lucene and acknowledged on the shard's applier thread while
 * this thread publishes the next batch (its lookups see the batch being applied through the live
 * version map); at most one batch is being applied at a time, in log order. Control tasks (commit,
 * flush) and re-syncs wait for it, so a Lucene commit never holds half a batch.
 *
 * <p>This class is the thread and its queue; what the thread does with a batch is {@link BatchPublisher}'s.
 */
final class ShardWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ShardWriter.class);
    private static final int MAX_BATCH = 20_000;

    /** Opens a new publisher for the shard (not yet initialised). */
    interface PublisherFactory {
        OperationPublisher open();
    }

    /**
     * Applies to the shard every op its partition holds beyond the shard ({@link ShardReplayer}), parsing
     * sources with the mappings {@code mappings} supplies.
     */
    interface Replayer {
        long replay(String topic, LeaderShard shard, Supplier<Mappings> mappings) throws IOException;
    }

    /** The index's latest primary term, as published by the last process that took its shards over. */
    interface TermSource {
        long latest() throws Exception;
    }

    private sealed interface Task permits Writes, Control, Stop {
    }

    /** Writes queued together (e.g. a bulk's items for this shard): they go into one transaction. */
    private record Writes(List<PendingWrite> writes) implements Task {
    }

    private record Control(Callable<?> action, CompletableFuture<Object> result) implements Task {
    }

    private record Stop() implements Task {
    }

    private final String index;
    private final LeaderShard shard;
    private final BlockingQueue<Task> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final BatchPublisher batches;
    private final PublishListener.Shard listener;

    ShardWriter(String index, LeaderShard shard, String topic, long primaryTerm, TermSource terms, String historyUuid,
                PublisherFactory publishers, Replayer replayer, Supplier<Mappings> mappings,
                PublishListener.Shard listener) {
        this.index = index;
        this.shard = shard;
        this.listener = listener;
        this.batches = new BatchPublisher(index, shard, topic, primaryTerm, terms, historyUuid, publishers, replayer,
                mappings, listener);
        this.thread = new Thread(this::run, "kccr-writer[" + index + "][" + shard.shardId() + "]");
        this.thread.setDaemon(true);
    }

    /**
     * Fences older writers of the shard and replays the log's tail into it, then starts taking
     * writes. Blocks until done; throws if Kafka cannot be reached.
     */
    void start() throws Exception {
        batches.resync();
        thread.start();
    }

    /**
     * Queues writes, in order, to be published together; each future completes once its write is in
     * the log and applied, or fails. Queuing a request's writes as one task (rather than one by one
     * while the writer drains the queue) keeps them in one transaction: fewer, larger transactions
     * cost the broker far less.
     */
    List<CompletableFuture<WriteResult>> submit(List<WriteRequest> requests) {
        List<PendingWrite> writes = new ArrayList<>(requests.size());
        List<CompletableFuture<WriteResult>> results = new ArrayList<>(requests.size());
        long now = System.nanoTime();
        for (WriteRequest request : requests) {
            PendingWrite write = new PendingWrite(request, new WriteFuture(), now);
            writes.add(write);
            results.add(write.result());
        }
        String fenced = batches.fencedReason();
        if (fenced != null) {
            results.forEach(r -> r.completeExceptionally(UnavailableException.notWritten(fenced, null)));
        } else {
            queue.add(new Writes(writes));
        }
        return results;
    }

    /** Runs {@code action} on the writer thread between batches. */
    @SuppressWarnings("unchecked")
    <T> CompletableFuture<T> control(Callable<T> action) {
        CompletableFuture<Object> result = new CompletableFuture<>();
        Control control = new Control(action, result);
        if (thread.isAlive()) {
            queue.add(control);
        } else {
            runControl(control); // not started or stopped: no writer thread to race with
        }
        return (CompletableFuture<T>) result;
    }

    private void run() {
        List<Task> tasks = new ArrayList<>();
        while (true) {
            tasks.clear();
            try {
                tasks.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            int queued = size(tasks.getFirst());
            for (Task next; queued < MAX_BATCH && (next = queue.poll()) != null; queued += size(next)) {
                tasks.add(next);
            }
            try {
                if (!runTasks(tasks)) {
                    return;
                }
            } catch (Throwable t) {
                // Whatever went wrong (an Error included), the thread lives on: the writes of these tasks are
                // answered, and the next batch re-derives the shard from the log first.
                log.error("[{}][{}] writer failed; its queued writes fail and the shard re-syncs from the log", index,
                        shard.shardId(), t);
                batches.closePublisher();
                failTasks(tasks, t);
            }
        }
    }

    /** Runs one drained set of tasks; false once a stop was among them. */
    private boolean runTasks(List<Task> tasks) {
        List<PendingWrite> writes = new ArrayList<>();
        for (Task task : tasks) {
            switch (task) {
                case Writes w -> writes.addAll(w.writes());
                case Control c -> {
                    batches.publishBatch(writes);
                    writes.clear();
                    batches.awaitApplied();
                    runControl(c);
                }
                case Stop s -> {
                    batches.publishBatch(writes);
                    batches.awaitApplied();
                    failRemaining();
                    return false;
                }
            }
        }
        batches.publishBatch(writes);
        return true;
    }

    private void failTasks(List<Task> tasks, Throwable cause) {
        for (Task t : tasks) {
            switch (t) {
                case Writes w -> batches.failAll(w.writes(), cause);
                case Control c -> c.result().completeExceptionally(cause);
                case Stop s -> { }
            }
        }
    }

    private static int size(Task task) {
        return task instanceof Writes w ? w.writes().size() : 1;
    }

    private void runControl(Control c) {
        try {
            c.result().complete(c.action().call());
        } catch (Throwable t) {
            c.result().completeExceptionally(t);
        }
    }


    private void failRemaining() {
        List<Task> left = new ArrayList<>();
        queue.drainTo(left);
        for (Task t : left) {
            KccrException closed = UnavailableException.notHere(index, shard.shardId(), "[" + index + "]["
                    + shard.shardId() + "] is closed on this node (the node stops, or the shard moved to another"
                    + " node); nothing of this write was published: send it again");
            switch (t) {
                case Writes w -> w.writes().forEach(write -> write.result().completeExceptionally(closed));
                case Control c -> c.result().completeExceptionally(closed);
                case Stop s -> { }
            }
        }
    }

    /** The primary term this writer sequences with. */
    long primaryTerm() {
        return batches.primaryTerm();
    }

    /** True once another process fenced this shard. */
    boolean isFenced() {
        return batches.fencedReason() != null;
    }

    /** Stops after the queued tasks; the publisher is closed. */
    @Override
    public void close() throws InterruptedException {
        if (thread.isAlive()) {
            queue.add(new Stop());
            thread.join(30_000);
        }
        batches.close();
        listener.close();
    }
}
