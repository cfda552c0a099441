package io.kccr.node.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.kccr.core.shard.GetResult;
import io.kccr.leader.WriteResult;
import java.io.IOException;

/** The answers of the document APIs and the items of {@code _bulk}'s, in Elasticsearch's shapes. */
final class DocumentResponses {
    private DocumentResponses() {
    }

    /** The HTTP status of a write's answer: 201 created, 404 for the delete of a missing document, else 200. */
    static int status(WriteResult result) {
        return switch (result.result()) {
            case CREATED -> 201;
            case NOT_FOUND -> 404;
            default -> 200;
        };
    }

    /** The {@code _shards} of a write: the one shard it went to, or none for a no-op. */
    static IndexResponses.ShardCounts shardCounts(WriteResult result) {
        return new IndexResponses.ShardCounts(1, result.result() == WriteResult.Result.NOOP ? 0 : 1, 0);
    }

    /**
     * A write of one document: index, create, update, delete.
     *
     * @param forcedRefresh true when {@code ?refresh=true} refreshed the shard; null (and left out) otherwise
     */
    record Written(@JsonProperty("_index") String index, @JsonProperty("_id") String id,
                   @JsonProperty("_version") long version, String result,
                   @JsonProperty("_shards") IndexResponses.ShardCounts shards, @JsonProperty("_seq_no") long seqNo,
                   @JsonProperty("_primary_term") long primaryTerm,
                   @JsonInclude(JsonInclude.Include.NON_NULL) Boolean forcedRefresh) {
        static Written of(String index, WriteResult r, boolean forcedRefresh) {
            return new Written(index, r.id(), r.version(), r.result().jsonName(), shardCounts(r), r.seqNo(), r.primaryTerm(),
                    forcedRefresh ? Boolean.TRUE : null);
        }
    }

    /**
     * {@code GET /<index>/_doc/<id>}: the document, or {@code "found":false} with only its index and id.
     *
     * @param source the source as the request's {@code _source} filter leaves it; null (and left out) for none
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Got(@JsonProperty("_index") String index, @JsonProperty("_id") String id,
               @JsonProperty("_version") Long version, @JsonProperty("_seq_no") Long seqNo,
               @JsonProperty("_primary_term") Long primaryTerm, boolean found, @JsonProperty("_source") JsonNode source) {
        static Got of(String index, GetResult got, JsonNode source) {
            return got.found()
                    ? new Got(index, got.id(), got.version(), got.seqNo(), got.primaryTerm(), true, source)
                    : new Got(index, got.id(), null, null, null, false, null);
        }
    }

    /** What one {@code _bulk} item answers, under its action's name: its result or its error. */
    sealed interface BulkItemResponse permits BulkDone, BulkFailed {
    }

    /** A bulk item that was written: the fields of {@link Written} and its status. */
    record BulkDone(@JsonProperty("_index") String index, @JsonProperty("_id") String id,
                    @JsonProperty("_version") long version, String result,
                    @JsonProperty("_shards") IndexResponses.ShardCounts shards, @JsonProperty("_seq_no") long seqNo,
                    @JsonProperty("_primary_term") long primaryTerm, int status) implements BulkItemResponse {
        static BulkDone of(String index, WriteResult r) {
            return new BulkDone(index, r.id(), r.version(), r.result().jsonName(), shardCounts(r), r.seqNo(),
                    r.primaryTerm(), DocumentResponses.status(r));
        }

        /**
         * Writes this item as {@link Json#MAPPER} would (the same fields, names and order), field by field: a bulk
         * renders thousands of them, and the mapper's per-value work would cost as much as parsing the request.
         * {@code ResponseRecordsTest} checks that both write the same.
         */
        void writeTo(JsonGenerator json) throws IOException {
            json.writeStartObject();
            json.writeStringField("_index", index);
            json.writeStringField("_id", id);
            json.writeNumberField("_version", version);
            json.writeStringField("result", result);
            json.writeObjectFieldStart("_shards");
            json.writeNumberField("total", shards.total());
            json.writeNumberField("successful", shards.successful());
            json.writeNumberField("failed", shards.failed());
            json.writeEndObject();
            json.writeNumberField("_seq_no", seqNo);
            json.writeNumberField("_primary_term", primaryTerm);
            json.writeNumberField("status", status);
            json.writeEndObject();
        }
    }

    /** A bulk item that failed: its status and error, as the error body's cause. */
    record BulkFailed(@JsonProperty("_index") String index, @JsonProperty("_id") String id, int status,
                      ErrorResponse.Cause error) implements BulkItemResponse {
    }
}
