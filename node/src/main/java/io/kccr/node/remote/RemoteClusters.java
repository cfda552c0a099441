package io.kccr.node.remote;

import io.kccr.core.error.KccrException;
import io.kccr.core.error.NotFoundException;
import io.kccr.core.error.UnavailableException;
import io.kccr.node.settings.ClusterSettings;
import io.kccr.node.settings.ClusterSettingsChange;
import io.kccr.node.settings.RemoteClusterSettings;
import java.time.Duration;
import java.util.Collections;
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
import java.util.function.Consumer;
import org.apache.kafka.clients.CommonClientConfigs;

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
 *       settings change; {@link #resolveFresh} asks again. When none answers, the last answer this node kept
 *       ({@link KnownRemotes}) resolves it: a follower's log is found while its leader's cluster is down.</li>
 * </ul>
 *
 * <p>Thread-safe. Errors are {@link KccrException}s a REST handler can pass on: an unknown name is Elasticsearch's
 * {@code no_such_remote_cluster_exception} ({@link #noSuchRemoteCluster}); a remote none of whose HTTP addresses
 * answers is a 503 {@code connect_transport_exception} naming each address, what failed, and what to check.
 *
 * <p>This class reads the configuration, resolves and caches; {@link RemoteDiscovery} asks the HTTP addresses and
 * {@link RemoteKafkaCheck} checks a remote's Kafka for {@link #status}.
 */
public final class RemoteClusters implements AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RemoteClusters.class);
    /** How long a seed or a remote Kafka gets to answer by default. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);

    /** The endpoint every node serves for remotes to learn its Kafka side. */
    public static final String DISCOVERY_PATH = "/_kccr/cluster";

    private final ClusterSettings settings;
    private final RemoteDiscovery discovery;
    private final RemoteKafkaCheck kafkaCheck;
    private final Map<String, DiscoveredRemote> cache = new ConcurrentHashMap<>();
    private final Map<RemoteCluster, RemoteHttp> clients = new ConcurrentHashMap<>();
    private final Duration timeout;
    /** What each remote answered last, kept across restarts; null when not kept. */
    private final KnownRemotes known;
    /** The remotes last resolved from their kept answer, as none of their HTTP addresses answered. */
    private final java.util.Set<String> away = ConcurrentHashMap.newKeySet();

    /** A registry over {@code settings}, giving seeds and remote Kafka {@link #DEFAULT_TIMEOUT} to answer. */
    public RemoteClusters(ClusterSettings settings) {
        this(settings, DEFAULT_TIMEOUT);
    }

    /** A registry over {@code settings}, giving seeds and remote Kafka {@code timeout} to answer. */
    public RemoteClusters(ClusterSettings settings, Duration timeout) {
        this(settings, timeout, null);
    }

    /**
     * A registry that keeps each remote's last answer in {@code knownFile} ({@link KnownRemotes}) and resolves a
     * remote that does not answer from it (null: nothing kept).
     */
    public RemoteClusters(ClusterSettings settings, Duration timeout, java.nio.file.Path knownFile) {
        this.known = knownFile == null ? null : new KnownRemotes(knownFile);
        this.settings = settings;
        this.timeout = timeout;
        this.discovery = new RemoteDiscovery(timeout, this::http);
        this.kafkaCheck = new RemoteKafkaCheck(timeout);
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

    // ------------------------------------------------------------------------------------------ configuration

    /** Names of the configured remotes (those with seeds, http or kafka.bootstrap.servers), sorted. */
    public SortedSet<String> names() {
        Map<String, String> current = settings.current();
        SortedSet<String> names = new TreeSet<>();
        for (String key : current.keySet()) {
            RemoteClusterSettings.remoteName(key).filter(n -> RemoteClusterSettings.isRemoteEnabled(n, current)).ifPresent(names::add);
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
        if (name == null || !RemoteClusterSettings.isRemoteEnabled(name, current)) {
            return Optional.empty();
        }
        return Optional.of(RemoteCluster.fromSettings(name, current));
    }

    /**
     * The remote's configuration.
     *
     * @throws KccrException {@link #noSuchRemoteCluster} when no remote has this name
     */
    public RemoteCluster require(String name) {
        return get(name).orElseThrow(() -> noSuchRemoteCluster(name));
    }

    /** The remote's {@code skip_unavailable} (default false). */
    public boolean skipUnavailable(String name) {
        return RemoteClusterSettings.SKIP_UNAVAILABLE.forName(name).get(settings.current());
    }

    /**
     * Elasticsearch's error for an unknown remote: {@code no_such_remote_cluster_exception}, reason
     * {@code no such remote cluster: [name]}, status 404 as in Elasticsearch 8/9 (where it is a
     * {@code ResourceNotFoundException}; it was a 400 in 6.x/7.x).
     */
    public static KccrException noSuchRemoteCluster(String name) {
        return NotFoundException.remoteCluster(name);
    }

    /**
     * How to talk HTTP to remote {@code name} as configured now: its CA and its cross-cluster API key.
     *
     * @throws KccrException {@code no_such_remote_cluster_exception} for an unknown name
     */
    public RemoteHttp http(String name) {
        return http(require(name));
    }

    private RemoteHttp http(RemoteCluster config) {
        if (clients.size() > 64) {
            clients.clear(); // settings changed many times: old configurations are dropped, current ones rebuilt
        }
        return clients.computeIfAbsent(config, c -> RemoteHttp.of(c, timeout));
    }

    // ------------------------------------------------------------------------------------------ resolving

    /**
     * What a follower needs to read remote {@code name} (see the class doc); uses the cached answer of its seeds
     * when there is one for its current settings.
     *
     * @throws KccrException {@code no_such_remote_cluster_exception} for an unknown name; 503
     *                      {@code connect_transport_exception} when no HTTP address of the remote answers
     */
    public ResolvedRemote resolve(String name) {
        RemoteCluster config = require(name);
        if (!config.needsDiscovery()) {
            return explicit(config);
        }
        DiscoveredRemote cached = cache.get(name);
        if (cached == null || !cached.config().equals(config)) {
            try {
                cached = discover(config);
            } catch (UnavailableException e) {
                Optional<DiscoveredRemote> last = known == null ? Optional.empty() : known.last(config);
                if (last.isEmpty()) {
                    throw e;
                }
                // not cached: the next resolve asks the remote again
                away.add(name);
                log.warn("remote cluster [{}] does not answer over HTTP; its followers use what it answered last"
                        + " (its Kafka at [{}]): {}", name, last.get().bootstrapServers(), e.getMessage());
                return resolved(config, last.get());
            }
        }
        return resolved(config, cached);
    }

    /**
     * Whether remote {@code name} was last resolved from the answer this node kept, none of its HTTP addresses
     * answering: its cluster is likely down, and a follower of it opens from what it kept without waiting on its log.
     */
    public boolean away(String name) {
        return away.contains(name);
    }

    /**
     * What remote {@code name}'s HTTP addresses last answered this node (its Kafka's address, its topic prefix; no
     * credentials), for another node of this cluster that needs it to open a copy of a follower index while the
     * remote does not answer; empty when none is known, or the remote is not found through HTTP.
     */
    public Optional<com.fasterxml.jackson.databind.node.ObjectNode> lastAnswer(String name) {
        RemoteCluster config = get(name).orElse(null);
        if (config == null || !config.needsDiscovery()) {
            return Optional.empty();
        }
        DiscoveredRemote cached = cache.get(name);
        Optional<DiscoveredRemote> last = cached != null && cached.config().equals(config) ? Optional.of(cached)
                : known == null ? Optional.empty() : known.last(config);
        return last.map(KnownRemotes::toJson);
    }

    /**
     * Keeps {@code answer}, what another node of this cluster knows remote {@code name} last answered
     * ({@link #lastAnswer}), as if this node had been answered, so that {@link #resolve} falls back on it while the
     * remote does not answer; only when it was asked of the addresses this node's settings give the remote.
     *
     * @return whether it was kept
     */
    public boolean learn(String name, com.fasterxml.jackson.databind.JsonNode answer) {
        RemoteCluster config = get(name).orElse(null);
        if (config == null || known == null || !config.needsDiscovery()) {
            return false;
        }
        Optional<DiscoveredRemote> learned = KnownRemotes.fromJson(config, answer);
        learned.ifPresent(known::remember);
        return learned.isPresent();
    }

    /** Like {@link #resolve} but asks the remote's HTTP addresses again instead of using the cached answer. */
    public ResolvedRemote resolveFresh(String name) {
        RemoteCluster config = require(name);
        return config.needsDiscovery() ? resolved(config, discover(config)) : explicit(config);
    }

    private static ResolvedRemote explicit(RemoteCluster config) {
        List<String> addresses = config.httpAddresses();
        return new ResolvedRemote(config.name(), addresses.isEmpty() ? null : addresses.get(0),
                config.topicPrefix() != null ? config.topicPrefix()
                        : RemoteClusterSettings.TOPIC_PREFIX.pattern().defaultValue().orElseThrow(),
                kafkaProperties(config, config.kafkaBootstrapServers()));
    }

    private static ResolvedRemote resolved(RemoteCluster config, DiscoveredRemote d) {
        return new ResolvedRemote(config.name(), d.httpAddress(),
                config.topicPrefix() != null ? config.topicPrefix() : d.topicPrefix(),
                kafkaProperties(config, d.bootstrapServers()));
    }

    private static Map<String, Object> kafkaProperties(RemoteCluster config, String bootstrapServers) {
        Map<String, Object> props = new LinkedHashMap<>(config.kafkaClientProperties());
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return props;
    }

    /** Asks the remote's HTTP addresses ({@link RemoteDiscovery}); caches and returns the first answer. */
    private DiscoveredRemote discover(RemoteCluster config) {
        DiscoveredRemote d = discovery.discover(config);
        cache.put(config.name(), d);
        away.remove(config.name());
        if (known != null) {
            known.remember(d);
        }
        return d;
    }

    /**
     * Checks, before a follower is created, that remote {@code name} lets this node read leader index
     * {@code leaderIndex} over HTTP (its metadata, {@code GET /<index>}, with the remote's credentials). Nothing to
     * check for a remote known by its Kafka only.
     *
     * @throws KccrException 403 naming {@code cluster.remote.<name>.credentials} when the remote refuses; 404 when it
     *                      has no such index; 503 when it cannot be reached
     */
    public void checkLeaderAccess(String name, String leaderIndex) {
        ResolvedRemote resolved = resolve(name);
        if (resolved.httpAddress() == null) {
            return;
        }
        RemoteHttp remote = http(name);
        java.net.URI uri = java.net.URI.create(resolved.httpAddress() + "/" + java.net.URLEncoder.encode(leaderIndex,
                java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
        java.net.http.HttpResponse<byte[]> response;
        try {
            response = remote.client().send(remote.authorize(java.net.http.HttpRequest.newBuilder(uri).timeout(timeout)
                    .header("Accept", "application/json")).GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        } catch (java.io.IOException e) {
            throw UnavailableException.remote("could not reach remote cluster [" + name + "] at ["
                    + resolved.httpAddress() + "] to check leader index [" + leaderIndex + "]: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw UnavailableException.remote("interrupted while checking leader index [" + leaderIndex + "]", e);
        }
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            throw remote.refused(status, "access to leader index [" + leaderIndex + "]", leaderIndex,
                    new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        if (status == 404) {
            throw NotFoundException.index(leaderIndex);
        }
    }

    // ------------------------------------------------------------------------------------------ connectivity

    /**
     * Checks remote {@code name} now: learns its Kafka address afresh when it comes from the seeds (refreshing the
     * cache), then asks its Kafka to describe the cluster and the {@code <prefix>.indices} topic, each within the
     * timeout. Never throws for an unreachable remote: the status says why.
     *
     * @throws KccrException {@code no_such_remote_cluster_exception} for an unknown name
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
                    throw new UnavailableException("interrupted while checking remote clusters", null);
                }
            }
        }
        return Collections.unmodifiableSortedMap(out);
    }

    private RemoteStatus status(RemoteCluster config) {
        boolean skip = skipUnavailable(config.name());
        ResolvedRemote resolved;
        DiscoveredRemote discovered = null;
        if (config.needsDiscovery()) {
            try {
                discovered = discover(config);
            } catch (KccrException e) {
                List<String> addresses = config.httpAddresses();
                return new RemoteStatus(config, skip, false, addresses.isEmpty() ? null : addresses.get(0), null,
                        config.topicPrefix(), null, null, e.reason());
            }
            resolved = resolved(config, discovered);
        } else {
            resolved = explicit(config);
        }
        String reason = kafkaCheck.check(config, resolved);
        return new RemoteStatus(config, skip, reason == null, resolved.httpAddress(), resolved.bootstrapServers(),
                resolved.topicPrefix(), discovered == null ? null : discovered.clusterName(),
                discovered == null ? null : discovered.clusterUuid(), reason);
    }

    /** Releases the HTTP client. */
    @Override
    public void close() {
        discovery.close();
        settings.leaveCluster(); // no more settings from the cluster's topic
    }
}
