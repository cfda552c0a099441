package io.kccr.core.wire;

/** A record in an ops topic that is not an operation event (e.g. a foreign producer wrote it). */
public class MalformedOperationException extends RuntimeException {
    public MalformedOperationException(String message) {
        super(message);
    }
}
