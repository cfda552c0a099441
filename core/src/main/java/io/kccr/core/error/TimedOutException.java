package io.kccr.core.error;

import java.util.Map;

/** {@code timeout_exception}: what the request waits for did not happen in the time it allows. */
public final class TimedOutException extends KccrException {

    public TimedOutException(String reason) {
        super("timeout_exception", reason, Map.of(), null);
    }
}
