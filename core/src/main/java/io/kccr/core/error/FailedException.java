package io.kccr.core.error;

import java.util.Map;

/**
 * {@code exception}: the request was valid, and carrying it out failed (e.g. a follower that
 * failed while starting, a comparison whose leader stopped answering). The reason says why.
 */
public final class FailedException extends KccrException {

    public FailedException(String reason, Throwable cause) {
        super("exception", reason, Map.of(), cause);
    }
}
