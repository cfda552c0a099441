package io.kccr.node.settings;

import io.kccr.core.settings.AffixSetting;
import io.kccr.core.settings.Setting;
import io.kccr.core.settings.Setting.Scope;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * The remote cluster settings, {@code cluster.remote.<name>.<suffix>}: {@code seeds}, {@code http},
 * {@code kafka.bootstrap.servers}, {@code topic_prefix}, {@code skip_unavailable}, Elasticsearch's {@code mode},
 * {@code proxy_address}, {@code server_name}, {@code node_connections} and {@code proxy_socket_connections}, and any
 * {@code kafka.<client property>} (passed to every Kafka client for that remote). All dynamic; a node also takes them
 * at start-up. A name is non-empty and has no {@code .}, {@code :}, {@code ,}, {@code *} or whitespace.
 */
public final class RemoteClusterSettings {

    /** Prefix of every remote cluster setting. */
    public static final String PREFIX = "cluster.remote.";

    /** The group of the remote's Kafka client passthrough, {@code cluster.remote.<name>.kafka.<property>}. */
    public static final String KAFKA_GROUP = "kafka.";

    public static final AffixSetting<List<String>> SEEDS = AffixSetting.of(PREFIX, "seeds", key -> Setting
            .list(key, RemoteClusterSettings::normalizeHttpAddress)
            .accepted("a comma-separated list of HTTP addresses host:port or http://host:port")
            .scope(Scope.CLUSTER).dynamic()
            .doc("HTTP address(es) of node(s) of the remote cluster; the node asks the first that answers GET "
                    + "/_kccr/cluster for the remote's Kafka bootstrap servers and topic prefix.")
            .build());
    public static final AffixSetting<String> HTTP = AffixSetting.of(PREFIX, "http", key -> Setting
            .of(key, Setting.Type.STRING, RemoteClusterSettings::normalizeHttpAddress)
            .accepted("an HTTP address host:port or http://host:port")
            .scope(Scope.CLUSTER).dynamic()
            .doc("HTTP address of the remote cluster, used with kafka.bootstrap.servers instead of seeds (and for "
                    + "anything the follower fetches over HTTP).")
            .build());
    public static final AffixSetting<String> KAFKA_BOOTSTRAP_SERVERS = AffixSetting.of(PREFIX,
            KAFKA_GROUP + "bootstrap.servers", key -> Setting.string(key)
                    .validator(NodeScopeSettings::isHostPortList)
                    .accepted("a comma-separated list of host:port")
                    .scope(Scope.CLUSTER).dynamic()
                    .doc("Bootstrap servers of the remote cluster's Kafka; when set, nothing is learned over HTTP and "
                            + "topic_prefix applies as set (default ccr).")
                    .build());
    public static final AffixSetting<String> TOPIC_PREFIX = AffixSetting.of(PREFIX, "topic_prefix", key -> Setting
            .string(key)
            .validator(NodeScopeSettings::isTopicPrefix)
            .accepted("1 to 100 characters among a-z A-Z 0-9 . _ -")
            .defaultValue("ccr")
            .scope(Scope.CLUSTER).dynamic()
            .doc("The remote cluster's ccr.topic.prefix; when unset it is learned from the seeds, or is ccr.")
            .build());
    public static final AffixSetting<Boolean> SKIP_UNAVAILABLE = AffixSetting.of(PREFIX, "skip_unavailable", key ->
            Setting.bool(key)
                    .defaultValue("false")
                    .scope(Scope.CLUSTER).dynamic()
                    .doc("Accepted for Elasticsearch compatibility and shown in GET /_remote/info.")
                    .build());
    public static final AffixSetting<String> MODE = AffixSetting.of(PREFIX, "mode", key -> Setting.string(key)
            .validator(v -> v.equals("sniff") || v.equals("proxy"))
            .accepted("sniff or proxy")
            .defaultValue("sniff")
            .scope(Scope.CLUSTER).dynamic()
            .doc("Elasticsearch's connection mode, shown in GET /_remote/info: sniff takes the remote's HTTP address "
                    + "from seeds, proxy from proxy_address.")
            .build());
    public static final AffixSetting<String> PROXY_ADDRESS = AffixSetting.of(PREFIX, "proxy_address", key -> Setting
            .of(key, Setting.Type.STRING, RemoteClusterSettings::normalizeHttpAddress)
            .accepted("an HTTP address host:port or http://host:port")
            .scope(Scope.CLUSTER).dynamic()
            .doc("In proxy mode, the HTTP address of the remote cluster (e.g. a load balancer in front of its "
                    + "nodes), used as one seed is.")
            .build());
    public static final AffixSetting<String> SERVER_NAME = AffixSetting.of(PREFIX, "server_name", key -> Setting
            .string(key)
            .accepted("a host name")
            .scope(Scope.CLUSTER).dynamic()
            .doc("Accepted for Elasticsearch compatibility and shown in GET /_remote/info in proxy mode; no effect "
                    + "(the remote's HTTP address is called by its own host name).")
            .build());
    public static final AffixSetting<Integer> NODE_CONNECTIONS = AffixSetting.of(PREFIX, "node_connections", key ->
            Setting.integer(key, 1, Integer.MAX_VALUE)
                    .defaultValue("3")
                    .scope(Scope.CLUSTER).dynamic()
                    .doc("Accepted for Elasticsearch compatibility and shown in GET /_remote/info in sniff mode; no "
                            + "effect (a follower reads the remote's Kafka, not its nodes).")
                    .build());
    public static final AffixSetting<Integer> PROXY_SOCKET_CONNECTIONS = AffixSetting.of(PREFIX,
            "proxy_socket_connections", key -> Setting.integer(key, 1, Integer.MAX_VALUE)
                    .defaultValue("18")
                    .scope(Scope.CLUSTER).dynamic()
                    .doc("Accepted for Elasticsearch compatibility and shown in GET /_remote/info in proxy mode; no "
                            + "effect (a follower reads the remote's Kafka, not its nodes).")
                    .build());
    public static final AffixSetting<String> CREDENTIALS = AffixSetting.of(PREFIX, "credentials", key -> Setting
            .string(key)
            .accepted("the encoded value of a cross-cluster API key")
            .scope(Scope.CLUSTER).dynamic()
            .doc("A cross-cluster API key made on the remote (POST /_security/cross_cluster/api_key, its encoded "
                    + "value): sent on every HTTP request to the remote. Secret: never persisted by PUT "
                    + "/_cluster/settings (give it at start-up, or as a transient setting).")
            .build());
    public static final AffixSetting<Path> SSL_CERTIFICATE_AUTHORITIES = AffixSetting.of(PREFIX,
            "ssl.certificate_authorities", key -> Setting.path(key)
                    .scope(Scope.CLUSTER).dynamic()
                    .doc("PEM file of the CA(s) to trust for the remote's HTTPS address (default: the JVM's trusted "
                            + "CAs); the host name is verified.")
                    .build());
    public static final AffixSetting<String> SSL_CA_TRUSTED_FINGERPRINT = AffixSetting.of(PREFIX,
            "ssl.ca_trusted_fingerprint", key -> Setting.string(key)
                    .validator(v -> v.replace(":", "").matches("[0-9a-fA-F]{64}"))
                    .accepted("the SHA-256 fingerprint of the remote's CA certificate, 64 hex digits (colons allowed)")
                    .scope(Scope.CLUSTER).dynamic()
                    .doc("Trust the remote's HTTPS certificate when its chain holds a CA with this SHA-256 fingerprint "
                            + "(as printed on the remote's first start), instead of certificate_authorities.")
                    .build());
    public static final AffixSetting<String> KAFKA_CLIENT = AffixSetting.group(PREFIX, KAFKA_GROUP,
            "<client property>", key -> Setting.string(key)
                    .accepted("any Kafka client property value")
                    .scope(Scope.CLUSTER).dynamic()
                    .doc("Passed, without the prefix, to every Kafka client created for this remote (e.g. "
                            + "cluster.remote.<name>.kafka.security.protocol=SASL_SSL); Kafka checks the values.")
                    .build());

    /** The remote settings, in the order help and docs show them; the exact suffixes before the Kafka group. */
    public static final List<AffixSetting<?>> ALL = List.of(SEEDS, HTTP, KAFKA_BOOTSTRAP_SERVERS, TOPIC_PREFIX,
            SKIP_UNAVAILABLE, MODE, PROXY_ADDRESS, SERVER_NAME, NODE_CONNECTIONS, PROXY_SOCKET_CONNECTIONS,
            CREDENTIALS, SSL_CERTIFICATE_AUTHORITIES, SSL_CA_TRUSTED_FINGERPRINT, KAFKA_CLIENT);

    private RemoteClusterSettings() {
    }

    /**
     * The setting of a concrete {@code cluster.remote.<name>.<suffix>} key, or empty when {@code key} is not one.
     *
     * @throws IllegalArgumentException for a key whose cluster name is malformed (empty, with a {@code .}, ...),
     *                                  saying so: {@code invalid remote cluster name [a.b] in setting [...]}
     */
    public static Optional<Setting<?>> forKey(String key) {
        if (!key.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String rest = key.substring(PREFIX.length());
        int dot = rest.indexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        String name = rest.substring(0, dot);
        String suffix = rest.substring(dot + 1);
        Optional<AffixSetting<?>> family = family(suffix);
        if (family.isEmpty()) {
            // cluster.remote.a.b.seeds: a known suffix after more dotted parts is a name with a dot in it
            String tail = knownTail(suffix);
            if (!tail.isEmpty()) {
                throw badName(key, rest.substring(0, rest.length() - tail.length() - 1));
            }
            return Optional.empty();
        }
        if (!validName(name)) {
            throw badName(key, name);
        }
        return Optional.of(family.get().forKey(key));
    }

    private static Optional<AffixSetting<?>> family(String suffix) {
        return ALL.stream().filter(s -> s.matchesSuffix(suffix)).findFirst();
    }

    private static String knownTail(String suffix) {
        for (int i = suffix.indexOf('.'); i >= 0; i = suffix.indexOf('.', i + 1)) {
            String tail = suffix.substring(i + 1);
            if (family(tail).isPresent()) {
                return tail;
            }
        }
        return "";
    }

    private static IllegalArgumentException badName(String key, String name) {
        return new IllegalArgumentException("invalid remote cluster name [" + name + "] in setting [" + key
                + "]: a remote cluster name must be non-empty and must not contain '.', ':', ',', '*' or whitespace");
    }

    /** Whether {@code name} is a valid remote cluster name: non-empty, no {@code . : , *} or whitespace. */
    public static boolean validName(String name) {
        return !name.isEmpty() && name.chars().noneMatch(c -> c == '.' || c == ':' || c == ',' || c == '*'
                || Character.isWhitespace(c));
    }

    /** The remote cluster name of a {@code cluster.remote.<name>.<suffix>} key, or empty for any other key. */
    public static Optional<String> remoteName(String key) {
        if (!key.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String rest = key.substring(PREFIX.length());
        int dot = rest.indexOf('.');
        return dot <= 0 ? Optional.empty() : Optional.of(rest.substring(0, dot));
    }

    /** The concrete key of a remote setting: {@code remoteKey("leader", "seeds")} is {@code cluster.remote.leader.seeds}. */
    public static String remoteKey(String name, String suffix) {
        return PREFIX + name + "." + suffix;
    }

    /**
     * Whether {@code settings} define remote {@code name}: its seeds, proxy_address, http or kafka.bootstrap.servers
     * are set.
     */
    public static boolean isRemoteEnabled(String name, Map<String, String> settings) {
        return settings.containsKey(SEEDS.key(name)) || settings.containsKey(HTTP.key(name))
                || settings.containsKey(PROXY_ADDRESS.key(name))
                || settings.containsKey(KAFKA_BOOTSTRAP_SERVERS.key(name));
    }


    /**
     * Normalizes one HTTP address ({@code host:port}, {@code http://host:port}, {@code https://host:port}, with an
     * optional trailing {@code /}) to {@code http[s]://host:port}.
     *
     * @throws IllegalArgumentException when it is not such an address
     */
    public static String normalizeHttpAddress(String address) {
        String v = address.strip();
        String scheme = "http";
        int sep = v.indexOf("://");
        if (sep >= 0) {
            scheme = v.substring(0, sep).toLowerCase(Locale.ROOT);
            v = v.substring(sep + 3);
        }
        if (v.endsWith("/")) {
            v = v.substring(0, v.length() - 1);
        }
        Matcher m = NodeScopeSettings.HOST_PORT.matcher(v);
        int port = m.matches() ? Integer.parseInt(m.group(2)) : 0;
        if (!scheme.equals("http") && !scheme.equals("https") || port < 1 || port > 65535) {
            throw new IllegalArgumentException("[" + address + "] is not an HTTP address host:port or "
                    + "http[s]://host:port");
        }
        URI.create(scheme + "://" + v); // throws on anything URI cannot take
        return scheme + "://" + v;
    }
}
