package io.kccr.core.shard;

/**
 * A document as a realtime get sees it.
 *
 * @param id          the id asked for
 * @param found       false when there is no such document
 * @param seqNo       seq_no of the op that last wrote it
 * @param primaryTerm its primary term
 * @param version     its version
 * @param source      its source bytes; null when not found
 */
public record GetResult(String id, boolean found, long seqNo, long primaryTerm, long version, byte[] source) {
    public static GetResult notFound(String id) {
        return new GetResult(id, false, -2, 0, -1, null);
    }
}
