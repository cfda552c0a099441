package io.kccr.testkit;

import static org.awaitility.Awaitility.await;

import io.kccr.node.kafka.BrokerConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * JUnit 5 extension running a cluster of several real Kafka brokers in this JVM (KRaft, each node broker and
 * controller, a static quorum of all of them), for the durability tests: topics get a real replication factor and
 * {@code min.insync.replicas}, and single brokers can be stopped ({@link #kill}) and started again
 * ({@link #start(int)}) while clients keep writing. Each node keeps its ports and directory for the life of the
 * extension, so a restarted broker rejoins with its log. Failover is fast: a broker that stops heartbeating is
 * fenced after 3 s, and a replica falls out of sync after 5 s.
 *
 * <pre>{@code
 * @RegisterExtension static final KafkaBrokers kafka = new KafkaBrokers(3);
 * }</pre>
 *
 * <p>{@link #stop()} and {@link #restart()} act on every broker. Thread-safe.
 */
public final class KafkaBrokers extends KafkaClusterExtension {
    private final int count;
    private final List<Integer> clientPorts = new ArrayList<>();
    private final List<Integer> controllerPorts = new ArrayList<>();
    private final List<KafkaRaftServer> servers = new ArrayList<>();
    private Path dir;
    private String clusterId;

    public KafkaBrokers(int count) {
        this.count = count;
    }

    @Override
    protected void create() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Files.createDirectories(tmp);
        dir = Files.createTempDirectory(tmp, "kccr-kafka-cluster-");
        clusterId = Uuid.randomUuid().toString();
        List<Integer> taken = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            clientPorts.add(freePort(taken));
            taken.add(clientPorts.getLast());
            controllerPorts.add(freePort(taken));
            taken.add(controllerPorts.getLast());
            servers.add(null);
        }
        for (int id = 1; id <= count; id++) {
            format(id);
        }
        // a node's start-up waits for the quorum, which needs a majority: start them all at once
        List<Thread> starting = new ArrayList<>();
        KafkaRaftServer[] started = new KafkaRaftServer[count];
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int id = 1; id <= count; id++) {
            int node = id;
            starting.add(Thread.ofPlatform().name("kafka-start-" + id).start(() -> {
                try {
                    started[node - 1] = startServer(node); // the extension's lock is held by beforeAll: none here
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        for (Thread t : starting) {
            t.join();
        }
        for (int i = 0; i < count; i++) {
            servers.set(i, started[i]);
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a Kafka broker did not start", failures.getFirst());
        }
        awaitBrokers(count);
    }

    private KafkaConfig config(int id) {
        String voters = java.util.stream.IntStream.rangeClosed(1, count)
                .mapToObj(n -> n + "@127.0.0.1:" + controllerPorts.get(n - 1)).collect(Collectors.joining(","));
        Map<String, String> p = BrokerConfig.member(id, voters, clientPorts.get(id - 1), controllerPorts.get(id - 1),
                dir.resolve("node-" + id), Math.min(3, count));
        p.put("broker.session.timeout.ms", "3000"); // a killed broker is noticed within seconds
        p.put("broker.heartbeat.interval.ms", "500");
        p.put("replica.lag.time.max.ms", "5000");
        p.put("controlled.shutdown.enable", "false");
        Properties props = new Properties();
        props.putAll(p);
        return new KafkaConfig(props, false);
    }

    private void format(int id) throws Exception {
        KafkaConfig config = config(id);
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(id)
                .setClusterId(clusterId)
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setControllerListenerName("CONTROLLER")
                .setMetadataLogDirectory(config.metadataLogDir())
                .setDirectories(config.logDirs())
                .setHasDynamicQuorum(false)
                .setWriteBootstrapSnapshot(true)
                .run();
    }

    private KafkaRaftServer startServer(int id) {
        KafkaRaftServer server = new KafkaRaftServer(config(id), Time.SYSTEM);
        server.startup();
        return server;
    }

    /** Stops broker {@code id} (1-based) at once, keeping its log; the others elect new leaders without it. */
    public synchronized void kill(int id) {
        KafkaRaftServer server = servers.get(id - 1);
        if (server != null) {
            servers.set(id - 1, null);
            server.shutdown();
            server.awaitShutdown();
        }
    }

    /** Starts broker {@code id} again on its log; returns once the cluster lists every running broker. */
    public synchronized void start(int id) {
        if (servers.get(id - 1) == null) {
            servers.set(id - 1, startServer(id));
            awaitBrokers((int) servers.stream().filter(s -> s != null).count());
        }
    }

    /** The node id of the active controller (the quorum's leader). */
    public int controllerId() {
        try (Admin admin = admin()) {
            return admin.describeMetadataQuorum().quorumInfo().get(10, TimeUnit.SECONDS).leaderId();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the metadata quorum", e);
        }
    }

    /** The ids of the running brokers. */
    public synchronized List<Integer> running() {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (servers.get(i) != null) {
                ids.add(i + 1);
            }
        }
        return ids;
    }

    /** An Admin client on this cluster; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                10_000));
    }

    private void awaitBrokers(int expected) {
        try (Admin admin = admin()) {
            await("" + expected + " Kafka brokers").atMost(READY_TIMEOUT).ignoreExceptions()
                    .until(() -> admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() >= expected);
        }
    }

    @Override
    protected synchronized void dispose() throws IOException {
        stop();
        if (dir != null) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
            dir = null;
        }
    }

    /** Every broker's client address. */
    @Override
    public String bootstrapServers() {
        return clientPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    /** Stops every broker (brokers first, the active controller last), keeping their logs. */
    @Override
    public synchronized void stop() {
        List<Integer> ids = running();
        for (int id : ids) {
            KafkaRaftServer s = servers.get(id - 1);
            s.shutdown();
        }
        for (int id : ids) {
            servers.get(id - 1).awaitShutdown();
            servers.set(id - 1, null);
        }
    }

    /** Starts every stopped broker again (one by one: the others keep the quorum). */
    @Override
    public synchronized void restart() {
        for (int id = 1; id <= count; id++) {
            start(id);
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return !running().isEmpty();
    }

    private static int freePort(List<Integer> avoid) {
        for (int i = 0; i < 20; i++) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
                if (!avoid.contains(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("cannot find a free port");
    }
}
