package io.kccr.node.autofollow;

import java.util.List;

/**
 * What the auto-follower has done since the node started ({@code auto_follow_stats} of {@code GET /_ccr/stats}).
 *
 * @param failedFollowIndices              follow attempts that failed (each retried next round)
 * @param failedRemoteClusterStateRequests reads of a remote's index list that failed
 * @param successfulFollowIndices          followers created
 * @param recentErrors                     the latest error per leader index (or pattern, for a failed read), oldest
 *                                         first, bounded
 * @param clusters                         the remotes the active patterns read
 */
public record AutoFollowStats(long failedFollowIndices, long failedRemoteClusterStateRequests,
                              long successfulFollowIndices, List<Error> recentErrors, List<FollowedCluster> clusters) {

    /**
     * One recent error.
     *
     * @param leaderIndex the leader index that could not be followed, or the pattern whose remote could not be read
     */
    public record Error(String leaderIndex, long timestampMillis, String type, String reason) {
    }

    /**
     * A remote the auto-follower reads.
     *
     * @param lastSeenMetadataVersion grows by one each time the remote's list of indices was seen to change
     */
    public record FollowedCluster(String clusterName, long timeSinceLastCheckMillis, long lastSeenMetadataVersion) {
    }
}
