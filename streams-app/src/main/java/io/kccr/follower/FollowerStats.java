package io.kccr.follower;

import io.kccr.follower.apply.FollowerShard;
import io.kccr.core.index.IndexMetadata;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A follower's per-shard stats: where each shard stands against its leader partition (checkpoints,
 * consumer lag in records and seconds) and what it applied. While the follower bootstraps (no shard
 * open yet) each shard is reported at checkpoint -1 with nothing read.
 */
final class FollowerStats {
    private FollowerStats() {
    }

    static List<ShardFollowStats> of(FollowerIndex f, int shardCount, LeaderProgress progress, ReadErrors readErrors,
                                     Clock clock) {
        FollowerDefinition d = f.definition();
        IndexMetadata leader = f.leaderMetadata();
        long settingsVersion = leader == null ? 1 : leader.settingsVersion();
        List<FollowerShard> shards = f.shards();
        List<ShardFollowStats> out = new ArrayList<>();
        if (shards.isEmpty()) {
            for (int shard = 0; shard < shardCount; shard++) {
                out.add(new ShardFollowStats(d.remoteCluster(), d.leaderIndex(), f.name(), shard, -1, -1, -1, -1, -1,
                        0, 0, 0, 0, 0, settingsVersion, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, List.of(), -1,
                        f.fatalException(), 0, 0, 0));
            }
            return out;
        }
        Map<Integer, LeaderProgress.End> ends;
        try {
            ends = progress.refresh(shardCount);
        } catch (RuntimeException e) {
            ends = Map.of();
        }
        long now = clock.millis();
        for (FollowerShard shard : shards) {
            LeaderProgress.End end = ends.getOrDefault(shard.shardId(), new LeaderProgress.End(shard.nextOffset(),
                    shard.maxSeqNo(), 0));
            // the leader writes in transactions: the end offset counts the commit marker after the last op, which
            // the shard never sees as a record; once the shard holds the partition's last op nothing is left to apply
            long lagRecords = shard.maxSeqNo() >= end.lastSeqNo() ? 0
                    : Math.max(0, end.endOffset() - shard.nextOffset());
            double lagSeconds = 0;
            if (lagRecords > 0 && end.lastSeqNo() > shard.maxSeqNo()) {
                long ts = progress.timestampAt(shard.shardId(), shard.nextOffset(), end.endOffset());
                lagSeconds = ts < 0 ? 0 : Math.max(0, now - ts) / 1000.0;
            }
            long leaderCheckpoint = Math.max(end.lastSeqNo(), shard.maxSeqNo());
            out.add(new ShardFollowStats(d.remoteCluster(), d.leaderIndex(), f.name(),
                    shard.shardId(), leaderCheckpoint, leaderCheckpoint, shard.maxSeqNo(), shard.maxSeqNo(),
                    shard.maxSeqNo(), f.status() == FollowerStatus.ACTIVE ? 1 : 0, 0, 0, 0,
                    shard.mappingVersion(), settingsVersion,
                    1, shard.totalWriteTimeMillis(), shard.totalWriteTimeMillis(), shard.operationsRead() > 0 ? 1 : 0, 0,
                    shard.operationsRead(), shard.bytesRead(), shard.totalWriteTimeMillis(), shard.operationsWritten(),
                    0, shard.operationsWritten(), readErrors.recent(shard.lastReadMillis()),
                    shard.lastReadMillis() == 0 ? -1 : Math.max(0, now - shard.lastReadMillis()), f.fatalException(),
                    lagRecords, lagSeconds, shard.operationsSkipped()));
        }
        return out;
    }
}
