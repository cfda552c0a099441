package io.kccr.leader;

import io.kccr.core.shard.DocState;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The state of documents written since the last refresh, which a searcher cannot see yet.
 * The shard's writer thread looks a document up here first, then in the last refreshed
 * searcher; an entry is dropped once a refresh has made its op visible.
 *
 * <p>Thread-safety: {@link #put}/{@link #restore} from the writer thread, {@link #pruneUpTo} from
 * whichever thread refreshes, {@link #get} from any thread.
 */
final class LiveVersionMap {
    private final ConcurrentHashMap<String, DocState> entries = new ConcurrentHashMap<>();
    private final AtomicLong pruneGeneration = new AtomicLong();

    DocState get(String id) {
        return entries.get(id);
    }

    /** Records the op just sequenced for {@code id}; returns the previous entry, for undo. */
    DocState put(String id, DocState state) {
        return entries.put(id, state);
    }

    /** Undoes a {@link #put} whose op never reached the log. */
    void restore(String id, DocState previous) {
        if (previous == null) {
            entries.remove(id);
        } else {
            entries.put(id, previous);
        }
    }

    /** Drops entries a refresh has made visible: those with seq_no at or below {@code appliedSeqNo}. */
    void pruneUpTo(long appliedSeqNo) {
        pruneGeneration.incrementAndGet(); // first: a reader seeing a miss and an unchanged generation is safe
        entries.values().removeIf(s -> s.seqNo() <= appliedSeqNo);
    }

    /**
     * Counts prunes. A searcher acquired after reading generation {@code g} sees every entry pruned
     * before; if the generation is still {@code g} after a miss, the searcher is recent enough.
     */
    long pruneGeneration() {
        return pruneGeneration.get();
    }

    boolean contains(String id) {
        return entries.containsKey(id);
    }

    void clear() {
        entries.clear();
    }
}
