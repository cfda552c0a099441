package io.kccr.core.cluster;

import java.util.List;
import java.util.Objects;

/**
 * What a node tells the cluster each time it joins a rebalance (the subscription's user data of its group member):
 * who it is, whether it is leaving, the copies it holds, and the indices it knows of.
 *
 * @param node            the node
 * @param clusterName     its {@code cluster.name}: a node of another name on the same group is refused
 * @param leaving         true while the node stops gracefully: its primaries move away before it leaves the group
 * @param copies          the copies it holds
 * @param indicesPosition how far it has read the cluster's {@code <prefix>.indices} topic (the next offset): the
 *                        member that read furthest knows the cluster's indices best
 * @param indices         the indices it knows of, as of {@code indicesPosition}
 */
public record MemberReport(NodeInfo node, String clusterName, boolean leaving, List<HeldCopy> copies,
                           long indicesPosition, List<IndexLayout> indices) {
    public MemberReport {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(clusterName, "clusterName");
        copies = List.copyOf(copies);
        indices = List.copyOf(indices);
    }

    public String nodeId() {
        return node.id();
    }
}
