package io.kccr.leader.recovery;

import io.kccr.core.error.KccrException;
import io.kccr.core.error.NotFoundException;
import io.kccr.core.recovery.RestoreManifest;
import io.kccr.core.recovery.ShardSnapshot;
import io.kccr.core.recovery.RestorableIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.apache.lucene.index.IndexCommit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's restore sessions: how a follower bootstraps an index by copying the files of a
 * pinned Lucene commit of each shard (Elasticsearch's CCR remote recovery, leader side).
 *
 * <ul>
 *   <li>{@link #open} commits every shard on its writer thread, pins the commits and returns their
 *       {@link RestoreManifest}; at most {@code maxSessions} (read at each open) are open at once,
 *       one more is a 429.</li>
 *   <li>{@link #openFile} serves a file the session's commit lists, and nothing else.</li>
 *   <li>A session is released by {@link #release}, when it saw no request for the activity timeout
 *       (read at each sweep), when its index closes (deleted, node stopping) and by {@link #close}.
 *       Releasing unpins its commits: files no newer commit needs are deleted at once.</li>
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class RestoreSessions implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RestoreSessions.class);

    private final Map<String, RestoreSession> sessions = new ConcurrentHashMap<>();
    private final Map<String, Runnable> closeListeners = new ConcurrentHashMap<>();
    /** Whom each session was opened for, by session uuid. */
    private final Map<String, SessionHolder> holders = new ConcurrentHashMap<>();
    private final AtomicInteger slots = new AtomicInteger();
    private final IntSupplier maxSessions;
    private final Supplier<Duration> activityTimeout;
    private final Clock clock;
    private volatile ScheduledFuture<?> sweeper;

    /**
     * @param maxSessions     how many sessions may be open at once (a dynamic setting: read at each open)
     * @param activityTimeout how long a session without requests is kept (read at each sweep)
     * @param clock           the clock idle time is measured with
     */
    public RestoreSessions(IntSupplier maxSessions, Supplier<Duration> activityTimeout, Clock clock) {
        this.maxSessions = maxSessions;
        this.activityTimeout = activityTimeout;
        this.clock = clock;
    }

    /** Releases idle sessions every {@code interval} on {@code scheduler} from now on. */
    public void start(ScheduledExecutorService scheduler, Duration interval) {
        sweeper = scheduler.scheduleWithFixedDelay(this::sweep, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void sweep() {
        try {
            releaseIdle();
        } catch (RuntimeException e) {
            log.warn("releasing idle restore sessions failed", e);
        }
    }

    /**
     * Opens a session on {@code index}: a fresh commit of every shard, pinned.
     *
     * @throws KccrException 429 {@code es_rejected_execution_exception} when {@code maxSessions} are open,
     *                      404 {@code index_not_found_exception} when the index closes meanwhile
     */
    public RestoreManifest open(RestorableIndex index) {
        return open(index, SessionHolder.UNKNOWN);
    }

    /**
     * {@link #open(RestorableIndex)} for follower {@code holder}, whose sessions {@link #releaseHeldBy} releases.
     */
    public RestoreManifest open(RestorableIndex index, SessionHolder holder) {
        return open(index, holder, shard -> true);
    }

    /**
     * {@link #open(RestorableIndex, SessionHolder)} for the {@code wanted} shards whose primary is on this node (in a
     * cluster, a coordinating node asks each node for the primaries it holds); the manifest lists those.
     */
    public RestoreManifest open(RestorableIndex index, SessionHolder holder, java.util.function.IntPredicate wanted) {
        int max = maxSessions.getAsInt();
        if (slots.incrementAndGet() > max) {
            slots.decrementAndGet();
            throw RestoreErrors.tooManySessions(index.name(), max);
        }
        boolean registered = false;
        try {
            java.util.SortedMap<Integer, RestoreSession.Pinned> pinned = pin(index, wanted);
            String uuid = UUID.randomUUID().toString();
            // the metadata is read after pinning: its mappings cover every document in the commits
            RestoreManifest manifest = RestoreManifest.of(uuid, index.restoreMetadata(), pinned.values().stream()
                    .map(RestoreSession.Pinned::snapshot).toList());
            RestoreSession session = new RestoreSession(uuid, index, pinned, clock);
            holders.put(uuid, holder);
            register(session);
            registered = true;
            if (index.isClosed()) { // closed before the listener was in place
                drop(session);
                throw NotFoundException.index(index.name());
            }
            log.info("opened restore session [{}] on [{}], commit generations {}", uuid, index.name(),
                    manifest.shards().stream().map(ShardSnapshot::generation).toList());
            return manifest;
        } finally {
            if (!registered) {
                slots.decrementAndGet();
            }
        }
    }

    /**
     * Pins a commit of every wanted primary here and describes it; when any shard fails, those pinned are released
     * and the failure thrown.
     */
    private static java.util.SortedMap<Integer, RestoreSession.Pinned> pin(RestorableIndex index,
                                                                            java.util.function.IntPredicate wanted) {
        java.util.SortedMap<Integer, RestoreSession.Pinned> pinned = new java.util.TreeMap<>();
        RuntimeException failure = null;
        for (var pin : index.pinCommits(wanted).entrySet()) {
            try {
                IndexCommit commit = pin.getValue().join();
                pinned.put(pin.getKey(), new RestoreSession.Pinned(index.copy(pin.getKey()), commit, null));
            } catch (CompletionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r : e;
                }
            }
        }
        if (failure == null) {
            try {
                for (var e : pinned.entrySet()) {
                    RestoreSession.Pinned p = e.getValue();
                    e.setValue(new RestoreSession.Pinned(p.copy(), p.commit(), ShardSnapshot.of(e.getKey(),
                            p.commit())));
                }
                return pinned;
            } catch (IOException e) {
                failure = new UncheckedIOException(e);
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        throw unpin(pinned, closedOr(index, failure));
    }

    /** Releases the {@code pinned} commits; returns {@code failure} to throw. */
    private static RuntimeException unpin(java.util.SortedMap<Integer, RestoreSession.Pinned> pinned,
                                          RuntimeException failure) {
        for (RestoreSession.Pinned p : pinned.values()) {
            try {
                p.copy().releaseCommit(p.commit());
            } catch (IOException | RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
        return failure;
    }

    private static RuntimeException closedOr(RestorableIndex index, RuntimeException failure) {
        return index.isClosed() ? NotFoundException.index(index.name()) : failure;
    }

    private void register(RestoreSession session) {
        Runnable onClose = () -> {
            if (drop(session)) {
                log.info("released restore session [{}] as index [{}] closed", session.uuid(), session.index().name());
            }
        };
        closeListeners.put(session.uuid(), onClose);
        sessions.put(session.uuid(), session);
        session.index().addCloseListener(onClose);
    }

    /** Removes and releases {@code session}; false when it was gone already. */
    private boolean drop(RestoreSession session) {
        if (!sessions.remove(session.uuid(), session)) {
            return false;
        }
        slots.decrementAndGet();
        holders.remove(session.uuid());
        Runnable onClose = closeListeners.remove(session.uuid());
        if (onClose != null) {
            session.index().removeCloseListener(onClose);
        }
        session.release();
        return true;
    }

    /**
     * Opens file {@code name} of shard {@code shard} of session {@code sessionUuid} for reading; the
     * caller closes it. Counts as activity of the session.
     *
     * @throws KccrException 404 {@code resource_not_found_exception} for an unknown (expired, released)
     *                      session, a shard or a file the session does not have; 400
     *                      {@code illegal_argument_exception} for a name that is not a plain file name
     */
    public RestoreFile openFile(String sessionUuid, int shard, String name) throws IOException {
        RestoreSession session = sessions.get(sessionUuid);
        RestoreFile file = session == null ? null : session.open(shard, name);
        if (file == null) {
            throw RestoreErrors.sessionNotFound(sessionUuid, activityTimeout.get());
        }
        return file;
    }

    /**
     * Releases session {@code sessionUuid}: its commits are unpinned and the files only they held deleted.
     *
     * @throws KccrException 404 {@code resource_not_found_exception} when there is no such session
     */
    public void release(String sessionUuid) {
        RestoreSession session = sessions.get(sessionUuid);
        if (session == null || !drop(session)) {
            throw RestoreErrors.sessionNotFound(sessionUuid, activityTimeout.get());
        }
        log.info("released restore session [{}] on [{}]", sessionUuid, session.index().name());
    }

    /**
     * Releases every session on index {@code indexName} opened for {@code holder} (Elasticsearch's forget_follower:
     * the leader stops holding anything for that follower); returns how many.
     */
    public int releaseHeldBy(String indexName, SessionHolder holder) {
        int released = 0;
        for (RestoreSession session : sessions.values()) {
            if (session.index().name().equals(indexName) && holder.equals(holders.get(session.uuid()))
                    && drop(session)) {
                released++;
                log.info("released restore session [{}] on [{}]: its follower {} was forgotten", session.uuid(),
                        indexName, holder);
            }
        }
        return released;
    }

    /** Releases the sessions idle for the activity timeout, and those of closed indices; returns how many. */
    public int releaseIdle() {
        Duration timeout = activityTimeout.get();
        int released = 0;
        for (RestoreSession session : sessions.values()) {
            if ((session.idleFor(timeout) || session.index().isClosed()) && drop(session)) {
                released++;
                log.info("restore session [{}] on [{}] expired after [{}ms] without requests",
                        session.uuid(), session.index().name(), timeout.toMillis());
            }
        }
        return released;
    }

    /** Counts as activity of session {@code sessionUuid}, if it is open (a session copied in parts elsewhere). */
    public void touch(String sessionUuid) {
        RestoreSession session = sessions.get(sessionUuid);
        if (session != null) {
            session.touch();
        }
    }

    /** The index session {@code sessionUuid} copies, or empty when there is no such session; not activity. */
    public java.util.Optional<String> indexOf(String sessionUuid) {
        return java.util.Optional.ofNullable(sessions.get(sessionUuid)).map(s -> s.index().name());
    }

    /** Whether session {@code sessionUuid} is open; does not count as activity. */
    public boolean isOpen(String sessionUuid) {
        return sessions.containsKey(sessionUuid);
    }

    /** How many sessions are open. */
    public int size() {
        return sessions.size();
    }

    /** Stops the sweeper and releases every session. */
    @Override
    public void close() {
        ScheduledFuture<?> s = sweeper;
        if (s != null) {
            s.cancel(false);
        }
        sessions.values().forEach(this::drop);
    }
}
