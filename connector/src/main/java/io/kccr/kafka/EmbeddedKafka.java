package io.kccr.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Apache Kafka broker running inside this JVM, in KRaft mode with
 * {@code process.roles=broker,controller} and {@code node.id=1}.
 *
 * <p><b>Listeners.</b> Clients connect with PLAINTEXT to {@link #bootstrapServers()},
 * {@code 127.0.0.1:<port>}. The KRaft controller listens on a second loopback port, chosen free
 * at every start; it is a static single-voter quorum ({@code controller.quorum.voters}), so the
 * controller port may differ from one start to the next on the same directory.
 *
 * <p><b>Directory ownership.</b> The broker keeps its whole state (metadata log and topic
 * partitions) in the directory given to {@link #start}; from {@code start} until {@link #close()}
 * returns, that directory belongs to the broker and nobody else may write to it. It is locked
 * ({@code embedded-kafka.lock} besides Kafka's own {@code .lock}): starting a second broker on
 * it, in this JVM or another process, fails with {@link IllegalStateException} before anything
 * is written. The directory is
 * formatted (cluster id, {@code meta.properties}, bootstrap metadata) only if it holds no
 * {@code meta.properties} yet; otherwise the existing log is reused, so closing and starting
 * again on the same directory keeps every topic, record, committed offset and transaction state.
 * {@link #close()} never deletes the directory: the caller created it and deletes it.
 *
 * <p><b>Thread-safety.</b> Instances are thread-safe: {@link #close()} may be called from any
 * thread, any number of times (later calls are no-ops), and concurrently with
 * {@link #bootstrapServers()}. {@link #start} blocks until the broker has been seen serving
 * metadata to a real client (an Admin {@code describeCluster} that lists node 1), or fails
 * within {@link #READY_TIMEOUT}.
 *
 * <p><b>Process-wide effects.</b> Like any Kafka broker, a fatal fault in the controller or the
 * metadata log (for example the directory deleted underneath a running broker) makes Kafka halt
 * the JVM through {@code org.apache.kafka.common.utils.internals.Exit}. Broker logging is turned
 * down to WARN (slf4j-simple system properties), unless those properties were already set.
 */
public final class EmbeddedKafka implements AutoCloseable {

    /** How long {@link #start} waits for the broker to serve clients before giving up. */
    public static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    /** In override values: the PLAINTEXT client port of this start. */
    public static final String PORT_TOKEN = "{port}";
    /** In override values: the CONTROLLER listener port of this start. */
    public static final String CONTROLLER_PORT_TOKEN = "{controllerPort}";

    private static final String FIXED_KEYS_TEXT = "process.roles, node.id, log.dir, log.dirs, metadata.log.dir";
    private static final List<String> FIXED_KEYS = List.of(FIXED_KEYS_TEXT.split(", "));

    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String HOST = "127.0.0.1";
    private static final int BIND_ATTEMPTS = 5;
    /** Our own lock, held from before formatting until after shutdown; see {@link #lockDir}. */
    private static final String GUARD_LOCK = "embedded-kafka.lock";
    /** Real paths of the directories of the brokers started and not yet closed in this JVM. */
    private static final Set<Path> IN_USE = ConcurrentHashMap.newKeySet();

    static {
        quietLogging();
    }

    private final Path logDir;
    private final int port;
    private final String clusterId;
    private final KafkaRaftServer server;
    private final Guard guard;
    private boolean closed;

    private EmbeddedKafka(Path logDir, int port, String clusterId, KafkaRaftServer server, Guard guard) {
        this.logDir = logDir;
        this.port = port;
        this.clusterId = clusterId;
        this.server = server;
        this.guard = guard;
    }

    /** {@link #start(Path, int, Map)} with no configuration overrides. */
    public static EmbeddedKafka start(Path logDir, int port) {
        return start(logDir, port, Map.of());
    }

    /**
     * Starts a broker whose state lives in {@code logDir} (created if missing) and returns once it
     * serves clients.
     *
     * @param logDir    the broker's data directory; see the class comment for ownership
     * @param port      the PLAINTEXT client port on 127.0.0.1, or 0 to pick a free one (then
     *                  {@link #port()} tells which)
     * @param overrides broker properties applied over the defaults (for example extra listeners
     *                  with their {@code listener.security.protocol.map}, SASL settings). In
     *                  values, {@value #PORT_TOKEN} and {@value #CONTROLLER_PORT_TOKEN} stand for
     *                  the client and controller ports chosen for this start. The readiness probe
     *                  connects with PLAINTEXT to {@code 127.0.0.1:port}, so a {@code listeners}
     *                  override must keep {@code PLAINTEXT://127.0.0.1:{port}} and
     *                  {@code CONTROLLER://127.0.0.1:{controllerPort}}, e.g.
     *                  {@code PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controllerPort},SASL_PLAINTEXT://127.0.0.1:9095}
     *                  (with {@code advertised.listeners} to match). The keys that define the
     *                  node's identity and storage ({@code process.roles, node.id, log.dir, log.dirs, metadata.log.dir}) cannot be overridden.
     * @throws IllegalArgumentException if an override names one of those keys
     * @throws IllegalStateException if the broker does not start or is not ready in time, or the
     *                               directory is in use by another broker
     * @throws UncheckedIOException  if the directory cannot be created or formatted
     */
    public static EmbeddedKafka start(Path logDir, int port, Map<String, String> overrides) {
        Objects.requireNonNull(logDir, "logDir");
        Objects.requireNonNull(overrides, "overrides");
        for (String key : FIXED_KEYS) {
            if (overrides.containsKey(key)) {
                throw new IllegalArgumentException("EmbeddedKafka does not allow overriding " + key);
            }
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        Path dir = logDir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create Kafka log dir " + dir, e);
        }
        Guard guard = lockDir(dir);
        try {
            // A free port found now may be taken before Kafka binds it: retry only when we chose it.
            int attempts = port == 0 ? BIND_ATTEMPTS : 1;
            RuntimeException last = null;
            for (int attempt = 1; attempt <= attempts; attempt++) {
                int brokerPort = port == 0 ? freePort() : port;
                int controllerPort = freePort(brokerPort);
                try {
                    return startOnce(dir, brokerPort, controllerPort, overrides, guard);
                } catch (RuntimeException e) {
                    last = e;
                    if (!causedByBindFailure(e)) {
                        throw e;
                    }
                }
            }
            throw last;
        } catch (Throwable e) { // also what Scala code may throw undeclared
            release(guard);
            throw e;
        }
    }

    /**
     * Locks {@code dir} for this instance. Kafka locks its log dirs itself ({@code .lock}), but in
     * combined mode with the metadata log inside a log dir, the KRaft controller starts, and
     * writes to the metadata log, before the broker takes that lock: a second broker on the same
     * directory would first write to the first one's metadata log and only then fail. So we hold
     * our own lock for the broker's whole life, and probe Kafka's lock (held by a Kafka process not
     * started through this class) before touching anything.
     *
     * <p>Directories in use in this JVM are refused from a registry <em>before</em> any file is
     * opened: on Linux, closing any channel on a file drops every POSIX lock this process holds
     * on it, so merely probing a lock held in this JVM would silently release it.
     */
    private static Guard lockDir(Path dir) {
        Path key;
        try {
            key = dir.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve Kafka log dir " + dir, e);
        }
        if (!IN_USE.add(key)) {
            throw new IllegalStateException("Kafka log dir " + dir + " is in use by another EmbeddedKafka in this JVM");
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(key.resolve(GUARD_LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (tryLock(channel) == null) {
                throw new IllegalStateException("Kafka log dir " + dir + " is in use by another process");
            }
            Path kafkaLock = key.resolve(".lock");
            if (Files.exists(kafkaLock)) {
                try (FileChannel probe = FileChannel.open(kafkaLock, StandardOpenOption.WRITE)) {
                    FileLock probed = tryLock(probe);
                    if (probed == null) {
                        throw new IllegalStateException("Kafka log dir " + dir + " is in use by another Kafka broker");
                    }
                    probed.release();
                }
            }
            return new Guard(key, channel);
        } catch (IOException | RuntimeException | Error e) {
            closeQuietly(channel);
            IN_USE.remove(key);
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot lock Kafka log dir " + dir, io);
            }
            if (e instanceof Error err) {
                throw err;
            }
            throw (RuntimeException) e;
        }
    }

    /** {@code tryLock}, with "held in this JVM" reported as null like "held by another process". */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    private static void release(Guard guard) {
        try {
            closeQuietly(guard.channel()); // releases the file lock
        } finally {
            IN_USE.remove(guard.dir());
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing useful to do
            }
        }
    }

    /** A directory locked by {@link #lockDir}: its real path and the channel holding the lock. */
    private record Guard(Path dir, FileChannel channel) {
    }

    private static EmbeddedKafka startOnce(Path dir, int brokerPort, int controllerPort,
                                           Map<String, String> overrides, Guard guard) {
        Map<String, String> props = defaults(dir, brokerPort, controllerPort);
        overrides.forEach((key, value) -> props.put(key, value
                .replace(PORT_TOKEN, Integer.toString(brokerPort))
                .replace(CONTROLLER_PORT_TOKEN, Integer.toString(controllerPort))));
        Properties properties = new Properties();
        properties.putAll(props);
        KafkaConfig config = new KafkaConfig(properties, false);
        String clusterId = formatIfNeeded(dir, config);

        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        EmbeddedKafka kafka = new EmbeddedKafka(dir, brokerPort, clusterId, server, guard);
        try {
            server.startup();
            kafka.awaitReady(READY_TIMEOUT);
            return kafka;
        } catch (Throwable e) { // also what Scala code may throw undeclared
            try {
                kafka.shutdownServer(); // keeps the guard: the caller may retry on another port
            } catch (Throwable suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static Map<String, String> defaults(Path dir, int brokerPort, int controllerPort) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort + ","
                + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", BROKER_LISTENER);
        p.put("log.dirs", dir.toString());
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("auto.create.topics.enable", "false");
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        // One broker: a few partitions for the internal topics, not the default 50 each, so the first
        // group and the first transactional producer do not wait for 50 partitions to be created.
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(4 * 1024 * 1024));
        return p;
    }

    /** Formats {@code dir} unless it already holds {@code meta.properties}; returns the cluster id. */
    private static String formatIfNeeded(Path dir, KafkaConfig config) {
        Path meta = dir.resolve("meta.properties");
        try {
            if (Files.exists(meta)) {
                Properties existing = new Properties();
                try (var in = Files.newInputStream(meta)) {
                    existing.load(in);
                }
                return existing.getProperty("cluster.id");
            }
            String clusterId = Uuid.randomUuid().toString();
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(clusterId)
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .setDirectories(config.logDirs())
                    .setHasDynamicQuorum(false)
                    .setWriteBootstrapSnapshot(true)
                    .run();
            return clusterId;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot format Kafka log dir " + dir, e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka log dir " + dir, e);
        }
    }

    /** Polls Admin {@code describeCluster} until node 1 is listed, or fails at the deadline. */
    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> adminConfig = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
        Exception lastFailure = null;
        try (Admin admin = Admin.create(adminConfig)) {
            while (true) {
                long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (remainingMs <= 0) {
                    break;
                }
                int callTimeout = (int) Math.min(remainingMs, 10_000);
                try {
                    Collection<Node> nodes = admin
                            .describeCluster(new DescribeClusterOptions().timeoutMs(callTimeout))
                            .nodes().get(callTimeout, TimeUnit.MILLISECONDS);
                    if (nodes.stream().anyMatch(n -> n.id() == NODE_ID)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted waiting for the Kafka broker", e);
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    lastFailure = e;
                }
                // The Admin client's own backoff paces the loop; no sleep needed between calls.
            }
        }
        throw new IllegalStateException("Kafka broker at " + bootstrapServers()
                + " not ready within " + timeout, lastFailure);
    }

    /** {@code 127.0.0.1:<port>}: the PLAINTEXT bootstrap address for clients. */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    /** The PLAINTEXT client port (the chosen one when {@code start} was given 0). */
    public int port() {
        return port;
    }

    /** The broker's data directory, as given to {@link #start} (absolute, normalized). */
    public Path logDir() {
        return logDir;
    }

    /** The KRaft cluster id stored in the directory's {@code meta.properties}. */
    public String clusterId() {
        return clusterId;
    }

    /**
     * Shuts the broker down (controlled shutdown, logs flushed) and waits until it has stopped and
     * released its ports and directory lock. Idempotent; the directory is left in place.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            shutdownServer();
        } finally {
            release(guard);
        }
    }

    private void shutdownServer() {
        try {
            server.shutdown();
        } finally {
            server.awaitShutdown();
        }
    }

    private static boolean causedByBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException
                    || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static int freePort(int... avoid) {
        for (int i = 0; i < 20; i++) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
                int candidate = socket.getLocalPort();
                boolean clash = false;
                for (int a : avoid) {
                    clash |= a == candidate;
                }
                if (!clash) {
                    return candidate;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot find a free port", e);
            }
        }
        throw new IllegalStateException("cannot find a free port");
    }

    private static void quietLogging() {
        String[] loggers = {"kafka", "org.apache.kafka", "state.change.logger"};
        for (String logger : loggers) {
            String key = "org.slf4j.simpleLogger.log." + logger;
            if (System.getProperty(key) == null) {
                System.setProperty(key, "warn");
            }
        }
    }
}
