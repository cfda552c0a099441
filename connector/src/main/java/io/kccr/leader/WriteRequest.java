package io.kccr.leader;

import io.kccr.core.mapping.ParsedDocument;
import io.kccr.core.wire.OpType;

/**
 * A write waiting for its shard's writer, already parsed and mapped.
 *
 * @param op             index or delete
 * @param id             the document id
 * @param doc            the parsed source; null for a delete
 * @param autoId         true when the id was generated here, so no document can have it yet
 * @param mappingVersion the mapping version the source was parsed with
 * @param condition      what must hold for the write to proceed
 */
public record WriteRequest(OpType op, String id, ParsedDocument doc, boolean autoId, long mappingVersion,
                    WriteCondition condition) {
}
