package io.kccr.leader;

/**
 * What must hold for a write to proceed, as Elasticsearch's {@code op_type=create} and
 * optimistic concurrency control ({@code if_seq_no}/{@code if_primary_term}).
 *
 * @param createOnly   fail with 409 if the document exists
 * @param ifSeqNo      the seq_no the document must have, or null
 * @param ifPrimaryTerm the primary term the document must have, or null
 */
public record WriteCondition(boolean createOnly, Long ifSeqNo, Long ifPrimaryTerm) {
    public static final WriteCondition NONE = new WriteCondition(false, null, null);
    public static final WriteCondition CREATE = new WriteCondition(true, null, null);

    public static WriteCondition ifMatch(long seqNo, long primaryTerm) {
        return new WriteCondition(false, seqNo, primaryTerm);
    }
}
