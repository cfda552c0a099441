package io.kccr.core.cluster;

import java.util.Comparator;
import java.util.Objects;

/**
 * One shard of an index, as the cluster places it: {@code [index][shard]}. Ordered by index name, then shard
 * number, which is the order every allocation walks the shards in (so the same input gives the same answer).
 */
public record ShardId(String index, int shard) implements Comparable<ShardId> {
    private static final Comparator<ShardId> ORDER = Comparator.comparing(ShardId::index)
            .thenComparingInt(ShardId::shard);

    public ShardId {
        Objects.requireNonNull(index, "index");
        if (shard < 0) {
            throw new IllegalArgumentException("shard must be >= 0: " + shard);
        }
    }

    @Override
    public int compareTo(ShardId other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return "[" + index + "][" + shard + "]";
    }
}
