package io.kccr.leader;

import java.io.IOException;

/**
 * The log does not hold every op a leader shard's Lucene commit is missing: acknowledged ops are gone from
 * everywhere. The shard is never brought up by skipping them: its index opens red, saying which offsets are missing.
 */
public final class LogGapException extends IOException {
    /** What an operator can do about it. */
    static final String ADVICE = "The index stays red and takes no writes, so nothing is overwritten: restore the"
            + " topic's records if a copy exists (and restart the node), or, to go on without the lost ops, read the"
            + " documents that are left (e.g. from a follower index, which unfollow turns into a writable index) and"
            + " delete this index";

    public LogGapException(String message) {
        super(message);
    }
}
