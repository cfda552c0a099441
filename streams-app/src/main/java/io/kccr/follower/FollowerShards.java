package io.kccr.follower;

import io.kccr.core.index.IndexMetadata;
import io.kccr.core.mapping.DocumentMapper;
import io.kccr.follower.apply.FollowerShard;
import io.kccr.follower.apply.OperationApplier;
import io.kccr.follower.apply.ShardRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * A follower's Lucene shards under {@code <dir>/shards/<n>}, in the {@link ShardRegistry} the Streams
 * application and the rebuild share. The follower holds every shard from the moment they hold the
 * leader's commits for as long as it exists, so they stay searchable while it is paused or failed;
 * it lets go of them for a new copy or a rebuild, which wipe them.
 *
 * <p>Used under the follower's lock, except {@link #open()} and {@link #count()}.
 */
final class FollowerShards {
    private final ShardRegistry registry;
    private final ShardSubset subset;
    private boolean held;

    /** The shards {@code subset} of the leader's under {@code dir}. */
    FollowerShards(Path dir, ShardSubset subset, IndexMetadata leader, LeaderMetadataReader leaderMetadata,
                   String opsTopic, Clock clock, OperationApplier.LogStart logStart) {
        this.subset = subset;
        DocumentMapper mapper = new DocumentMapper();
        this.registry = new ShardRegistry(shard -> {
            FollowerShard s = new FollowerShard(shard, dir.resolve("shards").resolve(Integer.toString(shard)),
                    leader.historyUuid());
            return new ShardRegistry.Handle(s, new OperationApplier(s, mapper, leaderMetadata, opsTopic, clock,
                    logStart));
        });
    }

    ShardRegistry registry() {
        return registry;
    }

    /** The shards held. */
    ShardSubset subset() {
        return subset;
    }

    /** The open shards, in shard order: all those held, or none while the follower copies or rebuilds. */
    List<FollowerShard> open() {
        return registry.openShards();
    }

    /** Opens every shard held and holds it. */
    void hold() {
        for (int i : subset.ids()) {
            registry.acquire(i);
        }
        held = true;
    }

    /** Takes over the hold of a rebuild, which leaves every shard acquired once. */
    void holdReplayed() {
        held = true;
    }

    /** Lets go of the shards, if held; without {@code commit} what was applied since the last commit is dropped. */
    void release(boolean commit) {
        if (held) {
            held = false;
            for (int i : subset.ids()) {
                registry.release(i, commit);
            }
        }
    }
}
