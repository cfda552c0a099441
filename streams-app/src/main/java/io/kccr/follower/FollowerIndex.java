package io.kccr.follower;

import io.kccr.core.error.UnavailableException;
import io.kccr.follower.apply.FollowerShard;
import io.kccr.core.index.IndexMetadata;
import io.kccr.core.recovery.RestorableIndex;
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
import io.kccr.follower.replay.ShardReplayState;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A follower index: its Lucene shards, applied from the leader's ops topic by the node's {@link FollowerRuntime}
 * (its shards assigned to the runtime's feed while it streams, their positions committed to its own consumer group,
 * whose lag is the replication lag), and refreshed by the runtime's refresher. Lifecycle: {@link #start} (active),
 * {@link #pause}, {@link #resume}, a fatal error (failed), {@link #close}, which its {@link FollowTask} carries out.
 * The shards stay open, searchable, while the follower exists, paused or failed.
 *
 * <p>Thread-safe: lifecycle calls are serialized by the task; status, stats and searches read without locking.
 */
public final class FollowerIndex implements SearchableIndex, RestorableIndex, AutoCloseable {
    private final FollowerDefinition definition;
    private final Clock clock;
    private final FollowerRuntime runtime;
    private final LeaderMetadataReader leaderMetadata;
    private final FollowerShards shardSet;
    private final LeaderProgress progress;
    private final ShardSubset subset;
    private final FollowerMetadata metadata;
    private final FollowerBootstrap bootstrap;
    private final FollowerRebuild rebuild;
    private final FollowTask task;
    private final ShardRefresher.Registration refreshes;
    private final List<Runnable> closeListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean closed;

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
        this(definition, leader, ShardSubset.all(leader.numberOfShards()), leaderMetadata, remoteClientProperties, dir,
                runtime, clock, bootstrapJobs);
    }

    /**
     * A follower of shards {@code subset} of the leader's only (see the other constructor): its part of a follower
     * index whose shards are spread over several nodes. Its bootstrap jobs copy those shards.
     */
    public FollowerIndex(FollowerDefinition definition, IndexMetadata leader, ShardSubset subset,
                         LeaderMetadataReader leaderMetadata, Map<String, Object> remoteClientProperties, Path dir,
                         FollowerRuntime runtime, Clock clock, Function<Path, BootstrapJob> bootstrapJobs) {
        if (subset.total() != leader.numberOfShards()) {
            throw new IllegalArgumentException("shards " + subset.ids() + " of " + subset.total() + " for a leader"
                    + " of " + leader.numberOfShards());
        }
        this.definition = definition;
        this.clock = clock;
        this.runtime = runtime;
        this.leaderMetadata = leaderMetadata;
        this.metadata = new FollowerMetadata(definition.followerIndex(), definition.applicationId(), leaderMetadata);
        this.subset = subset;
        Map<String, Object> remote = Map.copyOf(remoteClientProperties);
        this.progress = new LeaderProgress(runtime.feed().probe(remote), definition.opsTopic());
        this.shardSet = new FollowerShards(dir, subset, leader, leaderMetadata, definition.opsTopic(), clock,
                progress::beginningOffset);
        this.bootstrap = new FollowerBootstrap(dir, bootstrapJobs, runtime.bootstraps());
        this.rebuild = new FollowerRebuild(dir, runtime.rebuilds());
        this.task = new FollowTask(definition, remote, clock, runtime, leaderMetadata, shardSet, progress, bootstrap,
                rebuild);
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

    /**
     * A realtime get: the shard is refreshed first, so every applied op is seen.
     *
     * @throws UnavailableException     while the shards are being copied
     * @throws IllegalArgumentException when the document routes to a shard this follower does not hold
     *                                  ({@link #subset})
     */
    @Override
    public GetResult get(String id) {
        List<FollowerShard> open = shards();
        if (open.size() < subset.count()) {
            throw new UnavailableException("follower index [" + name() + "] is still copying the leader's files"
                    + " (bootstrapping); retry when GET /" + name() + "/_recovery shows it done", null);
        }
        FollowerShard shard = copy(ShardRouting.shardFor(id, subset.total()));
        if (shard == null) {
            throw new IllegalArgumentException("document [" + id + "] routes to shard [" + ShardRouting.shardFor(id,
                    subset.total()) + "] of [" + name() + "], not held here " + subset.ids());
        }
        runtime.refresher().searched(List.of(shard));
        shard.refresh();
        return ShardSearch.get(shard, id);
    }

    public FollowerStatus status() {
        return task.lifecycle().status();
    }

    /** Whether it is failed by a failure that may pass, and starts again by itself after its retry backoff. */
    public boolean retrying() {
        return task.lifecycle().state().retrying();
    }

    /** The error the follower failed with; null unless it is failed. */
    public FatalError fatalError() {
        return task.lifecycle().fatalError();
    }

    /** What it follows, its status, parameters, fatal error and progress, as {@code _ccr/info} shows them. */
    public FollowerInfo info() {
        return FollowerInfo.of(this, task.lifecycle().state());
    }

    /**
     * A future completed once the follower is active (its shards hold the leader's files and it streams),
     * or completed exceptionally with a {@link io.kccr.core.error.FailedException} when it fails first.
     * While paused it stays pending; cancel it to stop waiting.
     */
    public CompletableFuture<Void> untilActive() {
        return task.lifecycle().untilActive();
    }

    public FollowParameters parameters() {
        return task.parameters();
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

    /** The open shards, in shard order: all those held ({@link #subset}), or none while bootstrapping. */
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
        return rebuild.last();
    }

    /**
     * Starts (or restarts) following: checks that the log still holds every op the shards need
     * (invariant 7), then assigns its shards to the runtime's feed.
     */
    public void start() {
        task.start();
    }

    /**
     * Starts following after the follower's retry backoff, aside from the caller, as after a failure that may pass
     * ({@code reason}: shown meanwhile as its fatal error): for a follower opened while its leader's log did not
     * answer, whose start would wait on it. Pausing, resuming or closing it meanwhile wins.
     */
    public void startLater(String reason) {
        task.startLater(reason);
    }

    /**
     * Makes this a paused copy with the leader's files (a copy of a paused follower index another node hosts): copies
     * them first when the shards hold nothing yet (status {@code bootstrapping}), then stays paused, searchable, until
     * {@link #resume}d; pauses a copy that follows. Does nothing to a copy already paused, or failed. Calling it again
     * while the copy runs lets it run.
     */
    public void holdPaused() {
        task.holdPaused();
    }

    /**
     * Stops applying for a while, e.g. while the node's disk is full: the follower stays active (its lag grows, the
     * reason shows in {@code read_exceptions}) and applies on after {@link #unsuspend}. Only an active follower is
     * suspended; pausing, resuming or closing it meanwhile takes over.
     */
    public void suspend(String reason) {
        task.suspend(reason);
    }

    /** Applies again after {@link #suspend}, if still active. */
    public void unsuspend() {
        task.unsuspend();
    }

    /**
     * Commits the shards' positions to consumer group {@code group} from now on, instead of the follower's own
     * ({@link FollowerDefinition#applicationId}, the default): a replica on a node that does not host the follower
     * index keeps the follower's group for its host. A streaming follower starts streaming over from where its shards
     * stand (no copy is made again), which commits their positions to {@code group} at once.
     */
    public void offsetsGroup(String group) {
        task.offsetsGroup(group);
    }

    /** The consumer group the shards' positions are committed to (see {@link #offsetsGroup(String)}). */
    public String offsetsGroup() {
        return task.feed().offsetsGroup();
    }

    /** Comes back failed after a restart, with the error it failed with; resume_follow retries. */
    public void restoreFailed(FatalError error) {
        task.restoreFailed(error);
    }

    /** Stops applying ops; the shards stay searchable. A failed follower stays failed, showing its error. */
    public void pause() {
        task.pause();
    }

    /** Follows again, optionally with new parameters. */
    public void resume(FollowParameters newParameters) {
        task.resume(newParameters);
    }

    /** Makes every applied op searchable. */
    @Override
    public void refresh() {
        shards().forEach(LuceneShard::refresh);
    }

    /** Per-shard stats, as {@code _ccr/stats} renders them. */
    public List<ShardFollowStats> stats() {
        return FollowerStats.of(this, subset, progress, task.feed(), clock);
    }

    /** Stops following and closes the shards (committing what was applied); restore sessions on them first. */
    @Override
    public void close() {
        closed = true;
        closeListeners.forEach(Runnable::run);
        refreshes.close();
        task.close();
    }

    /** The leader's metadata: a peer copying this follower index's files checks its copy against the leader. */
    @Override
    public IndexMetadata restoreMetadata() {
        return leaderMetadata();
    }

    /**
     * Commits what each {@code wanted} shard applied and pins that commit (each commit records the offsets its shard
     * applied to, from which a copy of it streams on), for a peer making a copy of its own: the copy holds every
     * document this one does, even while the leader's log does not answer.
     *
     * @throws UnavailableException unless the copy is whole (while it bootstraps or rebuilds)
     * @throws io.kccr.core.error.InvalidRequestException when it failed for good (a failure that may pass, retried
     *                                                    by itself, leaves its files whole to copy)
     */
    @Override
    public java.util.SortedMap<Integer, CompletableFuture<org.apache.lucene.index.IndexCommit>> pinCommits(
            java.util.function.IntPredicate wanted) {
        return CommitPins.pin(name(), task, subset, shards(), wanted);
    }

    /** This node's copy of shard {@code shard}, or null while the shards are not open or it is not held. */
    @Override
    public FollowerShard copy(int shard) {
        return shards().stream().filter(open -> open.shardId() == shard).findFirst().orElse(null);
    }

    /** Which of the leader's shards it holds. */
    public ShardSubset subset() {
        return subset;
    }

    @Override
    public List<Integer> heldShards() {
        return subset.ids();
    }

    /** Its name, or, holding some shards only, the key of its part: {@code <name>#<first shard>}. */
    public String key() {
        return subset.isAll() ? name() : io.kccr.core.index.IndexNames.partKey(name(), subset.ids().getFirst());
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void addCloseListener(Runnable listener) {
        closeListeners.add(listener);
    }

    @Override
    public void removeCloseListener(Runnable listener) {
        closeListeners.remove(listener);
    }

    /**
     * Copies the leader's files again and streams on from them: the way back from a failure such as
     * history loss. Files identical to the leader's current commit are kept.
     */
    public void rebootstrap() throws IOException {
        task.rebootstrap();
    }

    /**
     * Rebuilds the follower from the leader's log into a fresh index, in the background (status
     * {@code rebuilding}): to the log's end, then it follows on; or to a point in time, where it
     * stays paused and searchable until resumed, then streams on from there. Needs the log to hold
     * the leader's whole history (a compacted ops topic does; one whose start was deleted fails the
     * rebuild with what to do).
     */
    public void rebuild(AsOf asOf) {
        task.rebuild(asOf);
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
