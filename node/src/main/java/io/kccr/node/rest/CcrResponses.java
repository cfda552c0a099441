package io.kccr.node.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.kccr.follower.FollowerInfo;
import io.kccr.follower.FollowerStatus;
import io.kccr.node.autofollow.AutoFollowStats;
import java.util.List;
import java.util.Map;

/** The bodies of the cross-cluster replication APIs that are no stats: records serialized with Jackson. */
final class CcrResponses {
    private CcrResponses() {
    }

    /** {@code PUT /<follower>/_ccr/follow}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Follow(boolean followIndexCreated, boolean followIndexShardsAcked, boolean indexFollowingStarted) {
    }

    /** {@code POST /<index>/_close}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Close(boolean acknowledged, boolean shardsAcknowledged, Map<String, Closed> indices) {
        static Close of(String index) {
            return new Close(true, true, Map.of(index, new Closed(true)));
        }

        /** Nothing to close: every index named was closed already. */
        static Close none() {
            return new Close(true, false, Map.of());
        }
    }

    /** One index of {@link Close}. */
    record Closed(boolean closed) {
    }

    /** {@code POST /<index>/_open}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Open(boolean acknowledged, boolean shardsAcknowledged) {
    }

    /** {@code GET /<index>/_ccr/info}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Info(List<FollowerIndexInfo> followerIndices) {
        static Info of(List<FollowerInfo> followers) {
            return new Info(followers.stream().map(FollowerIndexInfo::of).toList());
        }
    }

    /**
     * One follower in {@link Info}, as Elasticsearch shows it, plus ours. {@code status} is one of Elasticsearch's
     * two values, which is all its clients accept: {@code active} while the follower follows or is stopped by an
     * error (as an Elasticsearch follow task with a fatal error still exists), {@code paused} when it was paused or
     * has no streaming of its leader's ops yet (bootstrapping or rebuilding, as Elasticsearch shows a follower during
     * its remote recovery). {@code detailed_status} is ours: {@code bootstrapping}, {@code rebuilding},
     * {@code active}, {@code paused} or {@code failed}. {@code parameters} are left out when paused by the user
     * (Elasticsearch leaves them out when paused); ours too: {@code fatal_exception} as one line, and the progress of
     * a copy or of a rebuild while one runs.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record FollowerIndexInfo(String followerIndex, String remoteCluster, String leaderIndex, String status,
                             FollowerStatus detailedStatus, Map<String, Object> parameters, String fatalException,
                             BytesProgress bootstrap, OperationsProgress rebuild) {
        static FollowerIndexInfo of(FollowerInfo f) {
            FollowerInfo.Progress copy = f.bootstrap();
            FollowerInfo.Progress replay = f.rebuild();
            return new FollowerIndexInfo(f.followerIndex(), f.remoteCluster(), f.leaderIndex(),
                    elasticsearchStatus(f.status()), f.status(),
                    f.status() == FollowerStatus.PAUSED ? null : f.parameters().toJson(),
                    f.fatalError() == null ? null : f.fatalError().describe(),
                    copy == null ? null : new BytesProgress(copy.total(), copy.done(), copy.percent()),
                    replay == null ? null : new OperationsProgress(replay.total(), replay.done(), replay.percent()));
        }
    }

    /** What Elasticsearch's follow info would show for a follower in {@code status}: active or paused. */
    static String elasticsearchStatus(FollowerStatus status) {
        return switch (status) {
            case ACTIVE, FAILED -> "active";
            case PAUSED, BOOTSTRAPPING, REBUILDING -> "paused";
        };
    }

    /** Bytes of the leader's files in place, of all to copy. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record BytesProgress(long bytesTotal, long bytesDone, double percent) {
    }

    /** Log offsets replayed, of all to replay. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record OperationsProgress(long operationsTotal, long operationsDone, double percent) {
    }

    /** {@code GET /_ccr/stats}: the auto-follower's and every follower's. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CcrStats(AutoFollowStats autoFollowStats, FollowStatsResponse followStats) {
    }
}
