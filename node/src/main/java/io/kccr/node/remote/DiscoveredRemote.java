package io.kccr.node.remote;

/**
 * What a remote's node answered to {@code GET /_kccr/cluster} ({@link RemoteDiscovery}), for the configuration it
 * was asked with: a cached answer is only used while the remote's configuration is still {@link #config}.
 *
 * @param config           the remote's configuration when it was asked
 * @param httpAddress      the HTTP address that answered
 * @param clusterName      its {@code cluster_name}, or null
 * @param clusterUuid      its {@code cluster_uuid}, or null
 * @param bootstrapServers its {@code kafka.bootstrap_servers}
 * @param topicPrefix      its {@code kafka.topic_prefix}
 */
record DiscoveredRemote(RemoteCluster config, String httpAddress, String clusterName, String clusterUuid,
                        String bootstrapServers, String topicPrefix) {
}
