package io.kccr.node.indices;

import com.fasterxml.jackson.databind.JsonNode;
import io.kccr.core.shard.GetResult;
import io.kccr.leader.Acks;
import io.kccr.leader.DocumentUpdater;
import io.kccr.leader.LeaderIndex;
import io.kccr.leader.WriteCondition;
import io.kccr.leader.WriteResult;
import java.time.Duration;
import java.util.List;

/**
 * The single-document operations on the node's indices: a write goes to a leader index ({@link WriteGuard}
 * decides which, creating it on the first write), a get to any open index ({@link IndexResolver}). A write
 * returns once its op is in the log and applied, or fails after the write timeout; with {@code refresh} its
 * shard is refreshed before it returns, so that searches see it. Thread-safe.
 */
public final class Documents {
    private final IndexResolver indices;
    private final WriteGuard guard;
    private final Duration writeTimeout;

    public Documents(IndexResolver indices, WriteGuard guard, Duration writeTimeout) {
        this.indices = indices;
        this.guard = guard;
        this.writeTimeout = writeTimeout;
    }

    /** Indexes {@code source}, one JSON object, as document {@code id} (a new id when null). */
    public WriteResult index(String index, String id, byte[] source, WriteCondition condition, boolean refresh) {
        LeaderIndex target = guard.writableIndex(index);
        return refreshed(target, Acks.await(target.index(id, source, condition), writeTimeout), refresh);
    }

    /** Deletes document {@code id}; the result is {@code not_found} when there was none. Creates no index. */
    public WriteResult delete(String index, String id, WriteCondition condition, boolean refresh) {
        LeaderIndex target = guard.writableExistingIndex(index);
        return refreshed(target, Acks.await(target.delete(id, condition), writeTimeout), refresh);
    }

    /**
     * Applies an update request {@code body} ({@code doc}, {@code upsert}, {@code doc_as_upsert},
     * {@code detect_noop}) to document {@code id}, retrying up to {@code retryOnConflict} times when another
     * write came in between.
     */
    public WriteResult update(String index, String id, JsonNode body, int retryOnConflict, Long ifSeqNo,
                              Long ifPrimaryTerm, boolean refresh) {
        LeaderIndex target = guard.writableIndex(index);
        WriteResult result = new DocumentUpdater(target, writeTimeout)
                .update(id, body, retryOnConflict, ifSeqNo, ifPrimaryTerm).result();
        return refreshed(target, result, refresh);
    }

    /** Document {@code id} of open index {@code index} as it is now (realtime, refreshed if need be). */
    public GetResult get(String index, String id) {
        return indices.readWhole(index).get(id);
    }

    private static WriteResult refreshed(LeaderIndex index, WriteResult result, boolean refresh) {
        if (refresh) {
            index.refresh(List.of(result));
        }
        return result;
    }
}
