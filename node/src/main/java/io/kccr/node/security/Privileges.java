package io.kccr.node.security;

import io.kccr.core.error.InvalidRequestException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Elasticsearch's privilege names and the actions each grants. An action is named as in Elasticsearch
 * ({@code indices:data/read/search}, {@code cluster:admin/xpack/ccr/pause_follow}); a privilege is a set of
 * action patterns ({@code *} matches any run of characters) minus some excluded ones. Our own actions (restore
 * sessions, digests, rebuilds) are named in the same scheme, under the privilege Elasticsearch documents for the
 * API. Stateless.
 */
public final class Privileges {

    /** A named privilege: the actions its patterns match, minus those the exclusions match. */
    public record Privilege(String name, List<String> patterns, List<String> excluded) {
        /** Whether this privilege grants {@code action}. */
        public boolean grants(String action) {
            return patterns.stream().anyMatch(p -> matches(p, action)) && excluded.stream().noneMatch(p -> matches(p,
                    action));
        }
    }

    private static final String SECURITY = "cluster:admin/xpack/security/*";

    /** The cluster privileges, in Elasticsearch's order of documentation. */
    public static final Map<String, Privilege> CLUSTER = table(
            cluster("all", "cluster:*"),
            cluster("monitor", "cluster:monitor/*"),
            new Privilege("manage", List.of("cluster:*"), List.of(SECURITY)),
            cluster("manage_ccr", "cluster:admin/xpack/ccr/*", "cluster:monitor/state",
                    "cluster:admin/xpack/security/user/has_privileges"),
            cluster("read_ccr", "cluster:monitor/state", "cluster:admin/xpack/security/user/has_privileges"),
            cluster("manage_security", SECURITY),
            cluster("manage_api_key", "cluster:admin/xpack/security/api_key/*"),
            cluster("manage_own_api_key", "cluster:admin/xpack/security/api_key/*"));

    /** The index privileges, in Elasticsearch's order of documentation. */
    public static final Map<String, Privilege> INDEX = table(
            index("all", "indices:*"),
            index("read", "indices:data/read/*", "indices:admin/resolve/index"),
            index("view_index_metadata", "indices:admin/get", "indices:admin/mappings/get",
                    "indices:admin/resolve/index", "indices:monitor/settings/get"),
            index("write", "indices:data/write/*", "indices:admin/mapping/put"),
            index("index", "indices:data/write/index*", "indices:data/write/update*", "indices:data/write/bulk*",
                    "indices:admin/mapping/put"),
            index("create", "indices:data/write/index*", "indices:data/write/bulk*", "indices:admin/mapping/put"),
            index("create_doc", "indices:data/write/index:op_type/create", "indices:data/write/bulk*",
                    "indices:admin/mapping/put"),
            index("delete", "indices:data/write/delete*", "indices:data/write/bulk*"),
            index("monitor", "indices:monitor/*"),
            index("manage", "indices:monitor/*", "indices:admin/*"),
            // the follower's index actions; forget_follower is the leader's (manage_leader_index), as in Elasticsearch
            new Privilege("manage_follow_index", List.of("indices:admin/xpack/ccr/*", "indices:admin/close*",
                    "indices:admin/open*"), List.of("indices:admin/xpack/ccr/forget_follower*")),
            index("manage_leader_index", "indices:admin/xpack/ccr/forget_follower*"),
            index("create_index", "indices:admin/create"),
            index("delete_index", "indices:admin/delete"),
            index("maintenance", "indices:admin/refresh*", "indices:admin/flush*"));

    /**
     * What a cross-cluster API key's {@code access.replication} grants on the indices it names: the leader side of
     * replication (the index's metadata, restore sessions and file chunks, digests, shard stats), nothing else.
     */
    static final Privilege CROSS_CLUSTER_REPLICATION = new Privilege("cross_cluster_replication",
            List.of("indices:admin/get", "indices:data/read/xpack/ccr/*", "indices:monitor/stats"), List.of());

    /** The cluster side of a cross-cluster key: learning the cluster (Kafka address, topic prefix). */
    static final Privilege CROSS_CLUSTER_CLUSTER = new Privilege("cross_cluster_replication",
            List.of("cluster:monitor/state"), List.of());

    private Privileges() {
    }

    private static Privilege cluster(String name, String... patterns) {
        return new Privilege(name, List.of(patterns), List.of());
    }

    private static Privilege index(String name, String... patterns) {
        return new Privilege(name, List.of(patterns), List.of());
    }

    private static Map<String, Privilege> table(Privilege... privileges) {
        Map<String, Privilege> out = new LinkedHashMap<>();
        for (Privilege p : privileges) {
            out.put(p.name(), p);
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    /** Whether every action {@code other} grants matches one of {@code holder}'s patterns (exclusions aside). */
    private static boolean covers(Privilege holder, Privilege other) {
        return other.patterns().stream().allMatch(o -> holder.patterns().stream().anyMatch(h -> matches(h, o)));
    }

    /** Whether glob {@code pattern} ({@code *} any run of characters) matches {@code value} entirely. */
    public static boolean matches(String pattern, String value) {
        return io.kccr.core.index.Wildcards.simpleMatch(pattern, value);
    }

    /** The cluster privileges that grant {@code action}, most specific first as Elasticsearch lists them. */
    public static List<String> clusterGranting(String action) {
        return granting(CLUSTER, action);
    }

    /** The index privileges that grant {@code action}, most specific first as Elasticsearch lists them. */
    public static List<String> indexGranting(String action) {
        return granting(INDEX, action);
    }

    private static List<String> granting(Map<String, Privilege> table, String action) {
        List<String> names = new java.util.ArrayList<>();
        table.values().forEach(p -> {
            if (p.grants(action)) {
                names.add(p.name());
            }
        });
        // as Elasticsearch, the narrowest first (covering fewer of the other privileges), "all" last
        names.sort(java.util.Comparator.comparingInt((String n) -> n.equals("all") ? 1 : 0)
                .thenComparingLong(n -> table.values().stream().filter(other -> covers(table.get(n), other)).count()));
        return names;
    }

    /**
     * Checks cluster privilege names.
     *
     * @throws io.kccr.core.error.KccrException 400 {@code illegal_argument_exception} naming the first unknown one
     *                                          and the known ones, as Elasticsearch words it
     */
    public static void validateCluster(List<String> names) {
        for (String name : names) {
            if (!CLUSTER.containsKey(name)) {
                throw InvalidRequestException.illegalArgument("unknown cluster privilege [" + name + "]. a privilege"
                        + " must be one of the predefined cluster privilege names " + CLUSTER.keySet());
            }
        }
    }

    /** Checks index privilege names; see {@link #validateCluster}. */
    public static void validateIndex(List<String> names) {
        for (String name : names) {
            if (!INDEX.containsKey(name)) {
                throw InvalidRequestException.illegalArgument("unknown index privilege [" + name + "]. a privilege"
                        + " must be one of the predefined fixed indices privileges " + INDEX.keySet());
            }
        }
    }
}
