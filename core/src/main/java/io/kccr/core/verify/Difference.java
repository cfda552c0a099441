package io.kccr.core.verify;

/**
 * One document on which leader and follower disagree.
 *
 * @param type           {@link Type#MISSING} (the follower lacks it), {@link Type#EXTRA} (the leader lacks it) or
 *                       {@link Type#DIFFERENT} (both hold it, with another seq_no or source)
 * @param id             the document id
 * @param leaderSeqNo    its seq_no on the leader; -1 when the leader lacks it
 * @param followerSeqNo  its seq_no on the follower; -1 when the follower lacks it
 * @param leaderHash     its source hash on the leader; null when the leader lacks it
 * @param followerHash   its source hash on the follower; null when the follower lacks it
 */
public record Difference(Type type, String id, long leaderSeqNo, long followerSeqNo, String leaderHash,
                         String followerHash) {

    /** The kinds of difference. */
    public enum Type {
        MISSING, EXTRA, DIFFERENT;

        /** The name in JSON and on the command line. */
        public String jsonName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
