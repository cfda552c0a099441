package io.kccr.node.settings;

import io.kccr.core.settings.Setting;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A node's settings, in the Elasticsearch style: flat dotted keys with string values, each checked against its
 * definition ({@link KnownSettings}).
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Immutable and thread-safe. Every instance is fully validated: the typed accessors never throw.</li>
 *   <li>A key is accepted if it is a node setting ({@link NodeScopeSettings}, {@link #definitions()}), or starts with
 *       {@code kafka.} (a Kafka client property, passed through to every Kafka client: see
 *       {@link #kafkaClientProperties()}). Keys under {@code kafka.embedded.} are reserved for the embedded broker
 *       and must be in the table. The dynamic settings ({@link ClusterScopeSettings},
 *       {@link RemoteClusterSettings}) are accepted and validated too; they are the node-level values
 *       {@code PUT /_cluster/settings} can override (see {@link ClusterSettings}). Any other key is rejected with an
 *       {@link IllegalArgumentException} whose message is Elasticsearch's: {@code unknown setting [x] please check
 *       that any required plugins are installed, or check the breaking changes documentation for removed
 *       settings}.</li>
 *   <li>A bad value is rejected with an {@link IllegalArgumentException} whose message names the key, the value
 *       and what is accepted: {@code failed to parse value [abc] for setting [http.port]: expected an integer
 *       from 0 to 65535}.</li>
 *   <li>Settings that are not set explicitly take the default from the table; {@link #asMap()} has only the
 *       explicitly set ones.</li>
 *   <li>A {@code null} value (a YAML {@code key: } or {@code key: null}) means "not set": the default applies.</li>
 * </ul>
 *
 * <p>Byte sizes and time values take Elasticsearch's units ({@link io.kccr.core.settings.ByteSizeValue},
 * {@link io.kccr.core.settings.TimeValue}).
 */
public final class NodeSettings {

    /** Prefix of the Kafka client properties passed through to every Kafka client. */
    public static final String KAFKA_PREFIX = NodeScopeSettings.KAFKA_PREFIX;

    private static final NodeSettings DEFAULTS = new NodeSettings(Map.of());

    private final Map<String, String> explicit;
    private final Map<String, String> kafkaClientProperties;

    private NodeSettings(Map<String, String> flat) {
        TreeMap<String, String> explicit = new TreeMap<>();
        for (Map.Entry<String, String> e : flat.entrySet()) {
            String key = Objects.requireNonNull(e.getKey(), "setting key");
            Setting<?> definition = KnownSettings.require(key);
            if (e.getValue() != null) {
                definition.parse(e.getValue());
                explicit.put(key, e.getValue());
            }
        }
        this.explicit = Collections.unmodifiableMap(explicit);
        this.kafkaClientProperties = Collections.unmodifiableMap(
                NodeScopeSettings.KAFKA_CLIENT.values(explicit, KnownSettings::isExact));
    }

    // ------------------------------------------------------------------------------------------ factories

    /** All defaults, nothing set explicitly. */
    public static NodeSettings defaults() {
        return DEFAULTS;
    }

    /**
     * Settings from flat dotted keys ({@code http.port -> 9201}). A {@code null} value means not set.
     *
     * @throws IllegalArgumentException on an unknown key or a bad value (see the class doc)
     */
    public static NodeSettings of(Map<String, String> flat) {
        return new NodeSettings(Objects.requireNonNull(flat, "flat"));
    }

    /**
     * Reads a YAML config file, then applies {@code overrides} (the {@code -E key=value} settings) on top.
     *
     * <p>The YAML may be nested, flat, or a mix: {@code http: {port: 9201}}, {@code http.port: 9201} and
     * {@code http: {port: 9201}} are the same setting; a key given twice (in any shape) is an error. Scalars
     * become their text; a list of scalars becomes its elements joined with {@code ,} (so
     * {@code kafka.bootstrap.servers: [a:9092, b:9092]} works); {@code null} means not set. An empty file has no
     * settings.
     *
     * @param configYmlOrNull the YAML file, or {@code null} for none
     * @param overrides       flat settings applied on top of the file (a {@code null} value unsets the key);
     *                        may be {@code null} for none
     * @throws IllegalArgumentException when the file does not exist or is not valid YAML of the shape above, and
     *                                  on an unknown key or a bad value
     * @throws UncheckedIOException     when the file exists but cannot be read
     */
    public static NodeSettings load(Path configYmlOrNull, Map<String, String> overrides) {
        Map<String, String> flat = new TreeMap<>();
        if (configYmlOrNull != null) {
            flat.putAll(YamlSettings.read(configYmlOrNull));
        }
        if (overrides != null) {
            flat.putAll(overrides); // a null value replaces the file's: "not set"
        }
        return new NodeSettings(flat);
    }

    /**
     * A copy with one setting changed (validated as by {@link #of}). A {@code null} value unsets the key, so its
     * default applies again.
     *
     * @throws IllegalArgumentException on an unknown key or a bad value
     */
    public NodeSettings with(String key, String value) {
        KnownSettings.require(Objects.requireNonNull(key, "key"));
        Map<String, String> copy = new TreeMap<>(explicit);
        if (value == null) {
            copy.remove(key);
        } else {
            copy.put(key, value);
        }
        return new NodeSettings(copy);
    }

    /** The node settings (start-up only), in table order, for help output and docs. */
    public static List<Setting<?>> definitions() {
        return NodeScopeSettings.ALL;
    }

    // ------------------------------------------------------------------------------------------ accessors

    /** {@code cluster.name}, default {@code kccr}. */
    public String clusterName() {
        return NodeScopeSettings.CLUSTER_NAME.get(explicit);
    }

    /** {@code node.name}, default {@code node-1}. */
    public String nodeName() {
        return NodeScopeSettings.NODE_NAME.get(explicit);
    }

    /** {@code http.host}, default {@code 127.0.0.1}. */
    public String httpHost() {
        return NodeScopeSettings.HTTP_HOST.get(explicit);
    }

    /** {@code http.port}, default 9200; 0 means any free port. */
    public int httpPort() {
        return NodeScopeSettings.HTTP_PORT.get(explicit);
    }

    /** {@code http.publish_host}: where the other nodes reach this one; empty for the default (see the setting). */
    public Optional<String> httpPublishHost() {
        return NodeScopeSettings.HTTP_PUBLISH_HOST.find(explicit);
    }

    /** {@code discovery.type}: true for {@code single-node} (no cluster, the default), false for {@code multi-node}. */
    public boolean singleNode() {
        return NodeScopeSettings.DISCOVERY_TYPE.get(explicit).equals("single-node");
    }

    /** {@code cluster.fault_detection.session_timeout}, default 6s. */
    public Duration sessionTimeout() {
        return NodeScopeSettings.SESSION_TIMEOUT.get(explicit).toDuration();
    }

    /** {@code http.max_content_length} in bytes, default 100mb; between 1 and {@link Integer#MAX_VALUE}. */
    public long httpMaxContentLength() {
        return NodeScopeSettings.HTTP_MAX_CONTENT_LENGTH.get(explicit).bytes();
    }

    /** {@code path.data}, default {@code ./data}, as given (not made absolute). */
    public Path dataPath() {
        return NodeScopeSettings.PATH_DATA.get(explicit);
    }

    /** {@code kafka.bootstrap.servers}; empty means: start the embedded broker. */
    public Optional<String> kafkaBootstrapServers() {
        return NodeScopeSettings.KAFKA_BOOTSTRAP_SERVERS.find(explicit);
    }

    /** {@code kafka.embedded.port}, default 9092; 0 means any free port. */
    public int kafkaEmbeddedPort() {
        return NodeScopeSettings.KAFKA_EMBEDDED_PORT.get(explicit);
    }

    /** {@code ccr.topic.prefix}, default {@code ccr}; only characters legal in a Kafka topic name. */
    public String topicPrefix() {
        return NodeScopeSettings.CCR_TOPIC_PREFIX.get(explicit);
    }

    /** {@code ccr.ops.cleanup_policy}: {@code compact} (default), {@code delete} or {@code compact,delete}. */
    public String opsCleanupPolicy() {
        return NodeScopeSettings.CCR_OPS_CLEANUP_POLICY.get(explicit);
    }

    /** {@code xpack.security.enabled}, default true. */
    public boolean securityEnabled() {
        return NodeScopeSettings.SECURITY_ENABLED.get(explicit);
    }

    /** {@code xpack.security.allow_insecure_bind}, default false. */
    public boolean allowInsecureBind() {
        return NodeScopeSettings.SECURITY_ALLOW_INSECURE_BIND.get(explicit);
    }

    /** {@code bootstrap.password}, if set. */
    public Optional<String> bootstrapPassword() {
        return NodeScopeSettings.BOOTSTRAP_PASSWORD.find(explicit);
    }

    /** {@code xpack.security.http.ssl.enabled}; empty when unset (then decided by the bind address). */
    public Optional<Boolean> httpSslEnabled() {
        return NodeScopeSettings.HTTP_SSL_ENABLED.find(explicit);
    }

    /** The value of a node setting, or empty (for the security and CORS settings read where they are used). */
    public <T> Optional<T> find(Setting<T> setting) {
        return setting.find(explicit);
    }

    /** The value of a node setting, else its default. */
    public <T> T value(Setting<T> setting) {
        return setting.get(explicit);
    }

    /** {@code ccr.write.timeout}, default 10s, always positive. */
    public Duration writeTimeout() {
        return NodeScopeSettings.CCR_WRITE_TIMEOUT.get(explicit).toDuration();
    }

    /** {@code ccr.topic.replication_factor}; empty: min(3, brokers). */
    public Optional<Integer> topicReplicationFactor() {
        return NodeScopeSettings.CCR_TOPIC_REPLICATION_FACTOR.find(explicit);
    }

    /** {@code ccr.topic.min_insync_replicas}; empty: min(2, replication factor). */
    public Optional<Integer> topicMinInsyncReplicas() {
        return NodeScopeSettings.CCR_TOPIC_MIN_INSYNC_REPLICAS.find(explicit);
    }

    /** {@code ccr.topic.allow_unsafe_durability}, default false. */
    public boolean allowUnsafeDurability() {
        return NodeScopeSettings.CCR_TOPIC_ALLOW_UNSAFE_DURABILITY.get(explicit);
    }

    /** Whether {@code ccr.topic.allow_unsafe_durability} was set explicitly (either way). */
    public boolean allowUnsafeDurabilitySet() {
        return explicit.containsKey(NodeScopeSettings.CCR_TOPIC_ALLOW_UNSAFE_DURABILITY.key());
    }

    /** {@code ccr.kafka.allow_cluster_change}, default false. */
    public boolean allowKafkaClusterChange() {
        return NodeScopeSettings.CCR_KAFKA_ALLOW_CLUSTER_CHANGE.get(explicit);
    }

    /** {@code indexing_pressure.memory.limit} in bytes, default 10% of the heap. */
    public long indexingPressureLimit() {
        return NodeScopeSettings.INDEXING_PRESSURE_MEMORY_LIMIT.get(explicit);
    }

    /**
     * Every explicitly set {@code kafka.X} key except {@code kafka.bootstrap.servers} and {@code kafka.embedded.*},
     * with the {@code kafka.} prefix stripped ({@code kafka.security.protocol=SASL_SSL} gives
     * {@code security.protocol=SASL_SSL}), sorted by key, unmodifiable. Add these to every Kafka client's config.
     */
    public Map<String, String> kafkaClientProperties() {
        return kafkaClientProperties;
    }

    /** All explicitly set settings (flat keys, as given), sorted by key, unmodifiable. Defaults are not in it. */
    public Map<String, String> asMap() {
        return explicit;
    }

    /** The effective value of a key as a string: the explicit one, else the node setting's default, else empty. */
    public Optional<String> get(String key) {
        String v = explicit.get(key);
        if (v != null) {
            return Optional.of(v);
        }
        return NodeScopeSettings.ALL.stream().filter(s -> s.key().equals(key)).findFirst()
                .flatMap(Setting::defaultValue);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeSettings other && explicit.equals(other.explicit);
    }

    @Override
    public int hashCode() {
        return explicit.hashCode();
    }

    /** The explicit settings, with the values of secret-looking keys (password, secret, jaas, token) masked. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("NodeSettings{");
        String sep = "";
        for (Map.Entry<String, String> e : explicit.entrySet()) {
            sb.append(sep).append(e.getKey()).append('=').append(isSecretKey(e.getKey()) ? "****" : e.getValue());
            sep = ", ";
        }
        return sb.append('}').toString();
    }

    /** Whether the value of {@code key} looks secret (password, secret, jaas, token, *.key): mask it in output. */
    public static boolean isSecretKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.contains("jaas") || k.contains("token")
                || k.endsWith(".key") || k.endsWith(".credentials");
    }
}
