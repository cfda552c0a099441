package io.kccr.node.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Apache Kafka broker running inside this JVM, in KRaft mode with
 * {@code process.roles=broker,controller} and {@code node.id=1}.
 *
 * <p><b>Listeners.</b> Clients connect with PLAINTEXT to {@link #bootstrapServers()},
 * {@code 127.0.0.1:<port>}, unless overrides give that port another protocol (SASL, TLS): then clients, the readiness
 * probe included, connect with the client properties given to {@link #start(Path, int, Map, Map)}. The KRaft
 * controller listens on a second loopback port, chosen free
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
 *
 * <p>This class starts, probes and stops the broker; {@link BrokerConfig} builds its configuration,
 * {@link LogDirLock} owns the directory and {@link LogDirFormatter} formats it.
 */
public final class EmbeddedKafka implements AutoCloseable {

    /** How long {@link #start} waits for the broker to serve clients before giving up. */
    public static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    /** In override values: the client port of this start. */
    public static final String PORT_TOKEN = "{port}";
    /** In override values: the CONTROLLER listener port of this start. */
    public static final String CONTROLLER_PORT_TOKEN = "{controllerPort}";

    private static final String HOST = BrokerConfig.HOST;
    private static final int BIND_ATTEMPTS = 5;

    static {
        quietLogging();
    }

    private final Path logDir;
    private final int port;
    private final String clusterId;
    private final KafkaRaftServer server;
    private final LogDirLock lock;
    private boolean closed;

    private EmbeddedKafka(Path logDir, int port, String clusterId, KafkaRaftServer server, LogDirLock lock) {
        this.logDir = logDir;
        this.port = port;
        this.clusterId = clusterId;
        this.server = server;
        this.lock = lock;
    }

    /** {@link #start(Path, int, Map)} with no configuration overrides. */
    public static EmbeddedKafka start(Path logDir, int port) {
        return start(logDir, port, Map.of());
    }

    /** {@link #start(Path, int, Map, Map)} for a PLAINTEXT client listener: the probe needs no client properties. */
    public static EmbeddedKafka start(Path logDir, int port, Map<String, String> overrides) {
        return start(logDir, port, overrides, Map.of());
    }

    /**
     * Starts a broker whose state lives in {@code logDir} (created if missing) and returns once it
     * serves clients.
     *
     * @param logDir    the broker's data directory; see the class comment for ownership
     * @param port      the client port on 127.0.0.1, or 0 to pick a free one (then
     *                  {@link #port()} tells which)
     * @param overrides broker properties applied over the defaults (for example extra listeners
     *                  with their {@code listener.security.protocol.map}, SASL settings). In
     *                  values, {@value #PORT_TOKEN} and {@value #CONTROLLER_PORT_TOKEN} stand for
     *                  the client and controller ports chosen for this start. The readiness probe
     *                  connects to {@code 127.0.0.1:port} with {@code clientProperties}, so a
     *                  {@code listeners} override must keep a client listener on {@code 127.0.0.1:{port}}
     *                  and {@code CONTROLLER://127.0.0.1:{controllerPort}}, e.g.
     *                  {@code PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controllerPort},SASL_PLAINTEXT://127.0.0.1:9095}
     *                  (with {@code advertised.listeners} to match). The keys that define the
     *                  node's identity and storage ({@code process.roles, node.id, log.dir, log.dirs, metadata.log.dir}) cannot be overridden.
     * @param clientProperties what a client needs besides {@code bootstrap.servers} to connect to the client
     *                  listener ({@code security.protocol}, {@code sasl.mechanism}, {@code sasl.jaas.config},
     *                  {@code ssl.*}); the readiness probe connects with them. Empty for PLAINTEXT. An override
     *                  may thus make the client listener itself require SASL, e.g.
     *                  {@code listeners=SASL_PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controllerPort}}
     *                  with {@code advertised.listeners}, {@code listener.security.protocol.map},
     *                  {@code inter.broker.listener.name} and {@code sasl.*} to match.
     * @throws IllegalArgumentException if an override names one of those keys
     * @throws IllegalStateException if the broker does not start or is not ready in time, or the
     *                               directory is in use by another broker
     * @throws UncheckedIOException  if the directory cannot be created or formatted
     */
    public static EmbeddedKafka start(Path logDir, int port, Map<String, String> overrides,
                                      Map<String, Object> clientProperties) {
        Objects.requireNonNull(logDir, "logDir");
        Objects.requireNonNull(overrides, "overrides");
        Objects.requireNonNull(clientProperties, "clientProperties");
        BrokerConfig.checkOverrides(overrides);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        Path dir = logDir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create Kafka log dir " + dir, e);
        }
        LogDirLock lock = LogDirLock.acquire(dir);
        try {
            // A free port found now may be taken before Kafka binds it: retry only when we chose it.
            int attempts = port == 0 ? BIND_ATTEMPTS : 1;
            RuntimeException last = null;
            for (int attempt = 1; attempt <= attempts; attempt++) {
                int brokerPort = port == 0 ? freePort() : port;
                int controllerPort = freePort(brokerPort);
                try {
                    return startOnce(dir, brokerPort, controllerPort, overrides, clientProperties, lock);
                } catch (RuntimeException e) {
                    last = e;
                    if (!causedByBindFailure(e)) {
                        throw e;
                    }
                }
            }
            throw last;
        } catch (Throwable e) { // also what Scala code may throw undeclared
            lock.release();
            throw e;
        }
    }

    private static EmbeddedKafka startOnce(Path dir, int brokerPort, int controllerPort,
                                           Map<String, String> overrides, Map<String, Object> clientProperties,
                                           LogDirLock lock) {
        KafkaConfig config = BrokerConfig.build(dir, brokerPort, controllerPort, overrides);
        String clusterId = LogDirFormatter.formatIfNeeded(dir, config);

        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        EmbeddedKafka kafka = new EmbeddedKafka(dir, brokerPort, clusterId, server, lock);
        try {
            server.startup();
            kafka.awaitReady(READY_TIMEOUT, clientProperties);
            return kafka;
        } catch (Throwable e) { // also what Scala code may throw undeclared
            try {
                kafka.shutdownServer(); // keeps the lock: the caller may retry on another port
            } catch (Throwable suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Polls Admin {@code describeCluster} until node 1 is listed, or fails at the deadline. */
    private void awaitReady(Duration timeout, Map<String, Object> clientProperties) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> adminConfig = new HashMap<>(clientProperties);
        adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        adminConfig.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
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
                    if (nodes.stream().anyMatch(n -> n.id() == BrokerConfig.NODE_ID)) {
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

    /** {@code 127.0.0.1:<port>}: the bootstrap address for clients (PLAINTEXT unless overridden). */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    /** The client port (the chosen one when {@code start} was given 0). */
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
            lock.release();
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
