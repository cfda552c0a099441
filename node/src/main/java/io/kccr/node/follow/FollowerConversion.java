package io.kccr.node.follow;

import io.kccr.follower.FollowerIndex;
import java.io.IOException;

/** Converts a stopped follower into a leader index: {@link FollowerCatalog#unfollow}'s work, run under its lock. */
public interface FollowerConversion {
    /** Checks that {@code follower} may be converted; throws (a 400) when not, changing nothing. */
    void check(FollowerIndex follower);

    /** Re-publishes the follower's documents into a leader index of its name (created if missing). */
    void convert(FollowerIndex follower) throws IOException;
}
