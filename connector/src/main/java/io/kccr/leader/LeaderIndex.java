package io.kccr.leader;

import io.kccr.core.error.ClusterBlockException;
import io.kccr.core.error.ContentTooLongException;
import io.kccr.core.error.KccrException;
import io.kccr.core.index.IndexBlock;
import io.kccr.core.io.StateFile;
import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.error.UnavailableException;
import io.kccr.core.index.IndexMetadata;
import io.kccr.core.index.Ids;
import io.kccr.core.mapping.DocumentMapper;
import io.kccr.core.mapping.MappingLimits;
import io.kccr.core.mapping.Mappings;
import io.kccr.core.mapping.ParsedDocument;
import io.kccr.core.routing.ShardRouting;
import io.kccr.core.shard.GetResult;
import io.kccr.core.shard.SearchableIndex;
import io.kccr.core.shard.ShardSearch;
import io.kccr.core.wire.OpType;
import io.kccr.leader.topics.MetadataLog;
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
 * A leader index: its metadata and its shards, each the projection of one partition of the
 * index's ops topic. Writes are parsed and mapped on the caller's thread (a new field is first
 * published to the {@code .meta} topic, so no op ever names a mapping a follower cannot have),
 * then handed to the shard's {@link ShardWriter}, which publishes before it applies.
 *
 * <p>Thread-safe.
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
    private final List<LeaderShard> shards = new ArrayList<>();
    private final List<ShardWriter> writers = new ArrayList<>();
    private final List<ScheduledFuture<?>> schedules = new ArrayList<>();
    private final Object mappingLock = new Object();
    private final List<Runnable> closeListeners = new CopyOnWriteArrayList<>();
    private final Map<Integer, IndexBlock> blocks = new ConcurrentSkipListMap<>();
    private final Path dir;
    private volatile IndexMetadata metadata;
    private volatile boolean closed;
    private volatile int maxRecordBytes = Integer.MAX_VALUE;

    private LeaderIndex(IndexMetadata metadata, Path dir, DocumentMapper mapper, MetadataLog metadataLog) {
        this.metadata = metadata;
        this.dir = dir;
        this.mapper = mapper;
        this.metadataLog = metadataLog;
    }

    /**
     * Opens the index's shards under {@code dir}, fences older writers and replays each shard's
     * log tail; returns once the index takes writes.
     */
    public static LeaderIndex open(IndexMetadata metadata, Path dir, DocumentMapper mapper, MetadataLog metadataLog,
                                   Map<String, Object> clientProperties, Duration writeTimeout,
                                   ScheduledExecutorService scheduler, PublishListener listener) throws Exception {
        LeaderIndex index = new LeaderIndex(metadata, dir, mapper, metadataLog);
        try {
            index.openShards(dir, clientProperties, writeTimeout, listener);
            index.saveMetadata(metadata);
            index.schedule(scheduler);
        } catch (Exception | Error e) {
            index.close(); // no writer thread or schedule is left behind by an index that could not open
            throw e;
        }
        return index;
    }

    /** Keeps {@code meta} in the index's directory (crash-safe), so the directory names its index without the log. */
    private void saveMetadata(IndexMetadata meta) throws IOException {
        StateFile.write(dir.resolve(METADATA_FILE), meta.toJson().toString().getBytes(StandardCharsets.UTF_8));
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

    private void openShards(Path dir, Map<String, Object> clientProperties, Duration writeTimeout,
                            PublishListener listener) throws Exception {
        String topic = metadataLog.names().ops(metadata.name());
        ShardReplayer replayer = new ShardReplayer(clientProperties, mapper);
        long primaryTerm = metadataLog.bumpPrimaryTerm(metadata.name());
        ShardWriter.TermSource terms = () -> metadataLog.readPrimaryTerm(metadata.name());
        for (int i = 0; i < metadata.numberOfShards(); i++) {
            int shardId = i;
            LeaderShard shard = new LeaderShard(shardId, dir.resolve(Integer.toString(shardId)), metadata.historyUuid());
            shards.add(shard);
            String transactionalId = "kccr-" + topic + "-" + shardId + "-" + metadata.historyUuid();
            ShardWriter writer = new ShardWriter(metadata.name(), shard, topic, primaryTerm, terms,
                    metadata.historyUuid(),
                    () -> new OperationPublisher(clientProperties, topic, shardId, transactionalId, writeTimeout),
                    replayer, () -> metadata.mappings(), listener.open(metadata.name(), shard));
            writers.add(writer);
            writer.start();
        }
    }

    private void schedule(ScheduledExecutorService scheduler) {
        Duration refresh = metadata.settings().refreshInterval();
        if (refresh != null) {
            schedules.add(scheduler.scheduleWithFixedDelay(() -> shards.forEach(LeaderShard::maybeRefresh),
                    refresh.toMillis(), refresh.toMillis(), TimeUnit.MILLISECONDS));
        }
        schedules.add(scheduler.scheduleWithFixedDelay(this::commitIfNeeded, COMMIT_INTERVAL.toMillis(),
                COMMIT_INTERVAL.toMillis(), TimeUnit.MILLISECONDS));
    }

    private void commitIfNeeded() {
        for (int i = 0; i < shards.size(); i++) {
            LeaderShard shard = shards.get(i);
            writers.get(i).control(() -> {
                if (shard.hasUncommittedOps()) {
                    shard.commit();
                }
                return null;
            });
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

    @Override
    public List<LeaderShard> shards() {
        return List.copyOf(shards);
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
     * log and applied; they fail with an {@link KccrException}.
     */
    public List<CompletableFuture<WriteResult>> submit(List<WriteRequest> requests) {
        return submit(requests, -1);
    }

    private List<CompletableFuture<WriteResult>> submit(List<WriteRequest> requests, int throughBlock) {
        checkNotBlocked(throughBlock);
        List<List<WriteRequest>> byShard = new ArrayList<>();
        List<List<Integer>> positions = new ArrayList<>();
        for (int i = 0; i < shards.size(); i++) {
            byShard.add(new ArrayList<>());
            positions.add(new ArrayList<>());
        }
        for (int i = 0; i < requests.size(); i++) {
            int shard = ShardRouting.shardFor(requests.get(i).id(), shards.size());
            byShard.get(shard).add(requests.get(i));
            positions.get(shard).add(i);
        }
        List<CompletableFuture<WriteResult>> results = new ArrayList<>(Collections.nCopies(requests.size(), null));
        for (int shard = 0; shard < shards.size(); shard++) {
            if (!byShard.get(shard).isEmpty()) {
                List<CompletableFuture<WriteResult>> futures = writers.get(shard).submit(byShard.get(shard));
                for (int j = 0; j < futures.size(); j++) {
                    results.set(positions.get(shard).get(j), futures.get(j));
                }
            }
        }
        return results;
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
            IndexMetadata current = metadata;
            Mappings merged;
            try {
                merged = current.mappings().merge(doc.dynamicMappingUpdates());
            } catch (KccrException conflict) {
                if (lastTry) {
                    throw conflict;
                }
                return -1;
            }
            MappingLimits.of(current.settings()).check(current.mappings(), merged);
            publishMetadata(current.withMappings(merged));
            return metadata.mappingVersion();
        }
    }

    /** Merges explicit mappings ({@code PUT /<index>/_mapping}); publishes them first. */
    public IndexMetadata putMappings(Mappings additions) {
        checkNotBlocked();
        synchronized (mappingLock) {
            IndexMetadata current = metadata;
            Mappings merged = current.mappings().merge(additions);
            MappingLimits.of(current.settings()).check(current.mappings(), merged);
            publishMetadata(current.withMappings(merged));
            return metadata;
        }
    }

    private void publishMetadata(IndexMetadata next) {
        if (next == metadata) {
            return;
        }
        try {
            metadataLog.publishMetadata(next);
        } catch (Exception e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof org.apache.kafka.common.errors.RecordTooLargeException) {
                    throw InvalidRequestException.illegalArgument("the mappings of [" + next.name() + "] would be too"
                            + " large for its metadata topic [" + metadataLog.names().meta(next.name()) + "] ("
                            + t.getMessage() + "); nothing was written. Map fewer fields (e.g. \"dynamic\": false for"
                            + " objects whose fields need no search), or lower index.mapping.total_fields.limit");
                }
            }
            throw new UnavailableException("could not publish the new mappings of [" + next.name() + "] to Kafka: "
                    + e.getMessage() + ". Nothing was written; check that Kafka is reachable and retry.", e);
        }
        metadata = next;
        try {
            saveMetadata(next);
        } catch (IOException e) {
            // the log has it, which is what counts; the copy only names the directory if the log is ever lost
        }
    }

    /** A realtime get: sees every acknowledged write, refreshing the shard if it must. */
    @Override
    public GetResult get(String id) {
        LeaderShard shard = shards.get(ShardRouting.shardFor(id, shards.size()));
        if (shard.hasUnrefreshed(id)) {
            shard.refresh();
        }
        return ShardSearch.get(shards, id);
    }

    /** Runs {@code action} on a searcher over every shard's last refreshed reader. */
    @Override
    public <T> T search(SearchAction<T> action) throws IOException {
        return ShardSearch.search(shards, action);
    }

    /** Makes every acknowledged write searchable. */
    @Override
    public void refresh() {
        shards.forEach(LeaderShard::refresh);
    }

    /** Refreshes the shards {@code results} went to. */
    public void refresh(List<WriteResult> results) {
        results.stream().mapToInt(WriteResult::shard).distinct().forEach(s -> shards.get(s).refresh());
    }

    /** A Lucene commit of every shard, each recording the offsets it holds; returns once durable. */
    public void flush() {
        List<CompletableFuture<Object>> commits = new ArrayList<>();
        for (int i = 0; i < shards.size(); i++) {
            LeaderShard shard = shards.get(i);
            commits.add(writers.get(i).control(() -> {
                shard.commit();
                return null;
            }));
        }
        commits.forEach(CompletableFuture::join);
    }

    /**
     * Makes a Lucene commit of every shard, each on its writer thread between batches (so it holds
     * whole batches only, as {@link #flush} does), and pins it: its files stay on disk until the
     * caller releases it with {@link LeaderShard#releaseCommit}. The futures, in shard order,
     * complete with the pinned commits.
     */
    public List<CompletableFuture<IndexCommit>> pinCommits() {
        List<CompletableFuture<IndexCommit>> pins = new ArrayList<>();
        for (int i = 0; i < shards.size(); i++) {
            LeaderShard shard = shards.get(i);
            pins.add(writers.get(i).control(() -> shard.snapshotCommit(true)));
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
        return shards.stream().mapToLong(LeaderShard::docCount).sum();
    }

    @Override
    public long sizeInBytes() {
        return shards.stream().mapToLong(LeaderShard::sizeInBytes).sum();
    }

    /** True when another process took over any of the shards. */
    public boolean isFenced() {
        return writers.stream().anyMatch(ShardWriter::isFenced);
    }


    /** Commits what was applied (unless fenced), stops the writers and closes the shards. */
    @Override
    public void close() {
        closed = true;
        for (Runnable listener : closeListeners) {
            listener.run();
        }
        schedules.forEach(f -> f.cancel(false));
        for (int i = 0; i < writers.size(); i++) {
            ShardWriter writer = writers.get(i);
            LeaderShard shard = shards.get(i);
            if (!writer.isFenced()) {
                try {
                    writer.control(() -> {
                        shard.commit();
                        return null;
                    }).get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // the log still has every op: the next open replays them
                }
            }
            try {
                writer.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (LeaderShard shard : shards) {
            try {
                shard.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
