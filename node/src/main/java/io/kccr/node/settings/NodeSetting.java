package io.kccr.node.settings;

import java.math.BigDecimal;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The table of known node settings, in the Elasticsearch style: flat dotted keys, each with a default,
 * a validator and a one-line doc. {@code kccr node --help} (and the README) are produced from this table,
 * so it is the single source of truth for what a node accepts.
 *
 * <p>Besides the keys below, every key {@code kafka.<client property>} is accepted and passed through to
 * every Kafka client the node creates (see {@link NodeSettings#kafkaClientProperties()} and
 * {@link NodeSettings#KAFKA_PASSTHROUGH_DOC}).
 *
 * <p>Values are always strings (as in {@code -E key=value}); {@link #parse(String)} turns one into its typed
 * value or throws an {@link IllegalArgumentException} naming the key, the value and what is accepted.
 */
public enum NodeSetting {
    CLUSTER_NAME("cluster.name", "kccr",
            "a non-empty name without ':'",
            "Name of the cluster this node belongs to (cluster_name in GET /).",
            NodeSetting::name_),
    NODE_NAME("node.name", "node-1",
            "a non-empty name without ':'",
            "Name of this node, unique within the cluster.",
            NodeSetting::name_),
    HTTP_HOST("http.host", "127.0.0.1",
            "a host name or IP address; 0.0.0.0 binds every interface",
            "Address the Elasticsearch-compatible REST API binds to.",
            NodeSetting::host),
    HTTP_PORT("http.port", "9200",
            "an integer from 0 to 65535",
            "Port of the REST API; 0 picks any free port.",
            NodeSetting::port),
    HTTP_MAX_CONTENT_LENGTH("http.max_content_length", "100mb",
            "a byte size with unit b, kb, mb or gb (e.g. 100mb), from 1b to 2147483647b",
            "Largest request body the REST API accepts; larger ones are rejected with 413.",
            NodeSetting::maxContentLength),
    PATH_DATA("path.data", "./data",
            "a file system path",
            "Directory holding this node's Lucene shards and state (relative to the working directory).",
            NodeSetting::path),
    KAFKA_BOOTSTRAP_SERVERS("kafka.bootstrap.servers", null,
            "a comma-separated list of host:port",
            "Kafka cluster used as the replication log; unset = start an embedded single-node broker.",
            NodeSetting::bootstrapServers),
    KAFKA_EMBEDDED_PORT("kafka.embedded.port", "9092",
            "an integer from 0 to 65535",
            "Client port of the embedded broker (only used when kafka.bootstrap.servers is unset); 0 picks any free port.",
            NodeSetting::port),
    CCR_TOPIC_PREFIX("ccr.topic.prefix", "ccr",
            "1 to 100 characters among a-z A-Z 0-9 . _ -",
            "Prefix of every Kafka topic this node creates or reads.",
            NodeSetting::topicPrefix),
    CCR_OPS_CLEANUP_POLICY("ccr.ops.cleanup_policy", "compact",
            "one of compact, delete, compact,delete",
            "cleanup.policy of the operations topics; compact keeps the latest operation per document.",
            NodeSetting::cleanupPolicy),
    CCR_WRITE_TIMEOUT("ccr.write.timeout", "10s",
            "a positive time value with unit ms, s, m or h (e.g. 10s)",
            "How long a write waits for Kafka to acknowledge it before failing with 503.",
            NodeSetting::timeValue);

    private final String key;
    private final String defaultValue;
    private final String accepted;
    private final String doc;
    private final Function<String, ?> parser;

    NodeSetting(String key, String defaultValue, String accepted, String doc, Function<String, ?> parser) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.accepted = accepted;
        this.doc = doc;
        this.parser = parser;
    }

    private static final Map<String, NodeSetting> BY_KEY = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(NodeSetting::key, s -> s));

    /** The flat dotted key, e.g. {@code http.port}. */
    public String key() {
        return key;
    }

    /** The default as it would be written after {@code -E key=}, or empty when the setting is unset by default. */
    public Optional<String> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** The default for help output: the default value, or {@code (unset)}. */
    public String defaultDescription() {
        return defaultValue == null ? "(unset)" : defaultValue;
    }

    /** What values are accepted, e.g. {@code an integer from 0 to 65535}. */
    public String accepted() {
        return accepted;
    }

    /** One-line documentation. */
    public String doc() {
        return doc;
    }

    /** The setting with this exact key, if it is in the table. */
    public static Optional<NodeSetting> forKey(String key) {
        return Optional.ofNullable(BY_KEY.get(key));
    }

    /** All settings, in table order. */
    public static List<NodeSetting> all() {
        return List.of(values());
    }

    /**
     * Parses a value of this setting into its typed form ({@link String}, {@link Integer}, {@link Long} bytes,
     * {@link Path} or {@link Duration}).
     *
     * @throws IllegalArgumentException {@code failed to parse value [v] for setting [k]: expected <accepted>}
     */
    public Object parse(String value) {
        if (value == null) {
            throw new IllegalArgumentException("setting [" + key + "] must not be null");
        }
        try {
            return parser.apply(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("failed to parse value [" + value + "] for setting [" + key + "]: expected " + accepted, e);
        }
    }

    // ---------------------------------------------------------------- parsers: throw anything on a bad value

    private static String name_(String v) {
        require(!v.isBlank() && v.indexOf(':') < 0);
        return v;
    }

    private static String host(String v) {
        require(!v.isBlank() && v.strip().equals(v) && v.chars().noneMatch(Character::isWhitespace));
        return v;
    }

    private static Integer port(String v) {
        int p = Integer.parseInt(v);
        require(p >= 0 && p <= 65535);
        return p;
    }

    private static final Pattern BYTE_SIZE =
            Pattern.compile("(\\d+(?:\\.\\d+)?)(b|kb|mb|gb)", Pattern.CASE_INSENSITIVE);

    /** Parses an Elasticsearch-style byte size ({@code 512b}, {@code 64kb}, {@code 100mb}, {@code 1.5gb}) into bytes. */
    public static long parseByteSize(String v) {
        Matcher m = BYTE_SIZE.matcher(v);
        require(m.matches());
        long unit = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "b" -> 1L;
            case "kb" -> 1L << 10;
            case "mb" -> 1L << 20;
            default -> 1L << 30;
        };
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit));
        require(bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0);
        return bytes.longValue();
    }

    private static Long maxContentLength(String v) {
        long bytes = parseByteSize(v);
        require(bytes >= 1 && bytes <= Integer.MAX_VALUE);
        return bytes;
    }

    private static final Pattern TIME_VALUE = Pattern.compile("(\\d+)(ms|s|m|h)");

    /** Parses an Elasticsearch-style time value ({@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}). */
    public static Duration parseTimeValue(String v) {
        Matcher m = TIME_VALUE.matcher(v);
        require(m.matches());
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    private static Duration timeValue(String v) {
        Duration d = parseTimeValue(v);
        require(d.isPositive());
        return d;
    }

    private static Path path(String v) {
        require(!v.isBlank());
        try {
            return Path.of(v);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[^\\s:,/\\[\\]@?#]+):(\\d{1,5})");

    /** Checks a {@code host:port[,host:port]} list; returns it, or throws IllegalArgumentException. */
    public static String bootstrapServers(String v) {
        String[] servers = v.split(",", -1);
        for (String s : servers) {
            Matcher m = HOST_PORT.matcher(s.strip());
            require(m.matches());
            port(m.group(2));
        }
        return v;
    }

    private static final Pattern TOPIC_FRAGMENT = Pattern.compile("[a-zA-Z0-9._-]{1,100}");

    /** Checks a topic prefix (legal in Kafka topic names, 1 to 100 characters); returns it, or throws. */
    public static String topicPrefix(String v) {
        require(TOPIC_FRAGMENT.matcher(v).matches());
        return v;
    }

    private static String cleanupPolicy(String v) {
        require(v.equals("compact") || v.equals("delete") || v.equals("compact,delete"));
        return v;
    }

    private static void require(boolean ok) {
        if (!ok) {
            throw new IllegalArgumentException();
        }
    }
}
