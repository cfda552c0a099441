package io.kccr.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RendezvousTest {
    private static final List<String> NODES = List.of("n1", "n2", "n3");

    @Test
    void everyMemberOrderPicksTheSameMember() {
        for (int i = 0; i < 100; i++) {
            String key = "follower-" + i;
            assertThat(Rendezvous.pick(key, List.of("n3", "n1", "n2"))).isEqualTo(Rendezvous.pick(key, NODES));
        }
    }

    @Test
    void onlyTheKeysOfAMemberThatGoesMoveAndTheyMoveToTheOthers() {
        Map<String, String> before = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            before.put("f" + i, Rendezvous.pick("f" + i, NODES));
        }
        assertThat(before.values()).as("spread over every node").contains("n1", "n2", "n3");
        List<String> survivors = new ArrayList<>(List.of("n1", "n3"));
        before.forEach((key, node) -> {
            String after = Rendezvous.pick(key, survivors);
            if (node.equals("n2")) {
                assertThat(after).isIn("n1", "n3");
            } else {
                assertThat(after).as(key).isEqualTo(node);
            }
        });
    }

    @Test
    void theRankStartsWithThePickAndTheSecondIsThePickOnceTheFirstIsGone() {
        for (int i = 0; i < 100; i++) {
            String key = "f" + i;
            List<String> ranked = Rendezvous.rank(key, NODES);
            assertThat(ranked).containsExactlyInAnyOrderElementsOf(NODES);
            assertThat(ranked.getFirst()).isEqualTo(Rendezvous.pick(key, NODES));
            List<String> rest = new ArrayList<>(NODES);
            rest.remove(ranked.getFirst());
            assertThat(Rendezvous.pick(key, rest)).isEqualTo(ranked.get(1));
        }
    }

    @Test
    void noMemberNoPick() {
        assertThat(Rendezvous.pick("f", List.of())).isNull();
    }
}
