package io.kccr.follower;

import io.kccr.core.index.IndexMetadata;
import io.kccr.core.mapping.DocumentMapper;
import io.kccr.core.routing.ShardRouting;
import io.kccr.core.shard.GetResult;
import io.kccr.core.shard.LuceneShard;
import io.kccr.core.shard.SearchableIndex;
import io.kccr.core.shard.ShardSearch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
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
    private KafkaStreams streams;

    /**
     * Opens the follower's shards under {@code dir} for the leader index {@code leader} (whose
     * metadata was read from its meta topic). Call {@link #start} to follow.
     */
    public FollowerIndex(Definition definition, IndexMetadata leader, LeaderMetadataReader leaderMetadata,
                         Map<String, Object> remoteClientProperties, Path dir, Duration luceneCommitInterval,
                         Clock clock) {
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
        for (int i = 0; i < shards; i++) {
            registry.acquire(i); // held while the follower exists: searchable when paused or failed
        }
        this.progress = new LeaderProgress(remoteClientProperties, definition.opsTopic());
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

    /** The open shards, in shard order. */
    public List<FollowerShard> shards() {
        List<FollowerShard> out = new ArrayList<>();
        for (int i = 0; i < shards; i++) {
            out.add(registry.shard(i));
        }
        return out;
    }

    /**
     * Starts (or restarts) following: checks that the log still holds every op the shards need
     * (invariant 7), then starts the Streams application.
     */
    public synchronized void start() {
        if (streams != null) {
            return;
        }
        Map<Integer, LeaderProgress.End> ends = progress.refresh(shards);
        for (FollowerShard shard : shards()) {
            LeaderProgress.End end = ends.get(shard.shardId());
            if (shard.nextOffset() < end.beginningOffset()) {
                if (!historyLost(shard, end)) {
                    // only records the shard does not need are gone (ops it holds, its last transaction's marker):
                    // it starts from the log's start, so that Streams never restores from an offset that is gone
                    // (an out-of-range restore marks the task corrupted and retries it forever)
                    shard.advanceTo(end.beginningOffset());
                    try {
                        shard.commit();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    continue;
                }
                fail(new FollowerFailure("illegal_state_exception", "history lost: shard [" + shard.shardId()
                        + "] of follower [" + name() + "] needs the leader's ops from seq_no [" + (shard.maxSeqNo() + 1)
                        + "] at offset [" + shard.nextOffset() + "] of [" + definition.opsTopic() + "] partition ["
                        + shard.shardId() + "] but the topic now starts at offset [" + end.beginningOffset()
                        + "] (retention deleted the ops in between). The follower must be re-bootstrapped from the"
                        + " leader."));
                return;
            }
        }
        try {
            StartPosition.apply(remoteClientProperties, definition.applicationId(), definition.opsTopic(), shards());
        } catch (Exception e) {
            throw new FollowerFailure("exception", "could not set the start offsets of consumer group ["
                    + definition.applicationId() + "]: " + e.getMessage() + "; check that the remote's Kafka is reachable"
                    + " and retry", e);
        }
        KafkaStreams s = new KafkaStreams(FollowerTopology.build(definition.opsTopic(), registry, luceneCommitInterval,
                committer),
                streamsConfig());
        s.setUncaughtExceptionHandler(this::onStreamsError);
        streams = s;
        status = FollowerStatus.ACTIVE;
        fatalException = null;
        s.start();
    }

    /**
     * Whether ops the shard has not applied are gone from the log, which starts past the shard's next offset. Not
     * when the first op left is the shard's next seq_no or an earlier one (a partition's seq_nos are contiguous in
     * offset order), nor when no op is left and only one record is gone: the leader writes in transactions, so the
     * record after the shard's last op is its commit marker, never a committed op of its own (that would be followed
     * by a marker too). Anything else (the log holds no op to tell, or a later one) counts as lost.
     */
    private boolean historyLost(FollowerShard shard, LeaderProgress.End end) {
        long firstSeqNo = progress.firstSeqNo(shard.shardId(), end.beginningOffset(), end.endOffset());
        if (firstSeqNo >= 0) {
            return firstSeqNo > shard.maxSeqNo() + 1;
        }
        return end.beginningOffset() > shard.nextOffset() + 1;
    }

    private Properties streamsConfig() {
        Properties p = new Properties();
        p.putAll(remoteClientProperties);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, definition.applicationId());
        p.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("streams-state").toString());
        // static membership (Streams appends each thread's index): a follower restarted after a crash takes its
        // partitions back at once instead of waiting for the dead members' sessions to time out (45 s by default)
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), definition.applicationId());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        // one thread per shard (up to twice the cores): shards apply in parallel, each in its partition's order; with
        // fewer threads than shards one thread gets two shards and the others wait for it (3 shards on 2 cores: 2:1)
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG,
                Math.max(1, Math.min(shards, 2 * Runtime.getRuntime().availableProcessors())));
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000);
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), parameters.maxReadRequestOperationCount());
        p.put(StreamsConfig.RETRY_BACKOFF_MS_CONFIG, Math.min(100, parameters.maxRetryDelay().toMillis()));
        return p;
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
        Map<Integer, LeaderProgress.End> ends;
        try {
            ends = progress.refresh(shards);
        } catch (RuntimeException e) {
            ends = Map.of();
        }
        long now = clock.millis();
        List<ShardFollowStats> out = new ArrayList<>();
        for (FollowerShard shard : shards()) {
            LeaderProgress.End end = ends.getOrDefault(shard.shardId(), new LeaderProgress.End(shard.nextOffset(),
                    shard.maxSeqNo(), 0));
            // the leader writes in transactions: the end offset counts the commit marker after the last op, which
            // the shard never sees as a record; once the shard holds the partition's last op nothing is left to apply
            long lagRecords = shard.maxSeqNo() >= end.lastSeqNo() ? 0
                    : Math.max(0, end.endOffset() - shard.nextOffset());
            double lagSeconds = 0;
            if (lagRecords > 0 && end.lastSeqNo() > shard.maxSeqNo()) {
                long ts = progress.timestampAt(shard.shardId(), shard.nextOffset(), end.endOffset());
                lagSeconds = ts < 0 ? 0 : Math.max(0, now - ts) / 1000.0;
            }
            long leaderCheckpoint = Math.max(end.lastSeqNo(), shard.maxSeqNo());
            out.add(new ShardFollowStats(definition.remoteCluster(), definition.leaderIndex(), name(),
                    shard.shardId(), leaderCheckpoint, leaderCheckpoint, shard.maxSeqNo(), shard.maxSeqNo(),
                    shard.maxSeqNo(), status == FollowerStatus.ACTIVE ? 1 : 0, 0, 0, 0,
                    shard.mappingVersion(), leaderMetadata.current() == null ? 1 : leaderMetadata.current().settingsVersion(),
                    1, shard.totalWriteTimeMillis(), shard.totalWriteTimeMillis(), shard.operationsRead() > 0 ? 1 : 0, 0,
                    shard.operationsRead(), shard.bytesRead(), shard.totalWriteTimeMillis(), shard.operationsWritten(),
                    0, shard.operationsWritten(), readErrors.recent(shard.lastReadMillis()),
                    shard.lastReadMillis() == 0 ? -1 : Math.max(0, now - shard.lastReadMillis()), fatalException,
                    lagRecords, lagSeconds, shard.operationsSkipped()));
        }
        return out;
    }

    /** Stops following and closes the shards (committing what was applied). */
    @Override
    public synchronized void close() {
        stopStreams();
        progress.close();
        for (int i = 0; i < shards; i++) {
            registry.release(i);
        }
        committer.shutdown();
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
