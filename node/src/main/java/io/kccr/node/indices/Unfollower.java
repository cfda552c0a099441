package io.kccr.node.indices;

import io.kccr.node.follow.FollowerCatalog;
import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.index.IndexMetadata;
import io.kccr.core.mapping.MetaFields;
import io.kccr.follower.FollowerIndex;
import io.kccr.leader.Acks;
import io.kccr.leader.IndexCatalog;
import io.kccr.leader.LeaderIndex;
import io.kccr.leader.WriteCondition;
import io.kccr.leader.WriteResult;
import io.kccr.node.indices.ClosedIndices;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.util.Bits;

/**
 * Turns a follower into a plain index of this cluster ({@code _ccr/unfollow}): a leader index with
 * the follower's settings and mappings, whose documents are the follower's, published to this
 * cluster's own topic first (the log comes first here too), so it can be followed in turn: the
 * failover path. As in Elasticsearch, only a follower that is paused and closed is converted.
 *
 * <p>Stateless apart from the services it is given; thread-safe as they are.
 */
public final class Unfollower {
    private static final int BATCH = 5_000;

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
     * Converts follower {@code name} into a leader index of the same name, then removes the follower.
     * 404 when there is no such follower; 400, changing nothing, unless it is paused (or failed), holds a
     * complete copy of its leader, and is closed.
     */
    public void unfollow(String name) throws IOException {
        FollowerIndex follower = followers.get(name);
        checkStopped(follower);
        convert(follower, leaders, timeout);
        followers.remove(name);
    }

    private void checkStopped(FollowerIndex follower) {
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
        if (!closed.isClosed(name)) {
            throw InvalidRequestException.illegalArgument("cannot convert the follower index [" + name
                    + "] to a non-follower, because it has not been closed; POST /" + name + "/_close first");
        }
    }

    /** Creates leader index {@code follower.name()} from the follower's documents; the follower must be stopped. */
    private static LeaderIndex convert(FollowerIndex follower, IndexCatalog leaders, Duration timeout) throws IOException {
        IndexMetadata meta = follower.metadata();
        LeaderIndex leader = leaders.create(follower.name(), meta.settings(), meta.mappings());
        List<CompletableFuture<WriteResult>> pending = new ArrayList<>();
        follower.search(searcher -> {
            for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                Bits live = leaf.reader().getLiveDocs();
                StoredFields stored = leaf.reader().storedFields();
                for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
                    if (live != null && !live.get(doc)) {
                        continue;
                    }
                    var d = stored.document(doc);
                    pending.add(leader.index(d.get(MetaFields.ID), org.apache.lucene.util.BytesRef.deepCopyOf(d.getBinaryValue(MetaFields.SOURCE)).bytes,
                            WriteCondition.NONE));
                    if (pending.size() >= BATCH) {
                        pending.forEach(f -> Acks.await(f, timeout));
                        pending.clear();
                    }
                }
            }
            return null;
        });
        pending.forEach(f -> Acks.await(f, timeout));
        leader.refresh();
        return leader;
    }
}
