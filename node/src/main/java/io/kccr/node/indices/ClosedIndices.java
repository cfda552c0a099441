package io.kccr.node.indices;

import io.kccr.core.error.IndexClosedException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which indices are closed ({@code POST /<index>/_close}): a closed index answers neither reads nor
 * writes until {@code _open}, as in Elasticsearch, where closing is a step of the follower runbook
 * (pause, close, unfollow, open). Thread-safe.
 */
public final class ClosedIndices {
    private final Set<String> closed = ConcurrentHashMap.newKeySet();

    public void close(String index) {
        closed.add(index);
    }

    public void open(String index) {
        closed.remove(index);
    }

    public boolean isClosed(String index) {
        return closed.contains(index);
    }

    /** Throws Elasticsearch's 400 {@code index_closed_exception} if {@code index} is closed. */
    public void ensureOpen(String index) {
        if (closed.contains(index)) {
            throw new IndexClosedException(index, "_na_");
        }
    }
}
