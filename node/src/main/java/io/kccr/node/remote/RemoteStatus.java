package io.kccr.node.remote;

/**
 * The outcome of one connectivity check of a remote cluster ({@link RemoteClusters#status}), as
 * {@code GET /_remote/info} shows it.
 *
 * @param remote                the remote's configuration
 * @param skipUnavailable       its {@code skip_unavailable} setting
 * @param connected             whether its Kafka answered and its {@code <prefix>.indices} topic exists
 * @param httpAddress           the HTTP address used (null when none is configured)
 * @param kafkaBootstrapServers its Kafka bootstrap servers (null when they could not be learned)
 * @param topicPrefix           its topic prefix (null when it could not be learned)
 * @param clusterName           its {@code cluster.name} as it reported it (null unless learned over HTTP)
 * @param clusterUuid           its cluster UUID as it reported it (null unless learned over HTTP)
 * @param reason                why it is not connected, and what to check; null when connected
 */
public record RemoteStatus(RemoteCluster remote, boolean skipUnavailable, boolean connected, String httpAddress,
                           String kafkaBootstrapServers, String topicPrefix, String clusterName, String clusterUuid,
                           String reason) {

    /** The remote's name. */
    public String name() {
        return remote.name();
    }
}
