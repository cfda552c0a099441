package io.kccr.core.error;

import java.util.Map;

/**
 * The request is fine but cannot be served now: Kafka or a remote cluster is unreachable, a
 * shard is not ready. Retrying later may succeed; the reason says what to check.
 */
public final class UnavailableException extends KccrException {

    private UnavailableException(String type, String reason, Throwable cause) {
        super(type, reason, Map.of(), cause);
    }

    /** {@code unavailable_shards_exception}: Kafka (or the shard) cannot take or serve the request now. */
    public UnavailableException(String reason, Throwable cause) {
        this("unavailable_shards_exception", reason, cause);
    }

    /** {@code connect_transport_exception}: a remote cluster cannot be reached. */
    public static UnavailableException remote(String reason, Throwable cause) {
        return new UnavailableException("connect_transport_exception", reason, cause);
    }
}
