package io.kccr.core.cluster;

import java.util.Objects;

/**
 * A copy of a shard that a node holds, as it reports it when it joins a rebalance.
 *
 * @param shard       the shard
 * @param indexUuid   the uuid of the index the copy belongs to
 * @param role        primary, replica, or files on disk only
 * @param state       initializing or started ({@link CopyState#INITIALIZING} for a stored copy)
 * @param checkpoint  the highest seq_no the copy holds, -1 when none: the most caught-up copy is promoted
 * @param primaryTerm the primary term a primary copy writes with (0 otherwise): of two nodes that both claim the
 *                    primary, the one with the higher term took it over last
 */
public record HeldCopy(ShardId shard, String indexUuid, CopyRole role, CopyState state, long checkpoint,
                       long primaryTerm) {
    public HeldCopy {
        Objects.requireNonNull(shard, "shard");
        Objects.requireNonNull(indexUuid, "indexUuid");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(state, "state");
    }

    public boolean started() {
        return state == CopyState.STARTED;
    }
}
