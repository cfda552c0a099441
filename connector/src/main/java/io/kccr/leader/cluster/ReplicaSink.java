package io.kccr.leader.cluster;

import io.kccr.core.feed.LogProbe;
import io.kccr.core.feed.ShardSink;
import io.kccr.core.index.IndexMetadata;
import io.kccr.core.mapping.DocumentMapper;
import io.kccr.core.mapping.ParsedDocument;
import io.kccr.core.wire.OpType;
import io.kccr.core.wire.Operation;
import io.kccr.core.wire.OperationCodec;
import io.kccr.leader.LeaderShard;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.lucene.store.AlreadyClosedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replica copy of a leader shard as the node's {@link io.kccr.core.feed.LogFeed} sees it: the shard's partition of
 * its index's ops topic, committed records only, applied as the primary writes them, skipping what the copy holds
 * already (by seq_no, so a replay is harmless: invariant 4). A replica is a follower of its own index's log.
 *
 * <p>The copy is <em>started</em> ({@link #started}) once it has applied its partition up to the end it had when it
 * last looked (checked at maintenance, as the feed asks about every second, until then); promoting it to primary
 * then costs only the tail it had not applied yet. Maintenance also makes a Lucene commit every
 * {@link #COMMIT_INTERVAL} while there is something to commit (the commit records the offsets it holds, so a
 * restarted replica resumes there).
 *
 * <p>Thread-safety as {@link ShardSink}: the feed's apply threads, one at a time, are the copy's owner while it is
 * assigned.
 */
final class ReplicaSink implements ShardSink {
    private static final Logger log = LoggerFactory.getLogger(ReplicaSink.class);
    static final Duration COMMIT_INTERVAL = Duration.ofSeconds(30);
    private static final Duration MAPPING_WAIT = Duration.ofSeconds(30);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
    private static final long RETRY_MILLIS = 1000;

    private final String index;
    private final LeaderShard shard;
    private final TopicPartition partition;
    private final Function<String, IndexMetadata> metadata;
    private final DocumentMapper mapper;
    private final LogProbe probe;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private volatile long lastCommitNanos = System.nanoTime();

    ReplicaSink(String index, LeaderShard shard, TopicPartition partition, Function<String, IndexMetadata> metadata,
                DocumentMapper mapper, LogProbe probe) {
        this.index = index;
        this.shard = shard;
        this.partition = partition;
        this.metadata = metadata;
        this.mapper = mapper;
        this.probe = probe;
    }

    /** Completes once the copy caught up with its partition; fails if it is detached or stopped before. */
    CompletableFuture<Void> started() {
        return started;
    }

    LeaderShard shard() {
        return shard;
    }

    @Override
    public void apply(List<ConsumerRecord<byte[], byte[]>> records) throws IOException {
        for (ConsumerRecord<byte[], byte[]> record : records) {
            Operation op = OperationCodec.fromRecord(record);
            if (op.seqNo() <= shard.maxSeqNo()) {
                shard.advanceTo(record.offset() + 1); // held already: applying it again would change nothing
                continue;
            }
            ParsedDocument doc = op.op() == OpType.DELETE ? null
                    : mapper.parse(op.id(), op.source(), mappingsFor(op.mappingVersion()).mappings());
            shard.apply(op, doc, record.offset(), false);
        }
    }

    /** The index's metadata with at least {@code version}: the metadata tail publishes it before such an op. */
    private IndexMetadata mappingsFor(long version) {
        long deadline = System.nanoTime() + MAPPING_WAIT.toNanos();
        while (true) {
            IndexMetadata m = metadata.apply(index);
            if (m != null && m.mappingVersion() >= version) {
                return m;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("index [" + index + "] has an op of mapping version " + version
                        + " but this node knows mapping version " + (m == null ? "none" : m.mappingVersion())
                        + " after " + MAPPING_WAIT.toSeconds() + "s; is its .meta topic readable?");
            }
            try {
                Thread.sleep(20); // the metadata tail delivers the new mapping on its own thread
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    @Override
    public void advanceTo(long position) {
        shard.advanceTo(position); // past transaction markers
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
        return !started.isDone() || shard.isClosed()
                || nowNanos - lastCommitNanos >= COMMIT_INTERVAL.toNanos() && shard.hasUncommittedOps();
    }

    @Override
    public void maintain() throws IOException {
        if (shard.isClosed()) {
            throw new AlreadyClosedException("replica [" + index + "][" + shard.shardId() + "] was closed");
        }
        if (!started.isDone()) {
            long end = probe.endOffsets(List.of(partition), PROBE_TIMEOUT).get(partition);
            if (shard.nextOffset() >= end) {
                shard.refresh();
                started.complete(null);
            }
        }
        long now = System.nanoTime();
        if (now - lastCommitNanos >= COMMIT_INTERVAL.toNanos() && shard.hasUncommittedOps()) {
            shard.commit();
            lastCommitNanos = now;
        }
    }

    @Override
    public long onFailure(Throwable error, boolean reading) {
        if (error instanceof AlreadyClosedException || shard.isClosed()) {
            stopped("closed"); // its index was deleted, or the node stops: it is no replica any more
            return -1;
        }
        log.warn("replica [{}][{}]: {} failed; retrying in {} ms", index, shard.shardId(),
                reading ? "reading its log" : "applying its log", RETRY_MILLIS, error);
        return RETRY_MILLIS;
    }

    /** The copy is no longer applied: it never becomes started. */
    void stopped(String why) {
        started.completeExceptionally(new IllegalStateException("replica [" + index + "][" + shard.shardId() + "] "
                + why));
    }

    /** A Lucene commit of what the copy applied, when it is no longer applied; failures only logged. */
    void commitQuietly() {
        try {
            if (!shard.isClosed()) {
                shard.commit();
            }
        } catch (IOException | RuntimeException e) {
            log.debug("could not commit replica [{}][{}]", index, shard.shardId(), e);
        }
    }
}
