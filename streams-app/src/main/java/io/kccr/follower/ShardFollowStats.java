package io.kccr.follower;

import java.util.List;

/**
 * Everything one follower shard's stats report: every per-shard field of Elasticsearch's follow
 * stats ({@code _ccr/stats}), plus ours ({@code consumer_lag_records}, {@code lag_seconds},
 * {@code operations_skipped_duplicate}). Status is data: this record is what the stats API and
 * {@code /metrics} show.
 *
 * <p>Each value is measured, or null where it is not known: nothing of the follower shard while no
 * shard is open (the follower copies the leader's files or rebuilds), nothing of the leader's log
 * before it was first read, no lag when it cannot be read now. Some of Elasticsearch's fields are not
 * measured at all yet, and are always null: the follower reads through a Kafka consumer, whose fetch
 * requests, their times and buffers it does not see ({@code outstanding_read_requests},
 * {@code total_read_time_millis}, {@code total_read_remote_exec_time_millis},
 * {@code successful_read_requests}, {@code failed_read_requests}, {@code write_buffer_*}), and it
 * applies each op as it is read, with no bulk write requests to count
 * ({@code outstanding_write_requests}, {@code successful_write_requests}, {@code failed_write_requests}).
 * How an absent value is rendered is the API's business (Elasticsearch's clients require most fields).
 *
 * @param leaderGlobalCheckpoint  the seq_no of the last op in the leader's partition as last read (the leader's
 *                                global checkpoint as far as the log shows it); null before it was read
 * @param leaderMaxSeqNo          the same: the leader publishes every op before it applies it
 * @param followerGlobalCheckpoint the highest seq_no the follower shard applied (it applies them in order)
 * @param followerMaxSeqNo        the same
 * @param lastRequestedSeqNo      the follower's applied max seq_no: it reads the partition from the op after it, so
 *                                every seq_no up to it was requested (a lower bound: fetches are not seen by seq_no)
 * @param followerMappingVersion  the leader's mapping version of the last op the shard applied
 * @param followerSettingsVersion the leader's settings version the follower knows
 * @param followerAliasesVersion  1: a follower has no aliases, which stay at their first version
 * @param operationsRead          ops the shard's stream read (applied or skipped) since the node started
 * @param bytesRead               bytes of those ops' records
 * @param totalWriteTimeMillis    time spent applying them to Lucene
 * @param operationsWritten       ops applied (not skipped) since the node started
 * @param readExceptions          the retryable errors since the last successful read, oldest first
 * @param timeSinceLastReadMillis since the shard last read an op; null when it did not since the node started
 * @param fatalException          the error the follower failed with; null unless failed
 * @param consumerLagRecords      records of the partition after the shard's next offset, 0 once it holds the
 *                                partition's last op; null when the log cannot be read now
 * @param lagSeconds              seconds since the leader wrote the oldest op not applied yet, 0 when caught up;
 *                                null when the log cannot be read now
 * @param operationsSkippedDuplicate ops skipped as already applied (at or below the shard's seq_no)
 */
public record ShardFollowStats(String remoteCluster, String leaderIndex, String followerIndex, int shardId,
                               Long leaderGlobalCheckpoint, Long leaderMaxSeqNo, Long followerGlobalCheckpoint,
                               Long followerMaxSeqNo, Long lastRequestedSeqNo, Integer outstandingReadRequests,
                               Integer outstandingWriteRequests, Long writeBufferOperationCount,
                               Long writeBufferSizeInBytes, Long followerMappingVersion, Long followerSettingsVersion,
                               Long followerAliasesVersion, Long totalReadTimeMillis,
                               Long totalReadRemoteExecTimeMillis, Long successfulReadRequests,
                               Long failedReadRequests, Long operationsRead, Long bytesRead, Long totalWriteTimeMillis,
                               Long successfulWriteRequests, Long failedWriteRequests, Long operationsWritten,
                               List<ReadException> readExceptions, Long timeSinceLastReadMillis,
                               FatalError fatalException, Long consumerLagRecords, Double lagSeconds,
                               Long operationsSkippedDuplicate) {

    public ShardFollowStats {
        readExceptions = List.copyOf(readExceptions);
    }

    /**
     * A retryable error the shard's stream met since it last read an op.
     *
     * @param fromSeqNo the first seq_no the shard still needs
     * @param retries   how many errors came in a row when this one happened
     * @param reason    what went wrong (and, for access errors, which settings to check)
     */
    public record ReadException(long fromSeqNo, int retries, String reason) {
    }
}
