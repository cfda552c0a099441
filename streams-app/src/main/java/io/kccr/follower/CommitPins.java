package io.kccr.follower;

import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.error.UnavailableException;
import io.kccr.follower.apply.FollowerShard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntPredicate;
import org.apache.lucene.index.IndexCommit;

/** The commits a peer copies a follower index's shards from ({@link FollowerIndex#pinCommits}). */
final class CommitPins {
    private CommitPins() {
    }

    /**
     * Commits what each {@code wanted} shard of {@code open} applied (through {@code task}, which knows who applies
     * them) and pins that commit; each future completes with the pinned commit.
     *
     * @throws UnavailableException unless {@code open} holds every shard of {@code subset} and the task holds a whole
     *                              copy (not while it bootstraps or rebuilds)
     * @throws InvalidRequestException when the follower failed for good
     */
    static SortedMap<Integer, CompletableFuture<IndexCommit>> pin(String follower, FollowTask task, ShardSubset subset,
                                                                 List<FollowerShard> open, IntPredicate wanted) {
        FollowerLifecycle.State state = task.lifecycle().state();
        if (state.status() == FollowerStatus.FAILED && !state.retrying()) {
            throw InvalidRequestException.illegalArgument("follower index [" + follower + "] failed on this node; copy"
                    + " it from its leader instead");
        }
        if (open.size() < subset.count()) {
            throw notWhole(follower, state.status());
        }
        SortedMap<Integer, CompletableFuture<IndexCommit>> out = new TreeMap<>();
        for (FollowerShard shard : open) {
            if (wanted.test(shard.shardId())) {
                CompletableFuture<Void> applied = task.commitApplied(shard);
                if (applied == null) {
                    throw notWhole(follower, state.status());
                }
                out.put(shard.shardId(), applied.thenApply(v -> {
                    try {
                        return shard.snapshotCommit(false);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }));
            }
        }
        return out;
    }

    private static UnavailableException notWhole(String follower, FollowerStatus status) {
        return new UnavailableException("follower index [" + follower + "] has no complete copy on this node yet ("
                + status.jsonName() + "); ask again once it is whole", null);
    }
}
