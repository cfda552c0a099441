package io.kccr.follower;

import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.error.UnavailableException;
import io.kccr.follower.apply.FollowerFailure;
import io.kccr.follower.apply.FollowerShard;
import io.kccr.follower.apply.OperationApplier;
import io.kccr.follower.apply.ShardRegistry;
import io.kccr.core.index.IndexMetadata;
import io.kccr.core.mapping.DocumentMapper;
import io.kccr.core.recovery.RestoreManifest;
import io.kccr.core.routing.ShardRouting;
import io.kccr.core.shard.GetResult;
import io.kccr.core.shard.LuceneShard;
import io.kccr.core.shard.SearchableIndex;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A follower index: its Lucene shards and the Kafka Streams application (its own
 * {@code application.id}, hence its own consumer group, whose lag is the replication lag) that
 * applies the leader's ops to them. Lifecycle: {@link #start} (active), {@link #pause},
 * {@link #resume}, a fatal error (failed), {@link #close}. The shards stay open, searchable, while
 * the follower exists, paused or failed.
 *
 * <p>Thread-safe: lifecycle calls are synchronized; stats and searches read without locking.
 */
public final class FollowerIndex implements SearchableIndex, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FollowerIndex.class);

    private final FollowerDefinition definition;
    private final Map<String, Object> remoteClientProperties;
    private final Path dir;
    private final Clock clock;
    private final ExecutorService committer;
    private final LeaderMetadataReader leaderMetadata;
    private final ShardRegistry registry;
    private final LeaderProgress progress;
    private final int shards;
    private volatile FollowerStatus status = FollowerStatus.ACTIVE;
    private volatile String fatalException;
    private volatile FollowParameters parameters;
    private final ReadErrors readErrors = new ReadErrors();
    private final FollowerBootstrap bootstrap;
    private final FollowerRebuild rebuild;
    private boolean shardsOpen;
    private volatile boolean rebuiltLast;
    private final FollowerStreams streams;

    /**
     * Opens the follower's shards under {@code dir} for the leader index {@code leader} (whose
     * metadata was read from its meta topic). Call {@link #start} to follow. With
     * {@code bootstrapJobs} (null: none), the shards are first filled with the leader's commits by a
     * bootstrap (remote recovery); until then the follower has no open shard.
     */
    public FollowerIndex(FollowerDefinition definition, IndexMetadata leader, LeaderMetadataReader leaderMetadata,
                         Map<String, Object> remoteClientProperties, Path dir, Duration luceneCommitInterval,
                         Clock clock, Function<Path, BootstrapJob> bootstrapJobs) {
        this.definition = definition;
        this.parameters = definition.parameters();
        this.remoteClientProperties = Map.copyOf(remoteClientProperties);
        this.dir = dir;
        this.clock = clock;
        this.committer = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon()
                .name("kccr-commit[" + definition.followerIndex() + "]").factory());
        this.leaderMetadata = leaderMetadata;
        this.shards = leader.numberOfShards();
        DocumentMapper mapper = new DocumentMapper();
        this.registry = new ShardRegistry(shard -> {
            FollowerShard s = new FollowerShard(shard, dir.resolve("shards").resolve(Integer.toString(shard)),
                    leader.historyUuid());
            return new ShardRegistry.Handle(s, new OperationApplier(s, mapper, leaderMetadata, definition.opsTopic(),
                    clock));
        });
        this.bootstrap = new FollowerBootstrap(dir, bootstrapJobs);
        this.rebuild = new FollowerRebuild(dir);
        if (rebuild.pending()) {
            status = FollowerStatus.REBUILDING;
        } else if (bootstrap.done()) {
            openShards();
        } else {
            status = FollowerStatus.BOOTSTRAPPING;
        }
        this.progress = new LeaderProgress(remoteClientProperties, definition.opsTopic());
        this.streams = new FollowerStreams(definition, registry, this.remoteClientProperties,
                dir.resolve("streams-state"), shards, luceneCommitInterval, committer, readErrors, this::fail);
    }

    private void openShards() {
        for (int i = 0; i < shards; i++) {
            registry.acquire(i); // held while the follower exists: searchable when paused or failed
        }
        shardsOpen = true;
    }

    /** Lets go of the shards; without {@code commit} what was applied since the last commit is dropped. */
    private void closeShards(boolean commit) {
        if (shardsOpen) {
            shardsOpen = false;
            for (int i = 0; i < shards; i++) {
                registry.release(i, commit);
            }
        }
    }

    public FollowerDefinition definition() {
        return definition;
    }

    @Override
    public String name() {
        return definition.followerIndex();
    }

    /** The leader's settings and mappings, under the follower's name. */
    @Override
    public IndexMetadata metadata() {
        IndexMetadata leader = leaderMetadata.current();
        return new IndexMetadata(name(), leader.uuid(), leader.historyUuid(), leader.creationDate(), leader.settings(),
                leader.mappings(), leader.mappingVersion(), leader.settingsVersion());
    }

    @Override
    public <T> T search(SearchAction<T> action) throws IOException {
        return ShardSearch.search(shards(), action);
    }

    /** A realtime get: the shard is refreshed first, so every applied op is seen. */
    @Override
    public GetResult get(String id) {
        if (shards().size() < shards) {
            throw new UnavailableException("follower index [" + name() + "] is still copying the leader's files"
                    + " (bootstrapping); retry when GET /" + name() + "/_recovery shows it done", null);
        }
        shards().get(ShardRouting.shardFor(id, shards)).refresh();
        return ShardSearch.get(shards(), id);
    }

    public FollowerStatus status() {
        return status;
    }

    public String fatalException() {
        return fatalException;
    }

    public FollowParameters parameters() {
        return parameters;
    }

    /** The leader metadata the follower knows (settings, mappings, versions). */
    public IndexMetadata leaderMetadata() {
        return leaderMetadata.current();
    }

    /** The open shards, in shard order: all of them, or none while bootstrapping. */
    @Override
    public List<FollowerShard> shards() {
        return registry.openShards();
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
     * (invariant 7), then starts the Streams application.
     */
    public synchronized void start() {
        if (streams.running() || bootstrap.running() || rebuild.background().running()) {
            return;
        }
        FollowerRebuild.Request rebuilding = rebuild.request();
        if (rebuilding != null) {
            if (rebuilding.held()) {
                status = FollowerStatus.PAUSED; // at its point in time until resumed
            } else {
                startRebuild(rebuilding.asOf());
            }
            return;
        }
        if (!bootstrap.done()) {
            status = FollowerStatus.BOOTSTRAPPING;
            fatalException = null;
            rebuiltLast = false;
            bootstrap.start(name(), this::bootstrapped, e -> {
                synchronized (this) {
                    if (bootstrap.isCurrent(Thread.currentThread())) {
                        fail(new FollowerFailure("exception", "bootstrap from leader index [" + definition.leaderIndex()
                                + "] failed: " + e.getMessage() + ". Files already copied are kept: resume with POST /"
                                + name() + "/_ccr/resume_follow once the leader is reachable"));
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
        if (!manifest.historyUuid().equals(leaderMetadata.current().historyUuid())) {
            fail(new FollowerFailure("illegal_state_exception", "the leader index [" + definition.leaderIndex()
                    + "] was recreated during the bootstrap (history_uuid [" + manifest.historyUuid() + "], expected ["
                    + leaderMetadata.current().historyUuid() + "]): delete this follower and follow the leader again"));
            return;
        }
        bootstrap.markDone();
        openShards();
        try {
            startStreams();
        } catch (FollowerFailure e) {
            fail(e); // resume_follow retries; the group still starts at the commits' offsets then
        }
    }

    /** Starts streaming ({@link FollowerStreams#start}); fails the follower if the log lost ops it needs. */
    private void startStreams() {
        FollowerFailure lost = streams.start(parameters, progress, bootstrap.offsetsPending());
        if (lost != null) {
            fail(lost);
            return;
        }
        bootstrap.offsetsSet();
        status = FollowerStatus.ACTIVE;
        fatalException = null;
    }

    private void fail(FollowerFailure failure) {
        status = FollowerStatus.FAILED;
        fatalException = failure.type() + ": " + failure.getMessage();
        log.warn("follower [{}] failed: {}", name(), failure.getMessage());
    }

    /** Comes back failed after a restart, with the fatal exception it failed with; resume_follow retries. */
    public synchronized void restoreFailed(String fatal) {
        status = FollowerStatus.FAILED;
        fatalException = fatal;
    }

    /** Stops applying ops; the shards stay searchable. */
    public synchronized void pause() {
        stopWork(true);
        if (status != FollowerStatus.FAILED) {
            status = FollowerStatus.PAUSED;
        }
    }

    /** Follows again, optionally with new parameters. */
    public synchronized void resume(FollowParameters newParameters) {
        if (newParameters != null) {
            parameters = newParameters;
        }
        if (rebuild.held()) {
            rebuild.release(); // streams on from the point in time it was rebuilt to
        }
        stopWork(true);
        start();
    }

    /** Stops whatever runs: a bootstrap, a rebuild, the Streams app (committing the shards if {@code commit}). */
    private void stopWork(boolean commit) {
        bootstrap.stop();
        rebuild.background().stop();
        streams.stop(commit);
    }

    /** Makes every applied op searchable. */
    @Override
    public void refresh() {
        shards().forEach(LuceneShard::refresh);
    }

    /** Per-shard stats, as {@code _ccr/stats} renders them. */
    public List<ShardFollowStats> stats() {
        return FollowerStats.of(this, shards, progress, readErrors, clock);
    }

    /** Stops following and closes the shards (committing what was applied). */
    @Override
    public synchronized void close() {
        stopWork(true);
        progress.close();
        closeShards(true);
        committer.shutdown();
    }

    /**
     * Copies the leader's files again and streams on from them: the way back from a failure such as
     * history loss. Files identical to the leader's current commit are kept.
     */
    public synchronized void rebootstrap() throws IOException {
        stopWork(true);
        rebuild.release();
        if (bootstrap.done()) {
            closeShards(true);
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
        closeShards(false);
        rebuild.record(asOf);
        log.info("follower [{}] rebuild to {}: stopped in {} ms", name(), asOf, (System.nanoTime() - t0) / 1_000_000);
        start();
    }

    private void startRebuild(AsOf asOf) {
        status = FollowerStatus.REBUILDING;
        fatalException = null;
        rebuiltLast = true;
        rebuild.start(name(), shards, () -> runRebuild(asOf));
    }

    /** On the rebuild's thread: the log replayed into an empty index, then the hand-off. */
    private void runRebuild(AsOf asOf) {
        try {
            Thread self = Thread.currentThread();
            rebuild.replay(registry, shards, () -> LogCoverage.check(progress, shards(), name(), definition.opsTopic()),
                    new ShardReplay(remoteClientProperties, definition.opsTopic(), clock), asOf,
                    () -> !rebuild.background().isCurrent(self));
        } catch (InterruptedException | InterruptedIOException e) {
            return; // stopped: paused or closed
        } catch (Exception e) {
            synchronized (this) {
                if (rebuild.background().isCurrent(Thread.currentThread())) {
                    FollowerFailure failure = FollowerFailure.find(e);
                    fail(failure != null ? failure : new FollowerFailure("exception", "rebuild from the leader's log ["
                            + definition.opsTopic() + "] failed: " + e.getMessage() + ". Start it over with POST /"
                            + name() + "/_ccr/resume_follow once the remote's Kafka is reachable"));
                }
            }
            return;
        }
        synchronized (this) {
            shardsOpen = true; // the replay left them open
            if (!rebuild.background().isCurrent(Thread.currentThread())) {
                closeShards(true); // paused or closed meanwhile: the next start rebuilds again
                return;
            }
            bootstrap.markDone(); // the group starts at the shards' commits, wherever the replay stopped
            rebuild.finish(asOf);
            if (asOf.isPointInTime()) {
                status = FollowerStatus.PAUSED;
            } else {
                try {
                    startStreams();
                } catch (FollowerFailure e) {
                    fail(e); // resume_follow retries from the commits
                }
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
