package io.kccr.node.follow;

import io.kccr.core.index.IndexSettings;
import io.kccr.follower.FollowerIndex;
import io.kccr.follower.FollowerIndexSettings;
import io.kccr.follower.FollowerStatus;
import io.kccr.core.cluster.Rendezvous;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * The replicas a node of a cluster keeps of follower indices another node hosts ({@link FollowerPlacement}): each a
 * copy that follows the leader on its own, in the state the host records, never searched nor asked anything, there
 * to be taken over as it runs when the host is lost. Thread-safe; changes are serialized by the catalog's lock.
 */
final class FollowerReplicas implements AutoCloseable {
    private final Map<String, FollowerIndex> replicas = new ConcurrentHashMap<>();
    private final BiFunction<FollowerStore.Entry, String, FollowerIndex> open;

    /**
     * @param open makes the copy of the follower an entry defines, not started, copying from the node given (the
     *             host's id) when it bootstraps
     */
    FollowerReplicas(BiFunction<FollowerStore.Entry, String, FollowerIndex> open) {
        this.open = open;
    }

    /**
     * The consumer group a replica on node {@code nodeName} commits its shards' positions to:
     * {@code <follower's group>.replica.<node name>}. Not the follower's group, which is its host's alone, so that
     * the lag Kafka's tools show for it is the host's; a group of its own rather than none, so that the same tools
     * show how far each replica is behind (what a takeover by it would have to catch up), under a name that says
     * whose copy it is and that the {@code kccr-} prefix of the follower's groups covers (the ACL the README lists).
     * Only visibility: a replica, like any copy, resumes from the offsets of its own Lucene commits.
     */
    static String offsetsGroup(String followerGroup, String nodeName) {
        return followerGroup + ".replica." + nodeName;
    }

    /**
     * The nodes that keep a replica of follower index {@code name} hosted on {@code host}: the first {@code count}
     * of the others in the order its name ranks them, so that the first is the node that adopts it if the host is
     * lost.
     */
    static List<String> nodes(String name, String host, Set<String> live, int count) {
        List<String> others = new ArrayList<>(live);
        others.remove(host);
        List<String> ranked = Rendezvous.rank(name, others);
        return ranked.subList(0, Math.min(count, ranked.size()));
    }

    /** The follower's {@code index.number_of_replicas} (its own setting; none by default). */
    static int count(FollowerStore.Entry entry) {
        String n = entry.settings().get(IndexSettings.NUMBER_OF_REPLICAS.key());
        try {
            return n == null ? 0 : Math.max(0, Integer.parseInt(n));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    Set<String> names() {
        return Set.copyOf(replicas.keySet());
    }

    /** The replica of follower index {@code name}, or null. */
    FollowerIndex get(String name) {
        return replicas.get(name);
    }

    /**
     * Keeps a replica of the follower {@code entry} defines, which node {@code host} hosts: opened unless it is, with
     * the host's settings; copied from the host when it has no files yet (else from the leader); following while the
     * host's follows (one failed for a reason that may pass retries by itself), a paused copy while it is paused
     * ({@link FollowerIndex#holdPaused}), and paused while it failed.
     */
    void keep(FollowerStore.Entry entry, String host) {
        FollowerIndex replica = replicas.get(entry.followerIndex());
        FollowerIndexSettings settings = new FollowerIndexSettings(new IndexSettings(entry.settings()));
        boolean opened = replica == null;
        if (opened) {
            replica = open.apply(entry, host);
            replicas.put(entry.followerIndex(), replica);
        }
        replica.settings(settings);
        FollowerStatus status = replica.status();
        switch (entry.status()) {
            case ACTIVE -> {
                if (opened) {
                    replica.start();
                } else if (status == FollowerStatus.PAUSED || status == FollowerStatus.FAILED && !replica.retrying()) {
                    replica.resume(entry.parameters()); // one failed for a reason that may pass starts by itself
                }
            }
            case PAUSED -> replica.holdPaused();
            default -> {
                if (opened || (status != FollowerStatus.PAUSED && status != FollowerStatus.FAILED)) {
                    replica.pause();
                }
            }
        }
    }

    /** Keeps {@code copy}, running, as the replica of its follower index (one this node hosted until now). */
    void add(FollowerIndex copy) {
        replicas.put(copy.name(), copy);
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
