package io.kccr.follower;

import io.kccr.follower.apply.FollowerShard;
import io.kccr.follower.apply.ShardRegistry;
import io.kccr.core.index.ShardCommitData;
import io.kccr.core.shard.LuceneShard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.internals.RecordBatchingStateRestoreCallback;

/**
 * A Kafka Streams state store holding one follower shard's Lucene index, registered with
 * {@code Topology#addReadOnlyStateStore} so that the leader's ops topic is its changelog.
 *
 * <p><b>Why this shape (invariant 5).</b> Kafka Streams commits a task's consumer offsets
 * <i>before</i> it calls the store's commit hook, so a store that only made a Lucene commit in
 * that hook would lose the ops between the two on a crash. Here the store manages its own offsets:
 * {@link #committedOffset} is the last offset held in its durable Lucene commit (commit user data,
 * invariant 3), and on restart Streams restores exactly the records between that offset and the
 * group's committed offset through the restore callback, before processing resumes. Nothing is
 * lost whenever the crash comes, and nothing is applied twice (the applier skips by seq_no).
 * Since the gap is restored anyway, a Lucene commit need not follow every offset commit: it is
 * made at most every {@code commitInterval}, which keeps Lucene commits (a third of the apply
 * cost on small documents) off the hot path while consumer offsets, hence the lag every Kafka tool
 * shows, stay fresh. The commit itself runs on the {@code committer} executor, beside the stream
 * thread, which only takes the checkpoint it records ({@link LuceneShard#commit(ShardCommitData)}):
 * a commit flushes and fsyncs seconds of segments, and applying must not stall behind it. A failed
 * commit is rethrown on the stream thread at its next commit.
 *
 * <p>The Lucene index lives outside Streams' {@code state.dir} (a dirty close under EOS wipes the
 * task directory) and is shared through a {@link ShardRegistry}, as Streams may open a store twice.
 * The public restore callbacks give key and value only; the internal record-batching callback gives
 * the whole record (offset, headers, timestamp), which applying an op needs.
 */
public final class LuceneShardStore implements StateStore {
    private final String name;
    private final ShardRegistry registry;
    private final Duration commitInterval;
    private final Executor committer;
    private ShardRegistry.Handle handle;
    private int partition = -1;
    private long lastCommitNanos;
    private CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null);

    public LuceneShardStore(String name, ShardRegistry registry, Duration commitInterval, Executor committer) {
        this.name = name;
        this.registry = registry;
        this.commitInterval = commitInterval;
        this.committer = committer;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        partition = context.taskId().partition();
        handle = registry.acquire(partition);
        lastCommitNanos = System.nanoTime();
        context.register(root, (RecordBatchingStateRestoreCallback) this::restoreBatch);
    }

    private void restoreBatch(Collection<ConsumerRecord<byte[], byte[]>> records) {
        for (ConsumerRecord<byte[], byte[]> r : records) {
            handle.applier().apply(r.key(), r.value(), r.headers(), r.offset());
        }
    }

    /** Applies one record the processor received. */
    void apply(org.apache.kafka.streams.processor.api.Record<byte[], byte[]> record, long offset) {
        handle.applier().apply(record.key(), record.value(), record.headers(), offset);
    }

    /** The shard behind this store (null before init). */
    public FollowerShard shard() {
        return handle == null ? null : handle.shard();
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        // The shard tracks its own next offset as it applies; the offsets Streams passes are not needed.
        if (handle == null || !inFlight.isDone()) {
            return;
        }
        CompletableFuture<Void> last = inFlight;
        inFlight = CompletableFuture.completedFuture(null);
        last.join(); // rethrows a failed commit here, on the stream thread
        FollowerShard shard = handle.shard();
        if (System.nanoTime() - lastCommitNanos >= commitInterval.toNanos() && shard.hasUncommittedOps()) {
            ShardCommitData checkpoint = shard.checkpoint();
            lastCommitNanos = System.nanoTime();
            inFlight = CompletableFuture.runAsync(() -> {
                try {
                    shard.commit(checkpoint);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, committer);
        }
    }

    @Override
    @SuppressWarnings("deprecation")
    public void flush() {
        commit(Map.of());
    }

    /** The last offset the durable Lucene commit holds; null when it holds none. */
    @Override
    public Long committedOffset(TopicPartition partition) {
        if (handle == null) {
            return null;
        }
        long next = handle.shard().committedNextOffset();
        return next == 0 ? null : next - 1;
    }

    @Override
    @SuppressWarnings("deprecation")
    public boolean managesOffsets() {
        return true;
    }

    @Override
    public boolean persistent() {
        return true;
    }

    @Override
    public boolean isOpen() {
        return handle != null;
    }

    /** Idempotent: commits what was applied and lets go of the shard. */
    @Override
    public void close() {
        if (handle != null) {
            try {
                inFlight.join();
            } catch (CompletionException e) {
                // the last holder's release commits again, and reports a failure then
            } finally {
                handle = null;
                registry.release(partition);
            }
        }
    }
}
