package io.kccr.core.kafka;

import java.util.Optional;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

/**
 * Advice for the Kafka client failures that settings cause and settings fix: the broker rejected the credentials
 * (SASL), the TLS handshake failed, or the broker's ACLs deny an operation. Any other failure has no advice.
 * Stateless.
 */
public final class KafkaAccessErrors {
    private KafkaAccessErrors() {
    }

    /**
     * What went wrong and which settings to check, when {@code failure} or one of its causes is an authentication,
     * TLS or authorization failure; empty otherwise.
     *
     * @param settingsPrefix the prefix of the client properties that were used, as the operator writes them:
     *                       {@code kafka.} for the node's own, {@code cluster.remote.<name>.kafka.} for a remote's
     */
    public static Optional<String> advice(Throwable failure, String settingsPrefix) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SslAuthenticationException) {
                return Optional.of("the TLS handshake with Kafka failed (" + describe(t) + "); check "
                        + settingsPrefix + "security.protocol (SSL or SASL_SSL), " + settingsPrefix
                        + "ssl.truststore.location and " + settingsPrefix + "ssl.truststore.password (they must hold "
                        + "the CA of the broker's certificate) and, when the broker asks for client certificates, "
                        + settingsPrefix + "ssl.keystore.*");
            }
            if (t instanceof AuthenticationException) {
                return Optional.of("Kafka rejected the credentials (" + describe(t) + "); check "
                        + settingsPrefix + "security.protocol, " + settingsPrefix + "sasl.mechanism and the user name "
                        + "and password in " + settingsPrefix + "sasl.jaas.config against the broker's users");
            }
            if (t instanceof AuthorizationException) {
                return Optional.of("Kafka denied the operation (" + describe(t) + "); grant the user of "
                        + settingsPrefix + "sasl.jaas.config (or of the client certificate) the ACLs Kafka CCR needs: "
                        + "create, describe, read and write its topics, read its consumer groups, and write with its "
                        + "transactional ids");
            }
        }
        return Optional.empty();
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }
}
