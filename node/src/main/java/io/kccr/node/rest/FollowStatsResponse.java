package io.kccr.node.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.kccr.follower.FatalError;
import io.kccr.follower.ShardFollowStats;
import io.kccr.follower.bootstrap.ShardRecoveryState;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /<index>/_ccr/stats}: Elasticsearch's follow stats, per follower and shard, serialized with
 * Jackson. Elasticsearch's clients require every one of its fields, so a stat the follower does not measure
 * ({@link ShardFollowStats}: null) is rendered as a follow task shows a value it has not measured yet: -1
 * for a seq_no or for the time since the last read (none), 0 for a count, a time or a version. Our own
 * fields are left out instead when not measured.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record FollowStatsResponse(List<IndexStats> indices) {

    /** One follower: the sum over its shards of how far each is behind its leader (where both are known). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record IndexStats(String index, long totalGlobalCheckpointLag, long followerToLeaderLaggingOpsCount,
                      List<ShardStats> shards) {
        static IndexStats of(String index, List<ShardFollowStats> shards, List<ShardRecoveryState> bootstrap) {
            long lag = 0;
            for (ShardFollowStats s : shards) {
                if (s.leaderGlobalCheckpoint() != null && s.followerGlobalCheckpoint() != null) {
                    lag += Math.max(0, s.leaderGlobalCheckpoint() - s.followerGlobalCheckpoint());
                }
            }
            return new IndexStats(index, lag, lag, shards.stream().map(s -> ShardStats.of(s,
                    s.shardId() < bootstrap.size() ? bootstrap.get(s.shardId()) : null)).toList());
        }
    }

    /** One shard: Elasticsearch's fields, then ours. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ShardStats(String remoteCluster, String leaderIndex, String followerIndex, int shardId,
                      long leaderGlobalCheckpoint, long leaderMaxSeqNo, long followerGlobalCheckpoint,
                      long followerMaxSeqNo, long lastRequestedSeqNo, int outstandingReadRequests,
                      int outstandingWriteRequests, long writeBufferOperationCount, long writeBufferSizeInBytes,
                      long followerMappingVersion, long followerSettingsVersion, long followerAliasesVersion,
                      long totalReadTimeMillis, long totalReadRemoteExecTimeMillis, long successfulReadRequests,
                      long failedReadRequests, long operationsRead, long bytesRead, long totalWriteTimeMillis,
                      long successfulWriteRequests, long failedWriteRequests, long operationsWritten,
                      List<ReadException> readExceptions, long timeSinceLastReadMillis, FatalError fatalException,
                      Long consumerLagRecords, Double lagSeconds, Long operationsSkippedDuplicate,
                      Bootstrap bootstrap) {

        static ShardStats of(ShardFollowStats s, ShardRecoveryState bootstrap) {
            return new ShardStats(s.remoteCluster(), s.leaderIndex(), s.followerIndex(), s.shardId(),
                    seqNo(s.leaderGlobalCheckpoint()), seqNo(s.leaderMaxSeqNo()), seqNo(s.followerGlobalCheckpoint()),
                    seqNo(s.followerMaxSeqNo()), seqNo(s.lastRequestedSeqNo()), count(s.outstandingReadRequests()),
                    count(s.outstandingWriteRequests()), count(s.writeBufferOperationCount()),
                    count(s.writeBufferSizeInBytes()), count(s.followerMappingVersion()),
                    count(s.followerSettingsVersion()), count(s.followerAliasesVersion()),
                    count(s.totalReadTimeMillis()), count(s.totalReadRemoteExecTimeMillis()),
                    count(s.successfulReadRequests()), count(s.failedReadRequests()), count(s.operationsRead()),
                    count(s.bytesRead()), count(s.totalWriteTimeMillis()), count(s.successfulWriteRequests()),
                    count(s.failedWriteRequests()), count(s.operationsWritten()),
                    s.readExceptions().stream().map(ReadException::of).toList(),
                    s.timeSinceLastReadMillis() == null ? -1 : s.timeSinceLastReadMillis(), s.fatalException(),
                    s.consumerLagRecords(), s.lagSeconds(), s.operationsSkippedDuplicate(),
                    bootstrap == null ? null : Bootstrap.of(bootstrap));
        }

        private static long seqNo(Long value) {
            return value == null ? -1 : value;
        }

        private static long count(Long value) {
            return value == null ? 0 : value;
        }

        private static int count(Integer value) {
            return value == null ? 0 : value;
        }
    }

    /** A retryable error of a shard's reads. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ReadException(long fromSeqNo, int retries, Cause exception) {
        static ReadException of(ShardFollowStats.ReadException e) {
            return new ReadException(e.fromSeqNo(), e.retries(), new Cause("exception", e.reason()));
        }
    }

    /** An error as Elasticsearch names it: its type and the reason. */
    record Cause(String type, String reason) {
    }

    /** Ours: a shard's bootstrap (remote recovery) progress, while and after it ran in this process. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Bootstrap(String stage, int filesTotal, long filesDone, long bytesTotal, long bytesReused,
                     long bytesRecovered, double percent, long throttleTimeMillis) {
        static Bootstrap of(ShardRecoveryState r) {
            return new Bootstrap(r.stage().name().toLowerCase(Locale.ROOT), r.filesTotal(),
                    r.filesReused() + r.filesRecovered(), r.bytesTotal(), r.bytesReused(), r.bytesRecovered(),
                    Math.round(r.bytesPercent() * 10) / 10.0, r.throttleMillis());
        }
    }
}
