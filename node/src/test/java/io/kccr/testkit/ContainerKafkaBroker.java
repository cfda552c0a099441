package io.kccr.testkit;

import java.io.IOException;
import java.net.ServerSocket;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * JUnit 5 extension running one Apache Kafka broker in Docker ({@link KafkaContainer}) per test
 * class: the same {@link KafkaCluster} contract as {@link KafkaBroker}, against a broker that is
 * not in the test JVM. Use it on a class annotated
 * {@code @Testcontainers(disabledWithoutDocker = true)} so the class is skipped where no Docker
 * engine runs:
 *
 * <pre>{@code
 * @Testcontainers(disabledWithoutDocker = true)
 * class SomethingContainerIT {
 *     @RegisterExtension static final ContainerKafkaBroker kafka = new ContainerKafkaBroker();
 * }
 * }</pre>
 *
 * <p>The container's client port is bound to a fixed host port chosen at creation, so that
 * {@link #stop()} ({@code docker stop}) and {@link #restart()} ({@code docker start} of the same
 * container) keep both the address the broker advertises and its data (the log lives in the
 * container's filesystem, which a stop does not remove). The container is removed after the class.
 */
public final class ContainerKafkaBroker extends KafkaClusterExtension {

    /** The image used by default. */
    public static final String DEFAULT_IMAGE = "apache/kafka:4.1.0";

    private static final int KAFKA_PORT = 9092;

    private final DockerImageName image;
    private KafkaContainer container;
    private volatile String bootstrapServers;
    private boolean running;

    public ContainerKafkaBroker() {
        this(DEFAULT_IMAGE);
    }

    public ContainerKafkaBroker(String image) {
        this.image = DockerImageName.parse(image);
    }

    @Override
    protected synchronized void create() throws IOException {
        int hostPort = freePort();
        KafkaContainer c = new KafkaContainer(image)
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withPortBindings(
                        new PortBinding(Ports.Binding.bindPort(hostPort), ExposedPort.tcp(KAFKA_PORT))));
        c.start();
        container = c;
        running = true;
        bootstrapServers = c.getBootstrapServers();
        awaitReady(bootstrapServers, READY_TIMEOUT);
    }

    @Override
    protected synchronized void dispose() {
        KafkaContainer c = container;
        container = null;
        running = false;
        bootstrapServers = null;
        if (c != null) {
            c.stop();
        }
    }

    @Override
    public String bootstrapServers() {
        String b = bootstrapServers;
        if (b == null) {
            throw new IllegalStateException("the Kafka container has not been created yet");
        }
        return b;
    }

    @Override
    public synchronized void stop() {
        if (running) {
            container.getDockerClient().stopContainerCmd(container.getContainerId()).exec();
            running = false;
        }
    }

    @Override
    public synchronized void restart() {
        if (container == null) {
            throw new IllegalStateException("the Kafka container has not been created yet");
        }
        stop();
        container.getDockerClient().startContainerCmd(container.getContainerId()).exec();
        running = true;
        awaitReady(bootstrapServers, READY_TIMEOUT);
    }

    @Override
    public synchronized boolean isRunning() {
        return running;
    }

    /** The running container, for logs or exec; null outside the test class. */
    public synchronized KafkaContainer container() {
        return container;
    }

    private static int freePort() throws IOException {
        // Docker publishes on all interfaces: probe the wildcard address, not only loopback.
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
