package io.kccr.node.follow;

import io.kccr.core.index.IndexSettings;
import io.kccr.follower.FollowerIndex;
import io.kccr.follower.FollowerIndexSettings;
import io.kccr.follower.FollowerStatus;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The replicas a node of a cluster keeps of follower indices another node hosts ({@link FollowerPlacement}): each a
 * copy that follows the leader on its own, in the state the host records, never searched nor asked anything, there
 * to be taken over as it runs when the host is lost. Thread-safe; changes are serialized by the catalog's lock.
 */
final class FollowerReplicas implements AutoCloseable {
    private final Map<String, FollowerIndex> replicas = new ConcurrentHashMap<>();
    private final Function<FollowerStore.Entry, FollowerIndex> open;

    /** @param open makes the copy of the follower an entry defines, not started */
    FollowerReplicas(Function<FollowerStore.Entry, FollowerIndex> open) {
        this.open = open;
    }

    Set<String> names() {
        return Set.copyOf(replicas.keySet());
    }

    /** The replica of follower index {@code name}, or null. */
    FollowerIndex get(String name) {
        return replicas.get(name);
    }

    /**
     * Keeps a replica of the follower {@code entry} defines: opened unless it is, with the host's settings, following
     * while the host's follows and paused while it is paused or failed.
     */
    void keep(FollowerStore.Entry entry) {
        boolean follow = entry.status() == FollowerStatus.ACTIVE;
        FollowerIndex replica = replicas.get(entry.followerIndex());
        FollowerIndexSettings settings = new FollowerIndexSettings(new IndexSettings(entry.settings()));
        if (replica == null) {
            replica = open.apply(entry);
            replica.settings(settings);
            replicas.put(entry.followerIndex(), replica);
            if (follow) {
                replica.start();
            } else {
                replica.pause();
            }
            return;
        }
        replica.settings(settings);
        FollowerStatus status = replica.status();
        boolean following = status != FollowerStatus.PAUSED && status != FollowerStatus.FAILED;
        if (follow && !following) {
            replica.resume(entry.parameters());
        } else if (!follow && following) {
            replica.pause();
        }
    }

    /** Removes the replica of follower index {@code name} from the replicas, running, and returns it; null if none. */
    FollowerIndex take(String name) {
        return replicas.remove(name);
    }

    @Override
    public void close() {
        replicas.values().forEach(FollowerIndex::close);
        replicas.clear();
    }
}
