package io.kccr.core.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Decides where every shard's copies go, from what the members report and the previous assignment: a pure
 * function, run by the group's leader at each rebalance. The same input always gives the same table.
 *
 * <p>The rules, in order, for each shard:
 * <ol>
 *   <li><b>Primary, sticky.</b> A node that reports the primary keeps it (of two claims, the higher primary term
 *       wins: it took the shard over last); else the previous table's primary keeps it if it is the same start of
 *       that node. A primary on a leaving node goes to a started replica at once, or stays until a relocation
 *       target has warmed a copy.</li>
 *   <li><b>Orphans</b> (the primary's node left or restarted): the copy with the highest checkpoint on a node that
 *       is not leaving is promoted (a started replica: a takeover without replay), else the least loaded node
 *       restores the shard from its log.</li>
 *   <li><b>Relocations complete</b> when the target reports its copy started: the target becomes primary, the old
 *       primary a replica if the index wants one there.</li>
 *   <li><b>Replicas, sticky</b>: kept where they are or were assigned, up to {@code number_of_replicas}, on nodes
 *       other than the primary's; the rest go to the nodes with the fewest copies, those holding files of the shard
 *       first. Fewer nodes than copies leave replicas unassigned (health yellow).</li>
 *   <li><b>Balance</b>: while one node has two primaries more than another, a primary moves: at once to a started
 *       replica on the less loaded node, else through a relocation target that first warms a copy from the log (at
 *       most {@link Settings#maxConcurrentRelocations} at a time), so that a move never leaves a shard without its
 *       primary for longer than a promotion takes.</li>
 * </ol>
 * Thread-safe (stateless).
 */
public final class ShardAllocator {

    /**
     * @param maxConcurrentRelocations how many primaries may be moving for balance at a time (Elasticsearch's
     *                                 {@code cluster.routing.allocation.cluster_concurrent_rebalance}, 2); moves away
     *                                 from a leaving node are not limited
     */
    public record Settings(int maxConcurrentRelocations) {
        public static final Settings DEFAULT = new Settings(2);
    }

    private ShardAllocator() {
    }

    /**
     * The assignment for {@code reports} (one per group member; several members of one node id are several starts of
     * it, and the latest counts), given the previous assignment.
     */
    public static RoutingTable allocate(List<MemberReport> reports, RoutingTable previous, long version,
                                        Settings settings) {
        Objects.requireNonNull(previous, "previous");
        Round round = new Round(latestPerNode(reports), previous);
        List<ShardPlacement> placements = new ArrayList<>();
        for (IndexLayout index : round.indices) {
            for (int s = 0; s < index.shards(); s++) {
                placements.add(round.place(index, index.shard(s)));
            }
        }
        round.balance(placements, settings);
        List<NodeInfo> nodes = round.members.values().stream().map(MemberReport::node).toList();
        List<String> leaving = round.members.values().stream().filter(MemberReport::leaving)
                .map(MemberReport::nodeId).toList();
        return new RoutingTable(version, nodes, leaving, round.indices, placements);
    }

    /** One report per node id: the latest start of each node. */
    private static Map<String, MemberReport> latestPerNode(List<MemberReport> reports) {
        Map<String, MemberReport> out = new TreeMap<>();
        for (MemberReport r : reports) {
            out.merge(r.nodeId(), r, (a, b) -> later(a.node(), b.node()) ? a : b);
        }
        return out;
    }

    private static boolean later(NodeInfo a, NodeInfo b) {
        if (a.startedAt() != b.startedAt()) {
            return a.startedAt() > b.startedAt();
        }
        return a.ephemeralId().compareTo(b.ephemeralId()) > 0;
    }

    /** The state of one allocation: members, their copies, and the load given out so far. */
    private static final class Round {
        final Map<String, MemberReport> members;
        final RoutingTable previous;
        final Map<ShardId, ShardPlacement> before;
        final List<IndexLayout> indices;
        final Map<String, Map<ShardId, HeldCopy>> held = new HashMap<>();
        final Map<String, Integer> primaries = new HashMap<>();
        final Map<String, Integer> copies = new HashMap<>();
        final List<String> eligible = new ArrayList<>();

        Round(Map<String, MemberReport> members, RoutingTable previous) {
            this.members = members;
            this.previous = previous;
            this.before = previous.byShard();
            this.indices = knownIndices(members.values());
            Map<String, String> uuids = new HashMap<>();
            indices.forEach(i -> uuids.put(i.name(), i.uuid()));
            for (MemberReport m : members.values()) {
                Map<ShardId, HeldCopy> mine = new HashMap<>();
                for (HeldCopy c : m.copies()) {
                    if (c.indexUuid().equals(uuids.get(c.shard().index()))) {
                        mine.put(c.shard(), c);
                    }
                }
                held.put(m.nodeId(), mine);
                primaries.put(m.nodeId(), 0);
                copies.put(m.nodeId(), 0);
                if (!m.leaving()) {
                    eligible.add(m.nodeId());
                }
            }
        }

        /** The indices as the member that read the indices topic furthest knows them. */
        private static List<IndexLayout> knownIndices(Iterable<MemberReport> members) {
            MemberReport best = null;
            for (MemberReport m : members) {
                if (best == null || m.indicesPosition() > best.indicesPosition()) {
                    best = m;
                }
            }
            if (best == null) {
                return List.of();
            }
            return best.indices().stream().sorted(Comparator.comparing(IndexLayout::name)).toList();
        }

        HeldCopy copy(String node, ShardId shard) {
            Map<ShardId, HeldCopy> mine = held.get(node);
            return mine == null ? null : mine.get(shard);
        }

        boolean startedReplica(String node, ShardId shard) {
            HeldCopy c = copy(node, shard);
            return c != null && c.role() == CopyRole.REPLICA && c.started();
        }

        long checkpoint(String node, ShardId shard) {
            HeldCopy c = copy(node, shard);
            return c == null ? Long.MIN_VALUE : c.checkpoint();
        }

        boolean leaving(String node) {
            return members.get(node).leaving();
        }

        /** Whether {@code node} is a member now, in the same start the previous table knew. */
        boolean sameStart(String node) {
            MemberReport m = members.get(node);
            NodeInfo known = previous.node(node);
            return m != null && (known == null || known.ephemeralId().equals(m.node().ephemeralId()));
        }

        ShardPlacement place(IndexLayout index, ShardId shard) {
            ShardPlacement was = before.get(shard);
            String primary = claimedPrimary(shard);
            if (primary == null && was != null && was.primary() != null && sameStart(was.primary())) {
                primary = was.primary();
            }
            String former = null;
            if (primary != null && leaving(primary)) {
                String replica = best(shard, this::startedReplica);
                if (replica != null) {
                    former = primary;
                    primary = replica;
                }
            }
            if (primary == null) {
                primary = best(shard, (n, s) -> startedReplica(n, s));
                if (primary == null) {
                    primary = best(shard, (n, s) -> copy(n, s) != null);
                }
                if (primary == null) {
                    primary = leastLoaded(shard, null, primaries);
                }
            }
            String target = was == null ? null : was.relocationTarget();
            if (target != null && (!eligible.contains(target) || target.equals(primary) || primary == null)) {
                target = null;
            }
            if (target != null && startedReplica(target, shard)) {
                former = primary;
                primary = target;
                target = null;
            }
            if (primary != null && target == null && leaving(primary)) {
                target = leastLoaded(shard, primary, primaries); // warm a copy elsewhere before the node leaves
            }
            List<String> replicas = replicas(index, shard, was, primary, target, former);
            if (primary != null) {
                primaries.merge(primary, 1, Integer::sum);
                copies.merge(primary, 1, Integer::sum);
            }
            replicas.forEach(r -> copies.merge(r, 1, Integer::sum));
            if (target != null) {
                copies.merge(target, 1, Integer::sum);
            }
            return new ShardPlacement(shard, primary, replicas, target);
        }

        /** The node that reports the primary with the highest term (started before initializing), or null. */
        private String claimedPrimary(ShardId shard) {
            String best = null;
            HeldCopy bestCopy = null;
            for (String node : members.keySet()) {
                HeldCopy c = copy(node, shard);
                if (c == null || c.role() != CopyRole.PRIMARY) {
                    continue;
                }
                if (bestCopy == null || c.primaryTerm() > bestCopy.primaryTerm()
                        || (c.primaryTerm() == bestCopy.primaryTerm() && c.started() && !bestCopy.started())) {
                    best = node;
                    bestCopy = c;
                }
            }
            return best;
        }

        /** Of the eligible nodes passing {@code test}, the one with the highest checkpoint, then the least loaded. */
        private String best(ShardId shard, java.util.function.BiPredicate<String, ShardId> test) {
            String best = null;
            for (String node : eligible) {
                if (!test.test(node, shard)) {
                    continue;
                }
                if (best == null || checkpoint(node, shard) > checkpoint(best, shard)
                        || (checkpoint(node, shard) == checkpoint(best, shard)
                        && primaries.get(node) < primaries.get(best))) {
                    best = node;
                }
            }
            return best;
        }

        /** The eligible node other than {@code except} with the fewest of {@code load}, then copies, then by id. */
        private String leastLoaded(ShardId shard, String except, Map<String, Integer> load) {
            String best = null;
            for (String node : eligible) {
                if (node.equals(except)) {
                    continue;
                }
                if (best == null || load.get(node) < load.get(best)
                        || (load.get(node).equals(load.get(best)) && copies.get(node) < copies.get(best))) {
                    best = node;
                }
            }
            return best;
        }

        private List<String> replicas(IndexLayout index, ShardId shard, ShardPlacement was, String primary,
                                      String target, String former) {
            LinkedHashMap<String, Boolean> candidates = new LinkedHashMap<>(); // kept in order of preference
            for (String node : eligible) {
                HeldCopy c = copy(node, shard);
                if (c != null && c.role() == CopyRole.REPLICA && c.started()) {
                    candidates.put(node, true);
                }
            }
            if (was != null) {
                was.replicas().forEach(r -> candidates.putIfAbsent(r, true));
            }
            for (String node : eligible) {
                HeldCopy c = copy(node, shard);
                if (c != null && c.role() == CopyRole.REPLICA) {
                    candidates.putIfAbsent(node, true);
                }
            }
            if (former != null) {
                candidates.putIfAbsent(former, true);
            }
            List<String> out = new ArrayList<>();
            for (String node : candidates.keySet()) {
                if (out.size() < index.replicas() && eligible.contains(node) && !node.equals(primary)
                        && !node.equals(target)) {
                    out.add(node);
                }
            }
            while (out.size() < index.replicas()) {
                String next = null;
                for (String node : eligible) {
                    if (node.equals(primary) || node.equals(target) || out.contains(node)) {
                        continue;
                    }
                    if (next == null || better(node, next, shard)) {
                        next = node;
                    }
                }
                if (next == null) {
                    break; // fewer nodes than copies: the rest stay unassigned
                }
                out.add(next);
            }
            return out;
        }

        /** For a new replica: a node with files of the shard first, then the fewest copies, then by id. */
        private boolean better(String a, String b, ShardId shard) {
            boolean filesA = copy(a, shard) != null;
            boolean filesB = copy(b, shard) != null;
            if (filesA != filesB) {
                return filesA;
            }
            return copies.get(a) < copies.get(b);
        }

        /** Moves primaries from the most to the least loaded eligible nodes until they differ by one at most. */
        void balance(List<ShardPlacement> placements, Settings settings) {
            if (eligible.size() < 2) {
                return;
            }
            Map<String, Integer> effective = new HashMap<>();
            eligible.forEach(n -> effective.put(n, 0));
            int moving = 0;
            for (ShardPlacement p : placements) {
                String owner = p.relocationTarget() != null ? p.relocationTarget() : p.primary();
                if (owner != null && effective.containsKey(owner)) {
                    effective.merge(owner, 1, Integer::sum);
                }
                if (p.relocationTarget() != null && p.primary() != null && !leaving(p.primary())) {
                    moving++;
                }
            }
            while (moving < settings.maxConcurrentRelocations()) {
                String most = null;
                String least = null;
                for (String n : eligible) {
                    if (most == null || effective.get(n) > effective.get(most)) {
                        most = n;
                    }
                    if (least == null || effective.get(n) < effective.get(least)) {
                        least = n;
                    }
                }
                if (effective.get(most) - effective.get(least) <= 1) {
                    return;
                }
                int pick = pickToMove(placements, most, least);
                if (pick < 0) {
                    return;
                }
                ShardPlacement p = placements.get(pick);
                if (startedReplica(least, p.shard()) && p.replicas().contains(least)) {
                    List<String> replicas = new ArrayList<>(p.replicas());
                    replicas.set(replicas.indexOf(least), most); // the roles swap: a promotion, no copy to warm
                    placements.set(pick, new ShardPlacement(p.shard(), least, replicas, null));
                } else {
                    List<String> replicas = new ArrayList<>(p.replicas());
                    replicas.remove(least);
                    placements.set(pick, new ShardPlacement(p.shard(), most, replicas, least));
                    moving++;
                }
                effective.merge(most, -1, Integer::sum);
                effective.merge(least, 1, Integer::sum);
            }
        }

        /** A primary of {@code from} not moving yet, one with a started replica on {@code to} first. */
        private int pickToMove(List<ShardPlacement> placements, String from, String to) {
            int fallback = -1;
            for (int i = 0; i < placements.size(); i++) {
                ShardPlacement p = placements.get(i);
                if (!from.equals(p.primary()) || p.relocationTarget() != null) {
                    continue;
                }
                if (startedReplica(to, p.shard()) && p.replicas().contains(to)) {
                    return i;
                }
                if (fallback < 0) {
                    fallback = i;
                }
            }
            return fallback;
        }
    }
}
