package io.kccr.leader;

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
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ReferenceManager;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

/**
 * One shard's Lucene index: the projection of one partition of the ops topic.
 *
 * <p>Thread-safety: {@link #apply} and {@link #commit} are called by the shard's single writer
 * thread only (so a commit's user data describes exactly the ops before it); {@link #lookup},
 * {@link #refresh} and searcher access are safe from any thread.
 */
public final class LeaderShard implements Closeable {
    private final int shardId;
    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final LiveVersionMap versionMap = new LiveVersionMap();
    private final String historyUuid;

    private volatile long maxSeqNo;
    private volatile long nextOffset;
    private volatile long mappingVersion;
    private volatile long committedMaxSeqNo;
    private long refreshCheckpoint;

    /**
     * Opens (or creates) the shard's index in {@code path}. A commit of another history is not
     * ours: the directory is emptied and the shard starts from offset 0.
     */
    public LeaderShard(int shardId, Path path, String historyUuid) throws IOException {
        this.shardId = shardId;
        this.historyUuid = historyUuid;
        this.directory = FSDirectory.open(path);
        ShardCommitData last = readCommit(directory);
        boolean foreign = last != null && !historyUuid.equals(last.historyUuid());
        IndexWriterConfig config = new IndexWriterConfig(DocumentMapper.analyzer())
                .setOpenMode(foreign ? IndexWriterConfig.OpenMode.CREATE : IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                .setRAMBufferSizeMB(64)
                .setCommitOnClose(false);
        this.writer = new IndexWriter(directory, config);
        ShardCommitData start = foreign || last == null ? ShardCommitData.empty(historyUuid) : last;
        this.maxSeqNo = start.maxSeqNo();
        this.committedMaxSeqNo = start.maxSeqNo();
        this.nextOffset = start.nextOffset();
        this.mappingVersion = start.mappingVersion();
        this.searchers = new SearcherManager(writer, null);
        this.searchers.addListener(new ReferenceManager.RefreshListener() {
            @Override
            public void beforeRefresh() {
                refreshCheckpoint = maxSeqNo;
            }

            @Override
            public void afterRefresh(boolean didRefresh) {
                versionMap.pruneUpTo(refreshCheckpoint);
            }
        });
    }

    private static ShardCommitData readCommit(Directory dir) throws IOException {
        if (!DirectoryReader.indexExists(dir)) {
            return null;
        }
        return ShardCommitData.fromUserData(DirectoryReader.listCommits(dir).getLast().getUserData());
    }

    public int shardId() {
        return shardId;
    }

    /** The highest seq_no applied to this shard, -1 when none. */
    public long maxSeqNo() {
        return maxSeqNo;
    }

    /** The offset of the next op to apply from the shard's partition. */
    public long nextOffset() {
        return nextOffset;
    }

    /** The highest seq_no in the last durable Lucene commit. */
    public long committedMaxSeqNo() {
        return committedMaxSeqNo;
    }

    LiveVersionMap versionMap() {
        return versionMap;
    }

    /**
     * Applies one op that the log holds at {@code offset}. {@code doc} is the op's parsed source
     * (null for a delete); {@code knownNew} lets an id that cannot exist yet skip the delete-by-id.
     */
    void apply(Operation op, ParsedDocument doc, long offset, boolean knownNew) throws IOException {
        Term idTerm = new Term(MetaFields.ID, op.id());
        if (op.op() == OpType.DELETE) {
            writer.deleteDocuments(idTerm);
        } else {
            Document luceneDoc = doc.toLuceneDocument(op.seqNo(), op.primaryTerm(), op.version());
            if (knownNew) {
                writer.addDocument(luceneDoc);
            } else {
                writer.updateDocument(idTerm, luceneDoc);
            }
        }
        if (op.seqNo() > maxSeqNo) {
            maxSeqNo = op.seqNo();
        }
        if (op.mappingVersion() > mappingVersion) {
            mappingVersion = op.mappingVersion();
        }
        nextOffset = offset + 1;
    }

    /** Moves the next offset past transaction markers once a batch or replay has ended at {@code position}. */
    void advanceTo(long position) {
        if (position > nextOffset) {
            nextOffset = position;
        }
    }

    /** A durable Lucene commit whose user data says exactly which ops it holds (invariant 3). */
    void commit() throws IOException {
        ShardCommitData data = new ShardCommitData(maxSeqNo, nextOffset, historyUuid, mappingVersion);
        writer.setLiveCommitData(data.toUserData().entrySet());
        writer.commit();
        committedMaxSeqNo = data.maxSeqNo();
    }

    /** True when ops were applied since the last commit. */
    boolean hasUncommittedOps() {
        return maxSeqNo > committedMaxSeqNo || writer.hasUncommittedChanges();
    }

    /** Makes every applied op searchable; blocks until done. */
    public void refresh() {
        try {
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Refreshes if another thread is not already doing it. */
    public void maybeRefresh() {
        try {
            searchers.maybeRefresh();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when {@code id} was written since the last refresh (a realtime get must refresh first). */
    public boolean hasUnrefreshed(String id) {
        return versionMap.contains(id);
    }

    public IndexSearcher acquireSearcher() throws IOException {
        return searchers.acquire();
    }

    public void releaseSearcher(IndexSearcher searcher) throws IOException {
        searchers.release(searcher);
    }

    /** The current state of {@code id}: the live version map first, then the last refreshed searcher. */
    DocState lookup(String id) throws IOException {
        try (Lookup lookup = newLookup()) {
            return lookup.get(id);
        }
    }

    /** A lookup for a whole batch: one searcher, renewed only when a refresh dropped map entries it cannot see. */
    Lookup newLookup() throws IOException {
        return new Lookup();
    }

    /** Looks documents up in the live version map, then in a searcher kept across calls. Writer thread only. */
    final class Lookup implements AutoCloseable {
        private long generation;
        private IndexSearcher searcher;

        private Lookup() throws IOException {
            generation = versionMap.pruneGeneration();
            searcher = searchers.acquire();
        }

        DocState get(String id) throws IOException {
            DocState live = versionMap.get(id);
            if (live != null) {
                return live;
            }
            long now = versionMap.pruneGeneration();
            if (now != generation) {
                searchers.release(searcher);
                searcher = null;
                generation = now;
                searcher = searchers.acquire();
            }
            return lookup(searcher, id);
        }

        @Override
        public void close() throws IOException {
            if (searcher != null) {
                searchers.release(searcher);
                searcher = null;
            }
        }
    }

    /** The state of {@code id} as {@code searcher} sees it; null when absent. */
    static DocState lookup(IndexSearcher searcher, String id) throws IOException {
        BytesRef term = new BytesRef(id);
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            Terms terms = leaf.reader().terms(MetaFields.ID);
            if (terms == null) {
                continue;
            }
            TermsEnum te = terms.iterator();
            if (!te.seekExact(term)) {
                continue;
            }
            Bits live = leaf.reader().getLiveDocs();
            PostingsEnum postings = te.postings(null, PostingsEnum.NONE);
            for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
                if (live == null || live.get(doc)) {
                    return new DocState(numeric(leaf, MetaFields.SEQ_NO, doc), numeric(leaf, MetaFields.PRIMARY_TERM, doc),
                            numeric(leaf, MetaFields.VERSION, doc), false);
                }
            }
        }
        return null;
    }

    private static long numeric(LeafReaderContext leaf, String field, int doc) throws IOException {
        NumericDocValues values = leaf.reader().getNumericDocValues(field);
        return values != null && values.advanceExact(doc) ? values.longValue() : 0;
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
                    // a file deleted while listing
                }
            }
        } catch (IOException e) {
            return total;
        }
        return total;
    }

    /** The user data of the last durable commit. */
    public Map<String, String> lastCommitUserData() throws IOException {
        return DirectoryReader.listCommits(directory).getLast().getUserData();
    }

    /** Closes without committing: what is not committed is replayed from the log on the next open. */
    @Override
    public void close() throws IOException {
        searchers.close();
        writer.rollback();
        directory.close();
    }
}
