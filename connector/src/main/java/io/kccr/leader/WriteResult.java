package io.kccr.leader;

/**
 * The outcome of an acknowledged write: the op is durably in the log and applied to the shard.
 *
 * @param id          the document id
 * @param shard       the shard it went to
 * @param seqNo       its seq_no
 * @param primaryTerm its primary term
 * @param version     the document's version after it
 * @param result      what it did
 */
public record WriteResult(String id, int shard, long seqNo, long primaryTerm, long version, Result result) {

    /** Elasticsearch's {@code result} field. */
    public enum Result {
        CREATED, UPDATED, DELETED, NOT_FOUND, NOOP;

        public String jsonName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
