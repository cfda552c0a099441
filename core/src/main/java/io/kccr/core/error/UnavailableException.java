package io.kccr.core.error;

import java.util.Map;

/**
 * The request is fine but cannot be served now: Kafka or a remote cluster is unreachable, a
 * shard is not ready. Retrying later may succeed; the reason says what to check.
 *
 * <p>{@link #nothingWritten()} tells a write that certainly did not reach the log (its shard is not on this node,
 * its writer closed before publishing it, or a newer primary fenced its transaction, which aborts it): a
 * coordinating node may send it again to the shard's primary. Any other unavailable write may or may not be in the
 * log.
 */
public final class UnavailableException extends KccrException {

    /**
     * The metadata field that tells a client (and a coordinating node, in a peer's answer) that nothing was written,
     * so that the request may be sent again.
     */
    public static final String NOTHING_WRITTEN = "nothing_written";

    private final boolean nothingWritten;

    private UnavailableException(String type, String reason, Map<String, Object> metadata, Throwable cause,
                                 boolean nothingWritten) {
        super(type, reason, metadata, cause);
        this.nothingWritten = nothingWritten;
    }

    /** {@code unavailable_shards_exception}: Kafka (or the shard) cannot take or serve the request now. */
    public UnavailableException(String reason, Throwable cause) {
        this("unavailable_shards_exception", reason, Map.of(), cause, false);
    }

    /** {@code connect_transport_exception}: a remote cluster cannot be reached. */
    public static UnavailableException remote(String reason, Throwable cause) {
        return new UnavailableException("connect_transport_exception", reason, Map.of(), cause, false);
    }

    /**
     * {@code unavailable_shards_exception} for a request that reached a node without the copy it needs (the shard
     * moved, or its primary is still starting): nothing of it was written.
     */
    public static UnavailableException notHere(String index, int shard, String reason) {
        return new UnavailableException("unavailable_shards_exception", reason, Map.of("index", index, "shard", shard,
                NOTHING_WRITTEN, true), null, true);
    }

    /** {@code unavailable_shards_exception} for writes that were certainly not published (see the class comment). */
    public static UnavailableException notWritten(String reason, Throwable cause) {
        return new UnavailableException("unavailable_shards_exception", reason, Map.of(NOTHING_WRITTEN, true), cause,
                true);
    }

    /** Whether the request certainly left nothing in the log, so that it may be sent again. */
    public boolean nothingWritten() {
        return nothingWritten;
    }
}
