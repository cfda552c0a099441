package io.kccr.node.indices;

import com.fasterxml.jackson.databind.JsonNode;
import io.kccr.leader.WriteCondition;

/**
 * One action of a {@code _bulk} request, as {@link BulkWrites} reads it. The parts that can be invalid
 * ({@link #condition}, {@link #updateBody}) are read only as the item is carried out: one that is invalid
 * throws the item's own error, which fails that item alone.
 */
public interface BulkItem {
    /** {@code index}, {@code create}, {@code delete} or {@code update}. */
    String action();

    /** The index the item goes to. */
    String index();

    /** The document id; null for an {@code index} or {@code create} that lets the index pick one. */
    String id();

    /** The document of an {@code index} or {@code create}, as sent. */
    byte[] source();

    /** What must hold for an {@code index}, {@code create} or {@code delete} to proceed. */
    WriteCondition condition();

    /** The request body of an {@code update} ({@code doc}, {@code upsert}, ...). */
    JsonNode updateBody();

    /** How often an {@code update} is retried when another write came in between. */
    int retryOnConflict();

    /** {@code if_seq_no} of an {@code update}, or null. */
    Long ifSeqNo();

    /** {@code if_primary_term} of an {@code update}, or null. */
    Long ifPrimaryTerm();
}
