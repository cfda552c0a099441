package io.kccr.leader;

import io.kccr.core.shard.DocState;
import io.kccr.core.error.ApiException;
import io.kccr.core.mapping.Mappings;
import io.kccr.core.wire.OpType;
import io.kccr.core.wire.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.RecordMetadata;
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
 * <p>Control tasks (commit, flush) run on the same thread between batches, so a Lucene commit
 * never holds half a batch.
 */
final class ShardWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ShardWriter.class);
    private static final int MAX_BATCH = 20_000;

    /** Opens a new publisher for the shard (not yet initialised). */
    interface PublisherFactory {
        OperationPublisher open();
    }

    /** The index's latest primary term, as published by the last process that took its shards over. */
    interface TermSource {
        long latest() throws Exception;
    }

    private sealed interface Task permits Write, Control, Stop {
    }

    private record Write(WriteRequest request, CompletableFuture<WriteResult> result) implements Task {
    }

    private record Control(Callable<?> action, CompletableFuture<Object> result) implements Task {
    }

    private record Stop() implements Task {
    }

    private record Sequenced(Write write, Operation op, Future<RecordMetadata> sent, DocState previous,
                             WriteResult.Result result) {
    }

    private final String index;
    private final LeaderShard shard;
    private final String topic;
    private final long primaryTerm;
    private final TermSource terms;
    private final String historyUuid;
    private final PublisherFactory publishers;
    private final ShardReplayer replayer;
    private final Supplier<Mappings> mappings;
    private final BlockingQueue<Task> queue = new LinkedBlockingQueue<>();
    private final Thread thread;

    private OperationPublisher publisher;
    private long nextSeqNo;
    private volatile String fencedReason;

    ShardWriter(String index, LeaderShard shard, String topic, long primaryTerm, TermSource terms, String historyUuid,
                PublisherFactory publishers, ShardReplayer replayer, Supplier<Mappings> mappings) {
        this.index = index;
        this.shard = shard;
        this.topic = topic;
        this.primaryTerm = primaryTerm;
        this.terms = terms;
        this.historyUuid = historyUuid;
        this.publishers = publishers;
        this.replayer = replayer;
        this.mappings = mappings;
        this.thread = new Thread(this::run, "kccr-writer[" + index + "][" + shard.shardId() + "]");
        this.thread.setDaemon(true);
    }

    /**
     * Fences older writers of the shard and replays the log's tail into it, then starts taking
     * writes. Blocks until done; throws if Kafka cannot be reached.
     */
    void start() throws Exception {
        resync();
        thread.start();
    }

    /** Queues a write; the future completes once it is in the log and applied, or fails. */
    CompletableFuture<WriteResult> submit(WriteRequest request) {
        CompletableFuture<WriteResult> result = new CompletableFuture<>();
        String fenced = fencedReason;
        if (fenced != null) {
            result.completeExceptionally(ApiException.unavailable(fenced, null));
        } else {
            queue.add(new Write(request, result));
        }
        return result;
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
            queue.drainTo(tasks, MAX_BATCH - 1);
            List<Write> writes = new ArrayList<>();
            for (Task task : tasks) {
                switch (task) {
                    case Write w -> writes.add(w);
                    case Control c -> {
                        publishBatch(writes);
                        writes.clear();
                        runControl(c);
                    }
                    case Stop s -> {
                        publishBatch(writes);
                        failRemaining();
                        return;
                    }
                }
            }
            publishBatch(writes);
        }
    }

    private void runControl(Control c) {
        try {
            c.result().complete(c.action().call());
        } catch (Throwable t) {
            c.result().completeExceptionally(t);
        }
    }

    private void publishBatch(List<Write> writes) {
        if (writes.isEmpty()) {
            return;
        }
        if (fencedReason != null) {
            writes.forEach(w -> w.result().completeExceptionally(ApiException.unavailable(fencedReason, null)));
            return;
        }
        if (publisher == null) {
            try {
                resync();
            } catch (Exception e) {
                closePublisher();
                failAll(writes, e);
                return;
            }
        }
        long firstSeqNo = nextSeqNo;
        List<Sequenced> batch = new ArrayList<>(writes.size());
        try (LeaderShard.Lookup lookup = shard.newLookup()) {
            publisher.begin();
            for (Write write : writes) {
                Sequenced s = sequence(write, lookup);
                if (s != null) {
                    batch.add(s);
                }
            }
            if (batch.isEmpty()) {
                publisher.commit();
                return;
            }
            publisher.commit();
        } catch (Exception e) {
            undo(batch, firstSeqNo);
            closePublisher(); // the next batch re-registers, unless a newer leader has taken over
            if (OperationPublisher.isFenced(e)) {
                checkStillLeader();
            }
            failAll(writes, e); // futures already completed (conflicts) keep their outcome
            return;
        }
        applyAndAcknowledge(batch);
    }

    /** Assigns the write its seq_no and sends it, or completes it with its condition's failure (null). */
    private Sequenced sequence(Write write, LeaderShard.Lookup lookup) throws Exception {
        WriteRequest req = write.request();
        DocState current = req.autoId() ? null : lookup.get(req.id());
        boolean exists = current != null && !current.deleted();
        WriteCondition cond = req.condition();
        if (cond.createOnly() && exists) {
            write.result().completeExceptionally(ApiException.versionConflict(index, req.id(),
                    "document already exists (current version [" + current.version() + "])"));
            return null;
        }
        if (cond.ifSeqNo() != null) {
            if (!exists) {
                write.result().completeExceptionally(ApiException.versionConflict(index, req.id(),
                        "required seqNo [" + cond.ifSeqNo() + "], primary term [" + cond.ifPrimaryTerm()
                                + "] but no document was found"));
                return null;
            }
            if (current.seqNo() != cond.ifSeqNo() || current.primaryTerm() != cond.ifPrimaryTerm()) {
                write.result().completeExceptionally(ApiException.versionConflict(index, req.id(),
                        "required seqNo [" + cond.ifSeqNo() + "], primary term [" + cond.ifPrimaryTerm()
                                + "]. current document has seqNo [" + current.seqNo() + "] and primary term ["
                                + current.primaryTerm() + "]"));
                return null;
            }
        }
        long version = exists ? current.version() + 1 : 1;
        long seqNo = nextSeqNo++;
        Operation op;
        WriteResult.Result result;
        if (req.op() == OpType.DELETE) {
            op = Operation.delete(req.id(), seqNo, primaryTerm, version, req.mappingVersion(), historyUuid);
            result = exists ? WriteResult.Result.DELETED : WriteResult.Result.NOT_FOUND;
        } else {
            op = Operation.index(req.id(), req.doc().source(), seqNo, primaryTerm, version, req.mappingVersion(),
                    historyUuid);
            result = exists ? WriteResult.Result.UPDATED : WriteResult.Result.CREATED;
        }
        Future<RecordMetadata> sent = publisher.send(op);
        DocState previous = req.autoId() ? null
                : shard.versionMap().put(req.id(), new DocState(seqNo, primaryTerm, version, op.op() == OpType.DELETE));
        return new Sequenced(write, op, sent, previous, result);
    }

    private void undo(List<Sequenced> batch, long firstSeqNo) {
        for (int i = batch.size() - 1; i >= 0; i--) {
            Sequenced s = batch.get(i);
            if (!s.write().request().autoId()) {
                shard.versionMap().restore(s.op().id(), s.previous());
            }
        }
        nextSeqNo = firstSeqNo;
    }

    private void applyAndAcknowledge(List<Sequenced> batch) {
        try {
            long position = 0;
            for (Sequenced s : batch) {
                long offset = s.sent().get().offset();
                // A document that did not exist when sequenced cannot be in Lucene now (ops apply in
                // sequence order): add it without the delete-by-id an update costs.
                shard.apply(s.op(), s.write().request().doc(), offset, s.result() == WriteResult.Result.CREATED);
                position = offset + 2;
            }
            // The transaction's commit marker follows its last record; this shard's producer is the
            // partition's only writer, so the next op is after the marker.
            shard.advanceTo(position);
        } catch (Exception e) {
            // The log has the batch but Lucene does not: re-derive the shard from the log before the next write.
            log.warn("[{}][{}] applying a committed batch failed; replaying from the log", index, shard.shardId(), e);
            closePublisher();
            failAll(batch.stream().map(Sequenced::write).toList(), e);
            return;
        }
        for (Sequenced s : batch) {
            Operation op = s.op();
            s.write().result().complete(new WriteResult(op.id(), shard.shardId(), op.seqNo(), op.primaryTerm(),
                    op.version(), s.result()));
        }
    }

    /**
     * Marks the shard fenced for good if a process with a newer primary term took it over. Only the
     * newest leader may re-register the shard's producer: registering fences whoever held it.
     */
    private void checkStillLeader() {
        try {
            long latest = terms.latest();
            if (latest > primaryTerm) {
                fencedReason = "[" + index + "][" + shard.shardId() + "] no longer accepts writes: another leader"
                        + " process took over this shard and fenced this one (primary term " + latest + ", this process has "
                        + primaryTerm + "). Stop this process, or stop the other one and restart this one.";
                log.warn("{}", fencedReason);
            }
        } catch (Exception e) {
            log.debug("[{}][{}] could not read the primary term", index, shard.shardId(), e);
        }
    }

    /**
     * (Re-)registers the producer, fencing older ones, and applies whatever the log holds beyond the
     * shard. Checks the primary term before and after registering, so that a superseded process
     * never keeps the shard (if it fenced the newer leader in between, that one takes it back).
     */
    private void resync() throws Exception {
        closePublisher();
        checkStillLeader();
        if (fencedReason != null) {
            throw ApiException.unavailable(fencedReason, null);
        }
        OperationPublisher fresh = publishers.open();
        try {
            fresh.init();
            checkStillLeader();
            if (fencedReason != null) {
                throw ApiException.unavailable(fencedReason, null);
            }
            replayer.replay(topic, shard, mappings);
        } catch (Exception e) {
            fresh.close();
            throw e;
        }
        shard.versionMap().clear();
        shard.refresh();
        nextSeqNo = shard.maxSeqNo() + 1;
        publisher = fresh;
    }

    private void closePublisher() {
        if (publisher != null) {
            publisher.close();
            publisher = null;
        }
    }

    private void failAll(List<Write> writes, Throwable cause) {
        ApiException error = cause instanceof ApiException api ? api
                : ApiException.unavailable("[" + index + "][" + shard.shardId() + "] could not publish to Kafka topic ["
                        + topic + "]: " + rootMessage(cause) + ". Nothing was written; check that Kafka is reachable"
                        + " and retry.", cause);
        for (Write w : writes) {
            w.result().completeExceptionally(fencedReason != null ? ApiException.unavailable(fencedReason, cause) : error);
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private void failRemaining() {
        List<Task> left = new ArrayList<>();
        queue.drainTo(left);
        for (Task t : left) {
            ApiException closed = ApiException.unavailable("[" + index + "][" + shard.shardId() + "] is closed", null);
            switch (t) {
                case Write w -> w.result().completeExceptionally(closed);
                case Control c -> c.result().completeExceptionally(closed);
                case Stop s -> { }
            }
        }
    }

    /** True once another process fenced this shard. */
    boolean isFenced() {
        return fencedReason != null;
    }

    /** Stops after the queued tasks; the publisher is closed. */
    @Override
    public void close() throws InterruptedException {
        if (thread.isAlive()) {
            queue.add(new Stop());
            thread.join(30_000);
        }
        closePublisher();
    }
}
