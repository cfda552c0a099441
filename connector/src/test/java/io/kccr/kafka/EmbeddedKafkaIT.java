package io.kccr.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

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
                .isInstanceOf(RuntimeException.class);
        assertThat(kafka.isRunning()).isTrue();
    }

    @Test
    void restartedStandaloneBrokerKeepsItsClusterId(@org.junit.jupiter.api.io.TempDir Path dir) {
        String clusterId;
        int port;
        try (EmbeddedKafka first = EmbeddedKafka.start(dir, 0)) {
            clusterId = first.clusterId();
            port = first.port();
            assertThat(first.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
        }
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
}
