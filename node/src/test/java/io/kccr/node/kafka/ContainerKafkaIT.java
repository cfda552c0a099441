package io.kccr.node.kafka;

import io.kccr.testkit.ContainerKafkaBroker;
import io.kccr.testkit.KafkaCluster;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The {@link KafkaClusterContract} on a Dockerised Apache Kafka broker
 * ({@value ContainerKafkaBroker#DEFAULT_IMAGE}); skipped where no Docker engine is available.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerKafkaIT extends KafkaClusterContract {

    @RegisterExtension
    static final ContainerKafkaBroker kafka = new ContainerKafkaBroker();

    @Override
    protected KafkaCluster cluster() {
        return kafka;
    }
}
