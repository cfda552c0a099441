package io.kccr.node.settings;

import io.kccr.core.settings.ByteSizeValue;
import io.kccr.core.settings.PrefixSetting;
import io.kccr.core.settings.Setting;
import io.kccr.core.settings.Setting.Scope;
import io.kccr.core.settings.TimeValue;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings a node takes at start-up only ({@code -E}, the config file): the table {@code kccr node --help} and
 * the README show, in that order, and the {@code kafka.<client property>} passthrough. {@link NodeSettings} reads
 * them.
 */
public final class NodeScopeSettings {

    // declared before the definitions, whose defaults are validated as they are built

    /** {@code host:port}, the host a name, an IPv4 address or a bracketed IPv6 address; group 2 is the port. */
    static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[^\\s:,/\\[\\]@?#]+):(\\d{1,5})");
    private static final Pattern TOPIC_PREFIX = Pattern.compile("[a-zA-Z0-9._-]{1,100}");

    public static final Setting<String> CLUSTER_NAME = Setting.string("cluster.name")
            .validator(NodeScopeSettings::isName)
            .accepted("a non-empty name without ':'")
            .defaultValue("kccr")
            .scope(Scope.NODE)
            .doc("Name of the cluster this node belongs to (cluster_name in GET /).")
            .build();
    public static final Setting<String> NODE_NAME = Setting.string("node.name")
            .validator(NodeScopeSettings::isName)
            .accepted("a non-empty name without ':'")
            .defaultValue("node-1")
            .scope(Scope.NODE)
            .doc("Name of this node, unique within the cluster.")
            .build();
    public static final Setting<String> HTTP_HOST = Setting.string("http.host")
            .validator(v -> !v.isEmpty() && v.chars().noneMatch(Character::isWhitespace))
            .accepted("a host name or IP address; 0.0.0.0 binds every interface")
            .defaultValue("127.0.0.1")
            .scope(Scope.NODE)
            .doc("Address the Elasticsearch-compatible REST API binds to.")
            .build();
    public static final Setting<Integer> HTTP_PORT = Setting.integer("http.port", 0, 65535)
            .defaultValue("9200")
            .scope(Scope.NODE)
            .doc("Port of the REST API; 0 picks any free port.")
            .build();
    public static final Setting<ByteSizeValue> HTTP_MAX_CONTENT_LENGTH = Setting.byteSize("http.max_content_length")
            .validator(v -> v.bytes() >= 1 && v.bytes() <= Integer.MAX_VALUE)
            .accepted("a byte size with unit b, kb, mb or gb (e.g. 100mb), from 1b to 2147483647b")
            .defaultValue("100mb")
            .scope(Scope.NODE)
            .doc("Largest request body the REST API accepts; larger ones are rejected with 413.")
            .build();
    public static final Setting<Path> PATH_DATA = Setting.path("path.data")
            .defaultValue("./data")
            .scope(Scope.NODE)
            .doc("Directory of this node's Lucene shards, its state and the embedded broker's log (relative to the "
                    + "working directory).")
            .build();
    public static final Setting<String> KAFKA_BOOTSTRAP_SERVERS = Setting.string("kafka.bootstrap.servers")
            .validator(NodeScopeSettings::isHostPortList)
            .accepted("a comma-separated list of host:port")
            .scope(Scope.NODE)
            .doc("The Kafka cluster used as the replication log; unset starts an embedded single-node broker (KRaft) "
                    + "whose log lives under path.data.")
            .build();
    public static final Setting<Integer> KAFKA_EMBEDDED_PORT = Setting.integer("kafka.embedded.port", 0, 65535)
            .defaultValue("9092")
            .scope(Scope.NODE)
            .doc("Client port of the embedded broker (only used when kafka.bootstrap.servers is unset); 0 picks any "
                    + "free port.")
            .build();
    public static final Setting<String> CCR_TOPIC_PREFIX = Setting.string("ccr.topic.prefix")
            .validator(NodeScopeSettings::isTopicPrefix)
            .accepted("1 to 100 characters among a-z A-Z 0-9 . _ -")
            .defaultValue("ccr")
            .scope(Scope.NODE)
            .doc("Prefix of every Kafka topic this node creates or reads.")
            .build();
    public static final Setting<String> CCR_OPS_CLEANUP_POLICY = Setting.string("ccr.ops.cleanup_policy")
            .validator(v -> v.equals("compact") || v.equals("delete") || v.equals("compact,delete"))
            .accepted("one of compact, delete, compact,delete")
            .defaultValue("compact")
            .scope(Scope.NODE)
            .doc("cleanup.policy of the operations topics; compact keeps the latest operation per document.")
            .build();
    public static final Setting<TimeValue> CCR_WRITE_TIMEOUT = Setting.time("ccr.write.timeout")
            .validator(t -> t.nanos() > 0)
            .accepted("a positive time value with unit ms, s, m or h (e.g. 10s)")
            .defaultValue("10s")
            .scope(Scope.NODE)
            .doc("How long a write waits for Kafka to acknowledge it before failing with 503.")
            .build();

    public static final Setting<Integer> CCR_TOPIC_REPLICATION_FACTOR = Setting.integer(
                    "ccr.topic.replication_factor", 1, Short.MAX_VALUE)
            .scope(Scope.NODE)
            .doc("Replication factor of the topics this node creates; unset: min(3, brokers in the Kafka cluster).")
            .build();
    public static final Setting<Integer> CCR_TOPIC_MIN_INSYNC_REPLICAS = Setting.integer(
                    "ccr.topic.min_insync_replicas", 1, Short.MAX_VALUE)
            .scope(Scope.NODE)
            .doc("min.insync.replicas of the topics this node creates (a write is acknowledged once that many "
                    + "replicas have it); unset: min(2, replication factor).")
            .build();
    public static final Setting<Boolean> CCR_TOPIC_ALLOW_UNSAFE_DURABILITY = Setting.bool(
                    "ccr.topic.allow_unsafe_durability")
            .defaultValue("false")
            .scope(Scope.NODE)
            .doc("Write to topics whose settings can lose acknowledged writes (replication factor or "
                    + "min.insync.replicas below 2, unclean leader election on); the embedded broker sets it.")
            .build();
    public static final Setting<Boolean> CCR_KAFKA_ALLOW_CLUSTER_CHANGE = Setting.bool(
                    "ccr.kafka.allow_cluster_change")
            .defaultValue("false")
            .scope(Scope.NODE)
            .doc("Start although path.data was used with another Kafka cluster or topic prefix; indices the new "
                    + "log does not list are kept as dangling indices (GET /_dangling).")
            .build();
    public static final Setting<Long> INDEXING_PRESSURE_MEMORY_LIMIT = Setting.of("indexing_pressure.memory.limit",
                    Setting.Type.BYTE_SIZE, NodeScopeSettings::heapShare)
            .accepted("a percentage of the heap (e.g. 10%) or a byte size (e.g. 64mb)")
            .defaultValue("10%")
            .scope(Scope.NODE)
            .doc("Request bytes of the writes in flight on this node at most; a write beyond it gets 429 "
                    + "es_rejected_execution_exception.")
            .build();

    /** Prefix of the Kafka client properties passed through to every Kafka client of the node. */
    public static final String KAFKA_PREFIX = "kafka.";

    /** {@code kafka.<client property>}: any other {@code kafka.X} goes, as {@code X}, to every Kafka client. */
    public static final PrefixSetting<String> KAFKA_CLIENT = new PrefixSetting<>(KAFKA_PREFIX, "<client property>",
            List.of("kafka.embedded."), key -> Setting.string(key)
                    .accepted("any Kafka client property value")
                    .scope(Scope.NODE)
                    .doc("Passed, without the 'kafka.' prefix, to every Kafka client the node creates (producers, "
                            + "consumers, admin), e.g. -E kafka.security.protocol=SASL_SSL; Kafka checks the values "
                            + "when the node starts.")
                    .build());

    /** The table, in the order help and docs show it. */
    public static final List<Setting<?>> ALL = List.of(CLUSTER_NAME, NODE_NAME, HTTP_HOST, HTTP_PORT,
            HTTP_MAX_CONTENT_LENGTH, PATH_DATA, KAFKA_BOOTSTRAP_SERVERS, KAFKA_EMBEDDED_PORT, CCR_TOPIC_PREFIX,
            CCR_OPS_CLEANUP_POLICY, CCR_WRITE_TIMEOUT, CCR_TOPIC_REPLICATION_FACTOR, CCR_TOPIC_MIN_INSYNC_REPLICAS,
            CCR_TOPIC_ALLOW_UNSAFE_DURABILITY, CCR_KAFKA_ALLOW_CLUSTER_CHANGE, INDEXING_PRESSURE_MEMORY_LIMIT);

    private NodeScopeSettings() {
    }

    /** Bytes: a percentage of the maximum heap, or a byte size; above 0. */
    static Long heapShare(String value) {
        String t = value.trim();
        if (t.endsWith("%")) {
            double percent = Double.parseDouble(t.substring(0, t.length() - 1));
            if (!(percent > 0 && percent <= 100)) {
                throw new IllegalArgumentException("a percentage must be above 0 and at most 100");
            }
            return (long) (Runtime.getRuntime().maxMemory() * percent / 100);
        }
        long bytes = io.kccr.core.settings.ByteSizeValue.parse(t, "indexing_pressure.memory.limit").bytes();
        if (bytes <= 0) {
            throw new IllegalArgumentException("a byte size must be above 0");
        }
        return bytes;
    }

    private static boolean isName(String v) {
        return !v.isBlank() && v.indexOf(':') < 0;
    }


    /** Whether {@code v} is a {@code host:port[,host:port]} list (spaces around the commas allowed). */
    static boolean isHostPortList(String v) {
        for (String server : v.split(",", -1)) {
            Matcher m = HOST_PORT.matcher(server.strip());
            if (!m.matches() || Integer.parseInt(m.group(2)) > 65535) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code v} is legal at the start of Kafka topic names, 1 to 100 characters. */
    static boolean isTopicPrefix(String v) {
        return TOPIC_PREFIX.matcher(v).matches();
    }
}
