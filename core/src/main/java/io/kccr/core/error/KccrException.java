package io.kccr.core.error;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Why a request could not be carried out, named after what went wrong. Each subclass is one kind
 * of failure; {@link #type()} is Elasticsearch's name for the specific error (e.g.
 * {@code index_not_found_exception}), which clients such as the official one read. The domain
 * knows nothing of HTTP: the REST layer alone maps each kind to a status code.
 *
 * <p>The reason says what went wrong and what to do next. Instances are immutable.
 */
public abstract sealed class KccrException extends RuntimeException
        permits NotFoundException, AlreadyExistsException, InvalidRequestException, IndexClosedException,
        VersionConflictException, ReadOnlyIndexException, RejectedException, UnavailableException,
        TimedOutException, FailedException, CircuitBreakingException, ClusterBlockException, ContentTooLongException,
        AuthenticationException, AuthorizationException {

    private final String type;
    private final Map<String, Object> metadata;

    protected KccrException(String type, String reason, Map<String, Object> metadata, Throwable cause) {
        super(reason, cause);
        this.type = type;
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** Elasticsearch's error type, e.g. {@code index_not_found_exception}. */
    public String type() {
        return type;
    }

    /** What went wrong and what to do next. */
    public String reason() {
        return getMessage();
    }

    /** Extra fields rendered beside {@code type} and {@code reason} (e.g. {@code index}). */
    public Map<String, Object> metadata() {
        return metadata;
    }
}
