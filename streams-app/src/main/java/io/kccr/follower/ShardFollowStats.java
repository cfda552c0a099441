package io.kccr.follower;

import java.util.List;

/**
 * Everything one follower shard's stats report: every per-shard field Elasticsearch's
 * {@code _ccr/stats} returns, with real values, plus ours ({@code consumer_lag_records},
 * {@code lag_seconds}, {@code operations_skipped_duplicate}). Status is data: this record is
 * exactly what the stats API renders.
 */
public record ShardFollowStats(String remoteCluster, String leaderIndex, String followerIndex, int shardId,
                               long leaderGlobalCheckpoint, long leaderMaxSeqNo, long followerGlobalCheckpoint,
                               long followerMaxSeqNo, long lastRequestedSeqNo, int outstandingReadRequests,
                               int outstandingWriteRequests, long writeBufferOperationCount,
                               long writeBufferSizeInBytes, long followerMappingVersion, long followerSettingsVersion,
                               long followerAliasesVersion, long totalReadTimeMillis,
                               long totalReadRemoteExecTimeMillis, long successfulReadRequests,
                               long failedReadRequests, long operationsRead, long bytesRead, long totalWriteTimeMillis,
                               long successfulWriteRequests, long failedWriteRequests, long operationsWritten,
                               List<String> readExceptions, long timeSinceLastReadMillis, String fatalException,
                               long consumerLagRecords, double lagSeconds, long operationsSkippedDuplicate) {
}
