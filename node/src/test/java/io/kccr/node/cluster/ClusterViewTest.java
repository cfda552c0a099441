package io.kccr.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.kccr.core.cluster.NodeInfo;
import io.kccr.core.cluster.RoutingTable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterViewTest {
    private static final NodeInfo N1 = new NodeInfo("id1", "n1", "e1", "http://127.0.0.1:1", 0);
    private static final NodeInfo N2 = new NodeInfo("id2", "n2", "e2", "http://127.0.0.1:2", 0);
    private static final RoutingTable TABLE = new RoutingTable(1, List.of(N1, N2), List.of(), List.of(), List.of());

    private static NodeStatus status(String id, NodeStatus.Copy... followerCopies) {
        return new NodeStatus(id, List.of(), 0, 0, 0, 0, -1, -1, List.of(), List.of(followerCopies));
    }

    @Test
    void aFollowerIndexsCopiesAreListedWhereTheNodesReportThemItsPrimaryOnce() {
        Map<String, NodeStatus> statuses = Map.of(
                "id1", status("id1", new NodeStatus.Copy("f", 0, true, true, 15, 100, 14),
                        new NodeStatus.Copy("g", 0, false, false, 0, 0, -1)),
                // n2 briefly hosts f as well (the later record wins): f's primary is listed once, n1's
                "id2", status("id2", new NodeStatus.Copy("f", 0, true, true, 12, 90, 11),
                        new NodeStatus.Copy("g", 0, true, true, 3, 30, 2)));

        List<ClusterView.ShardRow> rows = ClusterView.rows(TABLE, statuses);

        assertThat(rows).containsExactlyInAnyOrder(
                new ClusterView.ShardRow("f", 0, true, ClusterView.State.STARTED, N1, 15, 100, null),
                new ClusterView.ShardRow("g", 0, false, ClusterView.State.INITIALIZING, N1, 0, 0, null),
                new ClusterView.ShardRow("g", 0, true, ClusterView.State.STARTED, N2, 3, 30, null));
        Health health = Health.of(rows, 2, 0);
        assertThat(health.status()).as("a replica still copying").isEqualTo("yellow");
        assertThat(health.activePrimaries()).isEqualTo(2);
    }

    @Test
    void theFollowerIndicesOfANodeThatDoesNotAnswerAreNotListed() {
        Map<String, NodeStatus> statuses = Map.of("id1", status("id1", new NodeStatus.Copy("f", 0, true, true, 1, 1,
                0)));
        assertThat(ClusterView.rows(TABLE, statuses)).extracting(ClusterView.ShardRow::index).containsExactly("f");
    }
}
