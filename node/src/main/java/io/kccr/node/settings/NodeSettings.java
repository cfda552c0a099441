package io.kccr.node.settings;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A node's settings, in the Elasticsearch style: flat dotted keys with string values, validated against the
 * table in {@link NodeSetting} ({@link #definitions()}).
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Immutable and thread-safe. Every instance is fully validated: the typed accessors never throw.</li>
 *   <li>A key is accepted if it is in the table, or if it starts with {@code kafka.} (a Kafka client property,
 *       passed through to every Kafka client: see {@link #kafkaClientProperties()}). Keys under
 *       {@code kafka.embedded.} are reserved for the embedded broker and must be in the table. The dynamic
 *       settings of {@link DynamicSetting} ({@code cluster.remote.<name>.*}, {@code ccr.indices.recovery.*}) are
 *       accepted and validated too; they are the node-level values {@code PUT /_cluster/settings} can override
 *       (see {@link io.kccr.node.settings.ClusterSettings}). Any other key is
 *       rejected with an {@link IllegalArgumentException} whose message is Elasticsearch's:
 *       {@code unknown setting [x] please check that any required plugins are installed, or check the breaking
 *       changes documentation for removed settings}.</li>
 *   <li>A bad value is rejected with an {@link IllegalArgumentException} whose message names the key, the value
 *       and what is accepted: {@code failed to parse value [abc] for setting [http.port]: expected an integer
 *       from 0 to 65535}.</li>
 *   <li>Settings that are not set explicitly take the default from the table; {@link #asMap()} has only the
 *       explicitly set ones.</li>
 *   <li>A {@code null} value (a YAML {@code key: } or {@code key: null}) means "not set": the default applies.</li>
 * </ul>
 *
 * <p>Byte sizes take a unit {@code b}, {@code kb}, {@code mb} or {@code gb} (binary multiples: {@code 1kb} =
 * 1024 bytes); time values take {@code ms}, {@code s}, {@code m} or {@code h}.
 */
public final class NodeSettings {

    /** Prefix of the Kafka client properties passed through to every Kafka client. */
    public static final String KAFKA_PREFIX = "kafka.";

    /** Prefix reserved for the embedded broker's settings (which are in the table). */
    public static final String KAFKA_EMBEDDED_PREFIX = "kafka.embedded.";

    /** Help text for the {@code kafka.<client property>} passthrough. */
    public static final String KAFKA_PASSTHROUGH_DOC =
            "Any other kafka.<client property> is passed, without the 'kafka.' prefix, to every Kafka client the "
                    + "node creates (producers, consumers, admin), e.g. -E kafka.security.protocol=SASL_SSL "
                    + "-E kafka.sasl.mechanism=PLAIN -E kafka.ssl.truststore.location=/path/truststore.jks. "
                    + "Values are not checked here; Kafka checks them when the node starts.";

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final NodeSettings DEFAULTS = new NodeSettings(Map.of());

    private final Map<String, String> explicit;
    private final Map<NodeSetting, Object> parsed;
    private final Map<String, String> kafkaClientProperties;

    private NodeSettings(Map<String, String> flat) {
        TreeMap<String, String> explicit = new TreeMap<>();
        EnumMap<NodeSetting, Object> parsed = new EnumMap<>(NodeSetting.class);
        TreeMap<String, String> kafka = new TreeMap<>();
        for (Map.Entry<String, String> e : flat.entrySet()) {
            String key = Objects.requireNonNull(e.getKey(), "setting key");
            String value = e.getValue();
            Optional<NodeSetting> def = checkKey(key);
            if (value == null) {
                continue;
            }
            if (def.isPresent()) {
                parsed.put(def.get(), def.get().parse(value));
            } else if (DynamicSetting.isDynamic(key)) {
                DynamicSetting.validate(key, value);
            } else {
                kafka.put(key.substring(KAFKA_PREFIX.length()), value);
            }
            explicit.put(key, value);
        }
        for (NodeSetting s : NodeSetting.values()) {
            if (!parsed.containsKey(s) && s.defaultValue().isPresent()) {
                parsed.put(s, s.parse(s.defaultValue().get()));
            }
        }
        this.explicit = Collections.unmodifiableMap(explicit);
        this.parsed = parsed;
        this.kafkaClientProperties = Collections.unmodifiableMap(kafka);
    }

    /** The table entry of an accepted key, or empty for a passthrough or dynamic key; throws on any other. */
    private static Optional<NodeSetting> checkKey(String key) {
        Optional<NodeSetting> def = NodeSetting.forKey(key);
        if (DynamicSetting.forKey(key).isPresent()) { // throws on a malformed cluster.remote.<name>
            return def;
        }
        if (def.isPresent()
                || key.startsWith(KAFKA_PREFIX)
                        && key.length() > KAFKA_PREFIX.length()
                        && !key.startsWith(KAFKA_EMBEDDED_PREFIX)) {
            return def;
        }
        throw unknownSetting(key);
    }

    /**
     * Whether {@code key} is a static node setting: in the table, or a {@code kafka.<client property>} passthrough.
     * Such keys can only be set at start-up, not with {@code PUT /_cluster/settings}.
     */
    public static boolean isStaticSetting(String key) {
        return NodeSetting.forKey(key).isPresent()
                || key.startsWith(KAFKA_PREFIX) && key.length() > KAFKA_PREFIX.length()
                        && !key.startsWith(KAFKA_EMBEDDED_PREFIX);
    }

    private static IllegalArgumentException unknownSetting(String key) {
        return new IllegalArgumentException("unknown setting [" + key + "] please check that any required plugins "
                + "are installed, or check the breaking changes documentation for removed settings");
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
            flat.putAll(readYaml(configYmlOrNull));
        }
        if (overrides != null) {
            flat.putAll(overrides); // a null value replaces the file's: "not set"
        }
        return new NodeSettings(flat);
    }

    private static Map<String, String> readYaml(Path file) {
        JsonNode root;
        try {
            String text = Files.readString(file);
            root = text.isBlank() ? null : YAML.readTree(text);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("config file [" + file + "] does not exist");
        } catch (JacksonException e) {
            throw new IllegalArgumentException("config file [" + file + "] is not valid YAML: "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read config file [" + file + "]: " + e, e);
        }
        Map<String, String> flat = new TreeMap<>();
        if (root == null || root.isNull() || root.isMissingNode()) {
            return flat;
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException("config file [" + file + "] must be a YAML mapping of settings, "
                    + "e.g. 'http.port: 9201' or 'http: {port: 9201}'");
        }
        flatten(file, "", root, flat);
        return flat;
    }

    private static void flatten(Path file, String prefix, JsonNode node, Map<String, String> out) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String key = prefix + field.getKey();
            JsonNode value = field.getValue();
            if (value.isObject()) {
                flatten(file, key + ".", value, out);
                continue;
            }
            String text;
            if (value.isNull()) {
                text = null;
            } else if (value.isArray()) {
                List<String> items = new ArrayList<>();
                for (JsonNode item : value) {
                    if (!item.isValueNode() || item.isNull()) {
                        throw new IllegalArgumentException("config file [" + file + "]: setting [" + key
                                + "] must be a scalar or a list of scalars");
                    }
                    items.add(item.asText());
                }
                text = String.join(",", items);
            } else {
                text = value.asText();
            }
            if (out.containsKey(key)) {
                throw new IllegalArgumentException("config file [" + file + "]: duplicate setting [" + key + "]");
            }
            out.put(key, text);
        }
    }

    /**
     * A copy with one setting changed (validated as by {@link #of}). A {@code null} value unsets the key, so its
     * default applies again.
     *
     * @throws IllegalArgumentException on an unknown key or a bad value
     */
    public NodeSettings with(String key, String value) {
        Map<String, String> copy = new TreeMap<>(explicit);
        checkKey(Objects.requireNonNull(key, "key"));
        if (value == null) {
            copy.remove(key);
        } else {
            copy.put(key, value);
        }
        return new NodeSettings(copy);
    }

    /** The table of known settings, in order, for help output and docs. */
    public static List<NodeSetting> definitions() {
        return NodeSetting.all();
    }

    // ------------------------------------------------------------------------------------------ accessors

    /** {@code cluster.name}, default {@code kccr}. */
    public String clusterName() {
        return (String) parsed.get(NodeSetting.CLUSTER_NAME);
    }

    /** {@code node.name}, default {@code node-1}. */
    public String nodeName() {
        return (String) parsed.get(NodeSetting.NODE_NAME);
    }

    /** {@code http.host}, default {@code 127.0.0.1}. */
    public String httpHost() {
        return (String) parsed.get(NodeSetting.HTTP_HOST);
    }

    /** {@code http.port}, default 9200; 0 means any free port. */
    public int httpPort() {
        return (Integer) parsed.get(NodeSetting.HTTP_PORT);
    }

    /** {@code http.max_content_length} in bytes, default 100mb; between 1 and {@link Integer#MAX_VALUE}. */
    public long httpMaxContentLength() {
        return (Long) parsed.get(NodeSetting.HTTP_MAX_CONTENT_LENGTH);
    }

    /** {@code path.data}, default {@code ./data}, as given (not made absolute). */
    public Path dataPath() {
        return (Path) parsed.get(NodeSetting.PATH_DATA);
    }

    /** {@code kafka.bootstrap.servers}; empty means: start the embedded broker. */
    public Optional<String> kafkaBootstrapServers() {
        return Optional.ofNullable((String) parsed.get(NodeSetting.KAFKA_BOOTSTRAP_SERVERS));
    }

    /** {@code kafka.embedded.port}, default 9092; 0 means any free port. */
    public int kafkaEmbeddedPort() {
        return (Integer) parsed.get(NodeSetting.KAFKA_EMBEDDED_PORT);
    }

    /** {@code ccr.topic.prefix}, default {@code ccr}; only characters legal in a Kafka topic name. */
    public String topicPrefix() {
        return (String) parsed.get(NodeSetting.CCR_TOPIC_PREFIX);
    }

    /** {@code ccr.ops.cleanup_policy}: {@code compact} (default), {@code delete} or {@code compact,delete}. */
    public String opsCleanupPolicy() {
        return (String) parsed.get(NodeSetting.CCR_OPS_CLEANUP_POLICY);
    }

    /** {@code ccr.write.timeout}, default 10s, always positive. */
    public Duration writeTimeout() {
        return (Duration) parsed.get(NodeSetting.CCR_WRITE_TIMEOUT);
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

    /** The effective value of a key as a string: the explicit one, else the table's default, else empty. */
    public Optional<String> get(String key) {
        String v = explicit.get(key);
        if (v != null) {
            return Optional.of(v);
        }
        return NodeSetting.forKey(key).flatMap(NodeSetting::defaultValue);
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
            sb.append(sep).append(e.getKey()).append('=').append(isSecret(e.getKey()) ? "****" : e.getValue());
            sep = ", ";
        }
        return sb.append('}').toString();
    }

    /** Whether the value of {@code key} looks secret (password, secret, jaas, token, *.key): mask it in output. */
    public static boolean isSecretKey(String key) {
        return isSecret(key);
    }

    private static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.contains("jaas") || k.contains("token")
                || k.endsWith(".key");
    }
}
