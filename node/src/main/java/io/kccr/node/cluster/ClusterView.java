package io.kccr.node.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kccr.core.cluster.IndexLayout;
import io.kccr.core.cluster.NodeInfo;
import io.kccr.core.cluster.RoutingTable;
import io.kccr.core.cluster.ShardId;
import io.kccr.core.cluster.ShardPlacement;
import io.kccr.leader.IndexCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The cluster as its APIs show it ({@code _cluster/health}, {@code _cat/shards}, {@code _cat/nodes}, {@code _nodes},
 * {@code _cat/indices}): the routing table's placements, each copy's state as the node holding it reports it now
 * (a node that does not answer holds nothing active), the replicas the table could not place, and the copies of
 * follower indices the nodes report. Thread-safe.
 */
public final class ClusterView {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    /** Where each node reports its {@link NodeStatus}. */
    public static final String STATUS_PATH = "/_kccr/node/status";
    /** The action a caller of {@link #STATUS_PATH} must be allowed: the nodes of the cluster, as each other. */
    public static final String STATUS_ACTION = "cluster:internal/kccr/node/status";
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(2);

    /** A shard copy's state, as Elasticsearch's {@code _cat/shards} names it. */
    public enum State { STARTED, INITIALIZING, RELOCATING, UNASSIGNED }

    /**
     * One row of {@code _cat/shards}.
     *
     * @param node       the node's name, null when unassigned
     * @param relocating the name of the node a relocating primary moves to, else null
     */
    public record ShardRow(String index, int shard, boolean primary, State state, NodeInfo node, long docs,
                           long bytes, String relocating) {
        public boolean active() {
            return state == State.STARTED || state == State.RELOCATING;
        }
    }

    /** What was seen: the table, the nodes that answered with their status, and the rows. */
    public record Snapshot(RoutingTable table, Map<String, NodeStatus> statuses, List<ShardRow> rows) {
        /** The rows of {@code index}, or of every index when null. */
        public List<ShardRow> rows(String index) {
            return index == null ? rows : rows.stream().filter(r -> r.index().equals(index)).toList();
        }
    }

    /** How long the follower indices the nodes reported are trusted before they are asked again. */
    private static final long HOSTS_MAX_AGE_NANOS = Duration.ofSeconds(1).toNanos();

    /** The follower indices each node reported, and when they were asked. */
    private record FollowerHosts(Map<String, NodeInfo> byName, long askedAt) {
    }

    private final ClusterService cluster;
    private final IndexCatalog catalog;
    private final PeerClient peers;
    private final Supplier<Collection<String>> localFollowers;
    private final Supplier<List<NodeStatus.Copy>> followerCopies;
    private volatile FollowerHosts followerHosts = new FollowerHosts(Map.of(), Long.MIN_VALUE / 2);

    /**
     * @param localFollowers the follower indices this node hosts
     * @param followerCopies the copies of follower index shards this node holds ({@link NodeStatus#followerCopies})
     */
    public ClusterView(ClusterService cluster, IndexCatalog catalog, PeerClient peers,
                       Supplier<Collection<String>> localFollowers, Supplier<List<NodeStatus.Copy>> followerCopies) {
        this.cluster = cluster;
        this.catalog = catalog;
        this.peers = peers;
        this.localFollowers = localFollowers;
        this.followerCopies = followerCopies;
    }

    /** This node's status. */
    public NodeStatus local() {
        return NodeStatus.of(cluster, catalog, localFollowers.get(), followerCopies.get());
    }

    /**
     * The node that hosts follower index {@code name}, as the nodes last reported, at the address the cluster has for
     * it now (asked again when the report is over a second old and does not name it, or names a node no longer in
     * the cluster); null when no node reported it.
     */
    public NodeInfo followerHost(String name) throws InterruptedException {
        FollowerHosts known = followerHosts;
        NodeInfo host = known.byName().get(name);
        // as the table has that node now (a node that restarted listens elsewhere); none once it left
        NodeInfo current = host == null ? null : cluster.table().node(host.id());
        if (current != null || System.nanoTime() - known.askedAt() < HOSTS_MAX_AGE_NANOS) {
            return current;
        }
        long askedAt = System.nanoTime();
        RoutingTable table = cluster.table();
        Map<String, NodeInfo> byName = new HashMap<>();
        snapshot().statuses().forEach((nodeId, status) -> {
            NodeInfo node = table.node(nodeId);
            if (node != null) {
                status.followers().forEach(f -> byName.put(f, node));
            }
        });
        followerHosts = new FollowerHosts(Map.copyOf(byName), askedAt);
        return byName.get(name);
    }

    /** This node's status as it answers at {@link #STATUS_PATH} (the wire form {@link #snapshot} reads). */
    public byte[] localJson() throws java.io.IOException {
        return JSON.writeValueAsBytes(local());
    }

    /** Asks every node for its status (at once, two seconds at most) and lays the table's placements over it. */
    public Snapshot snapshot() throws InterruptedException {
        RoutingTable table = cluster.table();
        Map<String, NodeStatus> statuses = new HashMap<>();
        // a node that does not answer: nothing of it counts as active
        FanOut.ask(table.nodes(), this::status, (n, e) -> { }).forEach((n, status) -> statuses.put(n.id(), status));
        return new Snapshot(table, statuses, rows(table, statuses));
    }

    private NodeStatus status(NodeInfo node) throws Exception {
        if (node.id().equals(cluster.nodeId())) {
            return local();
        }
        PeerClient.Response r = peers.sendAsNode(node.httpAddress(), "GET", STATUS_PATH, Map.of(), null, ASK_TIMEOUT);
        if (r.status() != 200) {
            throw new IllegalStateException("node [" + node.name() + "] answered " + r.status());
        }
        return JSON.readValue(r.body(), NodeStatus.class);
    }

    /**
     * The rows of the leader indices' copies the table places, then those of the follower indices' copies the nodes
     * report (a follower index is placed by {@code FollowerPlacement}, not by the table): each copy once, a follower
     * index two nodes briefly both host by the first in the table's order of the nodes.
     */
    static List<ShardRow> rows(RoutingTable table, Map<String, NodeStatus> statuses) {
        List<ShardRow> rows = leaderRows(table, statuses);
        java.util.Set<String> primaries = new java.util.HashSet<>();
        for (NodeInfo node : table.nodes()) {
            NodeStatus status = statuses.get(node.id());
            if (status == null) {
                continue; // it does not answer: the follower indices it hosts are not listed
            }
            for (NodeStatus.Copy c : status.followerCopies()) {
                if (c.primary() && !primaries.add(c.index() + "/" + c.shard())) {
                    continue;
                }
                rows.add(new ShardRow(c.index(), c.shard(), c.primary(), c.started() ? State.STARTED
                        : State.INITIALIZING, node, c.docs(), c.bytes(), null));
            }
        }
        return rows;
    }

    private static List<ShardRow> leaderRows(RoutingTable table, Map<String, NodeStatus> statuses) {
        Map<String, Map<ShardId, NodeStatus.Copy>> held = new HashMap<>();
        statuses.forEach((id, s) -> {
            Map<ShardId, NodeStatus.Copy> copies = new HashMap<>();
            s.copies().forEach(c -> copies.put(c.shardId(), c));
            held.put(id, copies);
        });
        List<ShardRow> rows = new ArrayList<>();
        for (IndexLayout index : table.indices()) {
            for (ShardPlacement p : table.placements(index.name())) {
                ShardId shard = p.shard();
                NodeInfo target = p.relocationTarget() == null ? null : table.node(p.relocationTarget());
                rows.add(row(table, held, shard, p.primary(), true, target));
                for (String r : p.replicas()) {
                    rows.add(row(table, held, shard, r, false, null));
                }
                // a node alone holds every copy there can be, and the log holds the data: as before there were
                // clusters, its indices are green; from two nodes on, a replica the table could not place counts
                int wanted = table.nodes().size() <= 1 ? 0 : index.replicas();
                for (int missing = p.replicas().size(); missing < wanted; missing++) {
                    rows.add(new ShardRow(shard.index(), shard.shard(), false, State.UNASSIGNED, null, 0, 0, null));
                }
                if (target != null) { // the copy warming up to take the primary over, as Elasticsearch shows it
                    ShardRow t = row(table, held, shard, target.id(), true, null);
                    rows.add(new ShardRow(t.index(), t.shard(), true, State.INITIALIZING, t.node(), t.docs(),
                            t.bytes(), null));
                }
            }
        }
        return rows;
    }

    private static ShardRow row(RoutingTable table, Map<String, Map<ShardId, NodeStatus.Copy>> held, ShardId shard,
                                String nodeId, boolean primary, NodeInfo relocatingTo) {
        NodeInfo node = nodeId == null ? null : table.node(nodeId);
        Map<ShardId, NodeStatus.Copy> copies = nodeId == null ? null : held.get(nodeId);
        if (node == null || copies == null) {
            return new ShardRow(shard.index(), shard.shard(), primary, State.UNASSIGNED, null, 0, 0, null);
        }
        NodeStatus.Copy c = copies.get(shard);
        if (c == null || c.primary() != primary || !c.started()) {
            return new ShardRow(shard.index(), shard.shard(), primary, State.INITIALIZING, node,
                    c == null ? 0 : c.docs(), c == null ? 0 : c.bytes(), null);
        }
        State state = relocatingTo != null ? State.RELOCATING : State.STARTED;
        return new ShardRow(shard.index(), shard.shard(), primary, state, node, c.docs(), c.bytes(),
                relocatingTo == null ? null : relocatingTo.name());
    }
}
