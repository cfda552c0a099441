package io.kccr.node.settings;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The table of <em>dynamic</em> settings: the ones {@code PUT /_cluster/settings} accepts (persistent or transient),
 * which a node also accepts at start-up ({@code -E} / YAML), as Elasticsearch does. Two kinds:
 * <ul>
 *   <li>plain keys, e.g. {@code ccr.indices.recovery.chunk_size};</li>
 *   <li>remote cluster keys {@code cluster.remote.<name>.<suffix>}: {@code seeds}, {@code http},
 *       {@code kafka.bootstrap.servers}, {@code topic_prefix}, {@code skip_unavailable}, and any
 *       {@code kafka.<client property>} (passed to every Kafka client for that remote). The name is non-empty and
 *       has no {@code .}, {@code :}, {@code ,}, {@code *} or whitespace.</li>
 * </ul>
 *
 * <p>Immutable. Values are strings (as in {@code -E key=value}); {@link #parse(String, String)} validates one and
 * throws an {@link IllegalArgumentException} in {@link NodeSetting}'s format:
 * {@code failed to parse value [v] for setting [k]: expected <accepted>}.
 */
public final class DynamicSetting {

    /** Prefix of every remote cluster setting. */
    public static final String REMOTE_PREFIX = "cluster.remote.";

    /** Suffix of the remote's Kafka client passthrough ({@code cluster.remote.<name>.kafka.<property>}). */
    public static final String REMOTE_KAFKA_SUFFIX = "kafka.";

    public static final DynamicSetting REMOTE_SEEDS = remote("seeds", null, true,
            "a comma-separated list of HTTP addresses host:port or http://host:port",
            "HTTP address(es) of node(s) of the remote cluster; the node asks the first that answers GET "
                    + "/_kccr/cluster for the remote's Kafka bootstrap servers and topic prefix.",
            DynamicSetting::httpAddresses);
    public static final DynamicSetting REMOTE_HTTP = remote("http", null, false,
            "an HTTP address host:port or http://host:port",
            "HTTP address of the remote cluster, used with kafka.bootstrap.servers instead of seeds (and for "
                    + "anything the follower fetches over HTTP).",
            DynamicSetting::httpAddress);
    public static final DynamicSetting REMOTE_KAFKA_BOOTSTRAP_SERVERS = remote("kafka.bootstrap.servers", null, false,
            "a comma-separated list of host:port",
            "Bootstrap servers of the remote cluster's Kafka; when set, nothing is learned over HTTP and "
                    + "topic_prefix applies as set (default ccr).",
            NodeSetting::bootstrapServers);
    public static final DynamicSetting REMOTE_TOPIC_PREFIX = remote("topic_prefix", "ccr", false,
            "1 to 100 characters among a-z A-Z 0-9 . _ -",
            "The remote cluster's ccr.topic.prefix; when unset it is learned from the seeds, or is ccr.",
            NodeSetting::topicPrefix);
    public static final DynamicSetting REMOTE_SKIP_UNAVAILABLE = remote("skip_unavailable", "false", false,
            "true or false",
            "Accepted for Elasticsearch compatibility and shown in GET /_remote/info.",
            DynamicSetting::bool);
    public static final DynamicSetting REMOTE_KAFKA_CLIENT = remote("kafka.<client property>", null, false,
            "any Kafka client property value",
            "Passed, without the prefix, to every Kafka client created for this remote (e.g. "
                    + "cluster.remote.<name>.kafka.security.protocol=SASL_SSL); Kafka checks the values.",
            v -> v);

    public static final DynamicSetting RECOVERY_MAX_BYTES_PER_SEC = plain("ccr.indices.recovery.max_bytes_per_sec",
            "40mb", "a byte size with unit b, kb, mb or gb (e.g. 40mb); 0 means unlimited",
            "Largest rate at which a follower copies index files from a leader during recovery, per node.",
            v -> v.equals("0") ? 0L : NodeSetting.parseByteSize(v));
    // 8mb rather than Elasticsearch's 1mb: each chunk is an HTTP request here, whose fixed cost dominates at 1mb
    public static final DynamicSetting RECOVERY_CHUNK_SIZE = plain("ccr.indices.recovery.chunk_size",
            "8mb", "a byte size with unit b, kb, mb or gb, from 1b to 2147483647b (e.g. 1mb)",
            "Size of the pieces in which a follower copies index files from a leader during recovery.",
            DynamicSetting::chunkSize);
    public static final DynamicSetting RECOVERY_MAX_CONCURRENT_FILE_CHUNKS = plain(
            "ccr.indices.recovery.max_concurrent_file_chunks", "5", "an integer from 1 to 10",
            "How many file chunks a follower requests at a time during recovery.",
            DynamicSetting::concurrentChunks);

    public static final DynamicSetting RECOVERY_ACTIVITY_TIMEOUT = plain(
            "ccr.indices.recovery.recovery_activity_timeout", "60s",
            "a time value above 0 with unit ms, s, m or h (e.g. 60s)",
            "How long a leader keeps a restore session that receives no request; then it releases the session and "
                    + "the index commits it pins.",
            DynamicSetting::positiveTime);
    public static final DynamicSetting RECOVERY_MAX_SESSIONS = plain("ccr.recovery.max_sessions", "16",
            "an integer from 1 to 1024",
            "How many restore sessions (followers bootstrapping from this node's indices) a leader node keeps open "
                    + "at once; one more is refused with 429.",
            DynamicSetting::maxSessions);

    public static final DynamicSetting SEARCH_MAX_BUCKETS = plain("search.max_buckets", "65536",
            "an integer from 1 to 2147483647",
            "Most buckets one search's aggregations may return, over all levels; more is a 400 too_many_buckets_exception.",
            v -> positiveInt(v, 1));
    public static final DynamicSetting SEARCH_MAX_OPEN_SCROLL_CONTEXT = plain("search.max_open_scroll_context", "500",
            "an integer from 0 to 2147483647",
            "Most scrolls open at once on this node; one more is refused with 429 too_many_scroll_contexts_exception.",
            v -> positiveInt(v, 0));
    public static final DynamicSetting SEARCH_MAX_KEEP_ALIVE = plain("search.max_keep_alive", "24h",
            "a time value above 0 with unit ms, s, m or h (e.g. 24h)",
            "Longest keep_alive a scroll or point in time may ask for.",
            DynamicSetting::positiveTime);
    public static final DynamicSetting BREAKER_REQUEST_LIMIT = plain("indices.breaker.request.limit", "60%",
            "a percentage of the heap (e.g. 60%) or a byte size with unit b, kb, mb or gb",
            "Memory all running searches may hold for aggregations at once; a search that would pass it gets 429"
                    + " circuit_breaking_exception.",
            DynamicSetting::breakerLimit);

    private static final List<DynamicSetting> ALL = List.of(REMOTE_SEEDS, REMOTE_HTTP, REMOTE_KAFKA_BOOTSTRAP_SERVERS,
            REMOTE_TOPIC_PREFIX, REMOTE_SKIP_UNAVAILABLE, REMOTE_KAFKA_CLIENT, RECOVERY_MAX_BYTES_PER_SEC,
            RECOVERY_CHUNK_SIZE, RECOVERY_MAX_CONCURRENT_FILE_CHUNKS, RECOVERY_ACTIVITY_TIMEOUT, RECOVERY_MAX_SESSIONS,
            SEARCH_MAX_BUCKETS, SEARCH_MAX_OPEN_SCROLL_CONTEXT, SEARCH_MAX_KEEP_ALIVE, BREAKER_REQUEST_LIMIT);

    private static final Map<String, DynamicSetting> PLAIN = Map.of(
            RECOVERY_MAX_BYTES_PER_SEC.key, RECOVERY_MAX_BYTES_PER_SEC,
            RECOVERY_CHUNK_SIZE.key, RECOVERY_CHUNK_SIZE,
            RECOVERY_MAX_CONCURRENT_FILE_CHUNKS.key, RECOVERY_MAX_CONCURRENT_FILE_CHUNKS,
            RECOVERY_ACTIVITY_TIMEOUT.key, RECOVERY_ACTIVITY_TIMEOUT,
            RECOVERY_MAX_SESSIONS.key, RECOVERY_MAX_SESSIONS,
            SEARCH_MAX_BUCKETS.key, SEARCH_MAX_BUCKETS,
            SEARCH_MAX_OPEN_SCROLL_CONTEXT.key, SEARCH_MAX_OPEN_SCROLL_CONTEXT,
            SEARCH_MAX_KEEP_ALIVE.key, SEARCH_MAX_KEEP_ALIVE,
            BREAKER_REQUEST_LIMIT.key, BREAKER_REQUEST_LIMIT);

    private static final Map<String, DynamicSetting> REMOTE_BY_SUFFIX = Map.of(
            "seeds", REMOTE_SEEDS,
            "http", REMOTE_HTTP,
            "kafka.bootstrap.servers", REMOTE_KAFKA_BOOTSTRAP_SERVERS,
            "topic_prefix", REMOTE_TOPIC_PREFIX,
            "skip_unavailable", REMOTE_SKIP_UNAVAILABLE);

    private final String key;
    private final String remoteSuffix;
    private final String defaultValue;
    private final boolean list;
    private final String accepted;
    private final String doc;
    private final Function<String, ?> parser;

    private DynamicSetting(String key, String remoteSuffix, String defaultValue, boolean list, String accepted,
                           String doc, Function<String, ?> parser) {
        this.key = key;
        this.remoteSuffix = remoteSuffix;
        this.defaultValue = defaultValue;
        this.list = list;
        this.accepted = accepted;
        this.doc = doc;
        this.parser = parser;
    }

    private static DynamicSetting remote(String suffix, String defaultValue, boolean list, String accepted, String doc,
                                         Function<String, ?> parser) {
        return new DynamicSetting(REMOTE_PREFIX + "<name>." + suffix, suffix, defaultValue, list, accepted, doc, parser);
    }

    private static DynamicSetting plain(String key, String defaultValue, String accepted, String doc,
                                        Function<String, ?> parser) {
        return new DynamicSetting(key, null, defaultValue, false, accepted, doc, parser);
    }

    // ------------------------------------------------------------------------------------------ lookup

    /** All dynamic settings, for help output and docs. */
    public static List<DynamicSetting> all() {
        return ALL;
    }

    /**
     * The table entry for a concrete key, or empty when the key is not a dynamic setting.
     *
     * @throws IllegalArgumentException for a {@code cluster.remote.} key whose cluster name is malformed (empty, or
     *                                  with a {@code .} in it), saying so
     */
    public static Optional<DynamicSetting> forKey(String key) {
        DynamicSetting plain = PLAIN.get(key);
        if (plain != null) {
            return Optional.of(plain);
        }
        if (!key.startsWith(REMOTE_PREFIX)) {
            return Optional.empty();
        }
        String rest = key.substring(REMOTE_PREFIX.length());
        int dot = rest.indexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        String name = rest.substring(0, dot);
        String suffix = rest.substring(dot + 1);
        DynamicSetting def = remoteSuffix(suffix);
        if (def == null) {
            if (looksLikeDottedName(suffix)) {
                throw badRemoteName(key, rest.substring(0, rest.length() - knownTail(suffix).length() - 1));
            }
            return Optional.empty();
        }
        if (!validRemoteName(name)) {
            throw badRemoteName(key, name);
        }
        return Optional.of(def);
    }

    /** Whether {@code key} is a dynamic setting (a malformed remote name counts as one: {@link #forKey} throws). */
    public static boolean isDynamic(String key) {
        try {
            return forKey(key).isPresent();
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    /** The remote cluster name of a {@code cluster.remote.<name>.<suffix>} key, or empty for any other key. */
    public static Optional<String> remoteName(String key) {
        if (!key.startsWith(REMOTE_PREFIX)) {
            return Optional.empty();
        }
        String rest = key.substring(REMOTE_PREFIX.length());
        int dot = rest.indexOf('.');
        return dot <= 0 ? Optional.empty() : Optional.of(rest.substring(0, dot));
    }

    /** Whether {@code settings} define remote {@code name}: its seeds, http or kafka.bootstrap.servers are set. */
    public static boolean isRemoteEnabled(String name, Map<String, String> settings) {
        return settings.containsKey(remoteKey(name, "seeds"))
                || settings.containsKey(remoteKey(name, "http"))
                || settings.containsKey(remoteKey(name, "kafka.bootstrap.servers"));
    }

    /** The concrete key of a remote setting: {@code remoteKey("leader", "seeds")} is {@code cluster.remote.leader.seeds}. */
    public static String remoteKey(String name, String suffix) {
        return REMOTE_PREFIX + name + "." + suffix;
    }

    /** Whether {@code name} is a valid remote cluster name: non-empty, no {@code . : , *} or whitespace. */
    public static boolean validRemoteName(String name) {
        return !name.isEmpty() && name.chars().noneMatch(c -> c == '.' || c == ':' || c == ',' || c == '*'
                || Character.isWhitespace(c));
    }

    private static DynamicSetting remoteSuffix(String suffix) {
        DynamicSetting def = REMOTE_BY_SUFFIX.get(suffix);
        if (def == null && suffix.startsWith(REMOTE_KAFKA_SUFFIX) && suffix.length() > REMOTE_KAFKA_SUFFIX.length()) {
            def = REMOTE_KAFKA_CLIENT;
        }
        return def;
    }

    /** {@code b.seeds} in {@code cluster.remote.a.b.seeds}: a known suffix after more dotted parts. */
    private static boolean looksLikeDottedName(String suffix) {
        return !knownTail(suffix).isEmpty();
    }

    private static String knownTail(String suffix) {
        for (int i = suffix.indexOf('.'); i >= 0; i = suffix.indexOf('.', i + 1)) {
            String tail = suffix.substring(i + 1);
            if (remoteSuffix(tail) != null) {
                return tail;
            }
        }
        return "";
    }

    private static IllegalArgumentException badRemoteName(String key, String name) {
        return new IllegalArgumentException("invalid remote cluster name [" + name + "] in setting [" + key
                + "]: a remote cluster name must be non-empty and must not contain '.', ':', ',', '*' or whitespace");
    }

    // ------------------------------------------------------------------------------------------ the entry

    /** The key, with {@code <name>} (and {@code <client property>}) placeholders for remote settings. */
    public String key() {
        return key;
    }

    /** For a remote setting, the part after {@code cluster.remote.<name>.}; empty for a plain one. */
    public Optional<String> remoteSuffix() {
        return Optional.ofNullable(remoteSuffix);
    }

    /** Whether this is a {@code cluster.remote.<name>.*} setting. */
    public boolean isRemote() {
        return remoteSuffix != null;
    }

    /** The default as it would be written after {@code -E key=}, or empty when unset by default. */
    public Optional<String> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** Whether the value is a list (comma-separated in a string; rendered as a JSON array by the REST API). */
    public boolean isList() {
        return list;
    }

    /** What values are accepted. */
    public String accepted() {
        return accepted;
    }

    /** One-line documentation. */
    public String doc() {
        return doc;
    }

    /**
     * Validates a value of this setting under its concrete {@code key} and returns the typed value ({@link String},
     * {@code List<String>} of normalized {@code http://host:port} for seeds, {@link Long} bytes, {@link Integer},
     * {@link Boolean}, {@link java.time.Duration}).
     *
     * @throws IllegalArgumentException {@code failed to parse value [v] for setting [k]: expected <accepted>}
     */
    public Object parse(String key, String value) {
        if (value == null) {
            throw new IllegalArgumentException("setting [" + key + "] must not be null");
        }
        try {
            return parser.apply(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("failed to parse value [" + value + "] for setting [" + key + "]: expected " + accepted, e);
        }
    }

    /**
     * Validates a concrete key and its value: {@code forKey(key)} must exist, the value must parse.
     *
     * @throws IllegalArgumentException when the key is not a dynamic setting, has a malformed remote name, or the
     *                                  value is bad
     */
    public static Object validate(String key, String value) {
        DynamicSetting def = forKey(key).orElseThrow(() -> new IllegalArgumentException("setting [" + key + "] is not a dynamic setting"));
        return def.parse(key, value);
    }

    @Override
    public String toString() {
        return key;
    }

    // ---------------------------------------------------------------- parsers: throw anything on a bad value

    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[^\\s:,/\\[\\]@?#]+):(\\d{1,5})");

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
            scheme = v.substring(0, sep).toLowerCase(java.util.Locale.ROOT);
            require(scheme.equals("http") || scheme.equals("https"));
            v = v.substring(sep + 3);
        }
        if (v.endsWith("/")) {
            v = v.substring(0, v.length() - 1);
        }
        Matcher m = HOST_PORT.matcher(v);
        require(m.matches());
        int port = Integer.parseInt(m.group(2));
        require(port >= 1 && port <= 65535);
        URI.create(scheme + "://" + v); // throws on anything URI cannot take
        return scheme + "://" + v;
    }

    private static String httpAddress(String v) {
        return normalizeHttpAddress(v);
    }

    private static List<String> httpAddresses(String v) {
        List<String> out = new ArrayList<>();
        for (String s : v.split(",", -1)) {
            out.add(normalizeHttpAddress(s));
        }
        return List.copyOf(out);
    }




    private static Boolean bool(String v) {
        require(v.equals("true") || v.equals("false"));
        return Boolean.parseBoolean(v);
    }

    private static Long chunkSize(String v) {
        long bytes = NodeSetting.parseByteSize(v);
        require(bytes >= 1 && bytes <= Integer.MAX_VALUE);
        return bytes;
    }

    private static Integer concurrentChunks(String v) {
        int n = Integer.parseInt(v);
        require(n >= 1 && n <= 10);
        return n;
    }

    private static java.time.Duration positiveTime(String v) {
        java.time.Duration d = NodeSetting.parseTimeValue(v);
        require(d.isPositive());
        return d;
    }

    private static Integer maxSessions(String v) {
        int n = Integer.parseInt(v);
        require(n >= 1 && n <= 1024);
        return n;
    }

    private static Integer positiveInt(String v, int min) {
        int n = Integer.parseInt(v.trim());
        require(n >= min);
        return n;
    }

    /** A breaker limit in bytes: a percentage of the maximum heap or a byte size. */
    private static Long breakerLimit(String v) {
        String t = v.trim();
        if (t.endsWith("%")) {
            double pct = Double.parseDouble(t.substring(0, t.length() - 1));
            require(pct > 0 && pct <= 100);
            return (long) (Runtime.getRuntime().maxMemory() * pct / 100);
        }
        long bytes = NodeSetting.parseByteSize(t);
        require(bytes > 0);
        return bytes;
    }

    private static void require(boolean ok) {
        if (!ok) {
            throw new IllegalArgumentException();
        }
    }
}
