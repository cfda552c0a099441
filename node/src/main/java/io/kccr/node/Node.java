package io.kccr.node;

import io.kccr.node.remote.RemoteIndexNames;
import io.kccr.node.sample.SampleData;
import io.kccr.core.search.SearchLimits;
import io.kccr.node.search.SearchService;
import io.kccr.core.search.aggs.RequestBreaker;
import io.kccr.core.search.SearchContexts;
import io.kccr.node.settings.NodeSettings;
import io.kccr.core.kafka.KafkaAccessErrors;
import io.kccr.node.kafka.EmbeddedKafka;
import io.kccr.node.autofollow.AutoFollower;
import io.kccr.node.indices.ClosedIndices;
import io.kccr.node.follow.FollowerCatalog;
import io.kccr.follower.FollowerRuntime;
import io.kccr.node.indices.Unfollower;
import io.kccr.leader.IndexCatalog;
import io.kccr.leader.recovery.RestoreSessions;
import io.kccr.node.metrics.NodeMetrics;
import io.kccr.node.rest.NodeServices;
import io.kccr.follower.bootstrap.RecoverySettings;
import io.kccr.node.settings.ClusterSettings;
import io.kccr.node.remote.RemoteClusters;
import io.kccr.node.rest.RestServer;
import io.kccr.node.cluster.ClusterRouting;
import io.kccr.node.cluster.ClusterService;
import io.kccr.node.indices.WriteGuard;
import io.kccr.leader.topics.ClusterMetadataWriter;
import io.kccr.node.security.Authenticator;
import io.kccr.node.security.ConsoleSessions;
import io.kccr.node.security.PasswordReset;
import io.kccr.node.security.SecurityLog;
import io.kccr.node.security.SecurityService;
import io.kccr.node.security.TlsIdentity;
import io.kccr.leader.topics.MetadataLog;
import io.kccr.node.indices.DanglingIndices;
import io.kccr.node.indices.IndexResolver;
import io.kccr.node.indices.IndexingPressure;
import io.kccr.core.kafka.TopicNames;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * A running node: the Kafka it publishes to (an embedded single-node broker when
 * {@code kafka.bootstrap.servers} is unset), its leader indices, and its REST API.
 *
 * <p>One node per {@code path.data}: a lock file keeps a second process out. {@link #close()}
 * commits what was applied and stops everything the node started.
 */
public final class Node implements AutoCloseable {
    private final NodeSettings settings;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final EmbeddedKafka embeddedKafka;
    private final String bootstrapServers;
    private final ScheduledExecutorService scheduler;
    private final MetadataLog metadataLog;
    private final IndexCatalog catalog;
    private final FollowerCatalog followers;
    private final FollowerRuntime followerRuntime;
    private final AutoFollower autoFollower;
    private final ClosedIndices closed;
    /** How often a follower shard makes a Lucene commit at most; the log restores the gap after a crash. */
    private static final java.time.Duration FOLLOWER_COMMIT_INTERVAL = java.time.Duration.ofSeconds(10);
    private final RestServer rest;
    private final RemoteClusters remoteClusters;
    private final RestoreSessions restoreSessions;
    private final NodeMetrics metrics;
    private final SearchContexts searchContexts;
    /** This node's part in its cluster; null with {@code discovery.type: single-node}. */
    private final ClusterService cluster;
    /** How long a node waits, as it starts, for the log and for the shards the cluster gives it. */
    private static final java.time.Duration START_TIMEOUT = java.time.Duration.ofSeconds(60);
    private final SecurityLog securityLog;
    private final String generatedElasticPassword;
    private final TlsIdentity tls;
    private final String durabilityNote;
    /** The writes in flight on this node: a stopping node of a cluster lets them finish before its REST API closes. */
    private final IndexingPressure writesInFlight;

    private Node(NodeSettings settings) throws Exception {
        this.settings = settings;
        Path data = settings.dataPath().toAbsolutePath();
        this.closed = new ClosedIndices(data);
        Files.createDirectories(data);
        this.lockChannel = FileChannel.open(data.resolve("node.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        this.lock = lockChannel.tryLock();
        if (lock == null) {
            lockChannel.close();
            throw new NodeStartException("failed to obtain node lock on [" + data + "]: is another node running"
                    + " with this path.data? Stop it or give this node another path.data", null);
        }
        try {
            SecurityBootstrap.checkBind(settings);
        } catch (NodeStartException e) {
            lock.release();
            lockChannel.close();
            throw e;
        }
        this.metrics = new NodeMetrics();
        EmbeddedKafka kafka = null;
        SecurityLog security = null;
        ScheduledExecutorService sched = null;
        MetadataLog log = null;
        IndexCatalog indices = null;
        RemoteClusters remotes = null;
        FollowerCatalog followerCatalog = null;
        FollowerRuntime runtime = null;
        AutoFollower autoFollow = null;
        ClusterService clusterService = null;
        try {
            remotes = new RemoteClusters(ClusterSettings.load(data, settings), RemoteClusters.DEFAULT_TIMEOUT,
                    data.resolve("known_remotes.json"));
            if (settings.kafkaBootstrapServers().isEmpty()) {
                kafka = EmbeddedKafka.start(data.resolve("kafka"), settings.kafkaEmbeddedPort());
            }
            this.bootstrapServers = kafka != null ? kafka.bootstrapServers() : settings.kafkaBootstrapServers().get();
            Map<String, Object> clientProperties = new HashMap<>(settings.kafkaClientProperties());
            clientProperties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            sched = Executors.newScheduledThreadPool(2, r -> {
                Thread t = new Thread(r, "kccr-scheduler");
                t.setDaemon(true);
                return t;
            });
            SecurityService securityService = null;
            String generated = null;
            if (settings.securityEnabled()) {
                security = new SecurityLog(settings.topicPrefix() + ".security", clientProperties,
                        settings.writeTimeout());
                security.start();
                securityService = new SecurityService(security, new Authenticator(security, Clock.systemUTC()),
                        Clock.systemUTC());
                generated = securityService.bootstrapElastic(settings.bootstrapPassword().orElse(null)).orElse(null);
                PasswordReset.apply(data, securityService);
            }
            this.generatedElasticPassword = generated;
            this.tls = SecurityBootstrap.tls(settings, data);
            log = new MetadataLog(new TopicNames(settings.topicPrefix()), clientProperties, settings.writeTimeout());
            MetadataLog.KafkaClusterInfo cluster = log.kafkaCluster();
            KafkaBinding.check(data, new KafkaBinding(cluster.clusterId(), settings.topicPrefix()),
                    settings.allowKafkaClusterChange());
            this.durabilityNote = StartupDurability.use(log, cluster, settings, kafka != null);
            indices = new IndexCatalog(data, log, clientProperties, settings.writeTimeout(),
                    settings.opsCleanupPolicy(), sched, Clock.systemUTC(), metrics.publishListener());
            if (!settings.singleNode()) {
                indices.joinCluster(new ClusterMetadataWriter(log, clientProperties, settings.writeTimeout()),
                        clientProperties, START_TIMEOUT);
            }
            indices.start();
            IndexCatalog leaders = indices;
            ClusterSettings clusterSettings = remotes.settings();
            runtime = FollowerRuntime.withDefaults(FOLLOWER_COMMIT_INTERVAL, Clock.systemUTC());
            followerCatalog = new FollowerCatalog(data, remotes, settings.clusterName(), settings.writeTimeout(),
                    runtime, Clock.systemUTC(), indices::exists, () -> new RecoverySettings(
                            clusterSettings.recoveryChunkSize(), clusterSettings.recoveryMaxConcurrentFileChunks(),
                            clusterSettings.recoveryMaxBytesPerSec()));
            metrics.watch(followerCatalog);
            FollowerCatalog followersRef = followerCatalog;
            autoFollow = new AutoFollower(data, remotes, followerCatalog,
                    name -> followersRef.existsInCluster(name) || leaders.exists(name),
                    RemoteIndexNames.fromKafka(remotes, settings.writeTimeout()), Clock.systemUTC());
            this.restoreSessions = new RestoreSessions(clusterSettings::recoveryMaxSessions,
                    clusterSettings::recoveryActivityTimeout, Clock.systemUTC());
            restoreSessions.start(sched, java.time.Duration.ofSeconds(1));
            this.searchContexts = new SearchContexts(Clock.systemUTC(),
                    clusterSettings::searchMaxOpenScrollContext, clusterSettings::searchMaxKeepAlive);
            SearchContexts contexts = searchContexts;
            sched.scheduleWithFixedDelay(contexts::reap, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
            RequestBreaker breaker = new RequestBreaker(
                    clusterSettings::breakerRequestLimit);
            SearchService search = new SearchService(contexts,
                    () -> new SearchLimits(clusterSettings.searchMaxBuckets(), breaker, System::nanoTime),
                    new IndexResolver(indices, followerCatalog, closed)::read);
            IndexingPressure pressure = new IndexingPressure(settings.indexingPressureLimit());
            this.writesInFlight = pressure;
            metrics.watch(indices, pressure);
            ClusterRouting routing = null;
            if (!settings.singleNode()) {
                String nodeId = StoredIds.nodeId(data);
                clusterService = new ClusterService(nodeId, settings.nodeName(), settings.clusterName(), indices,
                        log, clientProperties, settings.sessionTimeout(), runtime.feed());
                clusterSettings.joinCluster(new TopicNames(settings.topicPrefix()).clusterSettings(), clientProperties,
                        settings.writeTimeout());
                routing = ClusterAssembly.routing(clusterService, SecurityBootstrap.peers(securityService, tls,
                        nodeId, settings.nodeName()), indices, new WriteGuard(indices, followerCatalog, closed),
                        search::limits, search.contexts(), restoreSessions, clusterSettings::recoveryActivityTimeout,
                        ClusterAssembly.followers(followerCatalog, leaders, closed));
                ClusterAssembly.joinFollowers(clusterService, settings, clientProperties, followerCatalog, autoFollow,
                        routing.followers(), routing.peers());
            }
            this.rest = new RestServer(settings.httpHost(), settings.httpPort(), settings.httpMaxContentLength(),
                    new NodeServices(indices, followerCatalog, closed, remotes, name -> {
                        new Unfollower(followersRef, leaders, closed, settings.writeTimeout()).unfollow(name);
                    }, settings.clusterName(), settings.nodeName(), StoredIds.clusterUuid(data), bootstrapServers,
                    settings.writeTimeout(), restoreSessions, autoFollow, metrics, search,
                    new DanglingIndices(data, indices, settings.writeTimeout()), pressure, securityService,
                    new ConsoleSessions(Clock.systemUTC()), SecurityBootstrap.cors(settings), tls, routing));
            if (securityService != null) {
                SecurityService resets = securityService;
                sched.scheduleWithFixedDelay(() -> PasswordReset.apply(data, resets), 1, 1,
                        java.util.concurrent.TimeUnit.SECONDS);
            }
            if (clusterService != null) {
                clusterService.start((tls != null ? "https://" : "http://") + ClusterAssembly.publishHost(settings) + ":"
                        + rest.port(), START_TIMEOUT);
            }
            followerCatalog.start(sched); // after the REST API: a follower of this very cluster resolves it over HTTP
            new Unfollower(followerCatalog, indices, closed, settings.writeTimeout()).completeAllInterrupted();
            new io.kccr.node.disk.DiskWatermarks(data, clusterSettings::diskWatermarks, indices, followerCatalog)
                    .start(sched, clusterSettings::clusterInfoUpdateInterval);
            autoFollow.start(sched, java.time.Duration.ofSeconds(1));
        } catch (Exception | Error e) {
            // what started is stopped in the reverse order, as close() stops it
            closeQuietly(e, clusterService, autoFollow, followerCatalog, runtime, indices, remotes, log, security,
                    sched == null ? null : sched::shutdownNow, kafka, metrics);
            lock.release();
            lockChannel.close();
            Optional<String> advice = KafkaAccessErrors.advice(e, NodeSettings.KAFKA_PREFIX);
            if (advice.isPresent()) {
                throw new NodeStartException("cannot use Kafka at [" + settings.kafkaBootstrapServers()
                        .orElse("the embedded broker") + "]: " + advice.get(), e);
            }
            throw e;
        }
        this.embeddedKafka = kafka;
        this.scheduler = sched;
        this.metadataLog = log;
        this.catalog = indices;
        this.followers = followerCatalog;
        this.followerRuntime = runtime;
        this.autoFollower = autoFollow;
        this.remoteClusters = remotes;
        this.securityLog = security;
        this.cluster = clusterService;
    }

    /** Closes each of {@code started} not null, in order; what a close throws is added to {@code failure}. */
    private static void closeQuietly(Throwable failure, AutoCloseable... started) {
        for (AutoCloseable c : started) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception | Error e) {
                    failure.addSuppressed(e);
                }
            }
        }
    }

    /** This node's part in its cluster, or null with {@code discovery.type: single-node}. */
    public ClusterService cluster() {
        return cluster;
    }

    /** This node's open scrolls and points in time (and its parts of those opened through other nodes). */
    public SearchContexts searchContexts() {
        return searchContexts;
    }

    /** Why acknowledged writes are not safe from the loss of a broker here, for the start-up line; null when they are. */
    public String durabilityNote() {
        return durabilityNote;
    }

    /**
     * Starts a node; returns once its indices are open and its REST API listens.
     *
     * @throws NodeStartException when another node holds {@code path.data}, or Kafka rejects the node's credentials,
     *                            TLS handshake or operations (the message names the {@code kafka.*} settings to check)
     */
    public static Node start(NodeSettings settings) throws Exception {
        return new Node(settings);
    }

    public NodeSettings settings() {
        return settings;
    }

    /** {@code http://host:port} of the REST API ({@code https://} with TLS). */
    public String httpAddress() {
        return (tls != null ? "https://" : "http://") + settings.httpHost() + ":" + rest.port();
    }

    /** The password generated for {@code elastic} on the cluster's first start, to be shown once; else empty. */
    public Optional<String> generatedElasticPassword() {
        return Optional.ofNullable(generatedElasticPassword);
    }

    /** The REST API's TLS identity (its CA and fingerprint), or empty for plain HTTP. */
    public Optional<TlsIdentity> tls() {
        return Optional.ofNullable(tls);
    }

    /** The Kafka bootstrap servers this node publishes to (the embedded broker's when none were set). */
    public String kafkaBootstrapServers() {
        return bootstrapServers;
    }

    /** The follower indices this node hosts. */
    public FollowerCatalog followers() {
        return followers;
    }

    /** The auto-follow patterns of this node ({@code _ccr/auto_follow}). */
    public AutoFollower autoFollower() {
        return autoFollower;
    }

    /** The leader indices this node hosts. */
    public IndexCatalog indices() {
        return catalog;
    }

    /** The remote clusters this node knows ({@code cluster.remote.*}), merged from node and cluster settings. */
    public RemoteClusters remoteClusters() {
        return remoteClusters;
    }

    /** The restore sessions followers bootstrap this node's indices from. */
    public RestoreSessions restoreSessions() {
        return restoreSessions;
    }

    /** The dynamic cluster settings ({@code PUT /_cluster/settings}); listeners can react to changes. */
    public ClusterSettings clusterSettings() {
        return remoteClusters.settings();
    }

    /** Loads the bundled GeoNames sample into index {@code geonames} unless it exists; prints progress. */
    public void loadSampleData(PrintStream out) {
        SampleData.load(catalog, settings.writeTimeout(), out);
    }

    /**
     * Loads the first {@code limit} documents of the GeoNames sample into index {@code geonames} unless it exists;
     * prints progress; returns whether it created the index.
     */
    public boolean loadSampleData(PrintStream out, int limit) {
        return SampleData.load(catalog, settings.writeTimeout(), out, limit);
    }

    @Override
    public void close() {
        if (cluster != null) {
            ClusterAssembly.handOff(cluster, followers, writesInFlight); // serving on meanwhile
        }
        rest.close();
        autoFollower.close();
        followers.close(); // commits what the followers applied; they resume from there
        remoteClusters.close();
        restoreSessions.close(); // before the indices close: their pinned commits are released first
        searchContexts.close(); // and the readers that scrolls and points in time pin
        if (cluster != null) {
            cluster.close(); // leaves the group: the others take this node's shards at once
        }
        followerRuntime.close(); // after the cluster's replicas, which it applies too
        catalog.close();
        metrics.close();
        metadataLog.close();
        scheduler.shutdownNow();
        if (securityLog != null) {
            securityLog.close();
        }
        if (embeddedKafka != null) {
            embeddedKafka.close();
        }
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            // the process is going away anyway
        }
    }
}
