package io.kccr.core.error;

import java.util.Map;

/** {@code es_rejected_execution_exception}: a limit is reached (sessions, memory); retry later. */
public final class RejectedException extends KccrException {

    public RejectedException(String reason) {
        super("es_rejected_execution_exception", reason, Map.of(), null);
    }
}
