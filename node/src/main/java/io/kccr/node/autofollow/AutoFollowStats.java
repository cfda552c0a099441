package io.kccr.node.autofollow;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What the auto-follower has done since the node started: Elasticsearch's {@code auto_follow_stats} of
 * {@code GET /_ccr/stats}, which is this record serialized with Jackson (in a cluster, every node's {@link #plus}).
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
     * These stats and {@code other}'s together, as of a cluster whose nodes each ran the patterns for a while: the
     * counts added, the errors of both, and each remote once, as last checked.
     */
    public AutoFollowStats plus(AutoFollowStats other) {
        List<Error> errors = new ArrayList<>(recentAutoFollowErrors);
        errors.addAll(other.recentAutoFollowErrors);
        errors.sort(Comparator.comparingLong(Error::timestamp));
        Map<String, FollowedCluster> clusters = new TreeMap<>();
        Stream.concat(autoFollowedClusters.stream(), other.autoFollowedClusters.stream()).forEach(c ->
                clusters.merge(c.clusterName(), c, (a, b) ->
                        a.timeSinceLastCheckMillis() <= b.timeSinceLastCheckMillis() ? a : b));
        return new AutoFollowStats(numberOfFailedFollowIndices + other.numberOfFailedFollowIndices,
                numberOfFailedRemoteClusterStateRequests + other.numberOfFailedRemoteClusterStateRequests,
                numberOfSuccessfulFollowIndices + other.numberOfSuccessfulFollowIndices, errors,
                List.copyOf(clusters.values()));
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
