package io.kccr.node.follow;

import io.kccr.follower.FollowerIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * The copies of follower indices a node of a cluster holds, as {@link FollowerPlacement} changes them: the hosted ones
 * (the catalog's, searched and asked), its replicas of those other nodes host ({@link FollowerReplicas}), and files
 * left on disk; and the moves between them: a replica promoted to the hosted copy, a hosted copy demoted to a
 * replica, a copy dropped. A hosted copy commits its shards' positions to the follower's consumer group, a replica to
 * a group of its own ({@link FollowerReplicas#offsetsGroup}).
 *
 * <p>Changes are made under the catalog's lock (the placement's thread takes it); reads are thread-safe.
 */
final class FollowerCopies implements AutoCloseable {
    private final FollowerStore store;
    private final Map<String, FollowerIndex> hosted;
    private final UnopenedFollowers unopened;
    private final String nodeName;
    private final FollowerReplicas replicas;

    /**
     * @param hosted   the catalog's follower indices, by name (shared: a promotion adds to it, a demotion takes away)
     * @param unopened the catalog's followers kept on disk that could not be opened
     * @param nodeName this node's name, in the consumer group of each replica
     * @param open     makes the copy of the follower an entry defines, not started, copying from the node given (its
     *                 host's id) when it bootstraps
     */
    FollowerCopies(FollowerStore store, Map<String, FollowerIndex> hosted, UnopenedFollowers unopened,
                   String nodeName, BiFunction<FollowerStore.Entry, String, FollowerIndex> open) {
        this.store = store;
        this.hosted = hosted;
        this.unopened = unopened;
        this.nodeName = nodeName;
        this.replicas = new FollowerReplicas((entry, host) -> {
            FollowerIndex replica = open.apply(entry, host);
            replica.offsetsGroup(replicaGroup(replica));
            return replica;
        });
    }

    private String replicaGroup(FollowerIndex copy) {
        return FollowerReplicas.offsetsGroup(copy.definition().applicationId(), nodeName);
    }

    /** Keeps {@code entry} on disk only (a follower this node adopts, as the cluster's topic has it). */
    void saveLocally(FollowerStore.Entry entry) throws IOException {
        store.save(entry);
    }

    /** Whether follower {@code name} is open (or kept unopened) on this node. */
    boolean hostedHere(String name) {
        return hosted.containsKey(name) || unopened.contains(name);
    }

    /** Whether this node has a copy of follower {@code name}, open, a replica, or only on disk. */
    boolean copyHere(String name) {
        return hostedHere(name) || replicas.get(name) != null || Files.exists(store.dir(name));
    }

    /** The follower indices this node has a copy of but does not host: replicas, and files left on disk. */
    Set<String> unhostedCopies() throws IOException {
        Set<String> out = new TreeSet<>(replicas.names());
        for (String name : store.names()) {
            if (!hostedHere(name)) {
                out.add(name);
            }
        }
        return out;
    }

    /** This node's replicas of follower indices other nodes host, in name order. */
    Collection<FollowerIndex> replicas() {
        return replicas.names().stream().sorted().map(replicas::get).filter(Objects::nonNull).toList();
    }

    /** This node's replica of follower index {@code name} (another node hosts it), or null. */
    FollowerIndex replicaOrNull(String name) {
        return replicas.get(name);
    }

    /**
     * Makes this node's hosted copy of follower index {@code name} a replica, as it runs (another node took it over,
     * and this node keeps a replica of it); nothing when it hosts none.
     */
    void demote(String name) {
        FollowerIndex copy = hosted.remove(name);
        if (copy != null) {
            copy.offsetsGroup(replicaGroup(copy));
            replicas.add(copy);
        }
    }

    /**
     * Keeps a replica of the follower {@code entry} defines, which node {@code host} hosts, copied from there; see
     * {@link FollowerReplicas#keep}.
     */
    void keepReplica(FollowerStore.Entry entry, String host) {
        replicas.keep(entry, host);
    }

    /**
     * Makes this node's replica of the follower {@code entry} defines its hosted copy, as it runs (no copy is made
     * again); false when there is no replica here.
     */
    boolean promote(FollowerStore.Entry entry) throws IOException {
        FollowerIndex replica = replicas.take(entry.followerIndex());
        if (replica == null) {
            return false;
        }
        store.save(entry);
        hosted.put(entry.followerIndex(), replica);
        replica.offsetsGroup(replica.definition().applicationId()); // the host's group is the follower's
        return true;
    }

    /**
     * Closes this node's copy of follower {@code name} and deletes it, without touching the cluster's record: another
     * node hosts it now.
     */
    void dropLocal(String name) throws IOException {
        FollowerIndex copy = hosted.remove(name);
        FollowerIndex replica = replicas.take(name);
        unopened.remove(name);
        if (copy != null) {
            copy.close();
        }
        if (replica != null) {
            replica.close();
        }
        store.delete(name);
    }

    /** Closes the replicas (the catalog closes its hosted copies). */
    @Override
    public void close() {
        replicas.close();
    }
}
