package io.kccr.core.shard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.MultiReader;
import org.apache.lucene.search.IndexSearcher;

/**
 * A searcher over every shard's reader as it was when pinned: later writes (a follower applying its leader's ops,
 * refreshes, merges) do not change what it sees, which is what scroll and point-in-time paging need. The
 * readers' files stay open until {@link #close}. Thread-safe; close is idempotent.
 */
public final class PinnedReader implements AutoCloseable {
    private final List<? extends LuceneShard> shards;
    private final List<IndexSearcher> acquired;
    private final MultiReader reader;
    private final IndexSearcher searcher;
    private boolean closed;

    private PinnedReader(List<? extends LuceneShard> shards, List<IndexSearcher> acquired) {
        this.shards = List.copyOf(shards);
        this.acquired = acquired;
        IndexReader[] readers = acquired.stream().map(IndexSearcher::getIndexReader).toArray(IndexReader[]::new);
        try {
            this.reader = new MultiReader(readers, false); // takes a reference of each reader, given back on close
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.searcher = new IndexSearcher(reader);
    }

    /** Pins the last refreshed reader of each of {@code shards}. */
    public static PinnedReader pin(List<? extends LuceneShard> shards) throws IOException {
        List<IndexSearcher> acquired = new ArrayList<>();
        try {
            for (LuceneShard shard : shards) {
                acquired.add(shard.acquireSearcher());
            }
        } catch (IOException | RuntimeException e) {
            for (int i = 0; i < acquired.size(); i++) {
                shards.get(i).releaseSearcher(acquired.get(i));
            }
            throw e;
        }
        return new PinnedReader(shards, acquired);
    }

    /** How many shards' readers are pinned. */
    public int shardCount() {
        return shards.size();
    }

    /** The searcher over the pinned readers (doc ids stay valid for the life of this object). */
    public IndexSearcher searcher() {
        return searcher;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            reader.close();
        } catch (IOException | RuntimeException e) {
            // its sub-readers' references are given back below either way
        }
        for (int i = 0; i < acquired.size(); i++) {
            try {
                shards.get(i).releaseSearcher(acquired.get(i));
            } catch (IOException | RuntimeException e) {
                // the shard closed meanwhile: its reader goes with the last reference anyway
            }
        }
    }
}
