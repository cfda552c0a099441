package io.kccr.node.follow;

import io.kccr.core.index.IndexMetadata;
import io.kccr.core.mapping.MetaFields;
import io.kccr.follower.FollowerIndex;
import io.kccr.leader.Acks;
import io.kccr.leader.IndexCatalog;
import io.kccr.leader.LeaderIndex;
import io.kccr.leader.WriteCondition;
import io.kccr.leader.WriteResult;
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
 * failover path.
 */
public final class Unfollower {
    private static final int BATCH = 5_000;

    private Unfollower() {
    }

    /** Converts stopped follower {@code name} into a leader index of the same name, then removes the follower. */
    public static void unfollow(FollowerCatalog followers, IndexCatalog leaders, String name, Duration timeout)
            throws IOException {
        convert(followers.get(name), leaders, timeout);
        followers.remove(name);
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
