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
    public static final Setting<String> HTTP_PUBLISH_HOST = Setting.string("http.publish_host")
            .validator(v -> !v.isEmpty() && v.chars().noneMatch(Character::isWhitespace) && !v.equals("0.0.0.0"))
            .accepted("a host name or IP address the other nodes reach this one at")
            .scope(Scope.NODE)
            .doc("Address the other nodes of the cluster send requests to this node at; default http.host, or this "
                    + "machine's host name when http.host is 0.0.0.0.")
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
    public static final Setting<String> DISCOVERY_TYPE = Setting.string("discovery.type")
            .validator(v -> v.equals("multi-node") || v.equals("single-node"))
            .accepted("multi-node or single-node")
            .defaultValue("single-node")
            .scope(Scope.NODE)
            .doc("single-node: this node holds every shard of every index and joins no cluster; multi-node: the "
                    + "nodes of one cluster.name on one Kafka and topic prefix form a cluster (a Kafka consumer group) "
                    + "and share the shards.")
            .build();
    public static final Setting<TimeValue> SESSION_TIMEOUT = Setting.time("cluster.fault_detection.session_timeout")
            .validator(t -> t.millis() >= 1000)
            .accepted("a time value of at least 1s (Kafka brokers allow 6s to 30m by default)")
            .defaultValue("6s")
            .scope(Scope.NODE)
            .doc("How long a node may stay silent before the cluster takes its shards over (the session timeout of "
                    + "its membership of the cluster's Kafka group).")
            .build();
    public static final Setting<TimeValue> CCR_WRITE_TIMEOUT = Setting.time("ccr.write.timeout")
            .validator(t -> t.nanos() > 0)
            .accepted("a positive time value with unit ms, s, m or h (e.g. 10s)")
            .defaultValue("10s")
            .scope(Scope.NODE)
            .doc("How long a write waits for Kafka to acknowledge it before failing with 503.")
            .build();

    public static final Setting<Boolean> SECURITY_ENABLED = Setting.bool("xpack.security.enabled")
            .defaultValue("true")
            .scope(Scope.NODE)
            .doc("Whether requests must authenticate (users, roles, API keys) and be authorized; false only by choice,"
                    + " and then a non-loopback http.host needs xpack.security.allow_insecure_bind.")
            .build();
    public static final Setting<Boolean> SECURITY_ALLOW_INSECURE_BIND = Setting.bool(
                    "xpack.security.allow_insecure_bind")
            .defaultValue("false")
            .scope(Scope.NODE)
            .doc("With security off, allow binding a non-loopback http.host (anyone reaching the port may read, write "
                    + "and delete every index); without it such a node refuses to start.")
            .build();
    public static final Setting<String> BOOTSTRAP_PASSWORD = Setting.string("bootstrap.password")
            .validator(v -> v.length() >= 6)
            .accepted("a password of at least 6 characters")
            .scope(Scope.NODE)
            .doc("Password of the built-in superuser elastic on the cluster's first start; unset generates one and "
                    + "prints it once (bin/kccr reset-password -u elastic sets another).")
            .build();
    public static final Setting<Boolean> HTTP_SSL_ENABLED = Setting.bool("xpack.security.http.ssl.enabled")
            .scope(Scope.NODE)
            .doc("TLS on the REST API. Unset: on, with a CA and certificate generated under path.data on first start, "
                    + "when security is on and http.host is not a loopback address; else off.")
            .build();
    public static final Setting<Path> HTTP_SSL_KEYSTORE_PATH = Setting.path("xpack.security.http.ssl.keystore.path")
            .scope(Scope.NODE)
            .doc("PKCS#12 key store holding the HTTP certificate and its key (instead of certificate and key).")
            .build();
    public static final Setting<String> HTTP_SSL_KEYSTORE_PASSWORD = Setting.string(
                    "xpack.security.http.ssl.keystore.password")
            .accepted("the key store's password")
            .defaultValue("")
            .scope(Scope.NODE)
            .doc("Password of the PKCS#12 key store (and of its key).")
            .build();
    public static final Setting<Path> HTTP_SSL_CERTIFICATE = Setting.path("xpack.security.http.ssl.certificate")
            .scope(Scope.NODE)
            .doc("PEM file of the HTTP certificate (its chain may follow), used with key.")
            .build();
    public static final Setting<Path> HTTP_SSL_KEY = Setting.path("xpack.security.http.ssl.key")
            .scope(Scope.NODE)
            .doc("PEM file of the HTTP certificate's private key (unencrypted PKCS#8 or PKCS#1).")
            .build();
    public static final Setting<Path> HTTP_SSL_CERTIFICATE_AUTHORITIES = Setting.path(
                    "xpack.security.http.ssl.certificate_authorities")
            .scope(Scope.NODE)
            .doc("PEM file of the CA that issued the HTTP certificate; its SHA-256 fingerprint is printed at start.")
            .build();
    public static final Setting<Boolean> HTTP_CORS_ENABLED = Setting.bool("http.cors.enabled")
            .defaultValue("false")
            .scope(Scope.NODE)
            .doc("Allow cross-origin requests from http.cors.allow-origin; off, every request with a foreign Origin "
                    + "header is refused with 403.")
            .build();
    public static final Setting<String> HTTP_CORS_ALLOW_ORIGIN = Setting.string("http.cors.allow-origin")
            .accepted("an origin (e.g. https://app.example:8443), *, or a /regular expression/")
            .defaultValue("")
            .scope(Scope.NODE)
            .doc("Origins allowed with http.cors.enabled: an origin, * for any, or a /regular expression/.")
            .build();
    public static final Setting<Boolean> HTTP_CORS_ALLOW_CREDENTIALS = Setting.bool("http.cors.allow-credentials")
            .defaultValue("false")
            .scope(Scope.NODE)
            .doc("Whether allowed origins may send credentials (Access-Control-Allow-Credentials).")
            .build();
    public static final Setting<String> HTTP_CORS_ALLOW_HEADERS = Setting.string("http.cors.allow-headers")
            .accepted("a comma-separated list of header names")
            .defaultValue("X-Requested-With,Content-Type,Content-Length,Authorization,Accept,User-Agent,"
                    + "X-Elastic-Client-Meta")
            .scope(Scope.NODE)
            .doc("Headers an allowed origin may send.")
            .build();
    public static final Setting<String> HTTP_CORS_ALLOW_METHODS = Setting.string("http.cors.allow-methods")
            .accepted("a comma-separated list of HTTP methods")
            .defaultValue("OPTIONS,HEAD,GET,POST,PUT,DELETE")
            .scope(Scope.NODE)
            .doc("Methods an allowed origin may use.")
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
                    Setting.Type.BYTE_SIZE, v -> ByteSizeValue.parseBytesOrHeapRatio(v,
                    "indexing_pressure.memory.limit"))
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
            HTTP_PUBLISH_HOST, HTTP_MAX_CONTENT_LENGTH, PATH_DATA, KAFKA_BOOTSTRAP_SERVERS, KAFKA_EMBEDDED_PORT,
            CCR_TOPIC_PREFIX, CCR_OPS_CLEANUP_POLICY, DISCOVERY_TYPE, SESSION_TIMEOUT, CCR_WRITE_TIMEOUT,
            CCR_TOPIC_REPLICATION_FACTOR, CCR_TOPIC_MIN_INSYNC_REPLICAS, CCR_TOPIC_ALLOW_UNSAFE_DURABILITY,
            CCR_KAFKA_ALLOW_CLUSTER_CHANGE, INDEXING_PRESSURE_MEMORY_LIMIT, SECURITY_ENABLED,
            SECURITY_ALLOW_INSECURE_BIND, BOOTSTRAP_PASSWORD, HTTP_SSL_ENABLED, HTTP_SSL_KEYSTORE_PATH,
            HTTP_SSL_KEYSTORE_PASSWORD, HTTP_SSL_CERTIFICATE, HTTP_SSL_KEY, HTTP_SSL_CERTIFICATE_AUTHORITIES,
            HTTP_CORS_ENABLED, HTTP_CORS_ALLOW_ORIGIN, HTTP_CORS_ALLOW_CREDENTIALS, HTTP_CORS_ALLOW_HEADERS,
            HTTP_CORS_ALLOW_METHODS);

    private NodeScopeSettings() {
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
