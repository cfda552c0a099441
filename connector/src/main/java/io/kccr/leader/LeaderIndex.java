package io.kccr.leader;

import io.kccr.core.index.IndexBlock;
import io.kccr.core.error.KccrException;
import io.kccr.core.error.UnavailableException;
import io.kccr.core.index.IndexMetadata;
import io.kccr.core.recovery.RestorableIndex;
import io.kccr.core.mapping.DocumentMapper;
import io.kccr.core.mapping.Mappings;
import io.kccr.core.routing.ShardRouting;
import io.kccr.core.shard.GetResult;
import io.kccr.core.shard.SearchableIndex;
import io.kccr.core.shard.ShardSearch;
import io.kccr.leader.topics.MetadataLog;
import io.kccr.leader.topics.MetadataUpdates;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import org.apache.lucene.index.IndexCommit;

/**
 * A leader index: its metadata and the copies of its shards this node holds, each the projection of one partition
 * of the index's ops topic. Writes are parsed and mapped on the caller's thread (a new field is first published to
 * the {@code .meta} topic, so no op ever names a mapping a follower cannot have), then handed to the shard's
 * {@link ShardWriter}, which publishes before it applies. The copies and their writers are kept by
 * {@link ShardCopies}, the metadata and its mapping changes by {@link PublishedMetadata}, the write blocks by
 * {@link IndexBlocks}; {@link WritePreparer} makes writes ready for the writers.
 *
 * <p>A node alone with its indices opens every shard as primary ({@link #open}). In a cluster each shard's copies
 * are where the cluster places them ({@link #unassigned}, then {@link #startPrimary}, {@link #startReplica},
 * {@link #demote} and {@link #closeCopy} as the placement changes): a write reaches the node of the shard's primary,
 * and one that reaches another node fails with a {@link UnavailableException#notHere} error, which a coordinating
 * node retries where the shard is now. A replica copy is applied by its node's replica applier, not here.
 *
 * <p>Thread-safe. The copy operations of one shard are serialized.
 */
public final class LeaderIndex implements SearchableIndex, RestorableIndex, Closeable {
    /** How often a shard with new ops makes a Lucene commit, bounding the replay after a crash. */
    static final Duration COMMIT_INTERVAL = Duration.ofSeconds(30);
    /** The index's metadata as last published, kept in its directory: what lists it as dangling if the log forgets it. */
    public static final String METADATA_FILE = "index_metadata.json";

    private final ShardCopies copies;
    private final List<ScheduledFuture<?>> schedules = new ArrayList<>();
    private final List<Runnable> closeListeners = new CopyOnWriteArrayList<>();
    private final IndexBlocks blocks;
    private final PublishedMetadata published;
    private final WritePreparer preparer;
    private volatile boolean closed;

    private LeaderIndex(IndexMetadata metadata, Path dir, DocumentMapper mapper, MetadataLog metadataLog,
                        MetadataUpdates updates, Map<String, Object> clientProperties, Duration writeTimeout,
                        PublishListener listener) {
        this.published = new PublishedMetadata(metadata, dir.resolve(METADATA_FILE), metadataLog, updates);
        this.blocks = new IndexBlocks(metadata.name());
        this.preparer = new WritePreparer(blocks, mapper, published, metadataLog);
        this.copies = new ShardCopies(metadata, published::current, dir, metadataLog, clientProperties, writeTimeout,
                new ShardReplayer(clientProperties, mapper), listener, published::keep);
    }

    /**
     * Opens every shard of the index under {@code dir} as its primary, fences older writers and replays each
     * shard's log tail; returns once the index takes writes. For a node alone with its indices.
     */
    public static LeaderIndex open(IndexMetadata metadata, Path dir, DocumentMapper mapper, MetadataLog metadataLog,
                                   Map<String, Object> clientProperties, Duration writeTimeout,
                                   ScheduledExecutorService scheduler, PublishListener listener) throws Exception {
        LeaderIndex index = new LeaderIndex(metadata, dir, mapper, metadataLog, MetadataUpdates.direct(metadataLog),
                clientProperties, writeTimeout, listener);
        try {
            for (int i = 0; i < metadata.numberOfShards(); i++) {
                index.startPrimary(i);
            }
            index.published.save();
            index.schedule(scheduler);
        } catch (Exception | Error e) {
            index.close(); // no writer thread or schedule is left behind by an index that could not open
            throw e;
        }
        return index;
    }

    /** Blocks writes with {@code block} (replacing one of the same id). */
    public void addBlock(IndexBlock block) {
        blocks.add(block);
    }

    /** Lifts the block {@code id}, if set. */
    public void removeBlock(int id) {
        blocks.remove(id);
    }

    /** The blocks on the index's writes, by id. */
    public Collection<IndexBlock> blocks() {
        return blocks.all();
    }

    /** A 403 or 429 {@code cluster_block_exception} when a block refuses writes. */
    private void checkNotBlocked() {
        blocks.check(-1);
    }

    /**
     * The largest ops record the index's topic takes ({@code max.message.bytes}, and the producer's own limit): a
     * document that would not fit is refused alone, before it joins a transaction that it would fail for everyone.
     */
    public void limitRecordBytes(int bytes) {
        preparer.limitRecordBytes(bytes);
    }

    /**
     * The index with no copy open yet, for a node of a cluster: its copies open as the cluster places them.
     * Metadata changes go through {@code updates}, which serializes them across the cluster's nodes.
     */
    public static LeaderIndex unassigned(IndexMetadata metadata, Path dir, DocumentMapper mapper,
                                         MetadataLog metadataLog, MetadataUpdates updates,
                                         Map<String, Object> clientProperties, Duration writeTimeout,
                                         ScheduledExecutorService scheduler, PublishListener listener) {
        LeaderIndex index = new LeaderIndex(metadata, dir, mapper, metadataLog, updates, clientProperties,
                writeTimeout, listener);
        index.schedule(scheduler);
        return index;
    }

    /**
     * Makes this node's copy of {@code shard} its primary: opens the copy unless it is open (a replica is promoted
     * as it is), takes the shard's next primary term, registers the shard's producer (fencing any older writer,
     * whose open transaction is aborted) and replays the log's tail; returns once the shard takes writes. A primary
     * that is already running here is left as it is, unless another process fenced it: then it is replaced.
     */
    public void startPrimary(int shard) throws Exception {
        copies.startPrimary(shard);
    }

    /**
     * Opens this node's copy of {@code shard} for a replica (unless it is open) and returns it; stops the shard's
     * writer here first if this copy was the primary. The caller applies the log to it.
     */
    public LeaderShard startReplica(int shard) throws IOException {
        return copies.startReplica(shard);
    }

    /**
     * Stops the writer of {@code shard} on this node, if it runs here, after it published and applied what was
     * queued before; the copy stays open (a replica now). Writes queued after fail as not written here.
     */
    public void demote(int shard) {
        copies.demote(shard);
    }

    /** Closes this node's copy of {@code shard} (its writer first, if it is the primary); its files stay. */
    public void closeCopy(int shard) {
        copies.closeCopy(shard);
    }

    /** The directory of {@code shard}'s copy on this node. */
    public Path shardDir(int shard) {
        return copies.shardDir(shard);
    }

    private void schedule(ScheduledExecutorService scheduler) {
        Duration refresh = published.current().settings().refreshInterval();
        if (refresh != null) {
            schedules.add(scheduler.scheduleWithFixedDelay(() -> shards().forEach(LeaderShard::maybeRefresh),
                    refresh.toMillis(), refresh.toMillis(), TimeUnit.MILLISECONDS));
        }
        schedules.add(scheduler.scheduleWithFixedDelay(copies::commitIfNeeded, COMMIT_INTERVAL.toMillis(),
                COMMIT_INTERVAL.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Override
    public IndexMetadata metadata() {
        return published.current();
    }

    @Override
    public String name() {
        return published.current().name();
    }

    /** Its own metadata: a follower copies a leader index. */
    @Override
    public IndexMetadata restoreMetadata() {
        return metadata();
    }

    /** The copies open on this node (primaries and replicas), in shard order: every shard on a node alone. */
    @Override
    public List<LeaderShard> shards() {
        return copies.open();
    }

    /** This node's open copy of {@code shard}, or null. */
    @Override
    public LeaderShard copy(int shard) {
        return copies.copy(shard);
    }

    /** Whether this node runs {@code shard}'s writer (and the writer was not fenced). */
    public boolean isPrimaryHere(int shard) {
        ShardWriter w = copies.writer(shard);
        return w != null && !w.isFenced();
    }

    /** The primary term {@code shard}'s writer here sequences with, 0 when it has none here. */
    public long primaryTerm(int shard) {
        ShardWriter w = copies.writer(shard);
        return w == null ? 0 : w.primaryTerm();
    }

    /** Whether another process fenced {@code shard}'s writer on this node. */
    public boolean isFenced(int shard) {
        ShardWriter w = copies.writer(shard);
        return w != null && w.isFenced();
    }

    /**
     * Indexes {@code source} under {@code id} (null: a new id is generated). The future completes
     * once the op is in the log and applied; it fails with an {@link KccrException}.
     */
    public CompletableFuture<WriteResult> index(String id, byte[] source, WriteCondition condition) {
        return submit(List.of(indexRequest(id, source, condition))).getFirst();
    }

    /**
     * Indexes a document re-published from another copy of the index (unfollow, a dangling import): as
     * {@link #index}, but through the block that keeps other writes out while the copy is under way.
     */
    public CompletableFuture<WriteResult> republish(String id, byte[] source) {
        WriteRequest request = preparer.index(id, source, WriteCondition.NONE, IndexBlocks.CONVERTING);
        return submit(List.of(request), IndexBlocks.CONVERTING).getFirst();
    }

    public CompletableFuture<WriteResult> delete(String id, WriteCondition condition) {
        return submit(List.of(deleteRequest(id, condition))).getFirst();
    }

    /**
     * An index write ready to submit: the source parsed and any new fields added to the mapping (and
     * published) first. Throws an {@link KccrException} for a bad id or document.
     */
    public WriteRequest indexRequest(String id, byte[] source, WriteCondition condition) {
        return preparer.index(id, source, condition, -1);
    }

    /** A delete ready to submit; throws an {@link KccrException} for a bad id. */
    public WriteRequest deleteRequest(String id, WriteCondition condition) {
        return preparer.delete(id, condition);
    }

    /**
     * Submits writes, each shard's in their order and together (one transaction per shard when the
     * writer is idle). The futures, in the order of {@code requests}, complete once each op is in the
     * log and applied; they fail with an {@link KccrException} (writes to a shard whose primary is not on this
     * node with {@link UnavailableException#notHere}).
     */
    public List<CompletableFuture<WriteResult>> submit(List<WriteRequest> requests) {
        return submit(requests, -1);
    }

    private List<CompletableFuture<WriteResult>> submit(List<WriteRequest> requests, int throughBlock) {
        blocks.check(throughBlock);
        return copies.submit(requests, shard -> notHere(shard, "primary"));
    }

    private UnavailableException notHere(int shard, String what) {
        return UnavailableException.notHere(name(), shard, "[" + name() + "][" + shard + "] has no "
                + what + " on this node (the shard is on another node of the cluster, or moving)");
    }

    /** Merges explicit mappings ({@code PUT /<index>/_mapping}); publishes them first. */
    public IndexMetadata putMappings(Mappings additions) {
        checkNotBlocked();
        return published.putMappings(additions);
    }

    /**
     * Takes {@code newer} as the index's metadata if it is newer than what this node has (another node published
     * new mappings); older or equal metadata is ignored.
     */
    public void adoptMetadata(IndexMetadata newer) {
        published.adopt(newer);
    }

    /** A realtime get from this node's copy of the shard {@code id} routes to: sees every acknowledged write. */
    @Override
    public GetResult get(String id) {
        int shardId = ShardRouting.shardFor(id, copies.count());
        LeaderShard shard = copies.copy(shardId);
        if (shard == null) {
            throw notHere(shardId, "copy");
        }
        if (shard.hasUnrefreshed(id)) {
            shard.refresh();
        }
        return ShardSearch.get(shard, id);
    }

    /** Runs {@code action} on a searcher over the last refreshed reader of every copy on this node. */
    @Override
    public <T> T search(SearchAction<T> action) throws IOException {
        return ShardSearch.search(shards(), action);
    }

    /** Makes every acknowledged write of this node's copies searchable. */
    @Override
    public void refresh() {
        shards().forEach(LeaderShard::refresh);
    }

    /** Refreshes the shards {@code results} went to. */
    public void refresh(List<WriteResult> results) {
        results.stream().mapToInt(WriteResult::shard).distinct().forEach(s -> {
            LeaderShard copy = copies.copy(s);
            if (copy != null) {
                copy.refresh();
            }
        });
    }

    /** A Lucene commit of every primary on this node, each recording the offsets it holds; returns once durable. */
    public void flush() {
        copies.flush();
    }

    /**
     * Makes a Lucene commit of every primary on this node (every shard, on a node alone), each on its writer
     * thread between batches (so it holds whole batches only, as {@link #flush} does), and pins it: its files stay
     * on disk until the caller releases it with {@link LeaderShard#releaseCommit}: the futures, by shard number,
     * of the {@code wanted} shards whose primary is here.
     */
    @Override
    public SortedMap<Integer, CompletableFuture<IndexCommit>> pinCommits(IntPredicate wanted) {
        return copies.pinCommits(wanted);
    }

    /** Runs {@code listener} when the index starts closing (deleted, or the node stops), before its shards close. */
    @Override
    public void addCloseListener(Runnable listener) {
        closeListeners.add(listener);
    }

    @Override
    public void removeCloseListener(Runnable listener) {
        closeListeners.remove(listener);
    }

    /** True once {@link #close} has started. */
    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public long docCount() {
        return shards().stream().mapToLong(LeaderShard::docCount).sum();
    }

    @Override
    public long sizeInBytes() {
        return shards().stream().mapToLong(LeaderShard::sizeInBytes).sum();
    }

    /** True when another process took over any of the shards this node writes. */
    public boolean isFenced() {
        return copies.anyFenced();
    }

    /**
     * Commits what the primaries applied (unless fenced), stops the writers and closes every copy. Replica copies
     * must have been detached from their applier first.
     */
    @Override
    public void close() {
        closed = true;
        for (Runnable l : closeListeners) {
            l.run();
        }
        schedules.forEach(f -> f.cancel(false));
        copies.closeAll();
    }
}
