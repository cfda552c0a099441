package io.kccr.node;

/**
 * A node could not start for a reason the operator fixes, not a bug: another node holds its {@code path.data}, or
 * its Kafka rejected its credentials or TLS handshake. The message says what failed and what to change; the command
 * line prints it without a stack trace.
 */
public final class NodeStartException extends RuntimeException {
    public NodeStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
