package io.kccr.testkit;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 plumbing shared by {@link KafkaBroker} and {@link ContainerKafkaBroker}: the cluster is
 * created before the first test of the class that registers the extension (also when that class
 * has {@code @Nested} classes, which reuse it) and disposed of after its last test. Parameters of
 * type {@link KafkaCluster} (or of the extension's own type) in test constructors, lifecycle and
 * test methods receive the extension itself.
 */
public abstract class KafkaClusterExtension
        implements KafkaCluster, BeforeAllCallback, AfterAllCallback, ParameterResolver {

    /** How long {@link #awaitReady} waits by default. */
    public static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    /** Unique id of the extension context that created the cluster; null when none exists. */
    private String owner;

    /** Creates and starts a fresh cluster; returns once it serves clients. */
    protected abstract void create() throws Exception;

    /** Stops the cluster for good and deletes its data. */
    protected abstract void dispose() throws Exception;

    @Override
    public final void beforeAll(ExtensionContext context) throws Exception {
        synchronized (this) {
            if (owner != null) {
                return; // a @Nested class inside the owner: keep the running cluster
            }
            create();
            owner = context.getUniqueId();
        }
    }

    @Override
    public final void afterAll(ExtensionContext context) throws Exception {
        synchronized (this) {
            if (!context.getUniqueId().equals(owner)) {
                return;
            }
            owner = null;
            dispose();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == KafkaCluster.class || type == getClass();
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return this;
    }

    /**
     * Polls Admin {@code describeCluster} on {@code bootstrapServers} until at least one broker is
     * listed, and returns the brokers; fails at the timeout.
     */
    public static Collection<Node> awaitReady(String bootstrapServers, Duration timeout) {
        try (Admin admin = Admin.create(Map.<String, Object>of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200))) {
            return await("a Kafka broker at " + bootstrapServers).atMost(timeout)
                    .ignoreExceptionsMatching(e -> e instanceof ExecutionException || e instanceof TimeoutException)
                    .until(() -> admin.describeCluster(new DescribeClusterOptions().timeoutMs(5_000)).nodes()
                            .get(5, TimeUnit.SECONDS), nodes -> !nodes.isEmpty());
        }
    }
}
