package io.kccr.follower;

import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.error.UnavailableException;
import io.kccr.follower.apply.FollowerFailure;
import io.kccr.follower.apply.FollowerShard;
import io.kccr.core.index.IndexMetadata;
import io.kccr.core.recovery.RestoreManifest;
import io.kccr.core.routing.ShardRouting;
import io.kccr.core.shard.GetResult;
import io.kccr.core.shard.LuceneShard;
import io.kccr.core.shard.PinnedReader;
import io.kccr.core.shard.SearchableIndex;
import io.kccr.core.shard.ShardRefresher;
import io.kccr.core.shard.ShardSearch;
import io.kccr.follower.bootstrap.BootstrapJob;
import io.kccr.follower.bootstrap.ShardRecoveryState;
import io.kccr.follower.replay.AsOf;
import io.kccr.follower.replay.ShardReplay;
import io.kccr.follower.replay.ShardReplayState;
import java.io.InterruptedIOException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A follower index: its Lucene shards, applied from the leader's ops topic by the node's {@link FollowerRuntime}
 * (its shards assigned to the runtime's feed while it streams, their positions committed to its own consumer group,
 * whose lag is the replication lag), and refreshed by the runtime's refresher. Lifecycle: {@link #start} (active),
 * {@link #pause},
 * {@link #resume}, a fatal error (failed), {@link #close}; the status changes only through its
 * {@link FollowerLifecycle}, along the moves {@link FollowerStatus} allows. The shards stay open,
 * searchable, while the follower exists, paused or failed.
 *
 * <p>Thread-safe: lifecycle calls are synchronized; status, stats and searches read without locking.
 */
public final class FollowerIndex implements SearchableIndex, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FollowerIndex.class);

    private final FollowerDefinition definition;
    private final Map<String, Object> remoteClientProperties;
    private final Path dir;
    private final Clock clock;
    private final FollowerRuntime runtime;
    private final LeaderMetadataReader leaderMetadata;
    private final FollowerShards shardSet;
    private final LeaderProgress progress;
    private final int shards;
    private final FollowerLifecycle lifecycle;
    private volatile FollowParameters parameters;
    private final FollowerMetadata metadata;
    private final FollowerBootstrap bootstrap;
    private final FollowerRebuild rebuild;
    private volatile boolean rebuiltLast;
    /** Bumped by every lifecycle call: a retry scheduled before one of them is stale. Under the lock. */
    private long retryGeneration;
    private boolean closed;
    /** Why applying is suspended (a full disk); null while it is not. Under the lock. */
    private String suspended;
    /** Backoff of the follower's own restarts after a failure that may pass. */
    private final ReadErrors startErrors;
    private final FollowerFeed feed;
    private final ShardRefresher.Registration refreshes;

    /**
     * Opens the follower's shards under {@code dir} for the leader index {@code leader} (whose
     * metadata was read from its meta topic). Call {@link #start} to follow. With
     * {@code bootstrapJobs} (null: none), the shards are first filled with the leader's commits by a
     * bootstrap (remote recovery); until then the follower has no open shard. {@code runtime} is the node's,
     * shared by its followers.
     */
    public FollowerIndex(FollowerDefinition definition, IndexMetadata leader, LeaderMetadataReader leaderMetadata,
                         Map<String, Object> remoteClientProperties, Path dir, FollowerRuntime runtime,
                         Clock clock, Function<Path, BootstrapJob> bootstrapJobs) {
        this.definition = definition;
        this.parameters = definition.parameters();
        this.remoteClientProperties = Map.copyOf(remoteClientProperties);
        this.dir = dir;
        this.clock = clock;
        this.runtime = runtime;
        this.leaderMetadata = leaderMetadata;
        this.metadata = new FollowerMetadata(definition.followerIndex(), definition.applicationId(), leaderMetadata);
        this.shards = leader.numberOfShards();
        this.progress = new LeaderProgress(runtime.feed().probe(this.remoteClientProperties), definition.opsTopic());
        this.shardSet = new FollowerShards(dir, leader, leaderMetadata, definition.opsTopic(), clock,
                progress::beginningOffset);
        this.bootstrap = new FollowerBootstrap(dir, bootstrapJobs, runtime.bootstraps());
        this.rebuild = new FollowerRebuild(dir, runtime.rebuilds());
        this.startErrors = new ReadErrors(clock);
        FollowerStatus initial;
        if (rebuild.pending()) {
            initial = FollowerStatus.REBUILDING;
        } else if (bootstrap.done()) {
            shardSet.hold();
            initial = FollowerStatus.ACTIVE;
        } else {
            initial = FollowerStatus.BOOTSTRAPPING;
        }
        this.lifecycle = new FollowerLifecycle(definition.followerIndex(), initial);
        this.feed = new FollowerFeed(definition, shardSet.registry(), this.remoteClientProperties, runtime, this::fail,
                this::restartFeed);
        // a half-replayed index is nothing to search; refreshing it would only cut small segments
        this.refreshes = runtime.refresher().register(this::shards, () -> status() != FollowerStatus.REBUILDING,
                () -> metadata.own().refreshPolicy(runtime.refresher().policy()));
    }

    public FollowerDefinition definition() {
        return definition;
    }

    @Override
    public String name() {
        return definition.followerIndex();
    }

    /** The leader's replicated settings with the follower's own on top, and the leader's mappings, under its name. */
    @Override
    public IndexMetadata metadata() {
        return metadata.current();
    }

    /** A search: the shards count as searched (not search idle); one that was idle is refreshed first. */
    @Override
    public <T> T search(SearchAction<T> action) throws IOException {
        List<FollowerShard> open = shards();
        runtime.refresher().searched(open);
        return ShardSearch.search(open, action);
    }

    @Override
    public PinnedReader pin() throws IOException {
        List<FollowerShard> open = shards();
        runtime.refresher().searched(open);
        return PinnedReader.pin(open);
    }

    /** A realtime get: the shard is refreshed first, so every applied op is seen. */
    @Override
    public GetResult get(String id) {
        List<FollowerShard> open = shards();
        if (open.size() < shards) {
            throw new UnavailableException("follower index [" + name() + "] is still copying the leader's files"
                    + " (bootstrapping); retry when GET /" + name() + "/_recovery shows it done", null);
        }
        FollowerShard shard = open.get(ShardRouting.shardFor(id, shards));
        runtime.refresher().searched(List.of(shard));
        shard.refresh();
        return ShardSearch.get(open, id);
    }

    public FollowerStatus status() {
        return lifecycle.status();
    }

    /** The error the follower failed with; null unless it is failed. */
    public FatalError fatalError() {
        return lifecycle.fatalError();
    }

    /** What it follows, its status, parameters, fatal error and progress, as {@code _ccr/info} shows them. */
    public FollowerInfo info() {
        return FollowerInfo.of(this, lifecycle.state());
    }

    /**
     * A future completed once the follower is active (its shards hold the leader's files and it streams),
     * or completed exceptionally with a {@link io.kccr.core.error.FailedException} when it fails first.
     * While paused it stays pending; cancel it to stop waiting.
     */
    public CompletableFuture<Void> untilActive() {
        return lifecycle.untilActive();
    }

    public FollowParameters parameters() {
        return parameters;
    }

    /** The settings the follower sets itself (e.g. {@code index.refresh_interval}). */
    public FollowerIndexSettings settings() {
        return metadata.own();
    }

    /** Replaces the follower's own settings; its shards refresh by them from the refresher's next tick. */
    public void settings(FollowerIndexSettings value) {
        metadata.own(value);
    }

    /** A follower's own index uuid, derived from its application id and the leader's uuid (see {@link FollowerMetadata}). */
    public static String uuid(String applicationId, String leaderUuid) {
        return FollowerMetadata.uuid(applicationId, leaderUuid);
    }

    /** The leader metadata the follower knows (settings, mappings, versions). */
    public IndexMetadata leaderMetadata() {
        return leaderMetadata.current();
    }

    /** The open shards, in shard order: all of them, or none while bootstrapping. */
    @Override
    public List<FollowerShard> shards() {
        return shardSet.open();
    }

    /** Each shard's bootstrap progress; empty when this follower did not bootstrap since the node started. */
    public List<ShardRecoveryState> recovery() {
        return bootstrap.states();
    }

    /** Each shard's progress through the last rebuild from the log; empty when none ran since the node started. */
    public List<ShardReplayState> replay() {
        return rebuild.states();
    }

    /** Whether the shards were last filled by a rebuild from the log ({@link #replay}), not a bootstrap. */
    public boolean rebuiltLast() {
        return rebuiltLast;
    }

    /**
     * Starts (or restarts) following: checks that the log still holds every op the shards need
     * (invariant 7), then assigns its shards to the runtime's feed.
     */
    public synchronized void start() {
        try {
            startWork();
        } catch (RuntimeException e) {
            failAndRetry("could not start following: " + describe(e), e);
        }
    }

    private void startWork() {
        if (suspended != null || feed.running() || bootstrap.running() || rebuild.background().running()) {
            return;
        }
        FollowerRebuild.Request rebuilding = rebuild.request();
        if (rebuilding != null) {
            if (rebuilding.held()) {
                lifecycle.moveTo(FollowerStatus.PAUSED); // at its point in time until resumed
            } else {
                startRebuild(rebuilding.asOf());
            }
            return;
        }
        if (!bootstrap.done()) {
            lifecycle.moveTo(FollowerStatus.BOOTSTRAPPING);
            rebuiltLast = false;
            bootstrap.start(name(), this::bootstrapped, e -> {
                synchronized (this) {
                    if (bootstrap.isCurrent(Thread.currentThread())) {
                        fail(FollowerBootstrap.failure(definition.leaderIndex(), name(), e));
                    }
                }
            });
            return;
        }
        startStreams();
    }

    /** On the bootstrap's thread: the shards hold the leader's commits; stream on from them. */
    private synchronized void bootstrapped(RestoreManifest manifest) {
        if (!bootstrap.isCurrent(Thread.currentThread())) {
            return; // paused or closed meanwhile: the next start copies again, keeping what is there
        }
        FollowerFailure recreated = FollowerBootstrap.checkHistory(manifest, leaderMetadata.current(),
                definition.leaderIndex());
        if (recreated != null) {
            fail(recreated);
            return;
        }
        try {
            bootstrap.markDone();
            shardSet.hold();
            startStreams();
        } catch (FollowerFailure e) {
            fail(e); // resume_follow retries; the group still starts at the commits' offsets then
        } catch (RuntimeException e) {
            // a full disk writing the marker, Kafka timing out handing over to the group: not stuck bootstrapping
            failAndRetry("the bootstrap copied the leader's files but could not hand over to streaming: "
                    + describe(e), e);
        }
    }

    /** Starts streaming ({@link FollowerFeed#start}); fails the follower if the log lost ops it needs. */
    private void startStreams() {
        FollowerFailure lost = feed.start(parameters, progress, bootstrap.offsetsPending());
        if (lost != null) {
            fail(lost);
            return;
        }
        bootstrap.offsetsSet();
        lifecycle.moveTo(FollowerStatus.ACTIVE);
    }

    /** Any thread (the runtime's control thread for a fatal error while streaming): the follower stops, saying why. */
    private void fail(FollowerFailure failure) {
        lifecycle.fail(FatalError.of(failure));
        log.warn("follower [{}] failed: {}", name(), failure.getMessage());
    }

    /**
     * A failure that may pass (Kafka or the remote unreachable, a full disk): the follower is failed, showing the
     * reason, and starts again by itself after the follower's retry backoff (capped by {@code max_retry_delay},
     * with jitter), unless it is paused, resumed or closed meanwhile.
     */
    private void failAndRetry(String reason, Throwable cause) {
        long backoff = startErrors.recordAndBackoff(-1, reason, false, 0, parameters.maxRetryDelay().toMillis());
        lifecycle.fail(new FatalError("exception", reason + ". Retrying by itself in " + backoff + " ms; POST /"
                + name() + "/_ccr/resume_follow retries now", null));
        log.warn("follower [{}] failed, retrying in {} ms: {}", name(), backoff, reason, cause);
        long attempt = ++retryGeneration;
        CompletableFuture.runAsync(() -> retry(attempt), CompletableFuture.delayedExecutor(backoff,
                java.util.concurrent.TimeUnit.MILLISECONDS));
    }

    private synchronized void retry(long attempt) {
        if (attempt == retryGeneration && !closed && lifecycle.status() == FollowerStatus.FAILED) {
            start();
        }
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return e == root || e.getMessage() == null ? String.valueOf(root) : e.getMessage() + " (" + root + ")";
    }

    /**
     * Stops applying for a while, e.g. while the node's disk is full: the follower stays active (its lag grows, the
     * reason shows in {@code read_exceptions}) and applies on after {@link #unsuspend}. Only an active follower is
     * suspended; pausing, resuming or closing it meanwhile takes over.
     */
    public synchronized void suspend(String reason) {
        if (suspended == null && lifecycle.status() == FollowerStatus.ACTIVE && feed.running()) {
            suspended = reason;
            feed.stop(true);
            for (FollowerShard shard : shards()) { // shown in read_exceptions until the shard reads again
                feed.readErrors(shard.shardId()).record(shard.maxSeqNo() + 1, "applying suspended: " + reason, false, 0);
            }
            log.warn("follower [{}] stops applying: {}", name(), reason);
        }
    }

    /** Applies again after {@link #suspend}, if still active. */
    public synchronized void unsuspend() {
        if (suspended != null) {
            suspended = null;
            if (lifecycle.status() == FollowerStatus.ACTIVE && !closed) {
                start();
            }
        }
    }

    /**
     * The runtime's control thread, when a shard's position is gone from the leader's log (retention deleted it
     * while the follower lagged): streaming starts over, which checks the log's coverage first (invariant 7).
     */
    private synchronized void restartFeed() {
        if (feed.running() && lifecycle.status() == FollowerStatus.ACTIVE) { // else stopped or failed meanwhile
            FollowerFailure lost = feed.restart(parameters, progress);
            if (lost != null) {
                fail(lost);
            }
        }
    }

    /**
     * Commits the shards' positions to consumer group {@code group} from now on, instead of the follower's own
     * ({@link FollowerDefinition#applicationId}, the default): a replica on a node that does not host the follower
     * index keeps the follower's group for its host. A streaming follower starts streaming over from where its shards
     * stand (no copy is made again), which commits their positions to {@code group} at once.
     */
    public synchronized void offsetsGroup(String group) {
        if (group.equals(feed.offsetsGroup())) {
            return;
        }
        feed.offsetsGroup(group);
        restartFeed();
    }

    /** The consumer group the shards' positions are committed to (see {@link #offsetsGroup(String)}). */
    public String offsetsGroup() {
        return feed.offsetsGroup();
    }

    /** Comes back failed after a restart, with the error it failed with; resume_follow retries. */
    public synchronized void restoreFailed(FatalError error) {
        lifecycle.fail(error);
    }

    /** Stops applying ops; the shards stay searchable. A failed follower stays failed, showing its error. */
    public synchronized void pause() {
        retryGeneration++;
        suspended = null;
        stopWork(true);
        if (lifecycle.status().canMoveTo(FollowerStatus.PAUSED)) {
            lifecycle.moveTo(FollowerStatus.PAUSED);
        }
    }

    /** Follows again, optionally with new parameters. */
    public synchronized void resume(FollowParameters newParameters) {
        retryGeneration++;
        suspended = null;
        if (newParameters != null) {
            parameters = newParameters;
        }
        if (rebuild.held()) {
            rebuild.release(); // streams on from the point in time it was rebuilt to
        }
        stopWork(true);
        start();
    }

    /** Stops whatever runs: a bootstrap, a rebuild, the streaming (committing the shards if {@code commit}). */
    private void stopWork(boolean commit) {
        bootstrap.stop();
        rebuild.background().stop();
        feed.stop(commit);
    }

    /** Makes every applied op searchable. */
    @Override
    public void refresh() {
        shards().forEach(LuceneShard::refresh);
    }

    /** Per-shard stats, as {@code _ccr/stats} renders them. */
    public List<ShardFollowStats> stats() {
        return FollowerStats.of(this, shards, progress, feed, clock);
    }

    /** Stops following and closes the shards (committing what was applied). */
    @Override
    public synchronized void close() {
        retryGeneration++;
        closed = true;
        refreshes.close();
        stopWork(true);
        progress.close();
        shardSet.release(true);
    }

    /**
     * Copies the leader's files again and streams on from them: the way back from a failure such as
     * history loss. Files identical to the leader's current commit are kept.
     */
    public synchronized void rebootstrap() throws IOException {
        stopWork(true);
        rebuild.release();
        if (bootstrap.done()) {
            shardSet.release(true);
            bootstrap.reset();
        }
        start();
    }

    /**
     * Rebuilds the follower from the leader's log into a fresh index, in the background (status
     * {@code rebuilding}): to the log's end, then it follows on; or to a point in time, where it
     * stays paused and searchable until resumed, then streams on from there. Needs the log to hold
     * the leader's whole history (a compacted ops topic does; one whose start was deleted fails the
     * rebuild with what to do).
     */
    public synchronized void rebuild(AsOf asOf) {
        FollowerFailure lost = LogCoverage.checkFromStart(progress, shards, name(), definition.opsTopic());
        if (lost != null) { // refused before anything is stopped or wiped
            throw InvalidRequestException.of(lost.type(),  "cannot rebuild [" + name() + "] from the leader's log: "
                    + lost.getMessage());
        }
        long t0 = System.nanoTime();
        stopWork(false); // no commit: the shards are wiped next
        shardSet.release(false);
        rebuild.record(asOf);
        log.info("follower [{}] rebuild to {}: stopped in {} ms", name(), asOf, (System.nanoTime() - t0) / 1_000_000);
        start();
    }

    private void startRebuild(AsOf asOf) {
        lifecycle.moveTo(FollowerStatus.REBUILDING);
        rebuiltLast = true;
        rebuild.start(name(), shards, () -> runRebuild(asOf));
    }

    /** On the rebuild's thread: the log replayed into an empty index, then the hand-off. */
    private void runRebuild(AsOf asOf) {
        try {
            Thread self = Thread.currentThread();
            rebuild.replay(shardSet.registry(), shards, () -> LogCoverage.check(progress, shards(), name(), definition.opsTopic()),
                    new ShardReplay(remoteClientProperties, definition.opsTopic(), clock), asOf,
                    () -> !rebuild.background().isCurrent(self));
        } catch (InterruptedException | InterruptedIOException e) {
            return; // stopped: paused or closed
        } catch (Exception e) {
            synchronized (this) {
                if (rebuild.background().isCurrent(Thread.currentThread())) {
                    fail(FollowerRebuild.failure(e, definition.opsTopic(), name()));
                }
            }
            return;
        }
        synchronized (this) {
            shardSet.holdReplayed();
            if (!rebuild.background().isCurrent(Thread.currentThread())) {
                shardSet.release(true); // paused or closed meanwhile: the next start rebuilds again
                return;
            }
            try {
                bootstrap.markDone(); // the group starts at the shards' commits, wherever the replay stopped
                rebuild.finish(asOf);
                if (asOf.isPointInTime()) {
                    lifecycle.moveTo(FollowerStatus.PAUSED);
                } else {
                    startStreams();
                }
            } catch (FollowerFailure e) {
                fail(e); // resume_follow retries from the commits
            } catch (RuntimeException e) {
                failAndRetry("the rebuild replayed the log but could not finish: " + describe(e), e);
            }
        }
    }

    /** Bytes on disk of the follower's shards. */
    @Override
    public long sizeInBytes() {
        return shards().stream().mapToLong(LuceneShard::sizeInBytes).sum();
    }

    /** Live documents as of the last refresh. */
    @Override
    public long docCount() {
        return shards().stream().mapToLong(LuceneShard::docCount).sum();
    }
}
