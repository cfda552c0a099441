package io.kccr.node.leader;

import com.fasterxml.jackson.databind.JsonNode;
import io.kccr.core.wire.OpType;

/**
 * A write the node acknowledged with a seq_no (2xx, or a 404 {@code not_found} delete, which is
 * logged too), with what the client sent.
 *
 * @param source the exact bytes sent as {@code _source}; null for a delete
 */
record Ack(String id, long seqNo, long primaryTerm, long version, OpType op, byte[] source, String result,
           int status) {

    /** The ack a write response (or a bulk item's result) describes; null when it carries no seq_no. */
    static Ack of(JsonNode result, int status, OpType op, byte[] source) {
        if (result == null || !result.hasNonNull("_seq_no") || result.has("error")) {
            return null;
        }
        return new Ack(result.get("_id").asText(), result.get("_seq_no").asLong(),
                result.get("_primary_term").asLong(), result.get("_version").asLong(), op, source,
                result.path("result").asText(), status);
    }

    @Override
    public String toString() {
        return "Ack[" + op.wireName() + " " + id + " seq_no=" + seqNo + " v=" + version + " " + result + "]";
    }
}
