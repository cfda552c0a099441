package io.kccr.core.error;

import java.util.Map;

/**
 * The request itself is wrong: a bad argument, body, query, mapping or index name. Nothing was
 * changed. The factory methods name Elasticsearch's error types for each case.
 */
public final class InvalidRequestException extends KccrException {

    private InvalidRequestException(String type, String reason, Map<String, Object> metadata, Throwable cause) {
        super(type, reason, metadata, cause);
    }

    /** {@code illegal_argument_exception}: a parameter, setting or state that does not allow the request. */
    public static InvalidRequestException illegalArgument(String reason) {
        return new InvalidRequestException("illegal_argument_exception", reason, Map.of(), null);
    }

    /** {@code action_request_validation_exception}; {@code reason} is Elasticsearch's "Validation Failed: 1: ...;". */
    public static InvalidRequestException validation(String reason) {
        return new InvalidRequestException("action_request_validation_exception", reason, Map.of(), null);
    }

    /** {@code parse_exception}: a body or value that cannot be read. */
    public static InvalidRequestException parse(String reason) {
        return new InvalidRequestException("parse_exception", reason, Map.of(), null);
    }

    /** {@code parse_exception} with the parser's own error as its cause. */
    public static InvalidRequestException parse(String reason, Throwable cause) {
        return new InvalidRequestException("parse_exception", reason, Map.of(), cause);
    }

    /** {@code parsing_exception}: a query or request body of the wrong shape (unknown key, wrong type). */
    public static InvalidRequestException parsing(String reason) {
        return new InvalidRequestException("parsing_exception", reason, Map.of(), null);
    }

    /** {@code x_content_parse_exception}: an unknown or misplaced field of a request object. */
    public static InvalidRequestException contentParse(String reason) {
        return new InvalidRequestException("x_content_parse_exception", reason, Map.of(), null);
    }

    /** {@code x_content_parse_exception} for a field whose value cannot be read, with why as its cause. */
    public static InvalidRequestException contentParse(String reason, Throwable cause) {
        return new InvalidRequestException("x_content_parse_exception", reason, Map.of(), cause);
    }

    /** {@code mapper_parsing_exception}: a mapping, or a document its mapping refuses. */
    public static InvalidRequestException mapperParsing(String reason) {
        return new InvalidRequestException("mapper_parsing_exception", reason, Map.of(), null);
    }

    /** {@code mapper_parsing_exception} with the cause. */
    public static InvalidRequestException mapperParsing(String reason, Throwable cause) {
        return new InvalidRequestException("mapper_parsing_exception", reason, Map.of(), cause);
    }

    /** {@code strict_dynamic_mapping_exception}: a new field under {@code dynamic: strict}. */
    public static InvalidRequestException strictDynamicMapping(String reason) {
        return new InvalidRequestException("strict_dynamic_mapping_exception", reason, Map.of(), null);
    }

    /** {@code invalid_index_name_exception}. */
    public static InvalidRequestException invalidIndexName(String index, String why) {
        return new InvalidRequestException("invalid_index_name_exception", "Invalid index name [" + index + "], " + why,
                Map.of("index_uuid", "_na_", "index", index), null);
    }

    /** {@code query_shard_exception}: a query that cannot run against these mappings. */
    public static InvalidRequestException queryShard(String reason, Throwable cause) {
        return new InvalidRequestException("query_shard_exception", reason, Map.of(), cause);
    }

    /** {@code too_many_clauses}: a query that expands to more clauses than Lucene allows. */
    public static InvalidRequestException tooManyClauses(String reason) {
        return new InvalidRequestException("too_many_clauses", reason, Map.of(), null);
    }

    /**
     * {@code too_many_buckets_exception}: an aggregation answer past {@code search.max_buckets}; Elasticsearch
     * answers it with 400 since 8.8 (retrying cannot help).
     */
    public static InvalidRequestException tooManyBuckets(int maxBuckets) {
        return new InvalidRequestException("too_many_buckets_exception", "Trying to create too many buckets. Must be"
                + " less than or equal to: [" + maxBuckets + "] but this number of buckets was exceeded. This limit can"
                + " be set by changing the [search.max_buckets] cluster level setting; or ask for fewer buckets (a"
                + " smaller size, a wider interval, or a composite aggregation paged with after).",
                Map.of("max_buckets", maxBuckets), null);
    }

    /** An invalid request of Elasticsearch's error {@code type} not named above (e.g. a follower's history loss). */
    public static InvalidRequestException of(String type, String reason) {
        return new InvalidRequestException(type, reason, Map.of(), null);
    }
}
