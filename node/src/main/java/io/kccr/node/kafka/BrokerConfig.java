package io.kccr.node.kafka;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;

/**
 * The configuration of an {@link EmbeddedKafka} broker: a single KRaft node ({@code process.roles=broker,controller},
 * {@code node.id=1}) with a PLAINTEXT client listener and a CONTROLLER listener on 127.0.0.1, a static single-voter
 * quorum, every replication factor and ISR at 1, few internal-topic partitions and no initial rebalance delay; the
 * caller's overrides go on top, with {@value EmbeddedKafka#PORT_TOKEN} and
 * {@value EmbeddedKafka#CONTROLLER_PORT_TOKEN} in their values replaced by the ports of this start. The keys that
 * define the node's identity and storage cannot be overridden ({@link #checkOverrides}). Stateless.
 */
public final class BrokerConfig {

    static final int NODE_ID = 1;
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    static final String BROKER_LISTENER = "PLAINTEXT";
    static final String HOST = "127.0.0.1";

    private static final String FIXED_KEYS_TEXT = "process.roles, node.id, log.dir, log.dirs, metadata.log.dir";
    private static final List<String> FIXED_KEYS = List.of(FIXED_KEYS_TEXT.split(", "));

    private BrokerConfig() {
    }

    /** @throws IllegalArgumentException if {@code overrides} names a key that defines the node's identity or storage */
    static void checkOverrides(Map<String, String> overrides) {
        for (String key : FIXED_KEYS) {
            if (overrides.containsKey(key)) {
                throw new IllegalArgumentException("EmbeddedKafka does not allow overriding " + key);
            }
        }
    }

    /** The broker's configuration for data directory {@code dir} and the ports of this start, overrides applied. */
    static KafkaConfig build(Path dir, int brokerPort, int controllerPort, Map<String, String> overrides) {
        Map<String, String> props = defaults(dir, brokerPort, controllerPort);
        overrides.forEach((key, value) -> props.put(key, value
                .replace(EmbeddedKafka.PORT_TOKEN, Integer.toString(brokerPort))
                .replace(EmbeddedKafka.CONTROLLER_PORT_TOKEN, Integer.toString(controllerPort))));
        Properties properties = new Properties();
        properties.putAll(props);
        return new KafkaConfig(properties, false);
    }

    private static Map<String, String> defaults(Path dir, int brokerPort, int controllerPort) {
        return member(NODE_ID, NODE_ID + "@" + HOST + ":" + controllerPort, brokerPort, controllerPort, dir, 1);
    }

    /**
     * One combined broker and controller of a KRaft cluster on 127.0.0.1 whose voters are {@code voters}
     * ({@code id@host:port,...}), with a PLAINTEXT client listener, no topic auto-creation, and the internal topics
     * replicated {@code replicationFactor} times (transaction log ISR {@code min(2, RF)}) in a few partitions each,
     * not the default 50, so that the first group and the first transactional producer do not wait for them.
     */
    public static Map<String, String> member(int id, String voters, int brokerPort, int controllerPort, Path logDir,
                                             int replicationFactor) {
        String rf = Integer.toString(replicationFactor);
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(id));
        p.put("controller.quorum.voters", voters);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort + ","
                + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", BROKER_LISTENER);
        p.put("log.dirs", logDir.toString());
        p.put("num.partitions", "1");
        p.put("default.replication.factor", rf);
        p.put("min.insync.replicas", "1");
        p.put("auto.create.topics.enable", "false");
        p.put("offsets.topic.replication.factor", rf);
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", rf);
        p.put("transaction.state.log.min.isr", Integer.toString(Math.min(2, replicationFactor)));
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", rf);
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(4 * 1024 * 1024));
        return p;
    }
}
