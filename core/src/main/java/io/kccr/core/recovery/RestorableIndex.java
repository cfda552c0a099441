package io.kccr.core.recovery;

import io.kccr.core.index.IndexMetadata;
import io.kccr.core.shard.LuceneShard;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntPredicate;
import org.apache.lucene.index.IndexCommit;

/**
 * An index whose shards' commits a restore session pins and serves: a leader index to its followers (remote
 * recovery), or a follower index's copy on one node to another node of its cluster that makes a copy of its own
 * (peer recovery). Implementations are thread-safe.
 */
public interface RestorableIndex {
    /** The index's name, as the restore session's requests name it. */
    String name();

    /** The metadata a session's manifest carries: the leader index's, whose uuid and history a copy checks. */
    IndexMetadata restoreMetadata();

    /**
     * Pins a commit of each {@code wanted} shard held here: its files stay on disk until released with
     * {@link LuceneShard#releaseCommit}. The futures, by shard number, complete once each commit is pinned.
     */
    SortedMap<Integer, CompletableFuture<IndexCommit>> pinCommits(IntPredicate wanted);

    /** This node's copy of shard {@code shard}, whose commit {@link #pinCommits} pinned. */
    LuceneShard copy(int shard);

    /** True once the index started closing: its sessions are released. */
    boolean isClosed();

    /** Runs {@code listener} when the index starts closing, before its shards close. */
    void addCloseListener(Runnable listener);

    void removeCloseListener(Runnable listener);
}
