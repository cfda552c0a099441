package io.kccr.leader;

import io.kccr.core.shard.DocState;
import io.kccr.core.shard.IdLookup;
import io.kccr.core.shard.LuceneShard;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ReferenceManager;

/**
 * A leader shard: a {@link LuceneShard} plus the live version map through which its writer sees
 * the documents it wrote since the last refresh (for versions, {@code op_type=create} and
 * compare-and-set).
 *
 * <p>Thread-safety as {@link LuceneShard}; {@link Lookup} is for the writer thread only.
 */
public final class LeaderShard extends LuceneShard {
    private final LiveVersionMap versionMap = new LiveVersionMap();
    private volatile long refreshCheckpoint;

    public LeaderShard(int shardId, Path path, String historyUuid) throws IOException {
        super(shardId, path, historyUuid);
        addRefreshListener(new ReferenceManager.RefreshListener() {
            @Override
            public void beforeRefresh() {
                refreshCheckpoint = maxSeqNo();
            }

            @Override
            public void afterRefresh(boolean didRefresh) {
                versionMap.pruneUpTo(refreshCheckpoint);
            }
        });
    }

    LiveVersionMap versionMap() {
        return versionMap;
    }

    /** True when {@code id} was written since the last refresh (a realtime get must refresh first). */
    public boolean hasUnrefreshed(String id) {
        return versionMap.contains(id);
    }

    /** A lookup for a whole batch: one searcher, renewed only when a refresh dropped map entries it cannot see. */
    Lookup newLookup() throws IOException {
        return new Lookup();
    }

    /** Looks documents up in the live version map, then in a searcher kept across calls. Writer thread only. */
    final class Lookup implements AutoCloseable {
        private long generation;
        private IndexSearcher searcher;
        private IdLookup ids;

        private Lookup() throws IOException {
            generation = versionMap.pruneGeneration();
            searcher = acquireSearcher();
            ids = new IdLookup(searcher);
        }

        DocState get(String id) throws IOException {
            DocState live = versionMap.get(id);
            if (live != null) {
                return live;
            }
            long now = versionMap.pruneGeneration();
            if (now != generation) {
                releaseSearcher(searcher);
                searcher = null;
                generation = now;
                searcher = acquireSearcher();
                ids = new IdLookup(searcher);
            }
            return ids.get(id);
        }

        @Override
        public void close() throws IOException {
            if (searcher != null) {
                releaseSearcher(searcher);
                searcher = null;
            }
        }
    }
}
