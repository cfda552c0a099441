package io.kccr.node.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kccr.node.remote.RemoteStatus;
import io.kccr.node.settings.RemoteClusterSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The answers of the cluster settings and remote cluster APIs ({@link RemoteController}), in Elasticsearch's
 * shapes, and of {@code GET /_kccr/cluster}, ours.
 */
final class RemoteResponses {
    private RemoteResponses() {
    }

    /** {@code GET /_kccr/cluster}: this cluster's identity and Kafka side, for followers configured with seeds. */
    record ClusterIdentity(String name, String clusterName, String clusterUuid, Kafka kafka) {
    }

    /** The Kafka a cluster publishes to, and the prefix of its topics. */
    record Kafka(String bootstrapServers, String topicPrefix) {
    }

    /**
     * {@code GET /_cluster/settings}: each scope's settings, nested or flat as asked.
     *
     * @param defaults the settings set in neither scope, with their values; null (and left out) unless asked for
     */
    record Settings(ObjectNode persistent, @JsonProperty("transient") ObjectNode transientSettings,
                    @JsonInclude(JsonInclude.Include.NON_NULL) ObjectNode defaults) {
    }

    /** {@code PUT /_cluster/settings}: the settings just set, per scope. */
    record SettingsUpdated(boolean acknowledged, ObjectNode persistent,
                           @JsonProperty("transient") ObjectNode transientSettings) {
    }

    /**
     * One remote of {@code GET /_remote/info}: Elasticsearch's fields (the connection fields are fixed: the
     * official client requires them), then what this node learned of the remote; a field it could not learn is
     * left out.
     *
     * @param reason why it is not connected, and what to check; left out when connected
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RemoteInfo(boolean connected, String mode, List<String> seeds, int numNodesConnected,
                      int maxConnectionsPerCluster, int maxConnectionsPerNode, String initialConnectTimeout,
                      boolean skipUnavailable, String httpAddress, String kafkaBootstrapServers, String topicPrefix,
                      String clusterName, String clusterUuid, String reason) {
        static RemoteInfo of(RemoteStatus s, Map<String, String> settings) {
            List<String> seeds = new ArrayList<>();
            if (!s.remote().seeds().isEmpty()) {
                s.remote().seeds().forEach(seed -> seeds.add(hostPort(seed)));
            } else if (s.remote().http() != null) {
                seeds.add(hostPort(s.remote().http()));
            }
            int nodeConnections = RemoteClusterSettings.NODE_CONNECTIONS.forName(s.name()).get(settings);
            return new RemoteInfo(s.connected(), "sniff", seeds, s.connected() ? 1 : 0, nodeConnections,
                    nodeConnections, "30s",
                    s.skipUnavailable(), s.httpAddress(), s.kafkaBootstrapServers(), s.topicPrefix(), s.clusterName(),
                    s.clusterUuid(), s.connected() ? null : s.reason());
        }
    }

    /**
     * One remote of {@code GET /_remote/info} in proxy mode ({@code cluster.remote.<name>.mode: proxy}): Elasticsearch's
     * proxy fields, then ours as in {@link RemoteInfo}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ProxyRemoteInfo(boolean connected, String mode, String proxyAddress, String serverName,
                           int numProxySocketsConnected, int maxProxySocketConnections, String initialConnectTimeout,
                           boolean skipUnavailable, String httpAddress, String kafkaBootstrapServers,
                           String topicPrefix, String clusterName, String clusterUuid, String reason) {
        static ProxyRemoteInfo of(RemoteStatus s, Map<String, String> settings) {
            String name = s.name();
            int sockets = RemoteClusterSettings.PROXY_SOCKET_CONNECTIONS.forName(name).get(settings);
            return new ProxyRemoteInfo(s.connected(), "proxy", s.remote().http() == null ? ""
                    : hostPort(s.remote().http()),
                    RemoteClusterSettings.SERVER_NAME.forName(name).find(settings).orElse(""), s.connected() ? 1 : 0,
                    sockets, "30s", s.skipUnavailable(), s.httpAddress(), s.kafkaBootstrapServers(), s.topicPrefix(),
                    s.clusterName(), s.clusterUuid(), s.connected() ? null : s.reason());
        }
    }

    /** {@code http://host:port} as Elasticsearch lists seeds: {@code host:port} (the scheme kept for https). */
    private static String hostPort(String address) {
        return address.startsWith("http://") ? address.substring("http://".length()) : address;
    }
}
