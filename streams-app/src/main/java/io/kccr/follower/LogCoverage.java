package io.kccr.follower;

import io.kccr.follower.apply.FollowerFailure;
import io.kccr.follower.apply.FollowerShard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Invariant 7, checked before a follower streams: the leader's log must still hold every op each
 * shard has not applied, and must not end before what a shard has applied. Retention may have deleted records a shard no longer needs (ops it holds,
 * its last transaction's marker): such a shard moves its next offset to the log's start, so that
 * Streams never restores from an offset that is gone (an out-of-range restore marks the task
 * corrupted and retries it forever).
 */
final class LogCoverage {
    private LogCoverage() {
    }

    /** @return the failure of the first shard whose ops are gone from the log; null when none */
    static FollowerFailure check(LeaderProgress progress, List<FollowerShard> shards, String follower, String topic) {
        Map<Integer, LeaderProgress.End> ends =
                progress.refresh(shards.stream().map(FollowerShard::shardId).toList());
        for (FollowerShard shard : shards) {
            LeaderProgress.End end = ends.get(shard.shardId());
            if (shard.nextOffset() > end.endOffset()) {
                return truncated(follower, topic, shard.shardId(), shard.maxSeqNo(), shard.nextOffset(), end);
            }
            if (shard.nextOffset() >= end.beginningOffset()) {
                continue;
            }
            if (historyLost(progress, shard.shardId(), shard.maxSeqNo(), shard.nextOffset(), end)) {
                return lost(follower, topic, shard.shardId(), shard.maxSeqNo(), shard.nextOffset(), end);
            }
            shard.advanceTo(end.beginningOffset());
            try {
                shard.commit();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return null;
    }

    /**
     * Whether the log still holds the leader's whole history, from its first op: what a rebuild of an
     * empty follower replays. Checked before the follower's shards are wiped.
     *
     * @return the failure of the first partition that lost ops; null when none did
     */
    static FollowerFailure checkFromStart(LeaderProgress progress, ShardSubset shards, String follower,
                                          String topic) {
        Map<Integer, LeaderProgress.End> ends = progress.refresh(shards.ids());
        for (int shard : shards.ids()) {
            LeaderProgress.End end = ends.get(shard);
            if (end.beginningOffset() > 0 && historyLost(progress, shard, -1, 0, end)) {
                return lost(follower, topic, shard, -1, 0, end);
            }
        }
        return null;
    }

    /** The log ends before the shard's position: it lost ops the leader had acknowledged (and the follower applied). */
    private static FollowerFailure truncated(String follower, String topic, int shard, long maxSeqNo, long nextOffset,
                                             LeaderProgress.End end) {
        return new FollowerFailure("illegal_state_exception", "history lost: shard [" + shard + "] of follower ["
                + follower + "] has applied the leader's ops up to seq_no [" + maxSeqNo + "] (offset [" + nextOffset
                + "]) but [" + topic + "] partition [" + shard + "] now ends at offset [" + end.endOffset() + "]: the"
                + " leader's log lost acknowledged ops (a broker's data lost, the topic recreated, an unclean leader"
                + " election). This follower may hold writes its leader no longer has: check the leader, then"
                + " re-bootstrap (POST /" + follower + "/_ccr/rebootstrap) or unfollow it to keep its documents");
    }

    private static FollowerFailure lost(String follower, String topic, int shard, long maxSeqNo, long nextOffset,
                                        LeaderProgress.End end) {
        return new FollowerFailure("illegal_state_exception", "history lost: shard [" + shard + "] of follower ["
                + follower + "] needs the leader's ops from seq_no [" + (maxSeqNo + 1) + "] at offset [" + nextOffset
                + "] of [" + topic + "] partition [" + shard + "] but the topic now starts at offset ["
                + end.beginningOffset() + "] (retention deleted the ops in between). The follower must be"
                + " re-bootstrapped from the leader: POST /" + follower + "/_ccr/rebootstrap");
    }

    /**
     * Whether ops the shard has not applied are gone from the log, which starts past the shard's next offset. Not
     * when the first op left is the shard's next seq_no or an earlier one (a partition's seq_nos are contiguous in
     * offset order), nor when no op is left and only one record is gone: the leader writes in transactions, so the
     * record after the shard's last op is its commit marker, never a committed op of its own (that would be followed
     * by a marker too). Anything else (the log holds no op to tell, or a later one) counts as lost.
     */
    private static boolean historyLost(LeaderProgress progress, int shard, long maxSeqNo, long nextOffset,
                                       LeaderProgress.End end) {
        long firstSeqNo = progress.firstSeqNo(shard, end.beginningOffset(), end.endOffset());
        if (firstSeqNo >= 0) {
            return firstSeqNo > maxSeqNo + 1;
        }
        return end.beginningOffset() > nextOffset + 1;
    }
}
