package io.kccr.core.verify;

import io.kccr.core.error.KccrException;
import io.kccr.core.error.InvalidRequestException;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Compares a follower index with its leader index, one shard after the other. Per shard the follower's digest is
 * opened first: its checkpoint (the {@code max_seq_no} asked for, or what the follower shard applied) is then asked
 * of the leader, whose reader, opened later, holds every op up to it.
 */
public final class Verifier {
    private final DigestComparator comparator;
    private final Clock clock;

    public Verifier(DigestComparator comparator, Clock clock) {
        this.comparator = comparator;
        this.clock = clock;
    }

    /**
     * Compares every shard.
     *
     * @param maxSeqNo the checkpoint of every shard; null for each follower shard's applied seq_no
     * @throws IOException  when a digest cannot be read (e.g. a node is unreachable)
     * @throws KccrException when the two indices do not have the same number of shards
     */
    public VerifyReport verify(String leaderIndex, DigestSource leader, String followerIndex, DigestSource follower,
                               Long maxSeqNo) throws IOException {
        return verify(leaderIndex, leader, followerIndex, follower, maxSeqNo, (report, shards) -> { });
    }

    /** Progress of a verify: called after each shard with its report and the number of shards. */
    public interface ShardListener {
        void compared(ShardReport report, int shards);
    }

    /** As {@link #verify(String, DigestSource, String, DigestSource, Long)}, telling {@code listener} of each shard. */
    public VerifyReport verify(String leaderIndex, DigestSource leader, String followerIndex, DigestSource follower,
                               Long maxSeqNo, ShardListener listener) throws IOException {
        return verify(leaderIndex, leader, followerIndex, follower, maxSeqNo, null, listener);
    }

    /**
     * As {@link #verify(String, DigestSource, String, DigestSource, Long, ShardListener)}, over {@code only} of the
     * shards (null: every one): the shards a part of a follower index spread over nodes holds.
     */
    public VerifyReport verify(String leaderIndex, DigestSource leader, String followerIndex, DigestSource follower,
                               Long maxSeqNo, List<Integer> only, ShardListener listener) throws IOException {
        long start = clock.millis();
        List<ShardReport> shards = new ArrayList<>();
        int count = only == null ? 1 : only.size();
        for (int i = 0; i < count; i++) {
            int shard = only == null ? i : only.get(i);
            try (DigestStream f = follower.open(shard, maxSeqNo)) {
                count = only == null ? f.header().numberOfShards() : count;
                long checkpoint = f.header().checkpoint();
                try (DigestStream l = leader.open(shard, checkpoint)) {
                    if (l.header().numberOfShards() != f.header().numberOfShards()) {
                        throw InvalidRequestException.illegalArgument("leader index [" + leaderIndex + "] has "
                                + l.header().numberOfShards() + " shards and follower index [" + followerIndex
                                + "] has " + f.header().numberOfShards() + ": it does not follow that leader index;"
                                + " check the index names");
                    }
                    ShardReport report = comparator.compare(shard, checkpoint, l, f);
                    shards.add(report);
                    listener.compared(report, count);
                }
            }
        }
        return new VerifyReport(leaderIndex, followerIndex, shards, clock.millis() - start);
    }
}
