package io.kccr.node.autofollow;

import io.kccr.node.remote.RemoteIndexNames;
import io.kccr.core.error.KccrException;
import io.kccr.core.error.NotFoundException;
import io.kccr.node.follow.FollowerCatalog;
import io.kccr.follower.FollowParameters;
import io.kccr.follower.FollowerIndexSettings;
import io.kccr.core.index.IndexSettings;
import io.kccr.node.remote.RemoteClusters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Elasticsearch's auto-follow patterns: keeps the patterns (persisted, see {@link AutoFollowStore}) and, every round,
 * follows the new leader indices of each active pattern's remote that it matches, through
 * {@link FollowerCatalog#follow}. A leader index is followed at most once per pattern, never when it existed when
 * the pattern was created or resumed, and not while a local index has the follower's name. Failures are counted,
 * kept among the recent errors and retried next round. A leader index is followed from the round after the one that
 * first saw it: the remote lists an index in its indices topic just before it serves it.
 *
 * <p>In a cluster of nodes the patterns are the cluster's ({@link #joinCluster}): any node changes and lists them, and
 * one node runs them.
 *
 * <p>Thread-safe: changes of the pattern table are serialized by this object's lock; remote reads and follows run
 * outside it.
 */
public final class AutoFollower implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AutoFollower.class);
    private static final int MAX_RECENT_ERRORS = 32;

    private record ClusterCheck(long checkedAtMillis, long version, Set<String> names) {
    }

    /** How a round follows a leader index: on this node alone, or, in a cluster, on the node the follower goes to. */
    public interface Follow {
        /** Follows {@code leaderIndex} of {@code remoteCluster} as {@code name}; throws what the follow refused. */
        void follow(String name, String remoteCluster, String leaderIndex, FollowParameters parameters,
                    FollowerIndexSettings settings) throws InterruptedException;
    }

    private final AutoFollowStore store;
    private final RemoteClusters remotes;
    /** On this node's catalog, or, in a cluster of nodes ({@link #joinCluster}), where the follower goes. */
    private volatile Follow follow;
    private final Predicate<String> localIndexExists;
    private final RemoteIndexNames leaderIndexNames;
    private final Clock clock;
    /** By name; in a cluster of nodes ({@link #joinCluster}) the cluster's, as its topic has them. */
    private volatile Map<String, AutoFollowPattern> patterns = new TreeMap<>();
    /** In a cluster of nodes: where its patterns are kept; else null (they are in this node's file). */
    private PatternLog cluster;
    /** Whether this node runs the patterns' rounds (in a cluster, one node does). */
    private BooleanSupplier runsRounds = () -> true;
    private final Map<String, AutoFollowStats.Error> recentErrors = new LinkedHashMap<>();
    private final Map<String, ClusterCheck> checks = new TreeMap<>();
    private long failedFollows;
    private long failedReads;
    private long successfulFollows;
    private ScheduledFuture<?> schedule;

    /** {@code localIndexExists}: whether this node has an index (leader or follower) of that name. */
    public AutoFollower(Path dataPath, RemoteClusters remotes, FollowerCatalog followers,
                        Predicate<String> localIndexExists, RemoteIndexNames leaderIndexNames, Clock clock) {
        this.store = new AutoFollowStore(dataPath);
        this.remotes = remotes;
        this.follow = followers::follow;
        this.localIndexExists = localIndexExists;
        this.leaderIndexNames = leaderIndexNames;
        this.clock = clock;
    }

    /**
     * Makes the patterns a cluster's (call before {@link #start}): kept in its topic {@code topic}, which every node
     * reads, so any node answers for them; rounds run only while {@code runsRounds} holds, which the cluster makes
     * true on one node at a time, so that another takes over the patterns, with the indices they followed, when that
     * one is lost. The indices they follow are followed by {@code placed}, on the node each follower index goes to.
     */
    public synchronized void joinCluster(String topic, Map<String, Object> clientProperties, Duration timeout,
                                         BooleanSupplier runsRounds, Follow placed) {
        this.cluster = new PatternLog(topic, clientProperties, timeout);
        this.patterns = cluster.patterns();
        this.runsRounds = runsRounds;
        this.follow = placed;
    }

    /**
     * Loads the stored patterns and runs a round every {@code interval} from now on. In a cluster, the patterns of
     * this node's file that the cluster's topic lacks (kept before the node joined a cluster) are added to it.
     */
    public synchronized void start(ScheduledExecutorService scheduler, Duration interval) throws Exception {
        if (cluster != null) {
            cluster.start();
            for (AutoFollowPattern p : store.load()) {
                if (!patterns.containsKey(p.name())) {
                    cluster.put(p);
                }
            }
        } else {
            store.load().forEach(p -> patterns.put(p.name(), p));
        }
        schedule = scheduler.scheduleWithFixedDelay(this::round, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * Creates or replaces pattern {@code name} (active). 404 {@code no_such_remote_cluster_exception} for an unknown
     * remote, 400 for invalid fields. The remote's current indices are recorded as not to be followed; when the
     * remote cannot be read now, those of the first successful round are.
     */
    public void put(String name, String remoteCluster, List<String> leaderIndexPatterns, List<String> exclusions,
                    String followIndexPattern, FollowParameters parameters, FollowerIndexSettings settings) {
        AutoFollowPattern.validateName(name);
        remotes.require(remoteCluster);
        AutoFollowPattern candidate = new AutoFollowPattern(name, remoteCluster, leaderIndexPatterns, exclusions,
                followIndexPattern, parameters, true, null, Set.of(), settings.own().flat());
        candidate.validate();
        Set<String> existing = tryRead(remoteCluster);
        synchronized (this) {
            AutoFollowPattern old = patterns.get(name);
            Set<String> followed = old != null && old.remoteCluster().equals(remoteCluster) ? old.followed() : Set.of();
            update(new AutoFollowPattern(name, remoteCluster, leaderIndexPatterns, exclusions, followIndexPattern,
                    parameters, true, existing, followed, settings.own().flat()));
        }
    }

    /**
     * Pattern {@code name}, or 404 {@code resource_not_found_exception}; in a cluster, as recorded through any node
     * before the call.
     */
    public AutoFollowPattern get(String name) {
        catchUp();
        return known(name);
    }

    private synchronized AutoFollowPattern known(String name) {
        AutoFollowPattern p = patterns.get(name);
        if (p == null) {
            throw NotFoundException.resource("auto-follow pattern [" + name + "] is missing");
        }
        return p;
    }

    /** All patterns by name; in a cluster, as recorded through any node before the call. */
    public List<AutoFollowPattern> all() {
        catchUp();
        synchronized (this) {
            return List.copyOf(patterns.values());
        }
    }

    /** In a cluster, waits until this node read the patterns recorded through the others before. */
    private void catchUp() {
        if (cluster != null) {
            cluster.catchUp();
        }
    }

    /** Removes pattern {@code name} (its followers stay); 404 when there is none. */
    public synchronized void delete(String name) {
        known(name);
        if (cluster != null) {
            cluster.remove(name);
            return;
        }
        AutoFollowPattern removed = patterns.remove(name);
        try {
            store.save(patterns.values());
        } catch (IOException e) {
            patterns.put(name, removed);
            throw new UncheckedIOException(e);
        }
    }

    /** Stops pattern {@code name} from following new indices; 404 when there is none. */
    public synchronized void pause(String name) {
        AutoFollowPattern p = get(name);
        if (p.active()) {
            update(p.withActive(false, p.preexisting()));
        }
    }

    /**
     * Lets pattern {@code name} follow again the indices created from now on (those created while it was paused are
     * not followed); 404 when there is none.
     */
    public void resume(String name) {
        AutoFollowPattern p = get(name);
        if (p.active()) {
            return;
        }
        Set<String> existing = tryRead(p.remoteCluster());
        synchronized (this) {
            update(get(name).withActive(true, existing));
        }
    }

    /** What the auto-follower has done since the node started. */
    public synchronized AutoFollowStats stats() {
        long now = clock.millis();
        List<AutoFollowStats.FollowedCluster> clusters = new ArrayList<>();
        checks.forEach((remote, c) -> clusters.add(new AutoFollowStats.FollowedCluster(remote,
                Math.max(0, now - c.checkedAtMillis()), c.version())));
        return new AutoFollowStats(failedFollows, failedReads, successfulFollows, List.copyOf(recentErrors.values()),
                clusters);
    }

    /** One pass over the active patterns (the scheduled task; never throws). */
    void round() {
        if (!runsRounds.getAsBoolean()) {
            synchronized (this) {
                checks.clear(); // when it runs them again, it looks at the remotes afresh
            }
            return;
        }
        try {
            Map<String, List<AutoFollowPattern>> byRemote = new TreeMap<>();
            synchronized (this) {
                patterns.values().stream().filter(AutoFollowPattern::active)
                        .forEach(p -> byRemote.computeIfAbsent(p.remoteCluster(), r -> new ArrayList<>()).add(p));
                checks.keySet().retainAll(byRemote.keySet());
            }
            byRemote.forEach(this::follow);
        } catch (RuntimeException | Error e) {
            log.warn("auto-follow round failed", e);
        }
    }

    private void follow(String remote, List<AutoFollowPattern> active) {
        Set<String> names;
        try {
            names = leaderIndexNames.read(remote);
        } catch (Exception e) {
            synchronized (this) {
                failedReads++;
                active.forEach(p -> error(p.name(), e));
            }
            return;
        }
        Set<String> settled;
        synchronized (this) {
            ClusterCheck last = checks.get(remote);
            settled = last == null ? Set.of() : last.names();
            long version = last == null ? 1 : last.names().equals(names) ? last.version() : last.version() + 1;
            checks.put(remote, new ClusterCheck(clock.millis(), version, names));
        }
        for (AutoFollowPattern p : active) {
            if (p.preexisting() == null) {
                synchronized (this) {
                    AutoFollowPattern current = patterns.get(p.name());
                    if (current != null && current.preexisting() == null) {
                        update(current.withPreexisting(names));
                    }
                }
                continue;
            }
            for (String leader : names) {
                if (settled.contains(leader) && p.matches(leader) && !p.preexisting().contains(leader)
                        && !p.followed().contains(leader)) {
                    followOne(p, leader);
                }
            }
        }
    }

    private void followOne(AutoFollowPattern p, String leader) {
        String follower = p.followerName(leader);
        synchronized (this) {
            AutoFollowPattern current = patterns.get(p.name());
            if (current == null || !current.active() || current.followed().contains(leader)) {
                return; // deleted, paused or replaced meanwhile
            }
        }
        if (localIndexExists.test(follower)) {
            return;
        }
        try {
            follow.follow(follower, p.remoteCluster(), leader, p.parameters(),
                    new FollowerIndexSettings(new IndexSettings(p.settings())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stopping: the next round, on whichever node, follows it
            return;
        } catch (RuntimeException e) {
            synchronized (this) {
                failedFollows++;
                error(leader, e);
            }
            return;
        }
        synchronized (this) {
            successfulFollows++;
            recentErrors.remove(leader);
            AutoFollowPattern current = patterns.get(p.name());
            if (current != null) {
                update(current.withFollowed(leader));
            }
        }
        log.info("auto-follow pattern [{}] follows [{}:{}] as [{}]", p.name(), p.remoteCluster(), leader, follower);
    }

    /** The remote's index names, or null when it cannot be read now (the next round's are taken then). */
    private Set<String> tryRead(String remote) {
        try {
            return leaderIndexNames.read(remote);
        } catch (Exception e) {
            log.info("could not read the indices of remote cluster [{}] yet: {}", remote, e.getMessage());
            return null;
        }
    }

    /** Stores {@code p} in place of the pattern of its name; caller holds the lock. */
    private void update(AutoFollowPattern p) {
        if (cluster != null) {
            cluster.put(p);
            return;
        }
        AutoFollowPattern old = patterns.put(p.name(), p);
        try {
            store.save(patterns.values());
        } catch (IOException e) {
            if (old == null) {
                patterns.remove(p.name());
            } else {
                patterns.put(p.name(), old);
            }
            throw new UncheckedIOException(e);
        }
    }

    /** Caller holds the lock. */
    private void error(String key, Exception e) {
        KccrException api = e instanceof KccrException a ? a : null;
        recentErrors.remove(key);
        recentErrors.put(key, new AutoFollowStats.Error(key, clock.millis(), new AutoFollowStats.Cause(
                api != null ? api.type() : "exception", api != null ? api.reason() : String.valueOf(e.getMessage()))));
        while (recentErrors.size() > MAX_RECENT_ERRORS) {
            recentErrors.remove(recentErrors.keySet().iterator().next());
        }
    }

    @Override
    public synchronized void close() {
        if (schedule != null) {
            schedule.cancel(false);
        }
        if (cluster != null) {
            cluster.close();
        }
    }
}
