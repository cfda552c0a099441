package io.kccr.node.indices;

import io.kccr.node.follow.FollowerCatalog;
import io.kccr.node.follow.FollowerConversion;
import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.index.IndexMetadata;
import io.kccr.core.index.IndexBlock;
import io.kccr.follower.FollowerIndex;
import io.kccr.leader.IndexCatalog;
import io.kccr.leader.LeaderIndex;
import java.io.IOException;
import java.time.Duration;

/**
 * Turns a follower into a plain index of this cluster ({@code _ccr/unfollow}): a leader index with
 * the follower's settings and mappings, whose documents are the follower's, published to this
 * cluster's own topic first (the log comes first here too), so it can be followed in turn: the
 * failover path. As in Elasticsearch, only a follower that is paused and closed is converted.
 *
 * <p>Stateless apart from the services it is given; thread-safe as they are.
 */
public final class Unfollower {
    private final FollowerCatalog followers;
    private final IndexCatalog leaders;
    private final ClosedIndices closed;
    private final Duration timeout;

    /** {@code timeout}: how long each batch of re-published documents may wait for Kafka. */
    public Unfollower(FollowerCatalog followers, IndexCatalog leaders, ClosedIndices closed, Duration timeout) {
        this.followers = followers;
        this.leaders = leaders;
        this.closed = closed;
        this.timeout = timeout;
    }

    /**
     * Converts follower {@code name} into a leader index of the same name, then removes the follower, all under the
     * follower catalog's lock. 404 when there is no such follower; 400, changing nothing, unless it is paused (or
     * failed), holds a complete copy of its leader, and is closed.
     */
    public void unfollow(String name) throws IOException {
        followers.unfollow(name, conversion(true));
    }

    /**
     * Completes the conversion of follower {@code name} that a crash interrupted: its documents are re-published
     * (again) into the leader index of its name, which takes no other writes meanwhile, and the follower removed.
     */
    /** Completes every unfollow a crash interrupted (at start-up); one that fails is logged and left for a retry. */
    public void completeAllInterrupted() {
        for (io.kccr.follower.FollowerIndex f : followers.all()) {
            if (followers.conversionPending(f.name())) {
                try {
                    completeInterrupted(f.name());
                    org.slf4j.LoggerFactory.getLogger(Unfollower.class).info("completed the interrupted unfollow of"
                            + " [{}]", f.name());
                } catch (Exception e) {
                    org.slf4j.LoggerFactory.getLogger(Unfollower.class).error("the interrupted unfollow of [{}] could"
                            + " not be completed; POST /{}/_ccr/unfollow retries it", f.name(), f.name(), e);
                }
            }
        }
    }

    public void completeInterrupted(String name) throws IOException {
        followers.unfollow(name, conversion(false));
    }

    private FollowerConversion conversion(boolean checkClosed) {
        return new FollowerConversion() {
            @Override
            public void check(FollowerIndex follower) {
                checkStopped(follower, checkClosed);
            }

            @Override
            public void convert(FollowerIndex follower) throws IOException {
                Unfollower.this.convert(follower);
            }
        };
    }

    private void checkStopped(FollowerIndex follower, boolean checkClosed) {
        String name = follower.name();
        if (!follower.status().stopped()) {
            throw InvalidRequestException.illegalArgument("cannot convert the follower index [" + name
                    + "] to a non-follower, because it has not been paused; POST /" + name + "/_ccr/pause_follow first");
        }
        if (follower.shards().size() < follower.leaderMetadata().numberOfShards()) {
            throw InvalidRequestException.illegalArgument("cannot convert the follower index [" + name + "] to a"
                    + " non-follower, because it holds no complete copy of its leader (it was paused while"
                    + " bootstrapping or rebuilding): resume it with POST /" + name + "/_ccr/resume_follow and wait"
                    + " until it is active, or delete it");
        }
        if (checkClosed && !closed.isClosed(name)) {
            throw InvalidRequestException.illegalArgument("cannot convert the follower index [" + name
                    + "] to a non-follower, because it has not been closed; POST /" + name + "/_close first");
        }
    }

    /**
     * Creates leader index {@code follower.name()} (or takes the one an interrupted conversion created) and
     * re-publishes the follower's documents into it; it takes no other writes until that is done.
     */
    private void convert(FollowerIndex follower) throws IOException {
        IndexMetadata meta = follower.metadata();
        LeaderIndex leader = leaders.getOrNull(follower.name());
        if (leader == null) {
            leader = leaders.create(follower.name(), meta.settings(), meta.mappings());
        }
        leader.addBlock(IndexBlock.converting(follower.name()));
        try {
            LeaderIndex target = leader;
            follower.search(searcher -> {
                DocumentRepublisher.republish(searcher.getIndexReader(), target, timeout);
                return null;
            });
        } finally {
            leader.removeBlock(IndexBlock.converting(follower.name()).id());
        }
        leader.refresh();
    }
}
