package io.kccr.leader;

import io.kccr.core.error.KccrException;
import io.kccr.core.error.VersionConflictException;
import io.kccr.core.shard.DocState;

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

    /**
     * Why a write of {@code id} in {@code index} may not proceed on a document now in state
     * {@code current} (null or deleted: absent), as Elasticsearch words it; null when it may.
     */
    KccrException violation(String index, String id, DocState current) {
        boolean exists = current != null && !current.deleted();
        if (createOnly && exists) {
            return new VersionConflictException(index, id,
                    "document already exists (current version [" + current.version() + "])");
        }
        if (ifSeqNo == null) {
            return null;
        }
        if (!exists) {
            return new VersionConflictException(index, id, "required seqNo [" + ifSeqNo + "], primary term ["
                    + ifPrimaryTerm + "] but no document was found");
        }
        if (current.seqNo() != ifSeqNo || current.primaryTerm() != ifPrimaryTerm) {
            return new VersionConflictException(index, id, "required seqNo [" + ifSeqNo + "], primary term ["
                    + ifPrimaryTerm + "]. current document has seqNo [" + current.seqNo() + "] and primary term ["
                    + current.primaryTerm() + "]");
        }
        return null;
    }
}
