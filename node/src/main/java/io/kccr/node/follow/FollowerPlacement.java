package io.kccr.node.follow;

import io.kccr.core.cluster.Rendezvous;
import io.kccr.core.index.IndexNames;
import io.kccr.follower.FollowerIndex;
import io.kccr.follower.FollowerStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which node of a cluster hosts each follower index. A new one goes to the node holding the fewest copies of follower
 * indices, hosted or replicas ({@link #placeNew}), where the follow request is sent; that node hosts it, and records
 * so in the cluster's topic ({@link FollowerDirectory}) with its definition, each time the definition changes (paused,
 * resumed, new settings). Follower indices move to even out the copies the nodes hold (a node that joins takes its
 * share) and off a node that is stopping gracefully ({@link FollowerBalance}): the node one goes to keeps a copy of it
 * until that copy streams, then takes it over as it runs ({@link #takeOver}), and the node it leaves drops its copy,
 * or keeps it as a replica, once it reads that; the follower index answers throughout. When its node leaves the
 * cluster without handing it over (lost, or stopped without waiting), the node the follower
 * index's name ranks first among the nodes left ({@link Rendezvous}) adopts it: it records itself as the host, then
 * opens the follower in the state it was left in, bootstrapping from the leader when it has no copy of its own, so the
 * follower index is back within the group's session timeout plus a bootstrap. A node that finds another one hosting a
 * follower index it has a copy of (it was away while the other adopted it) drops its copy.
 *
 * <p>With {@code index.number_of_replicas} set on a follower index, that many other nodes keep a replica of it: a
 * copy that follows the leader as the hosted one does (bootstrapped, then streaming; paused when the host's is), is
 * neither searched nor asked anything, and is promoted as it runs when the host is lost: the replicas are the nodes
 * next in the order the name ranks them, so the first replica is the node that adopts it, with no copy to make.
 *
 * <p>Thread-safe: placement changes run on a thread of their own, under the catalog's lock.
 */
public final class FollowerPlacement implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FollowerPlacement.class);

    private final FollowerCatalog catalog;
    private final FollowerCopies copies;
    private final FollowerDirectory directory;
    private final String nodeId;
    private final Supplier<Set<String>> liveNodes;
    private final Supplier<Set<String>> leavingNodes;
    /** How often a node warming a copy of a follower index it is to take over looks whether the copy streams. */
    private static final long WARMING_CHECK_MILLIS = 500;

    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kccr-follower-placement");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile boolean closed;
    /** Set once the cluster's record was read to its end: before, what it lacks tells nothing. */
    private volatile boolean read;

    FollowerPlacement(FollowerCatalog catalog, FollowerCopies copies, FollowerDirectory directory, String nodeId,
                      Supplier<Set<String>> liveNodes, Supplier<Set<String>> leavingNodes) {
        this.catalog = catalog;
        this.copies = copies;
        this.directory = directory;
        this.nodeId = nodeId;
        this.liveNodes = liveNodes;
        this.leavingNodes = leavingNodes;
    }

    /** Reads the cluster's follower indices. */
    void start() throws Exception {
        directory.start();
        read = true;
    }

    /**
     * Whether this node opens the follower {@code entry} defines at start-up: unless the cluster has another node
     * hosting it (which may have adopted it while this node was away; {@link #reconcileLater} decides).
     */
    boolean hostsHere(FollowerStore.Entry entry) {
        FollowerDirectory.Placed placed = directory.get(entry.followerIndex());
        return placed == null || placed.node().equals(nodeId);
    }

    /** The id of the node hosting follower index {@code name}, as the cluster's record has it; null if none. */
    public String hostOf(String name) {
        FollowerDirectory.Placed placed = directory.get(name);
        return placed == null ? null : placed.node();
    }

    /** Whether the cluster has a follower index of that name (whole or spread over nodes), on any node. */
    boolean knows(String name) {
        return directory.get(name) != null || !parts(name).isEmpty();
    }

    /**
     * The parts of follower index {@code name} spread over the nodes, as the cluster's record has them, by shard;
     * empty when it is not spread (or there is no such index).
     */
    SortedMap<Integer, FollowerDirectory.Placed> parts(String name) {
        return directory.parts(name);
    }

    /**
     * The id of the node hosting each part of follower index {@code name} spread over the nodes, by shard, as the
     * cluster's record has it; empty when it is not spread.
     */
    public SortedMap<Integer, String> partHosts(String name) {
        SortedMap<Integer, String> hosts = new TreeMap<>();
        parts(name).forEach((shard, placed) -> hosts.put(shard, placed.node()));
        return hosts;
    }

    /**
     * The ids of the nodes the {@code shards} parts of a new follower index {@code name} go to, by shard: each to a
     * node holding no part of it yet while there is one, and of those to one holding the fewest copies of follower
     * indices, counting the parts placed before it ({@link #leastLoaded}); this node alone until it joined the
     * cluster and read its record.
     */
    List<String> placeParts(String name, int shards) {
        Set<String> live = liveNodes.get();
        Set<String> staying = new HashSet<>(live);
        staying.removeAll(leavingNodes.get());
        if (!read || !live.contains(nodeId) || staying.isEmpty()) {
            staying = Set.of(nodeId);
        }
        return partNodes(name, shards, nodeId, staying, directory.all().values());
    }

    /**
     * {@link #placeParts} over the nodes {@code staying}, given the follower indices (and parts) {@code placed}, asked
     * on node {@code self}.
     */
    static List<String> partNodes(String name, int shards, String self, Set<String> staying,
                                  Collection<FollowerDirectory.Placed> placed) {
        List<FollowerDirectory.Placed> counted = new ArrayList<>(placed);
        List<String> out = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            Set<String> free = new HashSet<>(staying);
            free.removeAll(out);
            String key = IndexNames.partKey(name, s);
            String node = leastLoaded(key, self, free.isEmpty() ? staying : free, counted);
            out.add(node);
            counted.add(new FollowerDirectory.Placed(node, new FollowerStore.Entry(key, "-", "-",
                    FollowerStatus.ACTIVE, null, null)));
        }
        return out;
    }

    /**
     * The id of the node a new follower index {@code name} goes to: of the cluster's nodes, one holding the fewest
     * copies of follower indices (hosted or replicas) and not leaving — this node when it is one of them, as that saves
     * sending the request on, else the first of them the name ranks ({@link Rendezvous}). This node until it joined
     * the cluster and read its record of follower indices.
     */
    public String placeNew(String name) {
        Set<String> live = liveNodes.get();
        Set<String> staying = new HashSet<>(live);
        staying.removeAll(leavingNodes.get());
        if (!read || !live.contains(nodeId) || staying.isEmpty()) {
            return nodeId;
        }
        return leastLoaded(name, nodeId, staying, directory.all().values());
    }

    /**
     * Of the nodes {@code live}, the one a new follower index {@code name} goes to, given the follower indices
     * {@code placed} in the cluster: one holding the fewest copies (each follower index counts on its host and its
     * replicas' nodes; one whose host is not live counts nowhere yet), {@code self} when it is one of those, else the
     * first {@code name} ranks among them.
     */
    static String leastLoaded(String name, String self, Set<String> live,
                              Collection<FollowerDirectory.Placed> placed) {
        List<String> least = FollowerBalance.fewest(FollowerBalance.copies(placed, live), live);
        return least.contains(self) ? self : Rendezvous.pick(name, least);
    }

    /**
     * Waits up to {@code timeout} until this node read follower index {@code name} in the cluster's record (another
     * node made it); whether it did.
     */
    public boolean awaitKnown(String name, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!knows(name)) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** This node's id. */
    String nodeId() {
        return nodeId;
    }

    /** Records that node {@code node} hosts the follower {@code entry} defines: it opens it as it reads that. */
    void placeOn(String node, FollowerStore.Entry entry) {
        directory.put(node, entry);
    }

    /** Records that this node hosts the follower {@code entry} defines, as defined now. */
    void hostHere(FollowerStore.Entry entry) {
        directory.put(nodeId, entry);
    }

    /** Forgets follower index {@code name} cluster-wide (it was removed). */
    void forget(String name) {
        directory.remove(name);
    }

    /** Looks again, soon, at which follower indices this node hosts. Never blocks. */
    public void reconcileLater() {
        reconcileIn(0);
    }

    private void reconcileIn(long millis) {
        if (pending.compareAndSet(false, true)) {
            try {
                worker.schedule(() -> {
                    pending.set(false);
                    synchronized (catalog) {
                        if (read && !closed) { // the catalog closes under its lock: nothing is opened after
                            reconcile();
                        }
                    }
                }, millis, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                pending.set(false);
            }
        }
    }

    /**
     * Before this node leaves its cluster (it reported itself leaving): waits up to {@code timeout} until the other
     * nodes took over the follower indices it hosts ({@link FollowerBalance}), so that each stays searchable and
     * following throughout. When they did not, it leaves anyway, and the cluster adopts them.
     */
    public void handOff(Duration timeout) {
        try {
            if (!awaitHandedOff(timeout)) {
                log.warn("some follower indices of this node were not taken over within {}s; leaving anyway (the"
                        + " cluster adopts them)", timeout.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits up to {@code timeout} until no follower index is hosted here any more (the others took them over, as this
     * node is leaving) or no other node stays to take them; false when the time ran out first.
     */
    boolean awaitHandedOff(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (directory.all().values().stream().anyMatch(p -> p.node().equals(nodeId))) {
            Set<String> staying = new HashSet<>(liveNodes.get());
            staying.removeAll(leavingNodes.get());
            staying.remove(nodeId);
            if (staying.isEmpty()) {
                return true; // nobody to take them: the node leaves with them
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    private void reconcile() {
        Set<String> live = liveNodes.get();
        if (!live.contains(nodeId)) {
            return; // not in the cluster (yet): it cannot tell who is lost
        }
        Set<String> leaving = leavingNodes.get();
        Map<String, FollowerDirectory.Placed> all = directory.all();
        try {
            for (String name : copies.unhostedCopies()) {
                if (!all.containsKey(name)) { // the follower was removed on its host
                    log.info("follower index [{}] was removed; dropping this node's copy", name);
                    copies.dropLocal(name);
                }
            }
        } catch (Exception e) {
            log.warn("could not drop the copies of removed follower indices; retried at the cluster's next change", e);
        }
        Map<String, FollowerBalance.Move> incoming = new HashMap<>();
        FollowerBalance.moves(all.values(), live, leaving, FollowerBalance.CONCURRENT_MOVES).stream()
                .filter(m -> m.to().equals(nodeId)).forEach(m -> incoming.put(m.name(), m));
        List<String> staying = live.stream().filter(n -> !leaving.contains(n)).toList();
        boolean warming = false;
        for (FollowerDirectory.Placed placed : all.values()) {
            FollowerStore.Entry entry = placed.entry();
            String name = entry.followerIndex();
            try {
                if (placed.node().equals(nodeId)) {
                    if (!copies.hostedHere(name) && !copies.promote(entry)) {
                        open(entry);
                    }
                } else if (live.contains(placed.node())) {
                    if (incoming.containsKey(name)) {
                        warming |= !takeOver(entry, placed.node());
                    } else if (FollowerReplicas.nodes(name, placed.node(), live, FollowerReplicas.count(entry)).contains(nodeId)) {
                        copies.demote(name);
                        copies.keepReplica(entry, placed.node());
                    } else if (copies.copyHere(name)) {
                        log.info("follower index [{}] is hosted by node [{}] now; dropping this node's copy", name,
                                placed.node());
                        copies.dropLocal(name);
                    }
                } else if (nodeId.equals(Rendezvous.pick(name, staying.isEmpty() ? live : staying))) {
                    log.info("adopting follower index [{}]: its node [{}] left the cluster{}", name, placed.node(),
                            copies.replicaOrNull(name) != null ? "; its replica here takes over" : "");
                    directory.put(nodeId, entry);
                    if (!copies.promote(entry)) {
                        open(entry);
                    }
                }
            } catch (Exception e) {
                log.warn("could not place follower index [{}] on this node; retried at the cluster's next change",
                        name, e);
            }
        }
        if (warming) {
            reconcileIn(WARMING_CHECK_MILLIS); // nothing else tells when a copy being warmed streams
        }
    }

    /**
     * Moves follower index {@code entry} here from node {@code from} ({@link FollowerBalance}): keeps a copy of it, as
     * a replica copied from {@code from}, until that copy streams (a paused one: until it holds the files, paused as
     * the host's is; a failed one copies when resumed: it is taken at once), then makes the copy the hosted one, as it
     * runs, and records this node as its host; {@code from} then drops or demotes its own.
     *
     * @return whether it was taken over; false while the copy is still being made
     */
    private boolean takeOver(FollowerStore.Entry entry, String from) throws java.io.IOException {
        String name = entry.followerIndex();
        if (!copies.hostedHere(name)) { // else taken over already, and only the record is left to make
            copies.keepReplica(entry, from);
            FollowerIndex copy = copies.replicaOrNull(name);
            boolean leaving = leavingNodes.get().contains(from);
            if (copy == null || !ready(entry.status(), copy, leaving)) {
                return false;
            }
            log.info("taking follower index [{}] over from node [{}], which {}", name, from,
                    leaving ? "is leaving" : "holds more follower copies");
            copies.promote(entry); // first: a request sent here once the record names this node finds it
        }
        directory.put(nodeId, entry);
        return true;
    }

    /**
     * Whether {@code copy} can take over a follower index its host holds in {@code status}: once it streams, or, from
     * a host that is {@code leaving}, once it holds the host's documents and only waits for the leader's log to answer
     * (the leader's cluster is down: it follows on by itself when the log is back).
     */
    static boolean ready(FollowerStatus status, FollowerIndex copy, boolean leaving) {
        boolean whole = copy.shards().size() == copy.leaderMetadata().numberOfShards();
        return switch (status) {
            case ACTIVE -> copy.status() == FollowerStatus.ACTIVE || leaving && whole && copy.retrying();
            case PAUSED -> copy.status() == FollowerStatus.PAUSED && whole;
            default -> true;
        };
    }

    private void open(FollowerStore.Entry entry) throws java.io.IOException {
        copies.saveLocally(entry);
        if (!copies.hostedHere(entry.followerIndex())) {
            catalog.reopen(entry); // with no copy here, it bootstraps from the leader
        }
    }

    @Override
    public void close() {
        closed = true;
        worker.shutdownNow();
        directory.close();
    }
}
