package io.kccr.core.error;

import java.util.Map;

/** What the request names does not exist: an index, a document, a shard, a remote cluster, a session, a pattern. */
public final class NotFoundException extends KccrException {

    private NotFoundException(String type, String reason, Map<String, Object> metadata) {
        super(type, reason, metadata, null);
    }

    /** {@code index_not_found_exception}. */
    public static NotFoundException index(String index) {
        return new NotFoundException("index_not_found_exception", "no such index [" + index + "]",
                Map.of("resource.type", "index_or_alias", "resource.id", index, "index_uuid", "_na_", "index", index));
    }

    /** {@code resource_not_found_exception}: a pattern, a session, a document by its source, a console file. */
    public static NotFoundException resource(String reason) {
        return new NotFoundException("resource_not_found_exception", reason, Map.of());
    }

    /** {@code document_missing_exception}: an update of a document that does not exist. */
    public static NotFoundException document(String index, String id) {
        return new NotFoundException("document_missing_exception", "[" + id + "]: document missing",
                Map.of("index_uuid", "_na_", "shard", "0", "index", index));
    }

    /** {@code shard_not_found_exception}. */
    public static NotFoundException shard(String index, String reason) {
        return new NotFoundException("shard_not_found_exception", reason, Map.of("index", index));
    }

    /** {@code search_context_missing_exception}: a scroll or point in time that expired, was closed, or never existed. */
    public static NotFoundException searchContext(String id) {
        return new NotFoundException("search_context_missing_exception", "No search context found for id [" + id
                + "]; it expired (keep_alive), was closed or never existed: start again with a new scroll or point in"
                + " time, and a keep_alive long enough to process each page", Map.of());
    }

    /** {@code no_such_remote_cluster_exception}. */
    public static NotFoundException remoteCluster(String name) {
        return new NotFoundException("no_such_remote_cluster_exception", "no such remote cluster: [" + name + "]",
                Map.of());
    }
}
