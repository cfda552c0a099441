package io.kccr.node.indices;

import io.kccr.core.error.ReadOnlyIndexException;
import io.kccr.node.follow.FollowerCatalog;
import io.kccr.core.index.IndexNames;
import io.kccr.follower.FollowerIndex;
import io.kccr.leader.IndexCatalog;
import io.kccr.leader.LeaderIndex;

/**
 * Decides which index a write may go to: an existing leader index, or a new one created on the
 * first write as Elasticsearch's {@code action.auto_create_index} does. Names are checked first. Thread-safe.
 */
public final class WriteGuard {
    private final IndexCatalog catalog;
    private final FollowerCatalog followers;
    private final ClosedIndices closed;

    public WriteGuard(IndexCatalog catalog, FollowerCatalog followers, ClosedIndices closed) {
        this.catalog = catalog;
        this.followers = followers;
        this.closed = closed;
    }

    /** A follower index takes no writes (403, as Elasticsearch answers); a closed index neither (400). */
    private void checkWritable(String name) {
        FollowerIndex follower = followers.getOrNull(name);
        if (follower != null) {
            throw new ReadOnlyIndexException("index [" + name + "] is a follower index of [" + follower.definition().leaderIndex()
                    + "] on remote cluster [" + follower.definition().remoteCluster() + "] and is read-only: write to"
                    + " its leader, or pause, close and unfollow it to make it a plain index");
        }
        closed.ensureOpen(name);
    }

    /** The index to write to, created with default settings if it does not exist yet. */
    public LeaderIndex writableIndex(String name) {
        IndexNames.validate(name);
        checkWritable(name);
        return catalog.getOrCreate(name);
    }

    /** The existing index to write to; 404 when there is none (deletes do not create indices). */
    public LeaderIndex writableExistingIndex(String name) {
        checkWritable(name);
        return catalog.get(name);
    }
}
