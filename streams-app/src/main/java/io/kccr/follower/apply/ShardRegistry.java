package io.kccr.follower.apply;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The open shards of one follower index, shared by whoever opens them: Kafka Streams may open a
 * task's store twice (once on the constructing thread to compute lag, once in the task), and the
 * search API reads them, so each shard is opened once and closed when its last holder lets go.
 *
 * <p>Thread-safe.
 */
public final class ShardRegistry {

    /** Opens a shard's Lucene index and its applier. */
    public interface Opener {
        Handle open(int shard) throws IOException;
    }

    /** An open shard and the applier that feeds it. */
    public record Handle(FollowerShard shard, OperationApplier applier) {
    }

    private final Opener opener;
    private final Map<Integer, Handle> open = new HashMap<>();
    private final Map<Integer, Integer> holders = new HashMap<>();

    public ShardRegistry(Opener opener) {
        this.opener = opener;
    }

    /** The shard, opened if no one holds it yet; pair with {@link #release}. */
    public synchronized Handle acquire(int shard) {
        Handle handle = open.get(shard);
        if (handle == null) {
            try {
                handle = opener.open(shard);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            open.put(shard, handle);
        }
        holders.merge(shard, 1, Integer::sum);
        return handle;
    }

    /** Lets go of a shard; the last holder commits it and closes it. */
    public synchronized void release(int shard) {
        release(shard, true);
    }

    /**
     * Lets go of a shard; the last holder closes it, committing what was applied if {@code commit}
     * (not when the shard is about to be wiped).
     */
    public synchronized void release(int shard, boolean commit) {
        Integer left = holders.merge(shard, -1, Integer::sum);
        if (left != null && left <= 0) {
            holders.remove(shard);
            Handle handle = open.remove(shard);
            if (handle != null) {
                try (FollowerShard closing = handle.shard()) {
                    if (commit) {
                        closing.commit();
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    /** The shards open now, by shard number. */
    public synchronized List<FollowerShard> openShards() {
        return open.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> e.getValue().shard()).toList();
    }

    public synchronized FollowerShard shard(int shard) {
        Handle handle = open.get(shard);
        return handle == null ? null : handle.shard();
    }
}
