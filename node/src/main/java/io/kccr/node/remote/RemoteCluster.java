package io.kccr.node.remote;

import io.kccr.node.settings.ClusterSettings;
import io.kccr.node.settings.RemoteClusterSettings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A remote (leader) cluster as configured by the {@code cluster.remote.<name>.*} settings, before anything is
 * learned from it. See {@link RemoteClusters#resolve} for what a follower uses.
 *
 * @param name                  the remote's name (the {@code <name>} in the keys)
 * @param seeds                 {@code seeds}: HTTP addresses normalized to {@code http://host:port}, in order; empty
 *                              when unset
 * @param http                  {@code http}: one HTTP address normalized to {@code http://host:port}, or null
 * @param kafkaBootstrapServers {@code kafka.bootstrap.servers}, or null (then learned from the seeds / http)
 * @param topicPrefix           {@code topic_prefix} when set explicitly, else null (then learned from the seeds /
 *                              http, or {@code ccr} when {@code kafka.bootstrap.servers} is set)
 * @param kafkaClientProperties every other {@code kafka.<property>} of the remote, prefix stripped, sorted
 * @param credentials           {@code credentials}: the encoded cross-cluster API key sent over HTTP, or null
 * @param certificateAuthorities {@code ssl.certificate_authorities}: the CA PEM file for its HTTPS address, or null
 * @param caFingerprint         {@code ssl.ca_trusted_fingerprint}: the SHA-256 of a CA to trust, or null
 */
public record RemoteCluster(String name, List<String> seeds, String http, String kafkaBootstrapServers,
                            String topicPrefix, Map<String, String> kafkaClientProperties, String credentials,
                            java.nio.file.Path certificateAuthorities, String caFingerprint) {

    /** A remote without HTTP credentials or a CA of its own. */
    public RemoteCluster(String name, List<String> seeds, String http, String kafkaBootstrapServers, String topicPrefix,
                         Map<String, String> kafkaClientProperties) {
        this(name, seeds, http, kafkaBootstrapServers, topicPrefix, kafkaClientProperties, null, null, null);
    }

    public RemoteCluster {
        Objects.requireNonNull(name, "name");
        seeds = seeds == null ? List.of() : List.copyOf(seeds);
        kafkaClientProperties = kafkaClientProperties == null ? Map.of()
                : Collections.unmodifiableMap(new TreeMap<>(kafkaClientProperties));
    }

    /**
     * The remote {@code name} as the effective settings {@code settings} (flat keys, e.g. {@link ClusterSettings#current()})
     * define it. The values are assumed valid (they are validated when set).
     */
    public static RemoteCluster fromSettings(String name, Map<String, String> settings) {
        // as in Elasticsearch, proxy mode connects to proxy_address and ignores the seeds, sniff mode the reverse
        boolean proxy = "proxy".equals(RemoteClusterSettings.MODE.forName(name).get(settings));
        List<String> seeds = proxy ? List.of()
                : RemoteClusterSettings.SEEDS.forName(name).find(settings).orElse(List.of());
        String http = RemoteClusterSettings.HTTP.forName(name).find(settings).orElse(proxy
                ? RemoteClusterSettings.PROXY_ADDRESS.forName(name).find(settings).orElse(null) : null);
        String bootstrapKey = RemoteClusterSettings.KAFKA_BOOTSTRAP_SERVERS.key(name);
        String bootstrap = settings.get(bootstrapKey) == null ? null : settings.get(bootstrapKey).strip();
        String topicPrefix = settings.get(RemoteClusterSettings.TOPIC_PREFIX.key(name)); // its default is not "set"
        String kafkaPrefix = RemoteClusterSettings.KAFKA_CLIENT.key(name);
        Map<String, String> kafka = new TreeMap<>();
        settings.forEach((key, value) -> {
            if (key.startsWith(kafkaPrefix) && !key.equals(bootstrapKey)) {
                kafka.put(key.substring(kafkaPrefix.length()), value);
            }
        });
        String credentials = RemoteClusterSettings.CREDENTIALS.forName(name).find(settings).orElse(null);
        java.nio.file.Path cas = RemoteClusterSettings.SSL_CERTIFICATE_AUTHORITIES.forName(name).find(settings)
                .orElse(null);
        String fingerprint = RemoteClusterSettings.SSL_CA_TRUSTED_FINGERPRINT.forName(name).find(settings).orElse(null);
        return new RemoteCluster(name, seeds, http, bootstrap, topicPrefix, kafka, credentials, cas, fingerprint);
    }

    /** Whether the Kafka side must be learned over HTTP (no explicit {@code kafka.bootstrap.servers}). */
    public boolean needsDiscovery() {
        return kafkaBootstrapServers == null;
    }

    /** The HTTP addresses to try, in order: {@code http} first, then the seeds; no duplicates. */
    public List<String> httpAddresses() {
        List<String> out = new ArrayList<>();
        if (http != null) {
            out.add(http);
        }
        for (String s : seeds) {
            if (!out.contains(s)) {
                out.add(s);
            }
        }
        return List.copyOf(out);
    }

    /** The values of secret-looking Kafka properties masked, for logs. */
    @Override
    public String toString() {
        Map<String, String> masked = new TreeMap<>();
        kafkaClientProperties.forEach((k, v) -> masked.put(k,
                io.kccr.node.settings.NodeSettings.isSecretKey(k) ? "****" : v));
        return "RemoteCluster[name=" + name + ", seeds=" + seeds + ", http=" + http + ", kafkaBootstrapServers="
                + kafkaBootstrapServers + ", topicPrefix=" + topicPrefix + ", kafkaClientProperties=" + masked
                + ", credentials=" + (credentials == null ? "null" : "****") + ", certificateAuthorities="
                + certificateAuthorities + "]";
    }
}
