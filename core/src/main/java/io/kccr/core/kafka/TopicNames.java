package io.kccr.core.kafka;

/**
 * The names of a cluster's topics under its prefix ({@code ccr.topic.prefix}):
 * {@code <prefix>.<index>.ops} (one partition per shard), {@code <prefix>.<index>.meta}
 * (settings and mappings), {@code <prefix>.indices} (the cluster's leader indices) and, in a cluster of nodes,
 * {@code <prefix>.followers} (its follower indices and the node hosting each), {@code <prefix>.auto_follow} (its
 * auto-follow patterns) and {@code <prefix>.cluster_settings} (its persistent cluster settings).
 */
public record TopicNames(String prefix) {
    public String ops(String index) {
        return prefix + "." + index + ".ops";
    }

    public String meta(String index) {
        return prefix + "." + index + ".meta";
    }

    public String indices() {
        return prefix + ".indices";
    }

    public String followers() {
        return prefix + ".followers";
    }

    public String autoFollow() {
        return prefix + ".auto_follow";
    }

    /** The persistent cluster settings of a cluster of nodes. */
    public String clusterSettings() {
        return prefix + ".cluster_settings";
    }
}
