package io.kccr.core.cluster;

import java.util.Objects;

/**
 * A node of the cluster as its peers see it: what a coordinating node needs to reach it and to tell one start of it
 * from the next.
 *
 * @param id          the node's id, made on its first start and kept in its data path: the same node after a restart
 * @param name        {@code node.name}
 * @param ephemeralId new at every start of the process: two group members with one {@code id} are two starts of one
 *                    node, and the later one ({@link #startedAt}) is the live one
 * @param httpAddress {@code http://host:port} its REST API is reached at by the other nodes
 * @param startedAt   epoch millis of this start
 */
public record NodeInfo(String id, String name, String ephemeralId, String httpAddress, long startedAt) {
    public NodeInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(ephemeralId, "ephemeralId");
        Objects.requireNonNull(httpAddress, "httpAddress");
    }
}
