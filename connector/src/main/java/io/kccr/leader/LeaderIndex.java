package io.kccr.leader;

import io.kccr.core.error.ClusterBlockException;
import io.kccr.core.error.ContentTooLongException;
import io.kccr.core.index.IndexBlock;
import io.kccr.core.io.StateFile;
import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.error.KccrException;
import io.kccr.core.error.UnavailableException;
import io.kccr.core.index.Ids;
import io.kccr.core.index.IndexMetadata;
import io.kccr.core.mapping.DocumentMapper;
import io.kccr.core.mapping.Mappings;
import io.kccr.core.mapping.ParsedDocument;
import io.kccr.core.routing.ShardRouting;
import io.kccr.core.shard.GetResult;
import io.kccr.core.shard.SearchableIndex;
import io.kccr.core.shard.ShardSearch;
import io.kccr.core.wire.OpType;
import io.kccr.leader.topics.MetadataLog;
import io.kccr.leader.topics.MetadataUpdates;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.index.IndexCommit;

/**
 * A leader index: its metadata and the copies of its shards this node holds, each the projection of one partition
 * of the index's ops topic. Writes are parsed and mapped on the caller's thread (a new field is first published to
 * the {@code .meta} topic, so no op ever names a mapping a follower cannot have), then handed to the shard's
 * {@link ShardWriter}, which publishes before it applies.
 *
 * <p>A node alone with its indices opens every shard as primary ({@link #open}). In a cluster each shard's copies
 * are where the cluster places them ({@link #unassigned}, then {@link #startPrimary}, {@link #startReplica},
 * {@link #demote} and {@link #closeCopy} as the placement changes): a write reaches the node of the shard's primary,
 * and one that reaches another node fails with a {@link UnavailableException#notHere} error, which a coordinating
 * node retries where the shard is now. A replica copy is applied by its node's replica applier, not here.
 *
 * <p>Thread-safe. The copy operations of one shard are serialized.
 */
public final class LeaderIndex implements SearchableIndex, Closeable {
    /** How often a shard with new ops makes a Lucene commit, bounding the replay after a crash. */
    static final Duration COMMIT_INTERVAL = Duration.ofSeconds(30);
    /** The index's metadata as last published, kept in its directory: what lists it as dangling if the log forgets it. */
    public static final String METADATA_FILE = "index_metadata.json";
    /** Bytes a record of the ops topic carries besides its id and source (headers, batch and record framing). */
    static final int RECORD_OVERHEAD = 512;

    private final DocumentMapper mapper;
    private final MetadataLog metadataLog;
    private final MetadataUpdates updates;
    private final Path dir;
    private final Map<String, Object> clientProperties;
    private final Duration writeTimeout;
    private final PublishListener listener;
    private final ShardReplayer replayer;
    private final LeaderShard[] copies;
    private final ShardWriter[] writers;
    private final Object[] shardLocks;
    private final List<ScheduledFuture<?>> schedules = new ArrayList<>();
    private final Object mappingLock = new Object();
    private final Object metadataFileLock = new Object();
    private final List<Runnable> closeListeners = new CopyOnWriteArrayList<>();
    private final Map<Integer, IndexBlock> blocks = new ConcurrentSkipListMap<>();
    private volatile IndexMetadata metadata;
    private volatile boolean closed;
    private volatile int maxRecordBytes = Integer.MAX_VALUE;

    private LeaderIndex(IndexMetadata metadata, Path dir, DocumentMapper mapper, MetadataLog metadataLog,
                        MetadataUpdates updates, Map<String, Object> clientProperties, Duration writeTimeout,
                        PublishListener listener) {
        this.metadata = metadata;
        this.dir = dir;
        this.mapper = mapper;
        this.metadataLog = metadataLog;
        this.updates = updates;
        this.clientProperties = clientProperties;
        this.writeTimeout = writeTimeout;
        this.listener = listener;
        this.replayer = new ShardReplayer(clientProperties, mapper);
        int n = metadata.numberOfShards();
        this.copies = new LeaderShard[n];
        this.writers = new ShardWriter[n];
        this.shardLocks = new Object[n];
        for (int i = 0; i < n; i++) {
            shardLocks[i] = new Object();
        }
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
            index.saveMetadata(metadata);
        } catch (Exception | Error e) {
            index.close(); // no writer thread or schedule is left behind by an index that could not open
            throw e;
        }
        return index;
    }

    /** Keeps {@code meta} in the index's directory (crash-safe), so the directory names its index without the log. */
    private void saveMetadata(IndexMetadata meta) throws IOException {
        synchronized (metadataFileLock) { // copies of several shards open at once, each saving it
            StateFile.write(dir.resolve(METADATA_FILE), meta.toJson().toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Blocks writes with {@code block} (replacing one of the same id). */
    public void addBlock(IndexBlock block) {
        blocks.put(block.id(), block);
    }

    /** Lifts the block {@code id}, if set. */
    public void removeBlock(int id) {
        blocks.remove(id);
    }

    /** The blocks on the index's writes, by id. */
    public Collection<IndexBlock> blocks() {
        return List.copyOf(blocks.values());
    }

    /** A 403 or 429 {@code cluster_block_exception} when a block refuses writes. */
    private void checkNotBlocked() {
        checkNotBlocked(-1);
    }

    /** As {@link #checkNotBlocked()}, letting through the writes of block {@code through} (-1: none). */
    private void checkNotBlocked(int through) {
        if (!blocks.isEmpty() && !(blocks.size() == 1 && blocks.containsKey(through))) {
            throw new ClusterBlockException(name(), blocks.values().stream().map(IndexBlock::toString)
                    .collect(java.util.stream.Collectors.joining(", ")),
                    blocks.values().stream().allMatch(IndexBlock::tooManyRequests));
        }
    }

    private static final int CONVERTING = IndexBlock.converting("").id();

    /**
     * The largest ops record the index's topic takes ({@code max.message.bytes}, and the producer's own limit): a
     * document that would not fit is refused alone, before it joins a transaction that it would fail for everyone.
     */
    public void limitRecordBytes(int bytes) {
        this.maxRecordBytes = bytes;
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
        synchronized (shardLocks[shard]) {
            ensureOpen();
            ShardWriter running = writers[shard];
            if (running != null && !running.isFenced()) {
                return;
            }
            if (running != null) {
                writers[shard] = null;
                running.close();
            }
            LeaderShard copy = openCopy(shard);
            String topic = metadataLog.names().ops(metadata.name());
            String name = metadata.name();
            long term = metadataLog.bumpPrimaryTerm(name, shard);
            ShardWriter.TermSource terms = () -> metadataLog.readPrimaryTerm(name, shard);
            String transactionalId = "kccr-" + topic + "-" + shard + "-" + metadata.historyUuid();
            ShardWriter writer = new ShardWriter(name, copy, topic, term, terms, metadata.historyUuid(),
                    () -> new OperationPublisher(clientProperties, topic, shard, transactionalId, writeTimeout),
                    replayer, () -> metadata.mappings(), listener.open(name, copy));
            writer.start();
            writers[shard] = writer;
        }
    }

    /**
     * Opens this node's copy of {@code shard} for a replica (unless it is open) and returns it; stops the shard's
     * writer here first if this copy was the primary. The caller applies the log to it.
     */
    public LeaderShard startReplica(int shard) throws IOException {
        synchronized (shardLocks[shard]) {
            ensureOpen();
            demote(shard);
            return openCopy(shard);
        }
    }

    /**
     * Stops the writer of {@code shard} on this node, if it runs here, after it published and applied what was
     * queued before; the copy stays open (a replica now). Writes queued after fail as not written here.
     */
    public void demote(int shard) {
        synchronized (shardLocks[shard]) {
            ShardWriter writer = writers[shard];
            if (writer == null) {
                return;
            }
            writers[shard] = null;
            LeaderShard copy = copies[shard];
            commitOnWriter(writer, copy);
            try {
                writer.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Closes this node's copy of {@code shard} (its writer first, if it is the primary); its files stay. */
    public void closeCopy(int shard) {
        synchronized (shardLocks[shard]) {
            demote(shard);
            LeaderShard copy = copies[shard];
            if (copy == null) {
                return;
            }
            copies[shard] = null;
            try {
                copy.close();
            } catch (IOException e) {
                // closing anyway: the log has every op
            }
        }
    }

    private LeaderShard openCopy(int shard) throws IOException {
        LeaderShard copy = copies[shard];
        if (copy == null) {
            copy = new LeaderShard(shard, shardDir(shard), metadata.historyUuid());
            copies[shard] = copy;
            try {
                saveMetadata(metadata); // a node's copies name their index even if the log forgets it (dangling)
            } catch (IOException e) {
                // the log has it, which is what counts; the copy only names the directory if the log is lost
            }
        }
        return copy;
    }

    /** The directory of {@code shard}'s copy on this node. */
    public Path shardDir(int shard) {
        return dir.resolve(Integer.toString(shard));
    }

    private void ensureOpen() {
        if (closed) {
            throw UnavailableException.notHere(metadata.name(), -1, "index [" + metadata.name() + "] is closing on"
                    + " this node");
        }
    }

    private void schedule(ScheduledExecutorService scheduler) {
        Duration refresh = metadata.settings().refreshInterval();
        if (refresh != null) {
            schedules.add(scheduler.scheduleWithFixedDelay(() -> shards().forEach(LeaderShard::maybeRefresh),
                    refresh.toMillis(), refresh.toMillis(), TimeUnit.MILLISECONDS));
        }
        schedules.add(scheduler.scheduleWithFixedDelay(this::commitIfNeeded, COMMIT_INTERVAL.toMillis(),
                COMMIT_INTERVAL.toMillis(), TimeUnit.MILLISECONDS));
    }

    private void commitIfNeeded() {
        for (int i = 0; i < writers.length; i++) {
            ShardWriter writer = writers[i];
            LeaderShard shard = copies[i];
            if (writer != null && shard != null) {
                writer.control(() -> {
                    if (shard.hasUncommittedOps()) {
                        shard.commit();
                    }
                    return null;
                });
            }
        }
    }

    @Override
    public IndexMetadata metadata() {
        return metadata;
    }

    @Override
    public String name() {
        return metadata.name();
    }

    /** The copies open on this node (primaries and replicas), in shard order: every shard on a node alone. */
    @Override
    public List<LeaderShard> shards() {
        List<LeaderShard> out = new ArrayList<>(copies.length);
        for (LeaderShard c : copies) {
            if (c != null) {
                out.add(c);
            }
        }
        return out;
    }

    /** This node's open copy of {@code shard}, or null. */
    public LeaderShard copy(int shard) {
        return copies[shard];
    }

    /** Whether this node runs {@code shard}'s writer (and the writer was not fenced). */
    public boolean isPrimaryHere(int shard) {
        ShardWriter w = writers[shard];
        return w != null && !w.isFenced();
    }

    /** The primary term {@code shard}'s writer here sequences with, 0 when it has none here. */
    public long primaryTerm(int shard) {
        ShardWriter w = writers[shard];
        return w == null ? 0 : w.primaryTerm();
    }

    /** Whether another process fenced {@code shard}'s writer on this node. */
    public boolean isFenced(int shard) {
        ShardWriter w = writers[shard];
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
        WriteRequest request = prepareIndex(id, source, WriteCondition.NONE, CONVERTING);
        return submit(List.of(request), CONVERTING).getFirst();
    }

    public CompletableFuture<WriteResult> delete(String id, WriteCondition condition) {
        return submit(List.of(deleteRequest(id, condition))).getFirst();
    }

    /**
     * An index write ready to submit: the source parsed and any new fields added to the mapping (and
     * published) first. Throws an {@link KccrException} for a bad id or document.
     */
    public WriteRequest indexRequest(String id, byte[] source, WriteCondition condition) {
        return prepareIndex(id, source, condition, -1);
    }

    private WriteRequest prepareIndex(String id, byte[] source, WriteCondition condition, int throughBlock) {
        checkNotBlocked(throughBlock);
        boolean autoId = id == null;
        String docId = autoId ? Ids.random() : id;
        validateId(docId);
        checkRecordSize(docId, source);
        ParsedDocument doc = mapper.parse(docId, source, metadata.mappings());
        long mappingVersion = applyDynamicMappings(doc, false);
        if (mappingVersion < 0) { // another write added the same field with another type meanwhile
            doc = mapper.parse(docId, source, metadata.mappings());
            mappingVersion = applyDynamicMappings(doc, true);
        }
        return new WriteRequest(OpType.INDEX, docId, doc, autoId, mappingVersion, condition);
    }

    /** A delete ready to submit; throws an {@link KccrException} for a bad id. */
    public WriteRequest deleteRequest(String id, WriteCondition condition) {
        checkNotBlocked();
        validateId(id);
        return new WriteRequest(OpType.DELETE, id, null, false, metadata.mappingVersion(), condition);
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
        checkNotBlocked(throughBlock);
        int n = copies.length;
        List<List<WriteRequest>> byShard = new ArrayList<>();
        List<List<Integer>> positions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byShard.add(new ArrayList<>());
            positions.add(new ArrayList<>());
        }
        for (int i = 0; i < requests.size(); i++) {
            int shard = ShardRouting.shardFor(requests.get(i).id(), n);
            byShard.get(shard).add(requests.get(i));
            positions.get(shard).add(i);
        }
        List<CompletableFuture<WriteResult>> results = new ArrayList<>(Collections.nCopies(requests.size(), null));
        for (int shard = 0; shard < n; shard++) {
            if (byShard.get(shard).isEmpty()) {
                continue;
            }
            ShardWriter writer = writers[shard];
            List<CompletableFuture<WriteResult>> futures;
            if (writer == null) {
                UnavailableException notHere = notHere(shard, "primary");
                futures = byShard.get(shard).stream().map(r -> CompletableFuture.<WriteResult>failedFuture(notHere))
                        .toList();
            } else {
                futures = writer.submit(byShard.get(shard));
            }
            for (int j = 0; j < futures.size(); j++) {
                results.set(positions.get(shard).get(j), futures.get(j));
            }
        }
        return results;
    }

    private UnavailableException notHere(int shard, String what) {
        return UnavailableException.notHere(metadata.name(), shard, "[" + metadata.name() + "][" + shard + "] has no "
                + what + " on this node (the shard is on another node of the cluster, or moving)");
    }

    private void checkRecordSize(String id, byte[] source) {
        long size = (long) id.getBytes(StandardCharsets.UTF_8).length + source.length + RECORD_OVERHEAD;
        int limit = maxRecordBytes;
        if (size > limit) {
            throw new ContentTooLongException("document [" + id + "] of index [" + name() + "] is " + source.length
                    + " bytes, too large for its Kafka topic [" + metadataLog.names().ops(name()) + "], which takes"
                    + " records of at most " + limit + " bytes (max.message.bytes, less " + RECORD_OVERHEAD
                    + " bytes of framing); split the document, or raise max.message.bytes on the topic"
                    + " (kafka-configs.sh --alter --entity-type topics --add-config max.message.bytes=...)");
        }
    }

    private static void validateId(String id) {
        if (id.isEmpty()) {
            throw InvalidRequestException.illegalArgument("if _id is specified it must not be empty");
        }
        if (id.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 512) {
            throw InvalidRequestException.illegalArgument("id [" + id + "] is too long, must be no longer than 512 bytes but was: "
                    + id.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        }
    }

    /**
     * Publishes the fields {@code doc} adds to the mappings before any op that uses them.
     *
     * @param lastTry true when the document was parsed again after a conflict: a conflict now is the
     *     document's own (a 400), not a race
     * @return the mapping version the op must carry, or -1 if the mappings changed under the
     *     document (it must be parsed again)
     */
    private long applyDynamicMappings(ParsedDocument doc, boolean lastTry) {
        if (doc.dynamicMappingUpdates().isEmpty()) {
            return metadata.mappingVersion();
        }
        synchronized (mappingLock) {
            try {
                publishMetadata(m -> {
                    Mappings merged = m.mappings().merge(doc.dynamicMappingUpdates());
                    m.settings().mappingLimits().check(m.mappings(), merged);
                    return m.withMappings(merged);
                });
            } catch (KccrException conflict) {
                if (lastTry || conflict instanceof UnavailableException) {
                    throw conflict;
                }
                return -1;
            }
            return metadata.mappingVersion();
        }
    }

    /** Merges explicit mappings ({@code PUT /<index>/_mapping}); publishes them first. */
    public IndexMetadata putMappings(Mappings additions) {
        checkNotBlocked();
        synchronized (mappingLock) {
            publishMetadata(m -> {
                Mappings merged = m.mappings().merge(additions);
                m.settings().mappingLimits().check(m.mappings(), merged);
                return m.withMappings(merged);
            });
            return metadata;
        }
    }

    private void publishMetadata(java.util.function.UnaryOperator<IndexMetadata> change) {
        IndexMetadata next;
        try {
            next = updates.update(metadata, change);
        } catch (KccrException e) {
            throw e;
        } catch (Exception e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof org.apache.kafka.common.errors.RecordTooLargeException) {
                    throw InvalidRequestException.illegalArgument("the mappings of [" + metadata.name() + "] would be"
                            + " too large for its metadata topic [" + metadataLog.names().meta(metadata.name()) + "] ("
                            + t.getMessage() + "); nothing was written. Map fewer fields (e.g. \"dynamic\": false for"
                            + " objects whose fields need no search), or lower index.mapping.total_fields.limit");
                }
            }
            throw new UnavailableException("could not publish the new mappings of [" + metadata.name() + "] to Kafka: "
                    + e.getMessage() + ". Nothing was written; check that Kafka is reachable and retry.", e);
        }
        adoptMetadata(next);
    }

    /**
     * Takes {@code newer} as the index's metadata if it is newer than what this node has (another node published
     * new mappings); older or equal metadata is ignored.
     */
    public void adoptMetadata(IndexMetadata newer) {
        synchronized (mappingLock) {
            IndexMetadata current = metadata;
            if (newer.uuid().equals(current.uuid()) && (newer.mappingVersion() > current.mappingVersion()
                    || newer.settingsVersion() > current.settingsVersion())) {
                metadata = newer;
                try {
                    saveMetadata(newer);
                } catch (IOException e) {
                    // the log has it, which is what counts; the copy only names the directory if the log is lost
                }
            }
        }
    }

    /** A realtime get from this node's copy of the shard {@code id} routes to: sees every acknowledged write. */
    @Override
    public GetResult get(String id) {
        int shardId = ShardRouting.shardFor(id, copies.length);
        LeaderShard shard = copies[shardId];
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
            LeaderShard copy = copies[s];
            if (copy != null) {
                copy.refresh();
            }
        });
    }

    /** A Lucene commit of every primary on this node, each recording the offsets it holds; returns once durable. */
    public void flush() {
        List<CompletableFuture<Object>> commits = new ArrayList<>();
        for (int i = 0; i < writers.length; i++) {
            ShardWriter writer = writers[i];
            LeaderShard shard = copies[i];
            if (writer != null && shard != null) {
                commits.add(writer.control(() -> {
                    shard.commit();
                    return null;
                }));
            }
        }
        commits.forEach(CompletableFuture::join);
    }

    /**
     * Makes a Lucene commit of every primary on this node (every shard, on a node alone), each on its writer
     * thread between batches (so it holds whole batches only, as {@link #flush} does), and pins it: its files stay
     * on disk until the caller releases it with {@link LeaderShard#releaseCommit}: the futures, by shard number,
     * of the {@code wanted} shards whose primary is here.
     */
    public java.util.SortedMap<Integer, CompletableFuture<IndexCommit>> pinCommits(
            java.util.function.IntPredicate wanted) {
        java.util.SortedMap<Integer, CompletableFuture<IndexCommit>> pins = new java.util.TreeMap<>();
        for (int i = 0; i < writers.length; i++) {
            ShardWriter writer = writers[i];
            LeaderShard shard = copies[i];
            if (writer != null && shard != null && wanted.test(i)) {
                pins.put(i, writer.control(() -> shard.snapshotCommit(true)));
            }
        }
        return pins;
    }

    /** Runs {@code listener} when the index starts closing (deleted, or the node stops), before its shards close. */
    public void addCloseListener(Runnable listener) {
        closeListeners.add(listener);
    }

    public void removeCloseListener(Runnable listener) {
        closeListeners.remove(listener);
    }

    /** True once {@link #close} has started. */
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
        for (ShardWriter w : writers) {
            if (w != null && w.isFenced()) {
                return true;
            }
        }
        return false;
    }

    private static void commitOnWriter(ShardWriter writer, LeaderShard shard) {
        if (writer.isFenced() || shard == null) {
            return;
        }
        try {
            writer.control(() -> {
                shard.commit();
                return null;
            }).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the log still has every op: the next open replays them
        }
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
        for (int i = 0; i < copies.length; i++) {
            closeCopy(i);
        }
    }
}
