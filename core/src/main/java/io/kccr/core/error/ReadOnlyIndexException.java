package io.kccr.core.error;

import java.util.Map;

/** {@code status_exception}: a write to an index that only its leader writes (a follower index). */
public final class ReadOnlyIndexException extends KccrException {

    public ReadOnlyIndexException(String reason) {
        super("status_exception", reason, Map.of(), null);
    }
}
