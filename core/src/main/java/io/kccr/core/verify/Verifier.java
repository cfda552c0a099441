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
        long start = clock.millis();
        List<ShardReport> shards = new ArrayList<>();
        int count = 1;
        for (int shard = 0; shard < count; shard++) {
            try (DigestStream f = follower.open(shard, maxSeqNo)) {
                count = f.header().numberOfShards();
                long checkpoint = f.header().checkpoint();
                try (DigestStream l = leader.open(shard, checkpoint)) {
                    if (l.header().numberOfShards() != count) {
                        throw InvalidRequestException.illegalArgument("leader index [" + leaderIndex + "] has "
                                + l.header().numberOfShards() + " shards and follower index [" + followerIndex
                                + "] has " + count + ": it does not follow that leader index; check the index names");
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
