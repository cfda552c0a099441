package io.kccr.follower;

import io.kccr.follower.apply.FollowerShard;
import io.kccr.core.index.IndexMetadata;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a follower's per-shard stats: where each shard stands against its leader partition
 * (checkpoints, consumer lag in records and seconds) and what it applied. Only what is measured is
 * filled in ({@link ShardFollowStats}): while the follower has no open shard (it copies or rebuilds,
 * and does not read its leader's progress) only its versions are known.
 */
final class FollowerStats {
    /** A follower has no aliases API: its aliases stay at the version an index starts with. */
    private static final long ALIASES_VERSION = 1;

    private FollowerStats() {
    }

    static List<ShardFollowStats> of(FollowerIndex f, int shardCount, LeaderProgress progress, ReadErrors readErrors,
                                     Clock clock) {
        FollowerDefinition d = f.definition();
        IndexMetadata leader = f.leaderMetadata();
        Long settingsVersion = leader == null ? null : leader.settingsVersion();
        FatalError fatal = f.fatalError();
        List<FollowerShard> shards = f.shards();
        List<ShardFollowStats> out = new ArrayList<>();
        if (shards.isEmpty()) {
            for (int shard = 0; shard < shardCount; shard++) {
                out.add(new ShardFollowStats(d.remoteCluster(), d.leaderIndex(), f.name(), shard, null, null, null,
                        null, null, null, null, null, null, null, settingsVersion,
                        ALIASES_VERSION, null, null, null, null, null, null, null, null, null, null, List.of(), null,
                        fatal, null, null, null));
            }
            return out;
        }
        Map<Integer, LeaderProgress.End> ends;
        boolean current;
        try {
            ends = progress.refresh(shardCount);
            current = true;
        } catch (RuntimeException e) {
            ends = progress.lastRead(); // what the follower last knew of its leader, as Elasticsearch reports it
            current = false;
        }
        long now = clock.millis();
        for (FollowerShard shard : shards) {
            LeaderProgress.End end = ends.get(shard.shardId());
            long applied = shard.maxSeqNo();
            Long leaderCheckpoint = end == null ? null : Math.max(end.lastSeqNo(), applied);
            Long lagRecords = null;
            Double lagSeconds = null;
            if (current && end != null) {
                // the leader writes in transactions: the end offset counts the commit marker after the last op,
                // which the shard never sees as a record; once it holds the partition's last op nothing is left
                lagRecords = applied >= end.lastSeqNo() ? 0 : Math.max(0, end.endOffset() - shard.nextOffset());
                lagSeconds = lagRecords == 0 ? Double.valueOf(0) : lagSeconds(progress, shard, end, now);
            }
            long lastRead = shard.lastReadMillis();
            List<ShardFollowStats.ReadException> errors = readErrors.since(lastRead).stream()
                    .map(e -> new ShardFollowStats.ReadException(applied + 1, e.attempt(), e.message())).toList();
            out.add(new ShardFollowStats(d.remoteCluster(), d.leaderIndex(), f.name(), shard.shardId(),
                    leaderCheckpoint, leaderCheckpoint, applied, applied, applied, null, null, null, null,
                    shard.mappingVersion(), settingsVersion, ALIASES_VERSION, null, null, null, null,
                    shard.operationsRead(), shard.bytesRead(), shard.totalWriteTimeMillis(), null, null,
                    shard.operationsWritten(), errors, lastRead == 0 ? null : Math.max(0, now - lastRead), fatal,
                    lagRecords, lagSeconds, shard.operationsSkipped()));
        }
        return out;
    }

    /** Since the leader wrote the shard's next op; null when that op cannot be read now. */
    private static Double lagSeconds(LeaderProgress progress, FollowerShard shard, LeaderProgress.End end, long now) {
        long ts = progress.timestampAt(shard.shardId(), shard.nextOffset(), end.endOffset());
        return ts < 0 ? null : Math.max(0, now - ts) / 1000.0;
    }
}
