package io.kccr.follower;

import io.kccr.core.error.ApiException;
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
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
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

    /** What a follower follows and how. */
    public record Definition(String followerIndex, String remoteCluster, String leaderIndex, String applicationId,
                             String opsTopic, String metaTopic, FollowParameters parameters) {
    }

    private final Definition definition;
    private final Map<String, Object> remoteClientProperties;
    private final Path dir;
    private final Clock clock;
    private final Duration luceneCommitInterval;
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
    private KafkaStreams streams;

    /**
     * Opens the follower's shards under {@code dir} for the leader index {@code leader} (whose
     * metadata was read from its meta topic). Call {@link #start} to follow. With
     * {@code bootstrapJobs} (null: none), the shards are first filled with the leader's commits by a
     * bootstrap (remote recovery); until then the follower has no open shard.
     */
    public FollowerIndex(Definition definition, IndexMetadata leader, LeaderMetadataReader leaderMetadata,
                         Map<String, Object> remoteClientProperties, Path dir, Duration luceneCommitInterval,
                         Clock clock, Function<Path, BootstrapJob> bootstrapJobs) {
        this.definition = definition;
        this.parameters = definition.parameters();
        this.remoteClientProperties = Map.copyOf(remoteClientProperties);
        this.dir = dir;
        this.clock = clock;
        this.luceneCommitInterval = luceneCommitInterval;
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
        if (bootstrap.done()) {
            openShards();
        } else {
            status = FollowerStatus.BOOTSTRAPPING;
        }
        this.progress = new LeaderProgress(remoteClientProperties, definition.opsTopic());
    }

    private void openShards() {
        for (int i = 0; i < shards; i++) {
            registry.acquire(i); // held while the follower exists: searchable when paused or failed
        }
    }

    private void closeShards() {
        for (int i = 0; i < shards; i++) {
            registry.release(i);
        }
    }

    public Definition definition() {
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
            throw ApiException.unavailable("follower index [" + name() + "] is still copying the leader's files"
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

    /**
     * Starts (or restarts) following: checks that the log still holds every op the shards need
     * (invariant 7), then starts the Streams application.
     */
    public synchronized void start() {
        if (streams != null || bootstrap.running()) {
            return;
        }
        if (!bootstrap.done()) {
            status = FollowerStatus.BOOTSTRAPPING;
            fatalException = null;
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

    /**
     * Checks that the log still holds every op the shards need (invariant 7) and starts the Streams
     * application. Right after a bootstrap the group starts at the shards' next offsets whatever it
     * committed before.
     */
    private void startStreams() {
        FollowerFailure lost = LogCoverage.check(progress, shards(), name(), definition.opsTopic());
        if (lost != null) {
            fail(lost);
            return;
        }
        try {
            StartPosition.apply(remoteClientProperties, definition.applicationId(), definition.opsTopic(), shards(),
                    bootstrap.offsetsPending());
            bootstrap.offsetsSet();
        } catch (Exception e) {
            throw new FollowerFailure("exception", "could not set the start offsets of consumer group ["
                    + definition.applicationId() + "]: " + e.getMessage() + "; check that the remote's Kafka is reachable"
                    + " and retry", e);
        }
        KafkaStreams s = new KafkaStreams(FollowerTopology.build(definition.opsTopic(), registry, luceneCommitInterval,
                committer),
                FollowerStreamsConfig.of(definition, parameters, remoteClientProperties,
                        dir.resolve("streams-state"), shards));
        s.setUncaughtExceptionHandler(this::onStreamsError);
        streams = s;
        status = FollowerStatus.ACTIVE;
        fatalException = null;
        s.start();
    }

    /**
     * The one place that decides retry versus fatal: a {@link FollowerFailure} stops the follower
     * (status failed, shown as {@code fatal_exception}); anything else (broker unavailable, a
     * rebalance gone wrong) replaces the stream thread after a capped exponential backoff with jitter,
     * and shows in {@code read_exceptions} until an op is applied again.
     */
    private StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse onStreamsError(Throwable e) {
        FollowerFailure failure = findFailure(e);
        if (failure != null) {
            fail(failure);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        int attempt = readErrors.record(e.toString());
        long cap = parameters.maxRetryDelay().toMillis();
        long backoff = Math.min(cap, 50L << Math.min(attempt, 10));
        long jittered = backoff / 2 + java.util.concurrent.ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
        log.warn("follower [{}] read error (retry {} in {} ms): {}", name(), attempt, jittered, e.toString());
        try {
            Thread.sleep(jittered);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
        return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    private static FollowerFailure findFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof FollowerFailure f) {
                return f;
            }
        }
        return null;
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
        bootstrap.stop();
        stopStreams();
        if (status != FollowerStatus.FAILED) {
            status = FollowerStatus.PAUSED;
        }
    }

    /** Follows again, optionally with new parameters. */
    public synchronized void resume(FollowParameters newParameters) {
        if (newParameters != null) {
            parameters = newParameters;
        }
        bootstrap.stop();
        stopStreams();
        start();
    }

    private void stopStreams() {
        if (streams != null) {
            // leave the group: a paused (or closed) follower's group is empty at once, so its offsets can be
            // reset with Kafka's tools and a restart need not wait for the old member's session to time out
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(30)));
            streams = null;
            for (FollowerShard shard : shards()) {
                try {
                    if (shard.hasUncommittedOps()) {
                        shard.commit();
                    }
                } catch (IOException e) {
                    log.warn("follower [{}] shard [{}]: commit failed", name(), shard.shardId(), e);
                }
            }
        }
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
        bootstrap.stop();
        stopStreams();
        progress.close();
        if (bootstrap.done()) {
            closeShards();
        }
        committer.shutdown();
    }

    /**
     * Copies the leader's files again and streams on from them: the way back from a failure such as
     * history loss. Files identical to the leader's current commit are kept.
     */
    public synchronized void rebootstrap() throws IOException {
        bootstrap.stop();
        stopStreams();
        if (bootstrap.done()) {
            closeShards();
            bootstrap.reset();
        }
        start();
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
