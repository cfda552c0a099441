package io.kccr.node.security;

import java.util.ArrayList;
import java.util.List;

/**
 * What a set of roles allows: a cluster action, or an index action on one index. An API key's permission is its own
 * roles limited by its creator's ({@link #limitedBy}): both must allow. Immutable and thread-safe.
 */
public final class Permission {
    /** One group: index privileges on index name patterns. */
    private record IndexGroup(List<String> patterns, List<Privileges.Privilege> privileges) {
        boolean grants(String action, String index) {
            return patterns.stream().anyMatch(p -> Privileges.matches(p, index))
                    && privileges.stream().anyMatch(p -> p.grants(action));
        }
    }

    private final List<Privileges.Privilege> cluster;
    private final List<IndexGroup> indices;
    private final Permission limit;

    private Permission(List<Privileges.Privilege> cluster, List<IndexGroup> indices, Permission limit) {
        this.cluster = cluster;
        this.indices = indices;
        this.limit = limit;
    }

    /** The union of {@code roles}. */
    public static Permission of(List<RoleDescriptor> roles) {
        List<Privileges.Privilege> cluster = new ArrayList<>();
        List<IndexGroup> indices = new ArrayList<>();
        for (RoleDescriptor role : roles) {
            role.cluster().forEach(name -> cluster.add(Privileges.CLUSTER.get(name)));
            for (RoleDescriptor.IndicesPrivileges group : role.indices()) {
                indices.add(new IndexGroup(group.names(), group.privileges().stream()
                        .map(Privileges.INDEX::get).toList()));
            }
        }
        cluster.removeIf(java.util.Objects::isNull); // a privilege name of a newer version: grants nothing here
        return new Permission(List.copyOf(cluster), List.copyOf(indices), null);
    }

    /** A cross-cluster API key's: the leader side of replication of the indices {@code names} matches. */
    static Permission crossClusterReplication(List<String> names) {
        return new Permission(List.of(Privileges.CROSS_CLUSTER_CLUSTER),
                List.of(new IndexGroup(names, List.of(Privileges.CROSS_CLUSTER_REPLICATION))), null);
    }

    /** This permission, allowing only what {@code limit} allows too. */
    public Permission limitedBy(Permission limit) {
        return new Permission(cluster, indices, this.limit == null ? limit : this.limit.limitedBy(limit));
    }

    /** Whether cluster action {@code action} is allowed. */
    public boolean grantsCluster(String action) {
        return cluster.stream().anyMatch(p -> p.grants(action)) && (limit == null || limit.grantsCluster(action));
    }

    /** Whether cluster privilege {@code name} is held in full (every action it grants is allowed). */
    public boolean holdsCluster(String name) {
        Privileges.Privilege wanted = Privileges.CLUSTER.get(name);
        boolean own = cluster.stream().anyMatch(p -> p.name().equals(name) || covers(p, wanted));
        return own && (limit == null || limit.holdsCluster(name));
    }

    private static boolean covers(Privileges.Privilege holder, Privileges.Privilege wanted) {
        return holder.excluded().isEmpty() && wanted.patterns().stream().allMatch(w -> holder.patterns().stream()
                .anyMatch(h -> Privileges.matches(h, w)));
    }

    /** Whether index action {@code action} is allowed on index {@code index}. */
    public boolean grantsIndex(String action, String index) {
        return indices.stream().anyMatch(g -> g.grants(action, index)) && (limit == null
                || limit.grantsIndex(action, index));
    }

    /** Whether index privilege {@code name} is held in full on {@code index}. */
    public boolean holdsIndex(String name, String index) {
        Privileges.Privilege wanted = Privileges.INDEX.get(name);
        boolean own = indices.stream().anyMatch(g -> g.patterns().stream().anyMatch(p -> Privileges.matches(p, index))
                && g.privileges().stream().anyMatch(p -> p.name().equals(name) || covers(p, wanted)));
        return own && (limit == null || limit.holdsIndex(name, index));
    }
}
