package io.kccr.node.follow;

import io.kccr.core.cluster.Rendezvous;
import io.kccr.follower.FollowerStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which follower indices of a cluster of nodes are to move, and where: off the nodes that are leaving (stopping
 * gracefully), and from the node holding the most copies of follower indices to the one holding the fewest while they
 * differ by two or more (a node that joined takes its share), as Elasticsearch's balancer moves shards. A copy counts
 * on its host and on each of its replicas' nodes ({@link FollowerReplicas#nodes}). Only following (active)
 * follower indices move to even out; off a leaving node every one moves. At most {@code max} moves at a time, the same
 * on every node that reads the same record and the same nodes: a move stays in the plan until the node it goes to took
 * it over, which changes the record. Stateless.
 */
final class FollowerBalance {
    /** Follower indices that move at once in the cluster, as Elasticsearch's {@code cluster_concurrent_rebalance}. */
    static final int CONCURRENT_MOVES = 2;

    /** Follower index {@code name} is to move from node {@code from} to node {@code to}. */
    record Move(String name, String from, String to) {
    }

    private FollowerBalance() {
    }

    /**
     * The moves that even out the follower indices {@code placed} over the nodes {@code live}, of which
     * {@code leaving} are stopping; at most {@code max}, in the order they are to be made.
     */
    static List<Move> moves(Collection<FollowerDirectory.Placed> placed, Set<String> live, Set<String> leaving,
                            int max) {
        List<String> targets = live.stream().filter(n -> !leaving.contains(n)).sorted().toList();
        Map<String, FollowerDirectory.Placed> byName = new TreeMap<>();
        Map<String, String> host = new TreeMap<>();
        index(placed, live, byName, host);
        List<Move> moves = new ArrayList<>();
        while (!targets.isEmpty() && moves.size() < max) {
            Move next = offLeaving(host, byName, live, leaving, targets);
            if (next == null) {
                next = evenOut(host, byName, live, targets);
            }
            if (next == null) {
                break;
            }
            moves.add(next);
            host.put(next.name(), next.to());
        }
        return moves;
    }

    /** The first follower index (by name) hosted on a leaving node, to the least loaded node staying. */
    private static Move offLeaving(Map<String, String> host, Map<String, FollowerDirectory.Placed> byName,
                                   Set<String> live, Set<String> leaving, List<String> targets) {
        for (Map.Entry<String, String> e : host.entrySet()) {
            if (leaving.contains(e.getValue())) {
                return new Move(e.getKey(), e.getValue(), least(e.getKey(), copies(host, byName, live), targets));
            }
        }
        return null;
    }

    /**
     * From the most loaded node staying, the first active follower index (by name) whose move to the least loaded one
     * evens the copies out (a lower sum of squares of the nodes' copies); null when none does or they differ by less
     * than two.
     */
    private static Move evenOut(Map<String, String> host, Map<String, FollowerDirectory.Placed> byName,
                                Set<String> live, List<String> targets) {
        Map<String, Integer> copies = copies(host, byName, live);
        String most = targets.getFirst();
        String fewest = targets.getFirst();
        for (String n : targets) {
            most = copies.get(n) > copies.get(most) ? n : most;
            fewest = copies.get(n) < copies.get(fewest) ? n : fewest;
        }
        if (copies.get(most) - copies.get(fewest) < 2) {
            return null;
        }
        long before = squares(copies, targets);
        for (Map.Entry<String, String> e : host.entrySet()) {
            String name = e.getKey();
            if (!e.getValue().equals(most) || byName.get(name).entry().status() != FollowerStatus.ACTIVE) {
                continue;
            }
            String to = least(name, copies, targets);
            Map<String, Integer> moved = new HashMap<>(copies);
            count(moved, name, most, byName, live, -1);
            count(moved, name, to, byName, live, 1);
            if (squares(moved, targets) < before) {
                return new Move(name, most, to);
            }
        }
        return null;
    }

    /** Of {@code targets}, the one holding the fewest copies; of several, the first {@code name} ranks. */
    private static String least(String name, Map<String, Integer> copies, List<String> targets) {
        return Rendezvous.pick(name, fewest(copies, targets));
    }

    /** Those of {@code nodes} holding the fewest copies. */
    static List<String> fewest(Map<String, Integer> copies, Collection<String> nodes) {
        int fewest = nodes.stream().mapToInt(copies::get).min().orElseThrow();
        return nodes.stream().filter(n -> copies.get(n) == fewest).toList();
    }

    /**
     * The copies of follower indices each of the nodes {@code live} holds: each of {@code placed} counts on its host
     * and its replicas' nodes; one whose host is not live counts nowhere.
     */
    static Map<String, Integer> copies(Collection<FollowerDirectory.Placed> placed, Set<String> live) {
        Map<String, FollowerDirectory.Placed> byName = new TreeMap<>();
        Map<String, String> host = new TreeMap<>();
        index(placed, live, byName, host);
        return copies(host, byName, live);
    }

    private static void index(Collection<FollowerDirectory.Placed> placed, Set<String> live,
                              Map<String, FollowerDirectory.Placed> byName, Map<String, String> host) {
        for (FollowerDirectory.Placed p : placed) {
            if (live.contains(p.node())) {
                byName.put(p.entry().followerIndex(), p);
                host.put(p.entry().followerIndex(), p.node());
            }
        }
    }

    /** The copies each live node holds, with the follower indices hosted as {@code host} says. */
    private static Map<String, Integer> copies(Map<String, String> host, Map<String, FollowerDirectory.Placed> byName,
                                               Set<String> live) {
        Map<String, Integer> copies = new HashMap<>();
        live.forEach(n -> copies.put(n, 0));
        host.forEach((name, node) -> count(copies, name, node, byName, live, 1));
        return copies;
    }

    /** Adds {@code sign} to the copies of follower index {@code name} hosted on {@code node}, and on its replicas'. */
    private static void count(Map<String, Integer> copies, String name, String node,
                              Map<String, FollowerDirectory.Placed> byName, Set<String> live, int sign) {
        copies.merge(node, sign, Integer::sum);
        FollowerReplicas.nodes(name, node, live, FollowerReplicas.count(byName.get(name).entry()))
                .forEach(n -> copies.merge(n, sign, Integer::sum));
    }

    private static long squares(Map<String, Integer> copies, List<String> targets) {
        return targets.stream().mapToLong(n -> (long) copies.get(n) * copies.get(n)).sum();
    }
}
