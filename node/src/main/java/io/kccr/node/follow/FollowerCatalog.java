package io.kccr.node.follow;

import io.kccr.core.error.NotFoundException;
import io.kccr.core.error.AlreadyExistsException;
import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.index.IndexNames;
import io.kccr.follower.FollowParameters;
import io.kccr.follower.FollowerIndex;
import io.kccr.follower.FollowerRuntime;
import io.kccr.follower.FollowerIndexSettings;
import io.kccr.core.index.IndexSettings;
import io.kccr.follower.FollowerStatus;
import io.kccr.follower.replay.AsOf;
import io.kccr.follower.bootstrap.RecoverySettings;
import io.kccr.node.remote.RemoteClusters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The follower indices a node hosts: creates them ({@code _ccr/follow}), pauses, resumes and
 * removes them, and brings them back after a restart in the state they were left in.
 *
 * <p>Thread-safe; lifecycle changes are serialized.
 */
public final class FollowerCatalog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FollowerCatalog.class);

    private final FollowerStore store;
    private final RemoteClusters remotes;
    private final Duration timeout;
    private final Predicate<String> leaderExists;
    private final FollowerOpener opener;
    /** By name, or, for a part of a follower index spread over nodes, by the part's key ({@link FollowerSpread}). */
    private final Map<String, FollowerIndex> followers = new ConcurrentHashMap<>();
    /** Followers kept on disk that could not be opened at start-up (their remote away), and why; retried. */
    private final UnopenedFollowers unopened = new UnopenedFollowers();
    /** In a cluster of nodes ({@link #joinCluster}): where its follower indices are hosted; else null. */
    private FollowerPlacement placement;
    /** In a cluster of nodes: the copies this node holds, hosted and replicas; else null. */
    private FollowerCopies copies;
    /** In a cluster of nodes: follows leader indices as follower indices spread over its nodes; else null. */
    private FollowerSpread spread;

    /**
     * {@code runtime}: the node's, which applies, commits and refreshes every follower's shards (closed by its owner
     * after this catalog); {@code recoverySettings}: how bootstraps copy files, read again for every chunk.
     */
    public FollowerCatalog(Path dataPath, RemoteClusters remotes, String clusterName, Duration timeout,
                           FollowerRuntime runtime, Clock clock, Predicate<String> leaderExists,
                           Supplier<RecoverySettings> recoverySettings) {
        this.store = new FollowerStore(dataPath);
        this.remotes = remotes;
        this.timeout = timeout;
        this.leaderExists = leaderExists;
        this.opener = new FollowerOpener(remotes, clusterName, timeout, runtime, clock, recoverySettings);
    }

    /**
     * Makes this catalog a node's of a cluster (call before {@link #start}): its follower indices are recorded in the
     * cluster's topic {@code topic}, and one whose node is lost is adopted by another node
     * ({@link FollowerPlacement}).
     *
     * @param nodeName  this node's name ({@code node.name}), in the consumer group of each replica it keeps
     * @param liveNodes the ids of the cluster's nodes now (empty until this node joined)
     * @param leavingNodes the ids of those that are stopping and hand what they hold over
     * @param peers     how to copy from the node of an id (null for one not in the cluster): a copy of a follower
     *                  index made here copies its host's
     */
    public void joinCluster(String topic, Map<String, Object> clientProperties, String nodeId, String nodeName,
                            Supplier<java.util.Set<String>> liveNodes, Supplier<java.util.Set<String>> leavingNodes,
                            java.util.function.Function<String, FollowerPeer> peers) {
        this.copies = new FollowerCopies(store, followers, unopened, nodeName,
                (entry, host) -> opener.open(entry.followerIndex(), entry.remoteCluster(), entry.leaderIndex(),
                        entry.parameters(), store.dir(entry.followerIndex()), peers.apply(host)));
        this.placement = new FollowerPlacement(this, copies, new FollowerDirectory(topic, clientProperties, timeout,
                () -> placement.reconcileLater()), nodeId, liveNodes, leavingNodes);
        this.spread = new FollowerSpread(placement, peers, timeout, this::create);
    }

    /**
     * Where the cluster's follower indices are hosted, and the moves that place them ({@link #joinCluster}); null
     * outside a cluster.
     */
    public FollowerPlacement placement() {
        return placement;
    }

    /**
     * Reopens the followers this node had (active ones follow again; a remote that is away fails only
     * its followers). The runtime refreshes them, as Elasticsearch refreshes a follower index, so what is
     * applied becomes searchable. Followers that cannot be opened now are retried on {@code scheduler}.
     */
    public synchronized void start(ScheduledExecutorService scheduler) throws Exception {
        if (placement != null) {
            placement.start();
        }
        for (FollowerStore.Entry entry : store.loadAll()) {
            if (placement == null || placement.hostsHere(entry)) {
                reopen(entry);
                if (placement != null && !placement.knows(entry.followerIndex())) {
                    try {
                        placement.hostHere(entry); // followed before the cluster recorded its followers
                    } catch (RuntimeException e) {
                        log.warn("could not record follower [{}] in the cluster; recorded at its next change",
                                entry.followerIndex(), e);
                    }
                }
            }
        }
        if (placement != null) {
            placement.reconcileLater();
        }
        scheduler.scheduleWithFixedDelay(this::retryUnopened, 5, 5, TimeUnit.SECONDS);
    }

    /**
     * Opens a follower kept on disk in the state it was left in. One that cannot be opened (its remote cluster or
     * the remote's Kafka away) is kept, named, answering 503 with the reason, and retried every few seconds: it
     * never silently disappears from the node.
     */
    void reopen(FollowerStore.Entry entry) {
        String name = entry.followerIndex();
        FollowerIndex follower;
        boolean offline;
        try {
            follower = open(name, entry.remoteCluster(), entry.leaderIndex(), entry.parameters()); // may wait for Kafka
            offline = opener.openedOffline(name);
            follower.settings(new FollowerIndexSettings(new IndexSettings(entry.settings())));
        } catch (RuntimeException e) {
            unopened.add(entry, e);
            return;
        }
        synchronized (this) {
            if (followers.containsKey(name)) {
                follower.close();
                return;
            }
            unopened.remove(name);
            followers.put(name, follower);
            if (offline && entry.status() == FollowerStatus.ACTIVE) {
                // searchable now; starting waits on the leader's log, so the follower starts by itself, aside
                follower.startLater("the leader's log did not answer when this node started");
            } else {
                entry.restoreOn(follower);
            }
        }
    }

    private void retryUnopened() {
        for (FollowerStore.Entry entry : unopened.entries()) {
            reopen(entry);
        }
    }

    /** Why follower {@code name} is kept but not open (its remote away at start-up); null when it is not such. */
    public String unopenedReason(String name) {
        return unopened.reason(name);
    }

    /**
     * Creates follower {@code name} of {@code leaderIndex} on {@code remoteCluster} and starts it:
     * the leader's settings and mappings are read from its meta topic first. In a cluster of nodes, with
     * {@link FollowerIndexSettings#TOTAL_SHARDS_PER_NODE}, a leader of several shards is followed spread over the
     * nodes ({@link FollowerSpread}).
     *
     * @return completed once the follower is active (its shards hold the leader's files and it streams), or
     *         exceptionally with a {@link io.kccr.core.error.FailedException} when it fails first; cancel it
     *         to stop waiting
     */
    public synchronized CompletableFuture<Void> follow(String name, String remoteCluster, String leaderIndex,
                                                       FollowParameters parameters, FollowerIndexSettings settings) {
        IndexNames.validate(name);
        unopened.checkOpened(name);
        if (followers.containsKey(name) || leaderExists.test(name)
                || (placement != null && placement.knows(name))) {
            throw new AlreadyExistsException(name, followers.containsKey(name)
                    ? followers.get(name).metadata().uuid() : "_na_");
        }
        remotes.checkLeaderAccess(remoteCluster, leaderIndex); // before anything is created or copied
        if (spread != null && settings.totalShardsPerNode() > 0) {
            int shards = opener.leaderMetadata(remoteCluster, leaderIndex).numberOfShards();
            if (shards > 1) {
                return spread.follow(name, shards, remoteCluster, leaderIndex, parameters, settings);
            }
        }
        return create(name, remoteCluster, leaderIndex, parameters, settings);
    }

    /** Creates follower {@code key} (a follower index, or a part of one) and starts it; see {@link #follow}. */
    private CompletableFuture<Void> create(String key, String remoteCluster, String leaderIndex,
                                           FollowParameters parameters, FollowerIndexSettings settings) {
        FollowerIndex follower = open(key, remoteCluster, leaderIndex, parameters);
        follower.settings(settings);
        try {
            save(FollowerStore.Entry.of(follower, FollowerStatus.ACTIVE));
        } catch (IOException | RuntimeException e) {
            follower.close();
            try {
                store.delete(key); // kept on disk but not in the cluster's record: not a follower to come back
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
        followers.put(key, follower);
        follower.start();
        return follower.untilActive();
    }

    private FollowerIndex open(String name, String remoteCluster, String leaderIndex, FollowParameters parameters) {
        return opener.open(name, remoteCluster, leaderIndex, parameters, store.dir(name));
    }

    /**
     * {@code PUT /<follower>/_settings}: replaces follower {@code name}'s own settings by what {@code update} makes of
     * them (it may refuse, a 400, changing nothing), kept on disk before they act.
     */
    public synchronized void updateSettings(String name, UnaryOperator<FollowerIndexSettings> update)
            throws IOException {
        FollowerIndex f = get(name);
        FollowerIndexSettings updated = update.apply(f.settings());
        FollowerIndexSettings before = f.settings();
        FollowerSettings.checkFixed(f.name(), before, updated);
        f.settings(updated);
        try {
            FollowerStatus status = f.status();
            // bootstrapping and rebuilding are kept as following, so that a restart goes on with them
            save(FollowerStore.Entry.of(f, status == FollowerStatus.PAUSED || status == FollowerStatus.FAILED ? status
                    : FollowerStatus.ACTIVE));
        } catch (IOException | RuntimeException e) {
            f.settings(before);
            throw e;
        }
    }

    /** The follower, or 404 {@code index_not_found_exception}. */
    public FollowerIndex get(String name) {
        FollowerIndex f = followers.get(name);
        if (f == null) {
            checkOpened(name);
            throw NotFoundException.index(name);
        }
        return f;
    }

    public FollowerIndex getOrNull(String name) {
        return followers.get(name);
    }

    public boolean exists(String name) {
        return followers.containsKey(name) || unopened.contains(name);
    }

    /** Whether follower {@code name} exists here or, in a cluster, on any of its nodes. */
    public boolean existsInCluster(String name) {
        return exists(name) || (placement != null && placement.knows(name));
    }

    /** A 503 with the reason when {@code name} is a follower kept on disk that could not be opened. */
    public void checkOpened(String name) {
        unopened.checkOpened(name);
    }

    public Collection<FollowerIndex> all() {
        return followers.values().stream().sorted(Comparator.comparing(FollowerIndex::key)).toList();
    }

    /**
     * {@code pause_follow}: 404 {@code resource_not_found_exception} if it is paused already, as Elasticsearch
     * answers (its ResourceNotFoundException is a 404).
     */
    public synchronized void pause(String name) throws IOException {
        FollowerIndex f = follower(name);
        if (f.status() == FollowerStatus.PAUSED) {
            throw NotFoundException.resource("no shard follow tasks for [" + name
                    + "]: it is paused already; resume it with POST /" + name + "/_ccr/resume_follow");
        }
        f.pause();
        save(FollowerStore.Entry.of(f, f.status()));
    }

    /**
     * {@code resume_follow} with {@code parameters}, which replace the follower's: 404 for no follower, 400 if it is
     * following already.
     */
    public synchronized void resume(String name, FollowParameters parameters) throws IOException {
        FollowerIndex f = follower(name);
        if (f.status() == FollowerStatus.ACTIVE || f.status() == FollowerStatus.REBUILDING) {
            throw InvalidRequestException.illegalArgument("cannot resume following index [" + name + "]: it is "
                    + (f.status() == FollowerStatus.ACTIVE ? "following already; pause it first to change its parameters"
                    : "being rebuilt (GET /" + name + "/_recovery shows how far); to start the rebuild over, pause it"
                    + " first"));
        }
        f.resume(parameters);
        save(FollowerStore.Entry.of(f, f.status()));
    }

    /** Copies the leader's files again and follows on from them (the way back from history loss). */
    public synchronized void rebootstrap(String name) throws IOException {
        FollowerIndex f = follower(name);
        f.rebootstrap();
        save(FollowerStore.Entry.of(f, FollowerStatus.ACTIVE));
    }

    /**
     * Rebuilds the follower from its leader's log ({@link FollowerIndex#rebuild}) to what {@code asOf} makes
     * of the leader's number of shards (it may refuse the request). It is saved as following: a node restart
     * goes on with the rebuild, or keeps a point-in-time rebuild paused.
     */
    public synchronized void rebuild(String name, IntFunction<AsOf> asOf) throws IOException {
        FollowerIndex f = follower(name);
        f.rebuild(asOf.apply(f.leaderMetadata().numberOfShards()));
        save(FollowerStore.Entry.of(f, FollowerStatus.ACTIVE));
    }

    /**
     * {@code _ccr/unfollow}: checks, converts and removes the follower in one step under the catalog's lock, so no
     * {@code resume_follow}, pause or rebuild can run in between (one arriving meanwhile waits, then finds no
     * follower). The conversion is recorded first ({@link FollowerStore#markConversion}): a crash in the middle of it is
     * completed at the next start ({@link #start}), never left as a half-filled leader index.
     */
    public synchronized void unfollow(String name, FollowerConversion conversion) throws IOException {
        FollowerIndex f = follower(name);
        conversion.check(f);
        store.markConversion(name);
        conversion.convert(f);
        remove(name);
    }

    /** Whether follower {@code name}'s conversion into a leader index began and did not finish (a crash). */
    public boolean conversionPending(String name) {
        return store.conversionPending(name);
    }

    /** Stops following for good and removes the follower (its data is removed by the caller's conversion). */
    public synchronized FollowerIndex remove(String name) throws IOException {
        FollowerIndex f = follower(name);
        followers.remove(name);
        f.close();
        store.delete(name);
        if (placement != null) {
            placement.forget(name);
        }
        return f;
    }

    /** Keeps {@code entry} on disk and, in a cluster, in the cluster's topic as hosted here. */
    private void save(FollowerStore.Entry entry) throws IOException {
        store.save(entry);
        if (placement != null) {
            placement.hostHere(entry);
        }
    }

    /** This node's replicas of follower indices other nodes host, in name order. */
    public Collection<FollowerIndex> replicas() {
        return copies == null ? List.of() : copies.replicas();
    }

    /** This node's replica of follower index {@code name} (another node hosts it), or null. */
    public FollowerIndex replicaOrNull(String name) {
        return copies == null ? null : copies.replicaOrNull(name);
    }

    /** The follower; 400 as Elasticsearch answers for an index that is not one, 404 for no index. */
    public FollowerIndex follower(String name) {
        if (!followers.containsKey(name) && leaderExists.test(name)) {
            throw InvalidRequestException.illegalArgument("index [" + name + "] is not a follower index");
        }
        return get(name);
    }

    @Override
    public synchronized void close() {
        if (placement != null) {
            placement.close();
        }
        followers.values().forEach(FollowerIndex::close);
        followers.clear();
        if (copies != null) {
            copies.close();
        }
    }
}
