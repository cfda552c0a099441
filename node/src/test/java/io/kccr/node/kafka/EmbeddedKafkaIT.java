package io.kccr.node.kafka;

import io.kccr.testkit.KafkaBroker;
import io.kccr.testkit.KafkaCluster;
import io.kccr.testkit.KafkaClusterExtension;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The {@link KafkaClusterContract} on the in-process {@link EmbeddedKafka} broker, plus its own promises. */
class EmbeddedKafkaIT extends KafkaClusterContract {

    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker();

    @Override
    protected KafkaCluster cluster() {
        return kafka;
    }

    @Test
    void startedWithinDeadline() {
        System.out.println("embedded Kafka (last) start took " + kafka.lastStartTime().toMillis() + " ms");
        assertThat(kafka.lastStartTime()).isLessThan(READY_DEADLINE);
        assertThat(kafka.bootstrapServers()).startsWith("127.0.0.1:");
        assertThat(kafka.logDir().resolve("meta.properties")).exists();
    }

    @Test
    void clusterIsInjectedAsParameter(KafkaCluster cluster, KafkaBroker broker) {
        assertThat(cluster).isSameAs(kafka);
        assertThat(broker).isSameAs(kafka);
    }

    @Test
    void secondBrokerOnTheSameDirectoryIsRefused() {
        assertThatThrownBy(() -> EmbeddedKafka.start(kafka.logDir(), 0).close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("in use");
        assertThat(kafka.isRunning()).isTrue();
        KafkaClusterExtension.awaitReady(kafka.bootstrapServers(), READY_DEADLINE);
    }

    @Test
    void restartedStandaloneBrokerKeepsItsClusterId(@org.junit.jupiter.api.io.TempDir Path dir) {
        String clusterId;
        int port;
        EmbeddedKafka first = EmbeddedKafka.start(dir, 0);
        clusterId = first.clusterId();
        port = first.port();
        assertThat(first.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
        long t0 = System.nanoTime();
        first.close();
        Duration closeTime = Duration.ofNanos(System.nanoTime() - t0);
        System.out.println("embedded Kafka close took " + closeTime.toMillis() + " ms");
        assertThat(closeTime).isLessThan(READY_DEADLINE);
        assertThat(Files.exists(dir.resolve("meta.properties"))).isTrue();
        EmbeddedKafka second = EmbeddedKafka.start(dir, port);
        try {
            assertThat(second.clusterId()).isEqualTo(clusterId);
            assertThat(second.port()).isEqualTo(port);
        } finally {
            second.close();
            second.close(); // idempotent
        }
    }

    @Test
    void overridesMayAddListenersButNotChangeIdentity(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> EmbeddedKafka.start(dir, 0, Map.of("log.dirs", dir.toString())))
                .isInstanceOf(IllegalArgumentException.class);

        int extraPort;
        try (ServerSocket s = new ServerSocket(0)) {
            extraPort = s.getLocalPort();
        }
        String extra = "EXTRA://127.0.0.1:" + extraPort;
        try (EmbeddedKafka broker = EmbeddedKafka.start(dir, 0, Map.of(
                "listeners", "PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controllerPort}," + extra,
                "advertised.listeners", "PLAINTEXT://127.0.0.1:{port}," + extra,
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,EXTRA:PLAINTEXT"))) {
            KafkaClusterExtension.awaitReady("127.0.0.1:" + extraPort, READY_DEADLINE);
            KafkaClusterExtension.awaitReady(broker.bootstrapServers(), READY_DEADLINE);
        }
    }

    /** A {@code @Nested} class shares the outer class's broker; its end does not stop it. */
    @Nested
    class NestedClass {
        @Test
        void seesTheOuterBroker(KafkaCluster cluster) {
            assertThat(cluster).isSameAs(kafka);
            assertThat(cluster.isRunning()).isTrue();
            KafkaClusterExtension.awaitReady(cluster.bootstrapServers(), READY_DEADLINE);
        }
    }
}
