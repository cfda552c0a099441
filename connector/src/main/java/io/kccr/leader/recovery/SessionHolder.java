package io.kccr.leader.recovery;

/**
 * The follower a restore session is opened for, as it names itself when it opens one: the identity of
 * Elasticsearch's CCR retention leases, which {@code POST /<leader>/_ccr/forget_follower} names to release what the
 * leader holds for that follower. Any part may be null when the follower did not say.
 *
 * @param followerCluster     the follower's cluster name
 * @param followerIndex       the follower index
 * @param followerIndexUuid   the follower index's uuid
 * @param leaderRemoteCluster the name the follower's cluster gives this (the leader's) cluster
 */
public record SessionHolder(String followerCluster, String followerIndex, String followerIndexUuid,
                            String leaderRemoteCluster) {

    /** A session opened without saying for whom (older followers, tools). */
    public static final SessionHolder UNKNOWN = new SessionHolder(null, null, null, null);
}
