package io.kccr.leader;

import io.kccr.core.error.KccrException;
import io.kccr.core.error.UnavailableException;
import io.kccr.core.shard.DocState;
import io.kccr.core.mapping.Mappings;
import io.kccr.core.wire.OpType;
import io.kccr.core.wire.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link ShardWriter}'s thread does with each batch of queued writes: checks each write's condition against
 * the document's current state, assigns seq_nos, publishes the batch in one Kafka transaction through the shard's
 * {@link OperationPublisher}, and only once it is committed hands it to the {@link BatchApplier} (invariant 1, log
 * first). A failed transaction takes its seq_nos back; the publisher is then registered again and the partition's
 * tail replayed ({@link #resync}), which settles a commit whose outcome the client could not see. A newer leader's
 * fencing stops the shard for good.
 *
 * <p>Not thread-safe: used by the writer thread only, apart from {@link #fencedReason}, which any thread may read.
 */
final class BatchPublisher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BatchPublisher.class);

    private final String index;
    private final LeaderShard shard;
    private final String topic;
    private final long primaryTerm;
    private final ShardWriter.TermSource terms;
    private final String historyUuid;
    private final ShardWriter.PublisherFactory publishers;
    private final ShardWriter.Replayer replayer;
    private final Supplier<Mappings> mappings;
    private final BatchApplier applier;
    private final PublishListener.Shard listener;

    private OperationPublisher publisher;
    private long nextSeqNo;
    private volatile String fencedReason;

    BatchPublisher(String index, LeaderShard shard, String topic, long primaryTerm, ShardWriter.TermSource terms,
                   String historyUuid, ShardWriter.PublisherFactory publishers, ShardWriter.Replayer replayer,
                   Supplier<Mappings> mappings, PublishListener.Shard listener) {
        this.index = index;
        this.shard = shard;
        this.topic = topic;
        this.primaryTerm = primaryTerm;
        this.terms = terms;
        this.historyUuid = historyUuid;
        this.publishers = publishers;
        this.replayer = replayer;
        this.mappings = mappings;
        this.listener = listener;
        this.applier = new BatchApplier(index, shard, this::failAll);
    }

    /** Why the shard takes no more writes (a newer leader fenced it); null while it takes them. Any thread. */
    String fencedReason() {
        return fencedReason;
    }

    long primaryTerm() {
        return primaryTerm;
    }

    /** Publishes {@code writes} in one transaction (once more after a passing refusal), then hands them to the applier. */
    void publishBatch(List<PendingWrite> writes) {
        publishBatch(writes, true);
    }

    /**
     * Publishes {@code writes} in one transaction. If the transaction fails for a reason other than fencing, the
     * shard re-syncs from the log and, with {@code mayRetry}, the writes the log does not hold are published once
     * more: a transaction the broker refused for a passing reason (a coordinator moving, a state race such as
     * {@code InvalidTxnStateException}) then costs the client nothing, and no write is ever in the log twice, because
     * only those the re-synced log proves absent are sent again.
     */
    private void publishBatch(List<PendingWrite> writes, boolean mayRetry) {
        if (writes.isEmpty()) {
            return;
        }
        if (fencedReason != null) {
            writes.forEach(w -> w.result().completeExceptionally(UnavailableException.notWritten(fencedReason, null)));
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
        List<SequencedWrite> batch = new ArrayList<>(writes.size());
        boolean committing = false;
        try (LeaderShard.Lookup lookup = shard.newLookup()) {
            publisher.begin();
            for (PendingWrite write : writes) {
                SequencedWrite s = sequence(write, lookup);
                if (s != null) {
                    batch.add(s);
                }
            }
            committing = !batch.isEmpty();
            publisher.commit();
            if (batch.isEmpty()) {
                return;
            }
        } catch (Exception e) {
            undo(batch, firstSeqNo);
            awaitApplied();
            closePublisher(); // the next batch re-registers, unless a newer leader has taken over
            if (OperationPublisher.isFenced(e)) {
                checkStillLeader();
            }
            if (committing && fencedReason == null) {
                settleUnknown(batch, writes, e, mayRetry);
            } else {
                failAll(writes, e); // futures already completed (conflicts) keep their outcome
            }
            return;
        }
        SequencedWrite.committed(batch, listener);
        if (!awaitApplied()) {
            // the batch before could not be applied, so Lucene is behind the log: this one is in the log too, and
            // the next batch's re-sync applies both from there
            failAll(batch.stream().map(SequencedWrite::write).toList(), new io.kccr.core.error.FailedException("["
                    + index + "][" + shard.shardId() + "] the write is in the log, but applying the batch before this one"
                    + " to Lucene failed; the shard applies both again from the log before its next write", null));
            return;
        }
        applier.submit(batch);
    }

    /**
     * A commit failed after the batch was sent: the transaction may or may not have reached the log (a commit that
     * timed out can complete on the broker). Re-registering the producer settles it (the coordinator completes or
     * aborts it) and the replay applies whatever the log holds, so each write is then answered for what it is: in
     * the log (acknowledged, as any write), or not (nothing was written). If Kafka cannot be reached to settle it,
     * the writes are answered honestly: their outcome is unknown.
     */
    private void settleUnknown(List<SequencedWrite> batch, List<PendingWrite> writes, Exception cause,
                               boolean mayRetry) {
        try {
            resync();
        } catch (Exception e) {
            closePublisher();
            KccrException unknown = new UnavailableException("[" + index + "][" + shard.shardId()
                    + "] the write was sent to Kafka topic [" + topic + "] but its commit failed ("
                    + rootMessage(cause) + ") and Kafka cannot be reached to tell whether it completed: it may or"
                    + " may not be in the log. Read the document (GET) before retrying, or retry it with the same id,"
                    + " which writes the same document again", cause);
            batch.forEach(s -> s.write().result().completeExceptionally(unknown));
            failAll(writes, cause); // the rest (not sequenced) were not written
            return;
        }
        long inLog = shard.maxSeqNo();
        List<PendingWrite> notWritten = new ArrayList<>();
        for (SequencedWrite s : batch) {
            Operation op = s.op();
            if (op.seqNo() <= inLog) {
                s.write().result().complete(new WriteResult(op.id(), shard.shardId(), op.seqNo(), op.primaryTerm(),
                        op.version(), s.result()));
            } else {
                notWritten.add(s.write());
            }
        }
        log.info("[{}][{}] a failed commit ({}) settled: {} of {} writes were in the log{}", index, shard.shardId(),
                rootMessage(cause), batch.size() - notWritten.size(), batch.size(),
                mayRetry && !notWritten.isEmpty() ? "; publishing the others once more" : "");
        if (mayRetry) {
            publishBatch(writes.stream().filter(w -> !w.result().isDone()).toList(), false);
            return;
        }
        failAll(notWritten, cause);
        failAll(writes, cause); // writes not sequenced (no-ops once completed)
    }

    /**
     * Waits for the batch being applied. If applying it failed, the log is ahead of Lucene: the
     * publisher is closed, so that the next batch first re-syncs the shard from the log.
     *
     * @return false if it failed
     */
    boolean awaitApplied() {
        Throwable failed;
        try {
            failed = applier.await();
        } catch (RuntimeException e) {
            failed = e;
        }
        if (failed != null) {
            closePublisher();
            return false;
        }
        return true;
    }

    /** Assigns the write its seq_no and sends it, or completes it with its condition's failure (null). */
    private SequencedWrite sequence(PendingWrite write, LeaderShard.Lookup lookup) throws Exception {
        if (!write.result().claim()) {
            return null; // its caller gave up waiting and was told nothing was written
        }
        WriteRequest req = write.request();
        DocState current = req.autoId() ? null : lookup.get(req.id());
        KccrException violation = req.condition().violation(index, req.id(), current);
        if (violation != null) {
            write.result().completeExceptionally(violation);
            return null;
        }
        boolean exists = current != null && !current.deleted();
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
        return new SequencedWrite(write, op, sent, previous, result);
    }

    private void undo(List<SequencedWrite> batch, long firstSeqNo) {
        for (int i = batch.size() - 1; i >= 0; i--) {
            SequencedWrite s = batch.get(i);
            if (!s.write().request().autoId()) {
                shard.versionMap().restore(s.op().id(), s.previous());
            }
        }
        nextSeqNo = firstSeqNo;
    }

    /**
     * Marks the shard fenced for good if a process with a newer primary term took it over. Only the
     * newest leader may re-register the shard's producer: registering fences whoever held it.
     *
     * @return whether the latest primary term could be read
     */
    private boolean checkStillLeader() {
        try {
            long latest = terms.latest();
            if (latest > primaryTerm) {
                fencedReason = "[" + index + "][" + shard.shardId() + "] no longer accepts writes: another leader"
                        + " process took over this shard and fenced this one (primary term " + latest + ", this process has "
                        + primaryTerm + "). Stop this process, or stop the other one and restart this one.";
                log.warn("{}", fencedReason);
            }
            return true;
        } catch (Exception e) {
            log.debug("[{}][{}] could not read the primary term", index, shard.shardId(), e);
            return false;
        }
    }

    /**
     * (Re-)registers the producer, fencing older ones, and applies whatever the log holds beyond the
     * shard. Checks the primary term before and after registering, so that a superseded process
     * never keeps the shard (if it fenced the newer leader in between, that one takes it back).
     */
    void resync() throws Exception {
        awaitApplied();
        closePublisher();
        boolean known = checkStillLeader();
        if (fencedReason != null) {
            throw new UnavailableException(fencedReason, null);
        }
        if (!known) { // registering blindly could fence a newer leader that took the shard over meanwhile
            throw new UnavailableException("[" + index + "][" + shard.shardId() + "] cannot confirm that this process"
                    + " still leads the shard (the metadata topic cannot be read now); nothing was written, retry", null);
        }
        OperationPublisher fresh = publishers.open();
        try {
            fresh.init();
            checkStillLeader();
            if (fencedReason != null) {
                throw new UnavailableException(fencedReason, null);
            }
            if (shard.reopenIfTragic()) {
                log.warn("[{}][{}] the Lucene writer was closed by a tragic event; reopened from its last commit,"
                        + " re-syncing from the log", index, shard.shardId());
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

    void closePublisher() {
        if (publisher != null) {
            publisher.close();
            publisher = null;
        }
    }

    void failAll(List<PendingWrite> writes, Throwable cause) {
        KccrException error = cause instanceof KccrException api ? api
                : new UnavailableException("[" + index + "][" + shard.shardId() + "] could not publish to Kafka topic ["
                        + topic + "]: " + rootMessage(cause) + ". Nothing was written; check that Kafka is reachable"
                        + " and retry.", cause);
        // a transaction that failed because it was fenced was aborted by the newer primary's registration: nothing
        // of it is in the log. A batch that failed otherwise (e.g. applying it after its commit) may well be.
        String reason = fencedReason != null ? fencedReason : error.reason();
        KccrException outcome = OperationPublisher.isFenced(cause) ? UnavailableException.notWritten(reason, cause)
                : fencedReason != null ? new UnavailableException(fencedReason, cause) : error;
        for (PendingWrite w : writes) {
            w.result().completeExceptionally(outcome);
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /** Waits for the batch being applied, then closes the applier and the publisher. */
    @Override
    public void close() {
        applier.close();
        closePublisher();
    }
}
