package io.kccr.follower.apply;

import io.kccr.core.index.IndexMetadata;
import io.kccr.core.mapping.DocumentMapper;
import io.kccr.core.mapping.ParsedDocument;
import io.kccr.core.wire.MalformedOperationException;
import io.kccr.core.wire.OpType;
import io.kccr.core.wire.Operation;
import io.kccr.core.wire.OperationDecoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * Applies the leader's ops of one partition to a follower shard, idempotently (invariant 4): an
 * op at or below the shard's applied {@code max_seq_no} is skipped and counted, never applied
 * twice. That checkpoint is enough: within a partition seq_nos strictly increase with the offset
 * (invariant 2), and a shard's commit holds exactly the ops up to its {@code max_seq_no}
 * (invariant 3), so any op a replay, a duplicate or an overlap brings again is at or below it.
 *
 * <p>An op naming a newer {@code mapping_version} than the follower knows waits for the leader's
 * metadata first (the leader publishes it before any such op). An op of another history, or a
 * record that is not an operation, stops the follower ({@link FollowerFailure}).
 *
 * <p>Not thread-safe: one per shard, used by the thread that owns the shard.
 */
public final class OperationApplier {

    /** Where the follower's idea of the leader's metadata comes from. */
    public interface LeaderMetadata {
        /** The metadata the follower has now. */
        IndexMetadata current();

        /** Metadata with at least {@code mappingVersion}, fetched from the leader's meta topic; blocks. */
        IndexMetadata awaitMappingVersion(long mappingVersion);
    }

    /** Where the shard's partition of the leader's log starts now: read from Kafka, so it may block briefly. */
    public interface LogStart {
        long beginningOffset(int partition);
    }

    /** How long a read of the log's start is trusted when ops jump: compaction makes jumps common on a catch-up. */
    private static final long LOG_START_TTL_MILLIS = 1_000;

    private final FollowerShard shard;
    private final LogStart logStart;
    private long logStartRead = Long.MIN_VALUE;
    private long logStartReadAt;
    private final DocumentMapper mapper;
    private final LeaderMetadata metadata;
    private final String topic;
    private final Clock clock;
    private final OperationDecoder decoder;
    /**
     * The shard holds exactly the ops of seq_no 0 up to this one, applied one after another from an empty shard:
     * {@link #NOT_DENSE} once that is not known (the shard opened with documents, or a seq_no was skipped).
     */
    private long denseUpTo;
    private static final long NOT_DENSE = Long.MIN_VALUE;

    public OperationApplier(FollowerShard shard, DocumentMapper mapper, LeaderMetadata metadata, String topic,
                            Clock clock) {
        this(shard, mapper, metadata, topic, clock, null);
    }

    /**
     * With {@code logStart} (null: none), an op that arrives past a jump in offsets and seq_nos is checked against
     * the log's start: ops the shard never applied were deleted under it (retention, deleteRecords) while a consumer
     * skipped to the new start. That fails the follower instead of skipping them.
     */
    public OperationApplier(FollowerShard shard, DocumentMapper mapper, LeaderMetadata metadata, String topic,
                            Clock clock, LogStart logStart) {
        this.shard = shard;
        this.logStart = logStart;
        this.mapper = mapper;
        this.metadata = metadata;
        this.topic = topic;
        this.clock = clock;
        this.decoder = new OperationDecoder(shard.historyUuid());
        this.denseUpTo = shard.maxSeqNo() < 0 ? -1 : NOT_DENSE;
    }

    /**
     * Applies consecutive records of the shard's partition, in offset order, as one write request: the shard's
     * counters of ops read and write time move once for all of them.
     *
     * @throws FollowerFailure for a record that is not an operation or one of another history; the records before it
     *                         are applied (the shard's next offset says how far)
     */
    public void apply(List<ConsumerRecord<byte[], byte[]>> records) {
        long start = System.nanoTime();
        long bytes = 0;
        int read = 0;
        try {
            for (int i = 0, n = records.size(); i < n; i++) {
                ConsumerRecord<byte[], byte[]> r = records.get(i);
                read++;
                bytes += Math.max(0, r.serializedKeySize()) + Math.max(0, r.serializedValueSize());
                applyOne(r.key(), r.value(), r.headers(), r.offset(), false);
            }
        } finally {
            shard.operationsRead.addAndGet(read);
            shard.bytesRead.addAndGet(bytes);
            shard.lastReadMillis = clock.millis();
            shard.writeNanos.addAndGet(System.nanoTime() - start);
        }
    }

    /**
     * Applies the record at {@code offset} of the shard's partition.
     *
     * @return true if it was applied, false if skipped as already applied
     * @throws FollowerFailure for a record that is not an operation or one of another history
     */
    public boolean apply(byte[] key, byte[] value, Headers headers, long offset) {
        return apply(key, value, headers, offset, false);
    }

    /**
     * Ops skipped by the log's start moving past the shard (not by compaction, which never moves the start): the
     * record jumps over offsets after the shard's position, its seq_no over ones the shard never applied, and the
     * log now starts after the shard's position.
     */
    private void checkNoGap(Operation op, long offset) {
        long next = shard.nextOffset();
        if (logStart == null || offset <= next + 1 || op.seqNo() <= shard.maxSeqNo() + 1) {
            return;
        }
        long now = clock.millis();
        if (logStartRead <= next && (logStartRead == Long.MIN_VALUE || now - logStartReadAt >= LOG_START_TTL_MILLIS)) {
            logStartRead = logStart.beginningOffset(shard.shardId());
            logStartReadAt = now;
        }
        if (logStartRead > next) {
            throw new FollowerFailure("illegal_state_exception", "history lost: shard [" + shard.shardId()
                    + "] needs the leader's ops from seq_no [" + (shard.maxSeqNo() + 1) + "] at offset [" + next
                    + "] of [" + topic + "] partition [" + shard.shardId() + "] but the log now starts at offset ["
                    + logStartRead + "] and its next op has seq_no [" + op.seqNo() + "] (retention or deleteRecords"
                    + " removed the ops in between while the follower was behind). The follower must be"
                    + " re-bootstrapped from the leader: POST /<follower>/_ccr/rebootstrap");
        }
    }

    /**
     * As {@link #apply(byte[], byte[], Headers, long)}; {@code fromEmpty} when the shard was
     * empty and has applied every op of the log before this one, in order (a rebuild from the log's
     * start). Then an index op of {@code version} 1 adds its document without the delete-by-id an
     * update costs: the leader gives version 1 only to a document that does not exist (never
     * written, or deleted), so the shard, holding the log's projection up to here, has none with that
     * id either. Compaction keeps that true: it removes a document's older records, a tombstone
     * included, only with or after every record it supersedes.
     */
    public boolean apply(byte[] key, byte[] value, Headers headers, long offset, boolean fromEmpty) {
        shard.operationsRead.incrementAndGet();
        shard.bytesRead.addAndGet((key == null ? 0 : key.length) + (value == null ? 0 : value.length));
        shard.lastReadMillis = clock.millis();
        long start = System.nanoTime();
        try {
            return applyOne(key, value, headers, offset, fromEmpty);
        } finally {
            shard.writeNanos.addAndGet(System.nanoTime() - start);
        }
    }

    private boolean applyOne(byte[] key, byte[] value, Headers headers, long offset, boolean fromEmpty) {
        Operation op;
        try {
            op = decoder.decode(key, value, headers);
        } catch (MalformedOperationException e) {
            throw new FollowerFailure("illegal_state_exception", "cannot decode the record at topic [" + topic
                    + "] partition [" + shard.shardId() + "] offset [" + offset + "]: " + e.getMessage()
                    + ". Something other than the leader wrote to the ops topic; remove the record (or re-bootstrap"
                    + " the follower from the leader) and resume.", e);
        }
        if (!op.historyUuid().equals(shard.historyUuid())) {
            throw new FollowerFailure("illegal_state_exception", "the leader's history changed at topic [" + topic
                    + "] partition [" + shard.shardId() + "] offset [" + offset + "]: the op has history_uuid ["
                    + op.historyUuid() + "] but this follower follows [" + shard.historyUuid() + "] (the leader index"
                    + " was recreated or restored). The follower must be re-bootstrapped from the leader.");
        }
        if (op.seqNo() <= shard.maxSeqNo()) {
            shard.operationsSkipped.incrementAndGet();
            shard.advanceTo(offset + 1);
            return false;
        }
        checkNoGap(op, offset);
        // An op right after every op before it, on a shard that started empty: the shard is the leader's state just
        // before this op (seq_nos are dense per shard, invariant 2), so a version 1 document does not exist in it.
        boolean dense = denseUpTo != NOT_DENSE && denseUpTo == shard.maxSeqNo() && op.seqNo() == denseUpTo + 1;
        try {
            ParsedDocument doc = null;
            if (op.op() == OpType.INDEX) {
                IndexMetadata meta = metadata.current();
                if (op.mappingVersion() > meta.mappingVersion()) {
                    meta = metadata.awaitMappingVersion(op.mappingVersion());
                }
                doc = mapper.parse(op.id(), op.source(), meta.mappings());
            }
            // Otherwise update by id: a follower that held the document before may see its delete compacted away
            // (it lagged past delete.retention.ms), so for it "version 1" does not prove absence.
            shard.apply(op, doc, offset, (fromEmpty || dense) && op.op() == OpType.INDEX && op.version() == 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        denseUpTo = dense ? op.seqNo() : NOT_DENSE;
        shard.operationsWritten.incrementAndGet();
        return true;
    }
}
