package io.kccr.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kccr.core.error.ApiException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The remote (leader) clusters this node knows, from the effective {@code cluster.remote.<name>.*} settings of its
 * {@link ClusterSettings} (node-level {@code -E} / YAML, overridden by persistent, overridden by transient ones).
 *
 * <h2>Resolving</h2>
 * {@link #resolve(String)} turns a name into a {@link ResolvedRemote}:
 * <ul>
 *   <li>with {@code kafka.bootstrap.servers} set, from the settings alone: topic prefix {@code topic_prefix} or
 *       {@code ccr}, HTTP address {@code http} (or the first seed, or null);</li>
 *   <li>otherwise by asking {@code GET /_kccr/cluster} of {@code http}, then of each seed in order, until one answers;
 *       an explicitly set {@code topic_prefix} wins over the answer's. The answer is cached until the remote's
 *       settings change or {@link #invalidate}; {@link #resolveFresh} asks again.</li>
 * </ul>
 *
 * <p>Thread-safe. Errors are {@link ApiException}s a REST handler can pass on: an unknown name is Elasticsearch's
 * {@code no_such_remote_cluster_exception} ({@link #noSuchRemoteCluster}); a remote none of whose HTTP addresses
 * answers is a 503 {@code connect_transport_exception} naming each address, what failed, and what to check.
 */
public final class RemoteClusters implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RemoteClusters.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How long a seed or a remote Kafka gets to answer by default. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);

    /** The endpoint every node serves for remotes to learn its Kafka side. */
    public static final String DISCOVERY_PATH = "/_kccr/cluster";

    /** What {@code GET /_kccr/cluster} answered, for the configuration it was asked with. */
    private record Discovered(RemoteCluster config, String httpAddress, String clusterName, String clusterUuid,
                              String bootstrapServers, String topicPrefix) {
    }

    private final ClusterSettings settings;
    private final Duration timeout;
    private final HttpClient http;
    private final Map<String, Discovered> cache = new ConcurrentHashMap<>();

    /** A registry over {@code settings}, giving seeds and remote Kafka {@link #DEFAULT_TIMEOUT} to answer. */
    public RemoteClusters(ClusterSettings settings) {
        this(settings, DEFAULT_TIMEOUT);
    }

    /** A registry over {@code settings}, giving seeds and remote Kafka {@code timeout} to answer. */
    public RemoteClusters(ClusterSettings settings, Duration timeout) {
        this.settings = settings;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        settings.addListener(change -> change.changedRemotes().forEach(cache::remove));
    }

    /** The settings the remotes are read from (and that {@code PUT /_cluster/settings} changes). */
    public ClusterSettings settings() {
        return settings;
    }

    /** Calls {@code listener} after every change of the dynamic cluster settings (see {@link ClusterSettings}). */
    public void addListener(Consumer<ClusterSettingsChange> listener) {
        settings.addListener(listener);
    }

    public void removeListener(Consumer<ClusterSettingsChange> listener) {
        settings.removeListener(listener);
    }

    // ------------------------------------------------------------------------------------------ configuration

    /** Names of the configured remotes (those with seeds, http or kafka.bootstrap.servers), sorted. */
    public SortedSet<String> names() {
        Map<String, String> current = settings.current();
        SortedSet<String> names = new TreeSet<>();
        for (String key : current.keySet()) {
            DynamicSetting.remoteName(key).filter(n -> RemoteCluster.isEnabled(n, current)).ifPresent(names::add);
        }
        return Collections.unmodifiableSortedSet(names);
    }

    /** Every configured remote by name, sorted; a snapshot. */
    public SortedMap<String, RemoteCluster> all() {
        Map<String, String> current = settings.current();
        SortedMap<String, RemoteCluster> out = new TreeMap<>();
        for (String name : names()) {
            out.put(name, RemoteCluster.fromSettings(name, current));
        }
        return Collections.unmodifiableSortedMap(out);
    }

    /** The remote's configuration, or empty when no remote has this name. */
    public Optional<RemoteCluster> get(String name) {
        Map<String, String> current = settings.current();
        if (name == null || !RemoteCluster.isEnabled(name, current)) {
            return Optional.empty();
        }
        return Optional.of(RemoteCluster.fromSettings(name, current));
    }

    /**
     * The remote's configuration.
     *
     * @throws ApiException {@link #noSuchRemoteCluster} when no remote has this name
     */
    public RemoteCluster require(String name) {
        return get(name).orElseThrow(() -> noSuchRemoteCluster(name));
    }

    /** The remote's {@code skip_unavailable} (default false). */
    public boolean skipUnavailable(String name) {
        return Boolean.parseBoolean(settings.get(DynamicSetting.remoteKey(name, "skip_unavailable")).orElse("false"));
    }

    /**
     * Elasticsearch's error for an unknown remote: {@code no_such_remote_cluster_exception}, reason
     * {@code no such remote cluster: [name]}, status 404 as in Elasticsearch 8/9 (where it is a
     * {@code ResourceNotFoundException}; it was a 400 in 6.x/7.x).
     */
    public static ApiException noSuchRemoteCluster(String name) {
        return new ApiException(404, "no_such_remote_cluster_exception", "no such remote cluster: [" + name + "]");
    }

    // ------------------------------------------------------------------------------------------ resolving

    /**
     * What a follower needs to read remote {@code name} (see the class doc); uses the cached answer of its seeds
     * when there is one for its current settings.
     *
     * @throws ApiException {@code no_such_remote_cluster_exception} for an unknown name; 503
     *                      {@code connect_transport_exception} when no HTTP address of the remote answers
     */
    public ResolvedRemote resolve(String name) {
        RemoteCluster config = require(name);
        if (!config.needsDiscovery()) {
            return explicit(config);
        }
        Discovered cached = cache.get(name);
        if (cached == null || !cached.config().equals(config)) {
            cached = discover(config);
        }
        return resolved(config, cached);
    }

    /** Like {@link #resolve} but asks the remote's HTTP addresses again instead of using the cached answer. */
    public ResolvedRemote resolveFresh(String name) {
        RemoteCluster config = require(name);
        return config.needsDiscovery() ? resolved(config, discover(config)) : explicit(config);
    }

    /** Forgets the cached answer for remote {@code name} (e.g. after its Kafka stopped answering). */
    public void invalidate(String name) {
        cache.remove(name);
    }

    private static ResolvedRemote explicit(RemoteCluster config) {
        List<String> addresses = config.httpAddresses();
        return new ResolvedRemote(config.name(), addresses.isEmpty() ? null : addresses.get(0),
                config.topicPrefix() != null ? config.topicPrefix()
                        : DynamicSetting.REMOTE_TOPIC_PREFIX.defaultValue().orElseThrow(),
                kafkaProperties(config, config.kafkaBootstrapServers()));
    }

    private static ResolvedRemote resolved(RemoteCluster config, Discovered d) {
        return new ResolvedRemote(config.name(), d.httpAddress(),
                config.topicPrefix() != null ? config.topicPrefix() : d.topicPrefix(),
                kafkaProperties(config, d.bootstrapServers()));
    }

    private static Map<String, Object> kafkaProperties(RemoteCluster config, String bootstrapServers) {
        Map<String, Object> props = new LinkedHashMap<>(config.kafkaClientProperties());
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return props;
    }

    /** Asks {@code GET /_kccr/cluster} of each HTTP address in turn; caches and returns the first answer. */
    private Discovered discover(RemoteCluster config) {
        List<String> failures = new ArrayList<>();
        for (String address : config.httpAddresses()) {
            try {
                Discovered d = ask(config, address);
                cache.put(config.name(), d);
                return d;
            } catch (DiscoveryFailure f) {
                failures.add("[" + address + "] " + f.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiException(503, "connect_transport_exception", "interrupted while asking remote cluster ["
                        + config.name() + "] at [" + address + "] for its Kafka address");
            }
        }
        String keys = DynamicSetting.REMOTE_PREFIX + config.name() + ".";
        throw new ApiException(503, "connect_transport_exception", "cannot learn the Kafka address of remote cluster ["
                + config.name() + "]: " + String.join("; ", failures) + ". Check that " + keys
                + (config.http() != null && config.seeds().isEmpty() ? "http" : "seeds")
                + " names the HTTP address (host:port of http.port, not Kafka's or a transport port) of a running "
                + "Kafka CCR node of that cluster, reachable from this node; or set " + keys + "http and " + keys
                + "kafka.bootstrap.servers explicitly", Map.of("remote_cluster", config.name()), null);
    }

    private static final class DiscoveryFailure extends Exception {
        DiscoveryFailure(String message) {
            super(message, null, false, false);
        }
    }

    private Discovered ask(RemoteCluster config, String address) throws DiscoveryFailure, InterruptedException {
        URI uri;
        try {
            uri = URI.create(address + DISCOVERY_PATH);
        } catch (IllegalArgumentException e) {
            throw new DiscoveryFailure("is not a valid address: " + e.getMessage());
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET()
                .build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpConnectTimeoutException e) {
            throw new DiscoveryFailure("did not accept a connection within " + timeout.toMillis() + "ms");
        } catch (HttpTimeoutException e) {
            throw new DiscoveryFailure("did not answer GET " + DISCOVERY_PATH + " within " + timeout.toMillis() + "ms");
        } catch (ConnectException e) {
            throw new DiscoveryFailure("refused the connection (nothing listens there?)"
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (IOException e) {
            throw new DiscoveryFailure("failed: " + e);
        }
        if (response.statusCode() != 200) {
            throw new DiscoveryFailure("answered GET " + DISCOVERY_PATH + " with HTTP " + response.statusCode()
                    + " (is it a Kafka CCR node? Elasticsearch itself has no such endpoint)");
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new DiscoveryFailure("answered GET " + DISCOVERY_PATH + " with something that is not JSON");
        }
        JsonNode kafka = body == null ? null : body.path("kafka");
        String bootstrap = kafka == null ? null : kafka.path("bootstrap_servers").textValue();
        String prefix = kafka == null ? null : kafka.path("topic_prefix").textValue();
        if (bootstrap == null || bootstrap.isBlank() || prefix == null || prefix.isBlank()) {
            throw new DiscoveryFailure("answered GET " + DISCOVERY_PATH + " without kafka.bootstrap_servers and "
                    + "kafka.topic_prefix (is it a Kafka CCR node?)");
        }
        log.info("remote cluster [{}] at [{}]: cluster [{}], Kafka [{}], topic prefix [{}]", config.name(), address,
                body.path("cluster_name").asText(""), bootstrap, prefix);
        return new Discovered(config, address, body.path("cluster_name").textValue(),
                body.path("cluster_uuid").textValue(), bootstrap, prefix);
    }

    // ------------------------------------------------------------------------------------------ connectivity

    /**
     * Checks remote {@code name} now: learns its Kafka address afresh when it comes from the seeds (refreshing the
     * cache), then asks its Kafka to describe the cluster and the {@code <prefix>.indices} topic, each within the
     * timeout. Never throws for an unreachable remote: the status says why.
     *
     * @throws ApiException {@code no_such_remote_cluster_exception} for an unknown name
     */
    public RemoteStatus status(String name) {
        return status(require(name));
    }

    /** {@link #status} of every configured remote, checked in parallel, by name. */
    public SortedMap<String, RemoteStatus> statuses() {
        Map<String, RemoteCluster> all = all();
        SortedMap<String, RemoteStatus> out = new TreeMap<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Map<String, Future<RemoteStatus>> futures = new LinkedHashMap<>();
            all.forEach((name, config) -> futures.put(name, pool.submit(() -> status(config))));
            for (Map.Entry<String, Future<RemoteStatus>> e : futures.entrySet()) {
                try {
                    out.put(e.getKey(), e.getValue().get());
                } catch (ExecutionException ex) {
                    RemoteCluster config = all.get(e.getKey());
                    out.put(e.getKey(), new RemoteStatus(config, skipUnavailable(config.name()), false, null, null,
                            null, null, null, "check failed: " + ex.getCause()));
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new ApiException(503, "exception", "interrupted while checking remote clusters");
                }
            }
        }
        return Collections.unmodifiableSortedMap(out);
    }

    private RemoteStatus status(RemoteCluster config) {
        boolean skip = skipUnavailable(config.name());
        ResolvedRemote resolved;
        Discovered discovered = null;
        if (config.needsDiscovery()) {
            try {
                discovered = discover(config);
            } catch (ApiException e) {
                List<String> addresses = config.httpAddresses();
                return new RemoteStatus(config, skip, false, addresses.isEmpty() ? null : addresses.get(0), null,
                        config.topicPrefix(), null, null, e.reason());
            }
            resolved = resolved(config, discovered);
        } else {
            resolved = explicit(config);
        }
        String reason = checkKafka(config, resolved);
        return new RemoteStatus(config, skip, reason == null, resolved.httpAddress(), resolved.bootstrapServers(),
                resolved.topicPrefix(), discovered == null ? null : discovered.clusterName(),
                discovered == null ? null : discovered.clusterUuid(), reason);
    }

    /** Null when the remote's Kafka answers and has its indices topic; else why not and what to check. */
    private String checkKafka(RemoteCluster config, ResolvedRemote remote) {
        String bootstrap = remote.bootstrapServers();
        String where = config.needsDiscovery()
                ? "the address the remote reported; if this node reaches that Kafka by another address, set "
                        + DynamicSetting.remoteKey(config.name(), "kafka.bootstrap.servers")
                : DynamicSetting.remoteKey(config.name(), "kafka.bootstrap.servers");
        String check = "check " + where + ", that Kafka runs, and the " + DynamicSetting.remoteKey(config.name(),
                "kafka.*") + " client properties (TLS/SASL)";
        int ms = (int) Math.max(1, timeout.toMillis());
        Map<String, Object> props = new HashMap<>(remote.kafkaClientProperties());
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "kccr-remote-check-" + config.name());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
        props.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, (long) Math.min(ms, 1000));
        props.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, (long) ms);
        Admin admin;
        try {
            admin = Admin.create(props);
        } catch (KafkaException e) {
            return "cannot create a Kafka client for [" + bootstrap + "]: " + message(e) + "; " + check;
        }
        try {
            try {
                admin.describeCluster(new DescribeClusterOptions().timeoutMs(ms)).nodes()
                        .get(ms + 1000L, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                return "Kafka at [" + bootstrap + "] did not answer within " + ms + "ms (" + message(cause) + "); "
                        + check;
            }
            String topic = remote.topics().indices();
            try {
                admin.describeTopics(List.of(topic), new DescribeTopicsOptions().timeoutMs(ms)).allTopicNames()
                        .get(ms + 1000L, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    return "topic [" + topic + "] does not exist on Kafka [" + bootstrap + "]: no Kafka CCR cluster "
                            + "with topic prefix [" + remote.topicPrefix() + "] uses this Kafka; check "
                            + DynamicSetting.remoteKey(config.name(), "topic_prefix")
                            + " (the remote's ccr.topic.prefix) and that the remote cluster has started";
                }
                return "cannot describe topic [" + topic + "] on Kafka [" + bootstrap + "]: " + message(e.getCause())
                        + "; " + check;
            } catch (TimeoutException e) {
                return "Kafka at [" + bootstrap + "] did not describe topic [" + topic + "] within " + ms + "ms; "
                        + check;
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while checking Kafka at [" + bootstrap + "]";
        } finally {
            admin.close(Duration.ofSeconds(1));
        }
    }

    private static String message(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }

    /** Releases the HTTP client. */
    @Override
    public void close() {
        http.close();
    }
}
