package io.kccr.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

class KafkaAccessErrorsTest {

    @Test
    void rejectedCredentialsNameTheSaslSettingsUnderThePrefix() {
        Exception e = new ExecutionException(new SaslAuthenticationException("Authentication failed: Invalid username or password"));
        assertThat(KafkaAccessErrors.advice(e, "cluster.remote.leader.kafka.")).hasValueSatisfying(a -> assertThat(a)
                .startsWith("Kafka rejected the credentials (SaslAuthenticationException: Authentication failed: "
                        + "Invalid username or password)")
                .contains("cluster.remote.leader.kafka.sasl.mechanism",
                        "cluster.remote.leader.kafka.sasl.jaas.config"));
    }

    @Test
    void failedTlsHandshakeNamesTheTrustStore() {
        Exception e = new KafkaException("wrapped", new SslAuthenticationException("SSL handshake failed"));
        assertThat(KafkaAccessErrors.advice(e, "kafka.")).hasValueSatisfying(a -> assertThat(a)
                .startsWith("the TLS handshake with Kafka failed (SslAuthenticationException: SSL handshake failed)")
                .contains("kafka.ssl.truststore.location", "kafka.ssl.keystore.*"));
    }

    @Test
    void deniedOperationNamesTheAcls() {
        Exception e = new ExecutionException(new TopicAuthorizationException(Set.of("ccr.indices")));
        assertThat(KafkaAccessErrors.advice(e, "kafka.")).hasValueSatisfying(a -> assertThat(a)
                .startsWith("Kafka denied the operation (TopicAuthorizationException").contains("ACLs"));
    }

    @Test
    void otherFailuresHaveNoAdvice() {
        assertThat(KafkaAccessErrors.advice(new ExecutionException(new TimeoutException("timed out")), "kafka."))
                .isEmpty();
        assertThat(KafkaAccessErrors.advice(new IllegalStateException("x"), "kafka.")).isEmpty();
    }
}
