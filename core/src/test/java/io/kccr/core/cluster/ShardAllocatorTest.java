package io.kccr.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShardAllocatorTest {
    private static final IndexLayout LOGS = new IndexLayout("logs", "u-logs", 3, 1);
    private static final ShardAllocator.Settings SETTINGS = ShardAllocator.Settings.DEFAULT;

    /** A member report under construction. */
    private static final class Member {
        final String id;
        String ephemeral;
        long startedAt = 1;
        boolean leaving;
        final List<HeldCopy> copies = new ArrayList<>();
        List<IndexLayout> indices = List.of(LOGS);
        long position = 1;

        Member(String id) {
            this.id = id;
            this.ephemeral = id + "-e1";
        }

        Member holds(int shard, CopyRole role, CopyState state, long checkpoint, long term) {
            copies.add(new HeldCopy(new ShardId("logs", shard), "u-logs", role, state, checkpoint, term));
            return this;
        }

        Member primary(int shard, long term) {
            return holds(shard, CopyRole.PRIMARY, CopyState.STARTED, 10, term);
        }

        Member replica(int shard, long checkpoint) {
            return holds(shard, CopyRole.REPLICA, CopyState.STARTED, checkpoint, 0);
        }

        MemberReport report() {
            return new MemberReport(new NodeInfo(id, "name-" + id, ephemeral, "http://" + id + ":9200", startedAt),
                    "kccr", leaving, copies, position, indices);
        }
    }

    private static RoutingTable allocate(RoutingTable previous, Member... members) {
        List<MemberReport> reports = new ArrayList<>();
        for (Member m : members) {
            reports.add(m.report());
        }
        return ShardAllocator.allocate(reports, previous, previous.version() + 1, SETTINGS);
    }

    /** Reports of the nodes as they would be once they applied {@code table}, every copy started. */
    private static Member[] applied(RoutingTable table, String... ids) {
        Member[] out = new Member[ids.length];
        for (int i = 0; i < ids.length; i++) {
            Member m = new Member(ids[i]);
            for (ShardPlacement p : table.placements()) {
                CopyRole role = p.roleOf(ids[i]);
                if (role == CopyRole.PRIMARY) {
                    m.primary(p.shard().shard(), 1);
                } else if (role == CopyRole.REPLICA) {
                    m.replica(p.shard().shard(), 10);
                }
            }
            out[i] = m;
        }
        return out;
    }

    private static Map<String, Integer> primaryCounts(RoutingTable table) {
        Map<String, Integer> counts = new HashMap<>();
        table.placements().forEach(p -> counts.merge(p.primary(), 1, Integer::sum));
        return counts;
    }

    @Test
    void aNewIndexSpreadsItsPrimariesAndPutsEachReplicaOnAnotherNode() {
        RoutingTable table = allocate(RoutingTable.EMPTY, new Member("a"), new Member("b"), new Member("c"));

        assertThat(table.placements()).hasSize(3);
        assertThat(primaryCounts(table)).containsOnlyKeys("a", "b", "c").containsValues(1, 1, 1);
        for (ShardPlacement p : table.placements()) {
            assertThat(p.replicas()).hasSize(1).doesNotContain(p.primary());
            assertThat(p.relocationTarget()).isNull();
        }
        assertThat(table.nodes()).extracting(NodeInfo::id).containsExactly("a", "b", "c");
    }

    @Test
    void theSameInputGivesTheSameTableAndAnAppliedTableStaysAsItIs() {
        RoutingTable first = allocate(RoutingTable.EMPTY, new Member("a"), new Member("b"), new Member("c"));
        RoutingTable again = allocate(RoutingTable.EMPTY, new Member("c"), new Member("a"), new Member("b"));
        assertThat(again.placements()).isEqualTo(first.placements());

        RoutingTable next = allocate(first, applied(first, "a", "b", "c"));
        assertThat(next.placements()).isEqualTo(first.placements());
        assertThat(next.version()).isEqualTo(first.version() + 1);
    }

    @Test
    void aLostPrimaryGoesToTheStartedReplicaWithTheHighestCheckpoint() {
        IndexLayout twoReplicas = new IndexLayout("logs", "u-logs", 1, 2);
        Member a = new Member("a").primary(0, 3);
        Member b = new Member("b").replica(0, 40);
        Member c = new Member("c").replica(0, 42);
        for (Member m : List.of(a, b, c)) {
            m.indices = List.of(twoReplicas);
        }
        RoutingTable before = allocate(RoutingTable.EMPTY, a, b, c);
        assertThat(before.placements().getFirst().primary()).isEqualTo("a");

        RoutingTable after = allocate(before, b, c); // a is gone
        ShardPlacement p = after.placements().getFirst();
        assertThat(p.primary()).isEqualTo("c");
        assertThat(p.replicas()).containsExactly("b"); // one replica short: two nodes left
    }

    @Test
    void withoutReplicasALostPrimaryGoesToANodeWithFilesOfTheShardElseToTheLeastLoaded() {
        IndexLayout noReplicas = new IndexLayout("logs", "u-logs", 2, 0);
        Member a = new Member("a").primary(0, 1).primary(1, 1);
        Member b = new Member("b");
        Member c = new Member("c").holds(1, CopyRole.STORED, CopyState.INITIALIZING, 5, 0);
        for (Member m : List.of(a, b, c)) {
            m.indices = List.of(noReplicas);
        }
        RoutingTable before = allocate(RoutingTable.EMPTY, a, b, c);
        RoutingTable after = allocate(before, b, c);

        assertThat(after.placement(new ShardId("logs", 1)).primary()).isEqualTo("c");
        assertThat(after.placement(new ShardId("logs", 0)).primary()).isEqualTo("b");
    }

    @Test
    void ofTwoNodesClaimingThePrimaryTheOneWithTheHigherTermKeepsIt() {
        // a was paused, b took the shard over with a newer term; a comes back still claiming it
        Member a = new Member("a").primary(0, 4);
        Member b = new Member("b").primary(0, 5);
        RoutingTable table = allocate(RoutingTable.EMPTY, a, b);
        ShardPlacement p = table.placement(new ShardId("logs", 0));
        assertThat(p.primary()).isEqualTo("b");
        assertThat(p.replicas()).containsExactly("a");
    }

    @Test
    void aRestartedNodeDoesNotKeepAPrimaryItNoLongerHoldsWhenAStartedReplicaExists() {
        RoutingTable before = allocate(RoutingTable.EMPTY, new Member("a"), new Member("b"));
        Member[] now = applied(before, "a", "b");
        ShardId shard = new ShardId("logs", 0);
        String primary = before.placement(shard).primary();
        String other = primary.equals("a") ? "b" : "a";
        Member restarted = new Member(primary);
        restarted.ephemeral = primary + "-e2";
        restarted.startedAt = 2;
        restarted.holds(0, CopyRole.STORED, CopyState.INITIALIZING, 10, 0);
        Member survivor = now[primary.equals("a") ? 1 : 0];

        RoutingTable after = allocate(before, restarted, survivor);
        assertThat(after.placement(shard).primary()).isEqualTo(other);
        // the restarted node holds a copy again (a replica, or the target of a move back for balance)
        assertThat(after.placement(shard).hasCopyOn(primary)).isTrue();
        assertThat(after.node(primary).ephemeralId()).isEqualTo(primary + "-e2");
    }

    @Test
    void twoStartsOfOneNodeCountOnceTheLaterOne() {
        Member old = new Member("a");
        Member fresh = new Member("a");
        fresh.ephemeral = "a-e2";
        fresh.startedAt = 5;
        RoutingTable table = allocate(RoutingTable.EMPTY, fresh, old, new Member("b"));
        assertThat(table.nodes()).extracting(NodeInfo::ephemeralId).containsExactly("a-e2", "b-e1");
    }

    @Test
    void aJoiningNodeGetsPrimariesThroughWarmedRelocationsAtMostTwoAtATime() {
        IndexLayout six = new IndexLayout("logs", "u-logs", 6, 0);
        Member a = new Member("a");
        a.indices = List.of(six);
        RoutingTable alone = allocate(RoutingTable.EMPTY, a);
        assertThat(primaryCounts(alone)).containsEntry("a", 6);

        Member[] applied = applied(alone, "a");
        Member b = new Member("b");
        b.indices = List.of(six);
        applied[0].indices = List.of(six);
        RoutingTable joined = allocate(alone, applied[0], b);
        assertThat(primaryCounts(joined)).containsEntry("a", 6); // nothing moved yet: b warms copies first
        List<ShardPlacement> moving = joined.placements().stream().filter(p -> p.relocationTarget() != null).toList();
        assertThat(moving).hasSize(2).allSatisfy(p -> assertThat(p.relocationTarget()).isEqualTo("b"));

        // b reports the warmed copies started: they become its primaries, the next two start warming
        Member a2 = applied(alone, "a")[0];
        a2.indices = List.of(six);
        Member b2 = new Member("b");
        b2.indices = List.of(six);
        moving.forEach(p -> b2.replica(p.shard().shard(), 10));
        RoutingTable next = allocate(joined, a2, b2);
        assertThat(primaryCounts(next)).containsEntry("a", 4).containsEntry("b", 2);
        assertThat(next.placements().stream().filter(p -> p.relocationTarget() != null)).hasSize(1);
    }

    @Test
    void aLeavingNodeHandsItsPrimariesToStartedReplicasAtOnceAndWarmsTheOthersFirst() {
        Member a = new Member("a").primary(0, 1).primary(1, 1);
        Member b = new Member("b").replica(0, 10);
        a.leaving = true;
        IndexLayout two = new IndexLayout("logs", "u-logs", 2, 1);
        a.indices = List.of(two);
        b.indices = List.of(two);
        RoutingTable table = allocate(RoutingTable.EMPTY, a, b);

        ShardPlacement zero = table.placement(new ShardId("logs", 0));
        assertThat(zero.primary()).isEqualTo("b");
        assertThat(zero.replicas()).isEmpty(); // a leaves: no replica may stay there
        ShardPlacement one = table.placement(new ShardId("logs", 1));
        assertThat(one.primary()).isEqualTo("a");
        assertThat(one.relocationTarget()).isEqualTo("b");
        assertThat(table.leaving()).containsExactly("a");

        b.replica(1, 10);
        RoutingTable next = allocate(table, a, b);
        assertThat(next.placement(new ShardId("logs", 1)).primary()).isEqualTo("b");
        assertThat(next.rolesOf("a")).isEmpty();
    }

    @Test
    void aSingleNodeHoldsEveryPrimaryAndNoReplica() {
        RoutingTable table = allocate(RoutingTable.EMPTY, new Member("a"));
        assertThat(table.placements()).allSatisfy(p -> {
            assertThat(p.primary()).isEqualTo("a");
            assertThat(p.replicas()).isEmpty();
        });
    }

    @Test
    void theIndicesAreThoseOfTheMemberThatReadTheIndicesTopicFurthest() {
        IndexLayout created = new IndexLayout("metrics", "u-m", 1, 0);
        Member behind = new Member("a");
        Member ahead = new Member("b");
        ahead.indices = List.of(LOGS, created);
        ahead.position = 2;
        RoutingTable table = allocate(RoutingTable.EMPTY, behind, ahead);
        assertThat(table.indices()).extracting(IndexLayout::name).containsExactly("logs", "metrics");
        assertThat(table.placement(new ShardId("metrics", 0)).primary()).isNotNull();
    }

    @Test
    void copiesOfAnotherIncarnationOfTheIndexAreIgnored() {
        Member a = new Member("a");
        a.copies.add(new HeldCopy(new ShardId("logs", 0), "u-old", CopyRole.PRIMARY, CopyState.STARTED, 99, 9));
        Member b = new Member("b");
        RoutingTable table = allocate(RoutingTable.EMPTY, a, b);
        // placed as for a new index: shard 0 to the least loaded node in order, a
        assertThat(primaryCounts(table).values()).containsOnly(1, 2);
    }
}
