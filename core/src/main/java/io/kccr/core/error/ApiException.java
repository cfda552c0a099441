package io.kccr.core.error;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error a request ends with, rendered in Elasticsearch's error shape:
 * {@code {"error":{"root_cause":[...],"type":...,"reason":...},"status":N}}.
 *
 * <p>Every rejection in the product is one of these; one place (the REST layer) maps it to HTTP.
 * The factory methods name the Elasticsearch error types the official client knows, and their
 * reasons say what the user should do next. Instances are immutable.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String type;
    private final Map<String, Object> metadata;

    public ApiException(int status, String type, String reason) {
        this(status, type, reason, Map.of(), null);
    }

    public ApiException(int status, String type, String reason, Map<String, Object> metadata, Throwable cause) {
        super(reason, cause);
        this.status = status;
        this.type = type;
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** The HTTP status. */
    public int status() {
        return status;
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

    public static ApiException indexNotFound(String index) {
        return new ApiException(404, "index_not_found_exception", "no such index [" + index + "]",
                Map.of("resource.type", "index_or_alias", "resource.id", index, "index_uuid", "_na_", "index", index), null);
    }

    public static ApiException indexAlreadyExists(String index, String uuid) {
        return new ApiException(400, "resource_already_exists_exception",
                "index [" + index + "/" + uuid + "] already exists",
                Map.of("index_uuid", uuid, "index", index), null);
    }

    public static ApiException invalidIndexName(String index, String why) {
        return new ApiException(400, "invalid_index_name_exception", "Invalid index name [" + index + "], " + why,
                Map.of("index_uuid", "_na_", "index", index), null);
    }

    public static ApiException mapperParsing(String reason) {
        return new ApiException(400, "mapper_parsing_exception", reason);
    }

    public static ApiException mapperParsing(String reason, Throwable cause) {
        return new ApiException(400, "mapper_parsing_exception", reason, Map.of(), cause);
    }

    public static ApiException parse(String reason) {
        return new ApiException(400, "parse_exception", reason);
    }

    public static ApiException illegalArgument(String reason) {
        return new ApiException(400, "illegal_argument_exception", reason);
    }

    public static ApiException parsingQuery(String reason) {
        return new ApiException(400, "parsing_exception", reason);
    }

    public static ApiException versionConflict(String index, String id, String detail) {
        return new ApiException(409, "version_conflict_engine_exception", "[" + id + "]: version conflict, " + detail,
                Map.of("index_uuid", "_na_", "shard", "0", "index", index), null);
    }

    public static ApiException documentMissing(String index, String id) {
        return new ApiException(404, "document_missing_exception", "[" + id + "]: document missing",
                Map.of("index_uuid", "_na_", "shard", "0", "index", index), null);
    }

    public static ApiException unavailable(String reason, Throwable cause) {
        return new ApiException(503, "unavailable_shards_exception", reason, Map.of(), cause);
    }

    public static ApiException forbidden(String reason) {
        return new ApiException(403, "status_exception", reason);
    }
}
