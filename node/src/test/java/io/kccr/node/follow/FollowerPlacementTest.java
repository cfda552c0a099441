package io.kccr.node.follow;

import static org.assertj.core.api.Assertions.assertThat;

import io.kccr.core.cluster.Rendezvous;
import io.kccr.follower.FollowParameters;
import io.kccr.follower.FollowerStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Where a new follower index goes in a cluster of nodes: to one holding the fewest copies of follower indices. */
class FollowerPlacementTest {
    private static final Set<String> NODES = Set.of("a", "b", "c");

    @Test
    void aNewFollowerIndexGoesToTheNodeHoldingTheFewestCopies() {
        List<FollowerDirectory.Placed> placed = List.of(placed("x", "a", 0), placed("y", "b", 0));
        assertThat(FollowerPlacement.leastLoaded("z", "a", NODES, placed)).isEqualTo("c");
    }

    @Test
    void replicasCountOnTheirNodes() {
        // "x" on a with a replica on each other node: b and c hold one copy each, as a does
        List<FollowerDirectory.Placed> placed = new ArrayList<>(List.of(placed("x", "a", 2)));
        assertThat(FollowerPlacement.leastLoaded("z", "a", NODES, placed)).as("a tie: the node asked keeps it")
                .isEqualTo("a");
        placed.add(placed("y", "a", 0));
        assertThat(FollowerPlacement.leastLoaded("z", "a", NODES, placed)).as("a holds two now")
                .isEqualTo(Rendezvous.pick("z", List.of("b", "c")));
    }

    @Test
    void amongEquallyLoadedNodesTheNodeAskedKeepsItElseTheNameRanksThem() {
        assertThat(FollowerPlacement.leastLoaded("z", "b", NODES, List.of())).isEqualTo("b");
        List<FollowerDirectory.Placed> onB = List.of(placed("x", "b", 0));
        assertThat(FollowerPlacement.leastLoaded("z", "b", NODES, onB))
                .isEqualTo(Rendezvous.pick("z", List.of("a", "c")));
    }

    @Test
    void aFollowerIndexWhoseNodeLeftCountsNowhere() {
        List<FollowerDirectory.Placed> placed = List.of(placed("x", "gone", 1), placed("y", "a", 0),
                placed("w", "b", 0));
        assertThat(FollowerPlacement.leastLoaded("z", "a", NODES, placed)).isEqualTo("c");
    }

    @Test
    void manyNewFollowerIndicesSpreadEvenly() {
        List<FollowerDirectory.Placed> placed = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String name = "logs-" + i;
            placed.add(placed(name, FollowerPlacement.leastLoaded(name, "a", NODES, placed), 0));
        }
        for (String node : NODES) {
            assertThat(placed.stream().filter(p -> p.node().equals(node))).as(node).hasSize(10);
        }
    }

    @Test
    void thePartsOfASpreadFollowerIndexGoEachToANodeHoldingNoneOfItsPartsFirst() {
        // b holds two follower indices already: still, while a node holds no part, the next part goes to one
        List<FollowerDirectory.Placed> placed = List.of(placed("x", "b", 0), placed("y", "b", 0));
        List<String> three = FollowerPlacement.partNodes("cities", 3, "a", NODES, placed);
        assertThat(three).as("the node asked first").startsWith("a").containsExactlyInAnyOrder("a", "b", "c");
        // more parts than nodes: the rest by load, b last
        List<String> six = FollowerPlacement.partNodes("cities", 6, "a", NODES, placed);
        assertThat(six.subList(3, 6)).containsExactlyInAnyOrder("a", "c", "a").doesNotContain("b");
        assertThat(FollowerPlacement.partNodes("cities", 4, "a", Set.of("a", "b"), List.of()))
                .as("two each").containsExactly("a", "b", "a", "b");
        assertThat(FollowerPlacement.partNodes("cities", 2, "a", Set.of("a"), placed)).containsExactly("a", "a");
    }

    private static FollowerDirectory.Placed placed(String name, String node, int replicas) {
        return new FollowerDirectory.Placed(node, new FollowerStore.Entry(name, "leader", name, FollowerStatus.ACTIVE,
                null, FollowParameters.DEFAULTS, replicas == 0 ? Map.of()
                : Map.of("index.number_of_replicas", Integer.toString(replicas))));
    }
}
