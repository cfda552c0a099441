package io.kccr.follower;

import java.util.List;

/**
 * Which of its leader's shards a {@link FollowerIndex} holds: every one, as on a node alone, or some of them, as a
 * node of a cluster that spreads one follower index's shards over its nodes holds its part. The follower applies,
 * copies, rebuilds, searches and reports only those; a document another shard routes to is not its to get.
 *
 * @param total the leader's number of shards (by which a document's id routes to its shard)
 * @param ids   the shards held, each in {@code [0, total)}, in increasing order, at least one
 */
public record ShardSubset(int total, List<Integer> ids) {
    public ShardSubset {
        ids = List.copyOf(ids);
        if (total < 1 || ids.isEmpty()) {
            throw new IllegalArgumentException("a follower holds at least one of at least one shard: " + ids + " of "
                    + total);
        }
        for (int i = 0; i < ids.size(); i++) {
            int id = ids.get(i);
            if (id < 0 || id >= total || i > 0 && id <= ids.get(i - 1)) {
                throw new IllegalArgumentException("shards " + ids + " are not distinct shards of 0.." + (total - 1)
                        + " in increasing order");
            }
        }
    }

    /** Every shard of a leader with {@code total} of them. */
    public static ShardSubset all(int total) {
        return new ShardSubset(total, java.util.stream.IntStream.range(0, total).boxed().toList());
    }

    /** Shards {@code ids} of a leader with {@code total} of them. */
    public static ShardSubset of(int total, Integer... ids) {
        return new ShardSubset(total, List.of(ids));
    }

    public boolean holds(int shard) {
        return ids.contains(shard);
    }

    /** How many shards are held. */
    public int count() {
        return ids.size();
    }

    public boolean isAll() {
        return ids.size() == total;
    }
}
