package io.kccr.core.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where the copies of one shard go.
 *
 * @param shard            the shard
 * @param primary          the node id of the primary, null when unassigned (no node can take it)
 * @param replicas         node ids of the replicas, at most {@code index.number_of_replicas}, none of them the primary
 * @param relocationTarget the node a primary is moving to, null when none: it warms a copy from the log first, and
 *                         becomes the primary in the rebalance after its copy started (the primary is shown
 *                         {@code RELOCATING}, the target {@code INITIALIZING}, as Elasticsearch shows a relocation)
 */
public record ShardPlacement(ShardId shard, String primary, List<String> replicas, String relocationTarget) {
    public ShardPlacement {
        Objects.requireNonNull(shard, "shard");
        replicas = List.copyOf(replicas);
    }

    /** Whether {@code nodeId} holds any copy of the shard (primary, replica or relocation target). */
    public boolean hasCopyOn(String nodeId) {
        return nodeId.equals(primary) || replicas.contains(nodeId) || nodeId.equals(relocationTarget);
    }

    /** The role {@code nodeId} has here: primary, replica (a relocation target warms a replica), or null. */
    public CopyRole roleOf(String nodeId) {
        if (nodeId.equals(primary)) {
            return CopyRole.PRIMARY;
        }
        return replicas.contains(nodeId) || nodeId.equals(relocationTarget) ? CopyRole.REPLICA : null;
    }

    /** Every node holding a copy: the primary first, then the replicas, then the relocation target. */
    public List<String> copies() {
        List<String> out = new ArrayList<>();
        if (primary != null) {
            out.add(primary);
        }
        out.addAll(replicas);
        if (relocationTarget != null) {
            out.add(relocationTarget);
        }
        return out;
    }
}
