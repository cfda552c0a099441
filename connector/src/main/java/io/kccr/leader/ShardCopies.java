package io.kccr.leader;

import io.kccr.core.error.UnavailableException;
import io.kccr.core.index.IndexMetadata;
import io.kccr.core.routing.ShardRouting;
import io.kccr.leader.topics.MetadataLog;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import org.apache.lucene.index.IndexCommit;

/**
 * The copies of one leader index's shards that this node holds, and the writers of those that are primaries here:
 * which copy is open, which runs its shard's {@link ShardWriter}, and the moves between them (a copy opened as
 * primary or replica, a primary demoted, a copy closed). Lucene commits of the primaries run on their writer threads
 * between batches, so a commit never holds half a batch.
 *
 * <p>Thread-safe. The operations on one shard are serialized; reads of the arrays see the last published copy or
 * writer (a racing reader sees the one before, which answers "not here" or is closing).
 */
final class ShardCopies {
    private final String index;
    private final Supplier<IndexMetadata> metadata;
    private final Path dir;
    private final MetadataLog metadataLog;
    private final Map<String, Object> clientProperties;
    private final Duration writeTimeout;
    private final ShardReplayer replayer;
    private final PublishListener listener;
    /** Saves the index's metadata next to its copies, so a node's files name their index even if the log forgets it. */
    private final Runnable saveMetadata;
    private final LeaderShard[] copies;
    private final ShardWriter[] writers;
    private final Object[] locks;
    private volatile boolean closed;

    ShardCopies(IndexMetadata initial, Supplier<IndexMetadata> metadata, Path dir, MetadataLog metadataLog,
                Map<String, Object> clientProperties, Duration writeTimeout, ShardReplayer replayer,
                PublishListener listener, Runnable saveMetadata) {
        this.index = initial.name();
        this.metadata = metadata;
        this.dir = dir;
        this.metadataLog = metadataLog;
        this.clientProperties = clientProperties;
        this.writeTimeout = writeTimeout;
        this.replayer = replayer;
        this.listener = listener;
        this.saveMetadata = saveMetadata;
        int n = initial.numberOfShards();
        this.copies = new LeaderShard[n];
        this.writers = new ShardWriter[n];
        this.locks = new Object[n];
        for (int i = 0; i < n; i++) {
            locks[i] = new Object();
        }
    }

    int count() {
        return copies.length;
    }

    /** See {@link LeaderIndex#startPrimary}. */
    void startPrimary(int shard) throws Exception {
        synchronized (locks[shard]) {
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
            IndexMetadata meta = metadata.get();
            String topic = metadataLog.names().ops(index);
            long term = metadataLog.bumpPrimaryTerm(index, shard);
            ShardWriter.TermSource terms = () -> metadataLog.readPrimaryTerm(index, shard);
            String transactionalId = "kccr-" + topic + "-" + shard + "-" + meta.historyUuid();
            ShardWriter writer = new ShardWriter(index, copy, topic, term, terms, meta.historyUuid(),
                    () -> new OperationPublisher(clientProperties, topic, shard, transactionalId, writeTimeout),
                    replayer, () -> metadata.get().mappings(), listener.open(index, copy));
            writer.start();
            writers[shard] = writer;
        }
    }

    /** See {@link LeaderIndex#startReplica}. */
    LeaderShard startReplica(int shard) throws IOException {
        synchronized (locks[shard]) {
            ensureOpen();
            demote(shard);
            return openCopy(shard);
        }
    }

    /**
     * Stops the writer of {@code shard} on this node, if it runs here, after it published and applied what was
     * queued before, and commits what it applied; the copy stays open (a replica now).
     */
    void demote(int shard) {
        synchronized (locks[shard]) {
            ShardWriter writer = writers[shard];
            if (writer == null) {
                return;
            }
            writers[shard] = null;
            commitOnWriter(writer, copies[shard]);
            try {
                writer.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Closes this node's copy of {@code shard} (its writer first, if it is the primary); its files stay. */
    void closeCopy(int shard) {
        synchronized (locks[shard]) {
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

    /** Refuses copies from now on and closes every one: primaries commit what they applied first (unless fenced). */
    void closeAll() {
        closed = true;
        for (int i = 0; i < copies.length; i++) {
            closeCopy(i);
        }
    }

    private LeaderShard openCopy(int shard) throws IOException {
        LeaderShard copy = copies[shard];
        if (copy == null) {
            copy = new LeaderShard(shard, shardDir(shard), metadata.get().historyUuid());
            copies[shard] = copy;
            saveMetadata.run();
        }
        return copy;
    }

    Path shardDir(int shard) {
        return dir.resolve(Integer.toString(shard));
    }

    private void ensureOpen() {
        if (closed) {
            throw UnavailableException.notHere(index, -1, "index [" + index + "] is closing on this node");
        }
    }

    /** The open copies, in shard order. */
    List<LeaderShard> open() {
        List<LeaderShard> out = new ArrayList<>(copies.length);
        for (LeaderShard c : copies) {
            if (c != null) {
                out.add(c);
            }
        }
        return out;
    }

    LeaderShard copy(int shard) {
        return copies[shard];
    }

    /** The writer of {@code shard} if it is primary here (possibly fenced since), else null. */
    ShardWriter writer(int shard) {
        return writers[shard];
    }

    /**
     * Hands each of {@code requests} to the writer of the shard its id routes to, each shard's in their order and
     * together; the futures are in the order of {@code requests}. A write whose shard has no primary here fails with
     * {@code notHere}'s error for that shard.
     */
    List<CompletableFuture<WriteResult>> submit(List<WriteRequest> requests, IntFunction<RuntimeException> notHere) {
        int n = copies.length;
        List<List<WriteRequest>> byShard = new ArrayList<>(n);
        List<List<Integer>> positions = new ArrayList<>(n);
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
                RuntimeException error = notHere.apply(shard);
                futures = byShard.get(shard).stream().map(r -> CompletableFuture.<WriteResult>failedFuture(error))
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

    /** True when another process took over any of the shards this node writes. */
    boolean anyFenced() {
        for (ShardWriter w : writers) {
            if (w != null && w.isFenced()) {
                return true;
            }
        }
        return false;
    }

    /** Commits the primaries that applied ops since their last commit (the periodic commit). */
    void commitIfNeeded() {
        onPrimaries(i -> true, shard -> {
            if (shard.hasUncommittedOps()) {
                shard.commit();
            }
            return null;
        });
    }

    /** A Lucene commit of every primary here, each recording the offsets it holds; returns once durable. */
    void flush() {
        onPrimaries(i -> true, shard -> {
            shard.commit();
            return null;
        }).values().forEach(CompletableFuture::join);
    }

    /** See {@link LeaderIndex#pinCommits}. */
    SortedMap<Integer, CompletableFuture<IndexCommit>> pinCommits(IntPredicate wanted) {
        return onPrimaries(wanted, shard -> shard.snapshotCommit(true));
    }

    /** What a primary's writer thread does to its copy between batches. */
    private interface OnWriter<T> {
        T run(LeaderShard shard) throws Exception;
    }

    /** Runs {@code action} on the writer thread of every {@code wanted} primary here; the futures by shard number. */
    private <T> SortedMap<Integer, CompletableFuture<T>> onPrimaries(IntPredicate wanted, OnWriter<T> action) {
        SortedMap<Integer, CompletableFuture<T>> out = new TreeMap<>();
        for (int i = 0; i < writers.length; i++) {
            ShardWriter writer = writers[i];
            LeaderShard shard = copies[i];
            if (writer != null && shard != null && wanted.test(i)) {
                out.put(i, writer.control(() -> action.run(shard)));
            }
        }
        return out;
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
}
