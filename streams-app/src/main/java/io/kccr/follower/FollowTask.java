package io.kccr.follower;

import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.recovery.RestoreManifest;
import io.kccr.follower.apply.FollowerFailure;
import io.kccr.follower.apply.FollowerShard;
import io.kccr.follower.replay.AsOf;
import io.kccr.follower.replay.ShardReplay;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link FollowerIndex} does to follow its leader: bootstrap (copy the leader's files), stream (assign the
 * shards to the runtime's feed), rebuild from the log, pause, resume, suspend while the disk is full, and fail,
 * retrying by itself after a failure that may pass. The status changes only through the {@link FollowerLifecycle},
 * along the moves {@link FollowerStatus} allows.
 *
 * <p>Thread-safe: every call that changes what runs is synchronized on the task, as are the bootstrap's and the
 * rebuild's hand-offs (each checks that it is still the current one, so a pause or close meanwhile wins).
 */
final class FollowTask {
    private static final Logger log = LoggerFactory.getLogger(FollowTask.class);

    private final FollowerDefinition definition;
    private final Map<String, Object> remoteClientProperties;
    private final Clock clock;
    private final LeaderMetadataReader leaderMetadata;
    private final FollowerShards shardSet;
    private final LeaderProgress progress;
    private final FollowerBootstrap bootstrap;
    private final FollowerRebuild rebuild;
    private final FollowerLifecycle lifecycle;
    private final FollowerFeed feed;
    /** Backoff of the follower's own restarts after a failure that may pass. */
    private final ReadErrors startErrors;
    private volatile FollowParameters parameters;
    /** Bumped by every lifecycle call: a retry scheduled before one of them is stale. Under the lock. */
    private long retryGeneration;
    private boolean closed;
    /** Why applying is suspended (a full disk); null while it is not. Under the lock. */
    private String suspended;
    /** Whether a bootstrap running now stops paused once done ({@link #holdPaused}). Under the lock. */
    private boolean holdAfterBootstrap;

    /**
     * The task of a follower whose shards are {@code shardSet}: rebuilding if a rebuild is
     * pending, active if the bootstrap is done (the shards are opened now), else bootstrapping; {@link #start} runs it.
     */
    FollowTask(FollowerDefinition definition, Map<String, Object> remoteClientProperties, Clock clock,
               FollowerRuntime runtime, LeaderMetadataReader leaderMetadata, FollowerShards shardSet,
               LeaderProgress progress, FollowerBootstrap bootstrap, FollowerRebuild rebuild) {
        this.definition = definition;
        this.parameters = definition.parameters();
        this.remoteClientProperties = remoteClientProperties;
        this.clock = clock;
        this.leaderMetadata = leaderMetadata;
        this.shardSet = shardSet;
        this.progress = progress;
        this.bootstrap = bootstrap;
        this.rebuild = rebuild;
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
        this.feed = new FollowerFeed(definition, shardSet.registry(), remoteClientProperties, runtime, this::fail,
                this::restartFeed);
    }

    private String name() {
        return definition.followerIndex();
    }

    FollowerLifecycle lifecycle() {
        return lifecycle;
    }

    FollowerFeed feed() {
        return feed;
    }

    FollowParameters parameters() {
        return parameters;
    }

    /** See {@link FollowerIndex#start}. */
    synchronized void start() {
        holdAfterBootstrap = false;
        run();
    }

    /** See {@link FollowerIndex#startLater}. */
    synchronized void startLater(String reason) {
        failAndRetry(reason, null);
    }

    /** See {@link FollowerIndex#holdPaused}. */
    synchronized void holdPaused() {
        if (closed || rebuild.request() != null) {
            return;
        }
        if (bootstrap.done()) {
            if (lifecycle.status() != FollowerStatus.PAUSED && lifecycle.status() != FollowerStatus.FAILED) {
                pause();
            }
            return;
        }
        holdAfterBootstrap = true;
        if (!bootstrap.running()) {
            run();
        }
    }

    private void run() {
        try {
            startWork();
        } catch (RuntimeException e) {
            failAndRetry("could not start following: " + FatalError.describe(e), e);
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
            rebuild.bootstrapping();
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
            if (holdAfterBootstrap) {
                holdAfterBootstrap = false;
                lifecycle.moveTo(FollowerStatus.PAUSED); // a copy of a paused follower index: searchable, at rest
                return;
            }
            startStreams();
        } catch (FollowerFailure e) {
            fail(e); // resume_follow retries; the group still starts at the commits' offsets then
        } catch (RuntimeException e) {
            // a full disk writing the marker, Kafka timing out handing over to the group: not stuck bootstrapping
            failAndRetry("the bootstrap copied the leader's files but could not hand over to streaming: "
                    + FatalError.describe(e), e);
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
        lifecycle.failRetrying(new FatalError("exception", reason + ". Retrying by itself in " + backoff + " ms; POST /"
                + name() + "/_ccr/resume_follow retries now", null));
        log.warn("follower [{}] failed, retrying in {} ms: {}", name(), backoff, reason, cause);
        long attempt = ++retryGeneration;
        CompletableFuture.runAsync(() -> retry(attempt), CompletableFuture.delayedExecutor(backoff,
                TimeUnit.MILLISECONDS));
    }

    private synchronized void retry(long attempt) {
        if (attempt == retryGeneration && !closed && lifecycle.status() == FollowerStatus.FAILED) {
            run(); // as it ran: a copy held paused stays so
        }
    }

    /** See {@link FollowerIndex#suspend}. */
    synchronized void suspend(String reason) {
        if (suspended == null && lifecycle.status() == FollowerStatus.ACTIVE && feed.running()) {
            suspended = reason;
            feed.stop(true);
            for (FollowerShard shard : shardSet.open()) { // shown in read_exceptions until the shard reads again
                feed.readErrors(shard.shardId()).record(shard.maxSeqNo() + 1, "applying suspended: " + reason, false, 0);
            }
            log.warn("follower [{}] stops applying: {}", name(), reason);
        }
    }

    /** See {@link FollowerIndex#unsuspend}. */
    synchronized void unsuspend() {
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

    /** See {@link FollowerIndex#pinCommits}: null while the shards do not hold a whole copy (bootstrap, rebuild). */
    synchronized CompletableFuture<Void> commitApplied(FollowerShard shard) {
        return bootstrap.done() && rebuild.request() == null ? feed.commitApplied(shard) : null;
    }

    /** See {@link FollowerIndex#offsetsGroup(String)}. */
    synchronized void offsetsGroup(String group) {
        if (group.equals(feed.offsetsGroup())) {
            return;
        }
        feed.offsetsGroup(group);
        restartFeed();
    }

    /** See {@link FollowerIndex#restoreFailed}. */
    synchronized void restoreFailed(FatalError error) {
        lifecycle.fail(error);
    }

    /** See {@link FollowerIndex#pause}. */
    synchronized void pause() {
        retryGeneration++;
        suspended = null;
        stopWork(true);
        if (lifecycle.status().canMoveTo(FollowerStatus.PAUSED)) {
            lifecycle.moveTo(FollowerStatus.PAUSED);
        }
    }

    /** See {@link FollowerIndex#resume}. */
    synchronized void resume(FollowParameters newParameters) {
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

    /** Stops for good and closes the shards (committing what was applied); no retry starts it again. */
    synchronized void close() {
        retryGeneration++;
        closed = true;
        stopWork(true);
        progress.close();
        shardSet.release(true);
    }

    /** See {@link FollowerIndex#rebootstrap}. */
    synchronized void rebootstrap() throws IOException {
        stopWork(true);
        rebuild.release();
        if (bootstrap.done()) {
            shardSet.release(true);
            bootstrap.reset();
        }
        start();
    }

    /** See {@link FollowerIndex#rebuild}. */
    synchronized void rebuild(AsOf asOf) {
        FollowerFailure lost = LogCoverage.checkFromStart(progress, shardSet.subset(), name(), definition.opsTopic());
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
        rebuild.start(name(), shardSet.subset(), () -> runRebuild(asOf));
    }

    /** On the rebuild's thread: the log replayed into an empty index, then the hand-off. */
    private void runRebuild(AsOf asOf) {
        try {
            Thread self = Thread.currentThread();
            rebuild.replay(shardSet.registry(), shardSet.subset(),
                    () -> LogCoverage.check(progress, shardSet.open(), name(), definition.opsTopic()),
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
                failAndRetry("the rebuild replayed the log but could not finish: " + FatalError.describe(e), e);
            }
        }
    }
}
