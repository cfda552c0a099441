package io.kccr.core.cluster;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The cluster's assignment: its nodes, its indices and where each shard's copies are. The group's leader computes
 * it ({@link ShardAllocator}) at each rebalance and every member receives all of it, so any node can route a
 * request to the node holding a shard. Immutable.
 *
 * @param version    counts the assignments the group made (the group's generation)
 * @param nodes      the nodes, by id
 * @param leaving    the ids of the nodes that are stopping and hand their shards over
 * @param indices    the indices allocated
 * @param placements one per shard of every index, in {@link ShardId} order
 * @param leader     the id of the node that computed this table (the group's leader), null when unknown: what
 *                   Elasticsearch's cluster APIs call the master
 */
public record RoutingTable(long version, List<NodeInfo> nodes, List<String> leaving, List<IndexLayout> indices,
                           List<ShardPlacement> placements, String leader) {

    public static final RoutingTable EMPTY = new RoutingTable(0, List.of(), List.of(), List.of(), List.of(), null);

    public RoutingTable(long version, List<NodeInfo> nodes, List<String> leaving, List<IndexLayout> indices,
                        List<ShardPlacement> placements) {
        this(version, nodes, leaving, indices, placements, null);
    }

    public RoutingTable {
        nodes = List.copyOf(nodes);
        leaving = List.copyOf(leaving);
        indices = List.copyOf(indices);
        placements = List.copyOf(placements);
    }

    /** The same table, computed by {@code leaderId}. */
    public RoutingTable withLeader(String leaderId) {
        return new RoutingTable(version, nodes, leaving, indices, placements, leaderId);
    }

    /** The same table under another version. */
    public RoutingTable withVersion(long newVersion) {
        return new RoutingTable(newVersion, nodes, leaving, indices, placements, leader);
    }

    public NodeInfo node(String id) {
        for (NodeInfo n : nodes) {
            if (n.id().equals(id)) {
                return n;
            }
        }
        return null;
    }

    public IndexLayout index(String name) {
        for (IndexLayout i : indices) {
            if (i.name().equals(name)) {
                return i;
            }
        }
        return null;
    }

    /** The placement of {@code shard}, or null when the table does not allocate it (yet). */
    public ShardPlacement placement(ShardId shard) {
        Objects.requireNonNull(shard, "shard");
        for (ShardPlacement p : placements) {
            if (p.shard().equals(shard)) {
                return p;
            }
        }
        return null;
    }

    /** The placements of {@code index}'s shards, in shard order; empty when the table does not allocate it. */
    public List<ShardPlacement> placements(String index) {
        return placements.stream().filter(p -> p.shard().index().equals(index)).toList();
    }

    /** The placements as a map, for repeated lookups. */
    public Map<ShardId, ShardPlacement> byShard() {
        return Collections.unmodifiableMap(placements.stream().collect(Collectors.toMap(ShardPlacement::shard,
                Function.identity(), (a, b) -> a, LinkedHashMap::new)));
    }

    /** The shards {@code nodeId} holds a copy of, with its role in each. */
    public Map<ShardId, CopyRole> rolesOf(String nodeId) {
        Map<ShardId, CopyRole> out = new LinkedHashMap<>();
        for (ShardPlacement p : placements) {
            CopyRole role = p.roleOf(nodeId);
            if (role != null) {
                out.put(p.shard(), role);
            }
        }
        return out;
    }
}
