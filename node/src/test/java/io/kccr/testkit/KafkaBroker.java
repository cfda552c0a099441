package io.kccr.testkit;

import io.kccr.node.kafka.EmbeddedKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * JUnit 5 extension running one in-process {@link EmbeddedKafka} broker per test class, in a fresh
 * temporary directory that is deleted after the class.
 *
 * <pre>{@code
 * @RegisterExtension static final KafkaBroker kafka = new KafkaBroker();
 * }</pre>
 * or {@code @ExtendWith(KafkaBroker.class)} on the class with a {@link KafkaCluster} (or
 * {@code KafkaBroker}) parameter on the constructor or test methods.
 *
 * <p>{@link #stop()} closes the broker and keeps its directory; {@link #restart()} starts it again
 * on the same directory and the same client port, so the log survives and clients keep their
 * bootstrap address. Thread-safe.
 */
public final class KafkaBroker extends KafkaClusterExtension {

    private final Map<String, String> overrides = new LinkedHashMap<>();
    private final Map<String, Object> clientConfig = new LinkedHashMap<>();
    private final int requestedPort;

    private Path dir;
    private volatile int port;
    private EmbeddedKafka kafka;
    private volatile Duration lastStartTime;

    /** A broker on a free port chosen at creation, kept across restarts. */
    public KafkaBroker() {
        this(0);
    }

    /** A broker on the given client port (0 = a free port chosen at creation). */
    public KafkaBroker(int port) {
        this.requestedPort = port;
    }

    /** Adds a broker property over {@link EmbeddedKafka}'s defaults; call before the class starts. */
    public synchronized KafkaBroker withConfig(String key, String value) {
        if (dir != null) {
            throw new IllegalStateException("broker already created");
        }
        overrides.put(key, value);
        return this;
    }

    /**
     * Adds a client property the readiness probe needs besides {@code bootstrap.servers} (e.g.
     * {@code security.protocol} when {@link #withConfig} makes the client listener require SASL); call before the
     * class starts.
     */
    public synchronized KafkaBroker withClientConfig(String key, Object value) {
        if (dir != null) {
            throw new IllegalStateException("broker already created");
        }
        clientConfig.put(key, value);
        return this;
    }

    @Override
    protected synchronized void create() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Files.createDirectories(tmp);
        dir = Files.createTempDirectory(tmp, "kccr-kafka-");
        start(requestedPort);
    }

    private void start(int onPort) {
        long t0 = System.nanoTime();
        kafka = EmbeddedKafka.start(dir, onPort, overrides, clientConfig);
        lastStartTime = Duration.ofNanos(System.nanoTime() - t0);
        port = kafka.port();
    }

    @Override
    protected synchronized void dispose() throws IOException {
        try {
            stop();
        } finally {
            Path d = dir;
            dir = null;
            port = 0;
            if (d != null) {
                deleteRecursively(d);
            }
        }
    }

    @Override
    public String bootstrapServers() {
        int p = port;
        if (p == 0) {
            throw new IllegalStateException("the Kafka broker has not been created yet (used outside its test class?)");
        }
        return "127.0.0.1:" + p;
    }

    @Override
    public synchronized void stop() {
        if (kafka != null) {
            try {
                kafka.close();
            } finally {
                kafka = null;
            }
        }
    }

    @Override
    public synchronized void restart() {
        if (dir == null) {
            throw new IllegalStateException("the Kafka broker has not been created yet");
        }
        stop();
        start(port);
    }

    @Override
    public synchronized boolean isRunning() {
        return kafka != null;
    }

    /** The broker's data directory (exists from creation until the class ends). */
    public synchronized Path logDir() {
        return dir;
    }

    /** Wall-clock time the last start or restart took until the broker served clients. */
    public Duration lastStartTime() {
        return lastStartTime;
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
