package io.kccr.testkit;

import io.kccr.node.Node;
import io.kccr.node.settings.NodeSettings;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings of a node a test starts, and the one way tests start nodes: in this JVM ({@link #start})
 * or in a child JVM that can be killed ({@link #startChild}), with the same settings. Test-wide defaults
 * live here, and only here: an ephemeral HTTP port, single-broker durability accepted, and security off (the tests
 * of other features; the security tests, the console's, the quickstart's and the operator commands' turn it on with
 * {@link #secured}).
 *
 * <pre>{@code
 * Node node = TestNode.on(kafka).dir(data.resolve("leader")).cluster("leader-cluster").topicPrefix("lc").start();
 * }</pre>
 *
 * <p>Immutable: each call returns a new builder, so one can be a template for several nodes.
 */
public final class TestNode {
    /**
     * An ephemeral HTTP port; topics of replication factor 1 accepted, as most tests run on one in-process broker
     * (the durability tests run on {@link KafkaBrokers} and set {@code ccr.topic.allow_unsafe_durability=false});
     * security off, but for the tests that turn it on ({@link #secured}).
     */
    private static final Map<String, String> DEFAULTS = Map.of("http.port", "0",
            "ccr.topic.allow_unsafe_durability", "true", "xpack.security.enabled", "false");
    /** The password of the built-in superuser {@code elastic} on a {@link #secured} node. */
    public static final String ELASTIC_PASSWORD = "elastic-test-password";

    private final KafkaCluster kafka;
    private final Map<String, String> settings;

    private TestNode(KafkaCluster kafka, Map<String, String> settings) {
        this.kafka = kafka;
        this.settings = settings;
    }

    /** A node on {@code kafka} (its address is read when the node starts, once the broker runs). */
    public static TestNode on(KafkaCluster kafka) {
        return new TestNode(kafka, new LinkedHashMap<>(DEFAULTS));
    }

    /** A node on the Kafka cluster at {@code bootstrapServers} (e.g. another node's embedded broker). */
    public static TestNode on(String bootstrapServers) {
        return new TestNode(null, new LinkedHashMap<>(DEFAULTS)).setting("kafka.bootstrap.servers", bootstrapServers);
    }

    /** A node that runs its own embedded Kafka broker on an ephemeral port. */
    public static TestNode withEmbeddedKafka() {
        return new TestNode(null, new LinkedHashMap<>(DEFAULTS)).setting("kafka.embedded.port", "0");
    }

    /** {@code path.data}, made absolute (a child JVM may run elsewhere). */
    public TestNode dir(Path path) {
        return setting("path.data", path.toAbsolutePath().toString());
    }

    /** {@code cluster.name}. */
    public TestNode cluster(String name) {
        return setting("cluster.name", name);
    }

    /** {@code node.name}. */
    public TestNode name(String name) {
        return setting("node.name", name);
    }

    /** {@code ccr.topic.prefix}. */
    public TestNode topicPrefix(String prefix) {
        return setting("ccr.topic.prefix", prefix);
    }

    /** A remote cluster {@code alias} reached through {@code seed} ({@code host:port} of one of its nodes). */
    public TestNode remote(String alias, String seed) {
        return setting("cluster.remote." + alias + ".seeds", seed);
    }

    /**
     * Security on, as a node has it by default, with {@link #ELASTIC_PASSWORD} as the {@code elastic} user's
     * {@code bootstrap.password}.
     */
    public TestNode secured() {
        return setting("xpack.security.enabled", "true").setting("bootstrap.password", ELASTIC_PASSWORD);
    }

    public TestNode setting(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(settings);
        copy.put(key, value);
        return new TestNode(kafka, copy);
    }

    /** Each of {@code more}, over what is set so far. */
    public TestNode settings(Map<String, String> more) {
        Map<String, String> copy = new LinkedHashMap<>(settings);
        copy.putAll(more);
        return new TestNode(kafka, copy);
    }

    /** The node's settings, defaults included, as it starts with them now. */
    public Map<String, String> settings() {
        Map<String, String> all = new LinkedHashMap<>();
        if (kafka != null) {
            all.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        }
        all.putAll(settings);
        return Collections.unmodifiableMap(all);
    }

    /** Starts the node in this JVM; returns once it serves HTTP. */
    public Node start() throws Exception {
        return Node.start(NodeSettings.of(settings()));
    }

    /** Starts the node in a child JVM ({@link NodeMain}) logging to {@code logFile}; returns once it serves HTTP. */
    public ChildNode startChild(Path logFile) throws Exception {
        return ChildNode.start(settings(), logFile);
    }
}
