package io.kccr.core.verify;

import java.util.List;

/**
 * How a follower index compares with its leader index, shard by shard.
 *
 * @param leaderIndex   the leader index
 * @param followerIndex the follower index
 * @param shards        one report per shard, in shard order
 * @param tookMillis    how long the comparison took
 */
public record VerifyReport(String leaderIndex, String followerIndex, List<ShardReport> shards, long tookMillis) {

    public VerifyReport {
        shards = List.copyOf(shards);
    }

    /** True when every shard is identical up to its checkpoint. */
    public boolean identical() {
        return shards.stream().allMatch(ShardReport::identical);
    }

    /** Documents compared and found alike, over all shards. */
    public long matched() {
        return shards.stream().mapToLong(ShardReport::matched).sum();
    }
}
