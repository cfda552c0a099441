package io.kccr.core.error;

import java.util.Map;

/**
 * {@code cluster_block_exception}: the index has blocks that refuse the request, e.g. the flood-stage disk block
 * ({@code index.blocks.read_only_allow_delete}). Retryable later when every block is {@code TOO_MANY_REQUESTS}.
 */
public final class ClusterBlockException extends KccrException {
    private final boolean retryable;

    /**
     * @param blocks    the blocks as Elasticsearch renders them, {@code LEVEL/id/description}, comma-separated
     * @param retryable whether every block is one the node lifts by itself ({@code TOO_MANY_REQUESTS})
     */
    public ClusterBlockException(String index, String blocks, boolean retryable) {
        super("cluster_block_exception", "index [" + index + "] blocked by: [" + blocks + "];", Map.of(), null);
        this.retryable = retryable;
    }

    /** Whether every block is one the node lifts by itself (the request may be retried later). */
    public boolean retryable() {
        return retryable;
    }
}
