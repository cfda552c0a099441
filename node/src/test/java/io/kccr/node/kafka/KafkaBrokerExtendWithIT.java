package io.kccr.node.kafka;

import io.kccr.testkit.KafkaBroker;
import io.kccr.testkit.KafkaCluster;
import io.kccr.testkit.KafkaClusterExtension;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link KafkaBroker} registered declaratively, reached through constructor and method parameters. */
@ExtendWith(KafkaBroker.class)
class KafkaBrokerExtendWithIT {

    private final KafkaCluster kafka;

    KafkaBrokerExtendWithIT(KafkaCluster kafka) {
        this.kafka = kafka;
    }

    @Test
    void constructorAndMethodGetTheSameRunningBroker(KafkaBroker broker) {
        assertThat(broker).isSameAs(kafka);
        assertThat(kafka.isRunning()).isTrue();
        assertThat(broker.logDir()).isDirectory();
        KafkaClusterExtension.awaitReady(kafka.bootstrapServers(), Duration.ofSeconds(30));
    }
}
