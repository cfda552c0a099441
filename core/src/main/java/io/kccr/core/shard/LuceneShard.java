package io.kccr.core.shard;

import io.kccr.core.index.ShardCommitData;
import io.kccr.core.mapping.DocumentMapper;
import io.kccr.core.mapping.MetaFields;
import io.kccr.core.mapping.ParsedDocument;
import io.kccr.core.wire.OpType;
import io.kccr.core.wire.Operation;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexDeletionPolicy;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.KeepOnlyLastCommitDeletionPolicy;
import org.apache.lucene.index.SnapshotDeletionPolicy;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ReferenceManager;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.NRTCachingDirectory;

/**
 * One shard's Lucene index as the projection of one partition of an ops topic: leader and
 * follower shards alike. It knows how far it is ({@code max_seq_no}, the next offset to apply) and
 * writes that into every commit's user data (invariant 3).
 *
 * <p>Thread-safety: {@link #apply}, {@link #advanceTo}, {@link #checkpoint} and {@link #commit()}
 * must be called by one thread at a time (the shard's owner), so that a commit's user data
 * describes exactly the ops applied before it; {@link #commit(ShardCommitData)}, lookups,
 * refreshes and searchers are safe from any thread.
 *
 * <p>Commits can be pinned ({@link #snapshotCommit}): Lucene keeps only the last commit, except those
 * pinned, whose files stay on disk until {@link #releaseCommit} (a remote recovery copies them).
 */
public class LuceneShard implements Closeable {
    /**
     * Segments a refresh flushes stay in memory, up to this size each and {@link #NRT_CACHE_MAX_MB} in all per shard,
     * until a commit or a merge writes them (Lucene's {@link NRTCachingDirectory}): a refresh then creates no file, so
     * it does not wait for the file system's journal. On ext4, whose journal commits every 5 s, a refresh that created
     * files took 400-650 ms instead of about 50 every few seconds, and an op applied then became searchable late. A
     * commit writes the cached files out before it syncs, so what a commit holds is on disk as before.
     */
    private static final double NRT_CACHE_MAX_SEGMENT_MB = 4;
    private static final double NRT_CACHE_MAX_MB = 16;

    private final int shardId;
    private final Path path;
    private final Directory directory;
    private volatile SnapshotDeletionPolicy snapshots;
    private volatile IndexWriter writer;
    private volatile SearcherManager searchers;
    private final List<ReferenceManager.RefreshListener> refreshListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final String historyUuid;
    private final ShardCommitData openedFrom;

    private volatile long maxSeqNo;
    // what apply() did since the shard opened: written by the one applying thread only, read by stats
    private volatile long indexTotal;
    private volatile long indexTimeNanos;
    private volatile long deleteTotal;
    private volatile long deleteTimeNanos;
    private volatile long nextOffset;
    private volatile long mappingVersion;
    private volatile long committedMaxSeqNo;
    private volatile long committedNextOffset;
    private volatile boolean closed;

    /**
     * Opens (or creates) the shard's index in {@code path}. A commit of another history is not
     * this shard's: the index is emptied and the shard starts from offset 0.
     */
    public LuceneShard(int shardId, Path path, String historyUuid) throws IOException {
        this.shardId = shardId;
        this.historyUuid = historyUuid;
        this.path = path;
        this.directory = new NRTCachingDirectory(FSDirectory.open(path), NRT_CACHE_MAX_SEGMENT_MB, NRT_CACHE_MAX_MB);
        this.snapshots = new SnapshotDeletionPolicy(new KeepOnlyLastCommitDeletionPolicy());
        ShardCommitData last = readCommit(directory);
        boolean foreign = last != null && !historyUuid.equals(last.historyUuid());
        this.writer = new IndexWriter(directory, writerConfig(snapshots).setOpenMode(foreign
                ? IndexWriterConfig.OpenMode.CREATE : IndexWriterConfig.OpenMode.CREATE_OR_APPEND));
        this.openedFrom = foreign || last == null ? ShardCommitData.empty(historyUuid) : last;
        this.maxSeqNo = openedFrom.maxSeqNo();
        this.committedMaxSeqNo = openedFrom.maxSeqNo();
        this.committedNextOffset = openedFrom.nextOffset();
        this.nextOffset = openedFrom.nextOffset();
        this.mappingVersion = openedFrom.mappingVersion();
        this.searchers = new SearcherManager(writer, null);
    }

    /**
     * How a shard's IndexWriter is configured: a 64 MB indexing buffer, commits only when the shard says (never on
     * close), and no merging on refresh or commit. Lucene's default makes a refresh wait up to 500 ms for merges of
     * the small segments it just flushed; a shard refreshed every second while it indexes then makes what it applied
     * searchable up to half a second late. Elasticsearch turns it off the same way; merges run in the background.
     */
    static IndexWriterConfig writerConfig(IndexDeletionPolicy deletionPolicy) {
        return new IndexWriterConfig(DocumentMapper.analyzer())
                .setRAMBufferSizeMB(64)
                .setIndexDeletionPolicy(deletionPolicy)
                .setCommitOnClose(false)
                .setMaxFullFlushMergeWaitMillis(0);
    }

    private static ShardCommitData readCommit(Directory dir) throws IOException {
        if (!DirectoryReader.indexExists(dir)) {
            return null;
        }
        return ShardCommitData.fromUserData(DirectoryReader.listCommits(dir).getLast().getUserData());
    }

    /** Called around every refresh (e.g. to drop what the new searcher now shows). */
    protected final void addRefreshListener(ReferenceManager.RefreshListener listener) {
        refreshListeners.add(listener);
        searchers.addListener(listener);
    }

    /**
     * After a tragic event closed the IndexWriter (a disk full while merging, an error in the indexing chain), opens
     * a new one from the last durable commit and rewinds the shard to it: the caller then brings the shard up to its
     * log again from the commit's offset. Owner thread only; searchers acquired before keep working.
     *
     * @return true if the writer was reopened, false if it was fine
     */
    public synchronized boolean reopenIfTragic() throws IOException {
        IndexWriter current = writer;
        if (current.isOpen() && current.getTragicException() == null) {
            return false;
        }
        ShardCommitData last = readCommit(directory);
        ShardCommitData from = last == null || !historyUuid.equals(last.historyUuid()) ? ShardCommitData.empty(historyUuid)
                : last;
        SnapshotDeletionPolicy policy = new SnapshotDeletionPolicy(new KeepOnlyLastCommitDeletionPolicy());
        IndexWriter reopened = new IndexWriter(directory, writerConfig(policy)
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND));
        SearcherManager old = searchers;
        SearcherManager fresh = new SearcherManager(reopened, null);
        refreshListeners.forEach(fresh::addListener);
        snapshots = policy;
        writer = reopened;
        searchers = fresh;
        maxSeqNo = from.maxSeqNo();
        committedMaxSeqNo = from.maxSeqNo();
        nextOffset = from.nextOffset();
        committedNextOffset = from.nextOffset();
        mappingVersion = from.mappingVersion();
        try {
            old.close();
        } catch (IOException | RuntimeException e) {
            // the old writer is gone already; its readers close as their holders release them
        }
        return true;
    }

    public int shardId() {
        return shardId;
    }

    public String historyUuid() {
        return historyUuid;
    }

    /** The directory holding the shard's Lucene files. */
    public Path path() {
        return path;
    }

    /** The highest seq_no applied to this shard, -1 when none. */
    public long maxSeqNo() {
        return maxSeqNo;
    }

    /** The offset of the next op to apply from the shard's partition. */
    public long nextOffset() {
        return nextOffset;
    }

    /** The highest mapping version of the ops applied. */
    public long mappingVersion() {
        return mappingVersion;
    }

    /** The highest seq_no in the last durable Lucene commit. */
    public long committedMaxSeqNo() {
        return committedMaxSeqNo;
    }

    /**
     * Applies one op that the log holds at {@code offset}. {@code doc} is the op's parsed source
     * (null for a delete); {@code knownNew} lets a document that cannot exist yet skip the
     * delete-by-id an update costs.
     */
    public void apply(Operation op, ParsedDocument doc, long offset, boolean knownNew) throws IOException {
        long start = System.nanoTime();
        if (op.op() == OpType.DELETE) {
            writer.deleteDocuments(new Term(MetaFields.ID, op.id()));
            deleteTimeNanos += System.nanoTime() - start;
            deleteTotal++;
        } else {
            Document luceneDoc = doc.toLuceneDocument(op.seqNo(), op.primaryTerm(), op.version());
            if (knownNew) {
                writer.addDocument(luceneDoc);
            } else {
                writer.updateDocument(new Term(MetaFields.ID, op.id()), luceneDoc);
            }
            indexTimeNanos += System.nanoTime() - start;
            indexTotal++;
        }
        if (op.seqNo() > maxSeqNo) {
            maxSeqNo = op.seqNo();
        }
        if (op.mappingVersion() > mappingVersion) {
            mappingVersion = op.mappingVersion();
        }
        nextOffset = offset + 1;
    }

    /** The ops applied to this shard since it was opened; read from any thread. */
    public IndexingCounts indexing() {
        return new IndexingCounts(indexTotal, indexTimeNanos, deleteTotal, deleteTimeNanos);
    }

    /** Records that everything before {@code position} was seen (e.g. transaction markers, skipped ops). */
    public void advanceTo(long position) {
        if (position > nextOffset) {
            nextOffset = position;
        }
    }

    /** A durable Lucene commit whose user data says exactly which ops it holds (invariant 3). Owner thread only. */
    public void commit() throws IOException {
        commit(checkpoint());
    }

    /** Where the shard stands now, as a commit would record it. Owner thread only. */
    public ShardCommitData checkpoint() {
        return new ShardCommitData(maxSeqNo, nextOffset, historyUuid, mappingVersion);
    }

    /**
     * A durable Lucene commit recording {@code data}, a {@link #checkpoint} taken earlier by the owner
     * thread. Safe to call from another thread while the owner keeps applying: the commit then holds
     * every op up to the checkpoint, and possibly some applied after it. Those are harmless, as in
     * Elasticsearch's flush: a restart replays the log from the checkpoint's offset, and applying an
     * op again in log order leaves a document exactly as it was (an index replaces by id, a delete
     * of an absent id does nothing). Commits are serialised.
     */
    public synchronized void commit(ShardCommitData data) throws IOException {
        writer.setLiveCommitData(data.toUserData().entrySet());
        writer.commit();
        committedMaxSeqNo = data.maxSeqNo();
        committedNextOffset = data.nextOffset();
    }

    /**
     * Pins the last commit: its files stay on disk, whatever later commits and merges do, until
     * {@link #releaseCommit} (once per call). With {@code commitFirst}, makes a {@link #commit()}
     * first and pins that, which only the owner thread may ask for; without it, any thread may call.
     *
     * @throws IllegalStateException when the shard has no commit yet and {@code commitFirst} is false
     */
    public synchronized IndexCommit snapshotCommit(boolean commitFirst) throws IOException {
        if (commitFirst) {
            commit();
        }
        return snapshots.snapshot();
    }

    /**
     * Unpins a commit {@link #snapshotCommit} returned and deletes at once the files no commit needs
     * any more. Any thread. After {@link #close} only the pin is dropped: the next writer to open the
     * directory deletes what no commit needs.
     *
     * @throws IllegalArgumentException when {@code commit} is not pinned (e.g. released twice)
     */
    public void releaseCommit(IndexCommit commit) throws IOException {
        snapshots.release(commit);
        try {
            writer.deleteUnusedFiles();
        } catch (AlreadyClosedException closed) {
            // closed meanwhile: nothing left to delete through this writer
        }
    }

    /** How many pins ({@link #snapshotCommit}) are held now. */
    public int pinnedCommits() {
        return snapshots.getSnapshotCount();
    }

    /** The next offset recorded in the last durable Lucene commit. */
    public long committedNextOffset() {
        return committedNextOffset;
    }

    /** True when ops were applied or offsets advanced since the last commit. */
    public boolean hasUncommittedOps() {
        return maxSeqNo > committedMaxSeqNo || nextOffset > committedNextOffset || writer.hasUncommittedChanges();
    }

    /** Makes every applied op searchable; blocks until done. */
    public void refresh() {
        try {
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Refreshes unless another thread is doing it already. */
    public void maybeRefresh() {
        try {
            searchers.maybeRefresh();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public IndexSearcher acquireSearcher() throws IOException {
        return searchers.acquire();
    }

    public void releaseSearcher(IndexSearcher searcher) throws IOException {
        searchers.release(searcher);
    }

    /** Live documents as of the last refresh. */
    public int docCount() {
        try {
            IndexSearcher s = searchers.acquire();
            try {
                return s.getIndexReader().numDocs();
            } finally {
                searchers.release(s);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Bytes on disk of the shard's files. */
    public long sizeInBytes() {
        long total = 0;
        try {
            for (String file : directory.listAll()) {
                try {
                    total += directory.fileLength(file);
                } catch (IOException ignored) {
                    // deleted while listing
                }
            }
        } catch (IOException e) {
            return total;
        }
        return total;
    }

    /** Whether {@link #close} was called. */
    public boolean isClosed() {
        return closed;
    }

    /** Closes without committing: what is not committed is replayed from the log on the next open. */
    @Override
    public void close() throws IOException {
        closed = true;
        searchers.close();
        writer.rollback();
        directory.close();
    }
}
