package io.kccr.core.error;

import java.util.Map;

/** {@code index_closed_exception}: the index exists but is closed; open it first. */
public final class IndexClosedException extends KccrException {

    public IndexClosedException(String index, String uuid) {
        super("index_closed_exception", "closed", Map.of("index_uuid", uuid, "index", index), null);
    }
}
