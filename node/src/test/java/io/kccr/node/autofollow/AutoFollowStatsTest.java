package io.kccr.node.autofollow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AutoFollowStatsTest {
    @Test
    void theStatsOfTwoNodesAddTheirCountsAndKeepEachRemoteOnceAsLastChecked() {
        AutoFollowStats lost = new AutoFollowStats(1, 2, 3,
                List.of(error("logs-2", 200)), List.of(new AutoFollowStats.FollowedCluster("leader", 9_000, 4)));
        AutoFollowStats runner = new AutoFollowStats(10, 20, 30,
                List.of(error("logs-1", 100)), List.of(new AutoFollowStats.FollowedCluster("leader", 500, 6),
                new AutoFollowStats.FollowedCluster("other", 700, 1)));

        AutoFollowStats both = lost.plus(runner);

        assertThat(both.numberOfFailedFollowIndices()).isEqualTo(11);
        assertThat(both.numberOfFailedRemoteClusterStateRequests()).isEqualTo(22);
        assertThat(both.numberOfSuccessfulFollowIndices()).isEqualTo(33);
        assertThat(both.recentAutoFollowErrors()).extracting(AutoFollowStats.Error::leaderIndex)
                .containsExactly("logs-1", "logs-2"); // oldest first
        assertThat(both.autoFollowedClusters()).containsExactly(new AutoFollowStats.FollowedCluster("leader", 500, 6),
                new AutoFollowStats.FollowedCluster("other", 700, 1));
    }

    private static AutoFollowStats.Error error(String index, long at) {
        return new AutoFollowStats.Error(index, at, new AutoFollowStats.Cause("exception", "failed"));
    }
}
