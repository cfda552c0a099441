package io.kccr.core.verify;

import java.util.List;

/**
 * How one follower shard compares with its leader shard, up to a checkpoint.
 *
 * @param shard             the shard number
 * @param checkpoint        documents written at or below this seq_no were compared
 * @param leaderMaxSeqNo    the highest seq_no the leader shard had applied when its reader was opened
 * @param followerMaxSeqNo  the same of the follower shard
 * @param leaderDocs        live documents the leader shard holds (all of them, compared or not)
 * @param followerDocs      live documents the follower shard holds
 * @param matched           documents alike on both sides: same id, seq_no and source hash
 * @param missing           documents at or below the checkpoint the leader holds and the follower lacks
 * @param extra             documents at or below the checkpoint the follower holds and the leader lacks
 * @param different         documents both hold with another seq_no or source
 * @param beyondCheckpoint  ids not compared because one side wrote them above the checkpoint
 * @param firstDifferences  the first differences of each type, in id order (at most the limit asked for, per type)
 */
public record ShardReport(int shard, long checkpoint, long leaderMaxSeqNo, long followerMaxSeqNo, long leaderDocs,
                          long followerDocs, long matched, long missing, long extra, long different,
                          long beyondCheckpoint, List<Difference> firstDifferences) {

    public ShardReport {
        firstDifferences = List.copyOf(firstDifferences);
    }

    /** True when no document differs. */
    public boolean identical() {
        return missing == 0 && extra == 0 && different == 0;
    }
}
