package io.kccr.node.autofollow;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * What the auto-follower has done since the node started: Elasticsearch's {@code auto_follow_stats} of
 * {@code GET /_ccr/stats}, which is this record serialized with Jackson.
 *
 * @param numberOfFailedFollowIndices              follow attempts that failed (each retried next round)
 * @param numberOfFailedRemoteClusterStateRequests reads of a remote's index list that failed
 * @param numberOfSuccessfulFollowIndices          followers created
 * @param recentAutoFollowErrors                   the latest error per leader index (or pattern, for a failed read),
 *                                                 oldest first, bounded
 * @param autoFollowedClusters                     the remotes the active patterns read
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AutoFollowStats(long numberOfFailedFollowIndices, long numberOfFailedRemoteClusterStateRequests,
                              long numberOfSuccessfulFollowIndices, List<Error> recentAutoFollowErrors,
                              List<FollowedCluster> autoFollowedClusters) {

    public AutoFollowStats {
        recentAutoFollowErrors = List.copyOf(recentAutoFollowErrors);
        autoFollowedClusters = List.copyOf(autoFollowedClusters);
    }

    /**
     * One recent error.
     *
     * @param leaderIndex the leader index that could not be followed, or the pattern whose remote could not be read
     * @param timestamp   when it happened, epoch millis
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Error(String leaderIndex, long timestamp, Cause autoFollowException) {
    }

    /** What went wrong: Elasticsearch's error type and the reason. */
    public record Cause(String type, String reason) {
    }

    /**
     * A remote the auto-follower reads.
     *
     * @param lastSeenMetadataVersion grows by one each time the remote's list of indices was seen to change
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record FollowedCluster(String clusterName, long timeSinceLastCheckMillis, long lastSeenMetadataVersion) {
    }
}
