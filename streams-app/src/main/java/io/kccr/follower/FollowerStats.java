package io.kccr.follower;

import io.kccr.core.feed.FeedShardStats;
import io.kccr.core.index.IndexMetadata;
import io.kccr.follower.apply.FollowerShard;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a follower's per-shard stats: where each shard stands against its leader partition
 * (checkpoints, consumer lag in records and seconds), what its feed read and buffered (read requests, the
 * write buffer) and what it applied (write requests, ops, time). Only what is measured is
 * filled in ({@link ShardFollowStats}): while the follower has no open shard (it copies or rebuilds,
 * and does not read its leader's progress) only its versions are known; the feed's counters are there once
 * the shard streamed since the node started.
 */
final class FollowerStats {
    /** A follower has no aliases API: its aliases stay at the version an index starts with. */
    private static final long ALIASES_VERSION = 1;

    private FollowerStats() {
    }

    static List<ShardFollowStats> of(FollowerIndex f, ShardSubset held, LeaderProgress progress, FollowerFeed feed,
                                     Clock clock) {
        FollowerDefinition d = f.definition();
        IndexMetadata leader = f.leaderMetadata();
        Long settingsVersion = leader == null ? null : leader.settingsVersion();
        FatalError fatal = f.fatalError();
        List<FollowerShard> shards = f.shards();
        List<ShardFollowStats> out = new ArrayList<>();
        if (shards.isEmpty()) {
            for (int shard : held.ids()) {
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
            ends = progress.refresh(held.ids());
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
            FeedShardStats read = feed.stats(shard.shardId());
            long lastRead = Math.max(shard.lastReadMillis(), read == null ? 0 : read.lastReadMillis());
            long writes = read == null ? 0 : read.writeRequests();
            ReadErrors.Failure failure = feed.readErrors(shard.shardId()).current(
                    Math.max(lastRead, read == null ? 0 : read.lastPollMillis()), writes);
            List<ShardFollowStats.ReadException> errors = failure == null ? List.of()
                    : List.of(new ShardFollowStats.ReadException(failure.fromSeqNo(), failure.retries(),
                    failure.reason()));
            out.add(new ShardFollowStats(d.remoteCluster(), d.leaderIndex(), f.name(), shard.shardId(),
                    leaderCheckpoint, leaderCheckpoint, applied, applied, applied,
                    read == null ? null : read.bufferedReads(), read == null ? null : read.writing() ? 1 : 0,
                    read == null ? null : read.bufferedOps(), read == null ? null : read.bufferedBytes(),
                    shard.mappingVersion(), settingsVersion, ALIASES_VERSION,
                    read == null ? null : read.readMillis(), null,
                    read == null ? null : read.readRequests(), read == null ? null : read.failedReadRequests(),
                    shard.operationsRead(), shard.bytesRead(), shard.totalWriteTimeMillis(),
                    read == null ? null : read.writeRequests(), read == null ? null : read.failedWriteRequests(),
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
