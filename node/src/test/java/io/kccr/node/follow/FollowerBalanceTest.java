package io.kccr.node.follow;

import static org.assertj.core.api.Assertions.assertThat;

import io.kccr.follower.FollowParameters;
import io.kccr.follower.FollowerStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which follower indices move, and where: off leaving nodes, and to even out the copies the nodes hold. */
class FollowerBalanceTest {
    private static final Set<String> AB = Set.of("a", "b");
    private static final Set<String> ABC = Set.of("a", "b", "c");

    @Test
    void aNodeThatJoinedTakesItsShareTwoAtATime() {
        List<FollowerDirectory.Placed> placed = new ArrayList<>();
        for (String name : List.of("w", "x", "y", "z")) {
            placed.add(placed(name, "a", 0, FollowerStatus.ACTIVE));
        }
        List<FollowerBalance.Move> moves = FollowerBalance.moves(placed, AB, Set.of(), 2);
        assertThat(moves).containsExactly(new FollowerBalance.Move("w", "a", "b"),
                new FollowerBalance.Move("x", "a", "b"));
        // the plan is the same until a move is made, and empty once both are
        assertThat(FollowerBalance.moves(placed, AB, Set.of(), 2)).isEqualTo(moves);
        assertThat(FollowerBalance.moves(apply(placed, moves), AB, Set.of(), 2)).isEmpty();
    }

    @Test
    void everyFollowerIndexOfALeavingNodeMovesWhateverItsStatus() {
        List<FollowerDirectory.Placed> placed = List.of(placed("x", "b", 0, FollowerStatus.PAUSED),
                placed("y", "b", 0, FollowerStatus.ACTIVE), placed("z", "a", 0, FollowerStatus.ACTIVE));
        List<FollowerBalance.Move> moves = FollowerBalance.moves(placed, ABC, Set.of("b"), 2);
        assertThat(moves).extracting(FollowerBalance.Move::name).containsExactly("x", "y");
        assertThat(moves).extracting(FollowerBalance.Move::to).doesNotContain("b");
        // x goes to c, which holds nothing; then a and c hold one each and y goes to either
        assertThat(moves.getFirst().to()).isEqualTo("c");
        assertThat(FollowerBalance.moves(apply(placed, moves), ABC, Set.of("b"), 2)).isEmpty();
    }

    @Test
    void nodesWithinOneCopyOfEachOtherAreBalancedAndReplicasCount() {
        // one node hosts two follower indices, the other a replica of one of them: 2 against 1
        List<FollowerDirectory.Placed> placed = List.of(placed("streamed", "a", 1, FollowerStatus.ACTIVE),
                placed("copied", "a", 0, FollowerStatus.ACTIVE));
        assertThat(FollowerBalance.moves(placed, AB, Set.of(), 2)).isEmpty();
        assertThat(FollowerBalance.copies(placed, AB)).isEqualTo(Map.of("a", 2, "b", 1));
    }

    @Test
    void pausedFollowerIndicesStayWhereTheyAreToEvenOut() {
        List<FollowerDirectory.Placed> placed = List.of(placed("x", "a", 0, FollowerStatus.PAUSED),
                placed("y", "a", 0, FollowerStatus.FAILED));
        assertThat(FollowerBalance.moves(placed, AB, Set.of(), 2)).isEmpty();
    }

    @Test
    void followerIndicesOfANodeThatLeftAreAdoptedNotMoved() {
        List<FollowerDirectory.Placed> placed = List.of(placed("x", "gone", 0, FollowerStatus.ACTIVE),
                placed("y", "gone", 0, FollowerStatus.ACTIVE));
        assertThat(FollowerBalance.moves(placed, AB, Set.of(), 2)).isEmpty();
    }

    @Test
    void movesMadeAsPlannedEndBalanced() {
        List<FollowerDirectory.Placed> placed = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            placed.add(placed("logs-" + i, "a", i % 5 == 0 ? 1 : 0, FollowerStatus.ACTIVE));
        }
        int rounds = 0;
        for (List<FollowerBalance.Move> moves = FollowerBalance.moves(placed, ABC, Set.of(), 2); !moves.isEmpty();
             moves = FollowerBalance.moves(placed, ABC, Set.of(), 2)) {
            placed = apply(placed, moves);
            rounds++;
            assertThat(rounds).as("the plan converges").isLessThan(25);
        }
        Map<String, Integer> copies = FollowerBalance.copies(placed, ABC);
        assertThat(copies.values().stream().mapToInt(Integer::intValue).max().orElseThrow()
                - copies.values().stream().mapToInt(Integer::intValue).min().orElseThrow()).isLessThanOrEqualTo(1);
    }

    private static List<FollowerDirectory.Placed> apply(List<FollowerDirectory.Placed> placed,
                                                       List<FollowerBalance.Move> moves) {
        List<FollowerDirectory.Placed> out = new ArrayList<>();
        for (FollowerDirectory.Placed p : placed) {
            String node = p.node();
            for (FollowerBalance.Move m : moves) {
                if (m.name().equals(p.entry().followerIndex())) {
                    assertThat(m.from()).isEqualTo(node);
                    node = m.to();
                }
            }
            out.add(new FollowerDirectory.Placed(node, p.entry()));
        }
        return out;
    }

    private static FollowerDirectory.Placed placed(String name, String node, int replicas, FollowerStatus status) {
        return new FollowerDirectory.Placed(node, new FollowerStore.Entry(name, "leader", name, status, null,
                FollowParameters.DEFAULTS, replicas == 0 ? Map.of()
                : Map.of("index.number_of_replicas", Integer.toString(replicas))));
    }
}
