package io.kccr.core.error;

import io.kccr.core.index.IndexBlock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code cluster_block_exception}: the index has blocks that refuse the request, e.g. the flood-stage disk block
 * ({@code index.blocks.read_only_allow_delete}). Retryable later when every block is {@code TOO_MANY_REQUESTS}.
 */
public final class ClusterBlockException extends KccrException {
    private final List<IndexBlock> blocks;

    public ClusterBlockException(String index, Collection<IndexBlock> blocks) {
        super("cluster_block_exception", "index [" + index + "] blocked by: [" + blocks.stream()
                .map(IndexBlock::toString).collect(Collectors.joining(", ")) + "];", Map.of(), null);
        this.blocks = List.copyOf(blocks);
    }

    /** Whether every block is one the node lifts by itself (the request may be retried later). */
    public boolean retryable() {
        return blocks.stream().allMatch(IndexBlock::tooManyRequests);
    }
}
