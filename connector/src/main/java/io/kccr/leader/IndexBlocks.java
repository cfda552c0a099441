package io.kccr.leader;

import io.kccr.core.error.ClusterBlockException;
import io.kccr.core.index.IndexBlock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Collectors;

/**
 * The blocks on one index's writes ({@code index.blocks.write}, the flood-stage disk block, the block that keeps
 * writes out while another copy of the index is being converted into it), by id. Thread-safe.
 */
final class IndexBlocks {
    /** The block an index carries while documents are re-published into it (unfollow, a dangling import). */
    static final int CONVERTING = IndexBlock.converting("").id();

    private final String index;
    private final Map<Integer, IndexBlock> blocks = new ConcurrentSkipListMap<>();

    IndexBlocks(String index) {
        this.index = index;
    }

    /** Blocks writes with {@code block} (replacing one of the same id). */
    void add(IndexBlock block) {
        blocks.put(block.id(), block);
    }

    /** Lifts the block {@code id}, if set. */
    void remove(int id) {
        blocks.remove(id);
    }

    Collection<IndexBlock> all() {
        return List.copyOf(blocks.values());
    }

    /**
     * Throws a {@code cluster_block_exception} (a 429 when every block says to retry later, else a 403) when a
     * block refuses writes, letting through the writes of block {@code through} (-1: none).
     */
    void check(int through) {
        if (!blocks.isEmpty() && !(blocks.size() == 1 && blocks.containsKey(through))) {
            throw new ClusterBlockException(index, blocks.values().stream().map(IndexBlock::toString)
                    .collect(Collectors.joining(", ")), blocks.values().stream().allMatch(IndexBlock::tooManyRequests));
        }
    }
}
