package io.kccr.follower;

import io.kccr.core.feed.FeedLimits;
import io.kccr.core.feed.FeedShard;
import io.kccr.core.feed.FeedShardStats;
import io.kccr.core.feed.GroupOffsets;
import io.kccr.core.feed.ShardAssignment;
import io.kccr.core.kafka.KafkaAccessErrors;
import io.kccr.follower.apply.FollowerFailure;
import io.kccr.follower.apply.FollowerShard;
import io.kccr.follower.apply.ShardRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.InvalidOffsetException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A follower's shards in the node's {@link io.kccr.core.feed.LogFeed} while it streams: each open shard is assigned,
 * from where it stands, to be read from its leader partition and applied through a {@link FollowerShardSink};
 * stopping unassigns them. Each shard's position is committed to the follower's consumer group
 * ({@code kccr-<cluster.name>-follow-<follower>}), which has no members: its lag in Kafka's tools is the follower's.
 * A replica of a follower index on another node than its host commits to a group of its own instead
 * ({@link #offsetsGroup(String)}), so that the follower's group is the host's alone.
 * The one place that decides retry versus fatal for the errors of a streaming follower.
 *
 * <p>Used under the follower's lock, except {@link #stats}, {@link #readErrors} and the failure decision (feed
 * threads).
 */
final class FollowerFeed {
    private static final Logger log = LoggerFactory.getLogger(FollowerFeed.class);
    private static final Duration GROUP_TIMEOUT = Duration.ofSeconds(30);

    private final FollowerDefinition definition;
    private final ShardRegistry registry;
    private final Map<String, Object> clientProperties;
    private final FollowerRuntime runtime;
    private final Consumer<FollowerFailure> fatal;
    private final Runnable restart;
    private final Map<Integer, ReadErrors> readErrors = new ConcurrentHashMap<>();
    private final Map<Integer, FeedShardStats> earlierRuns = new ConcurrentHashMap<>();
    private volatile Map<Integer, FeedShard> assigned = Map.of();
    private final List<FollowerShardSink> sinks = new ArrayList<>();
    private volatile FollowParameters parameters = FollowParameters.DEFAULTS;
    private boolean running;
    /** Where the shards' positions are committed and a start reads an operator's reset from. */
    private volatile String offsetsGroup;

    /**
     * {@code fatal} is told of a failure that stops the follower; {@code restart} restarts it when its log moved under
     * it (a position retention deleted: the restart checks the log's coverage again). Both are called on the
     * runtime's control thread.
     */
    FollowerFeed(FollowerDefinition definition, ShardRegistry registry, Map<String, Object> clientProperties,
                 FollowerRuntime runtime, Consumer<FollowerFailure> fatal, Runnable restart) {
        this.definition = definition;
        this.registry = registry;
        this.clientProperties = clientProperties;
        this.runtime = runtime;
        this.fatal = fatal;
        this.restart = restart;
        this.offsetsGroup = definition.applicationId();
    }

    /** The consumer group the positions are committed to: the follower's unless {@link #offsetsGroup(String)}. */
    String offsetsGroup() {
        return offsetsGroup;
    }

    /** Commits to {@code group} from the next {@link #start} (and {@link #stop}) on. */
    void offsetsGroup(String group) {
        this.offsetsGroup = java.util.Objects.requireNonNull(group, "group");
    }

    boolean running() {
        return running;
    }

    /**
     * A durable commit of everything {@code shard} applied so far: made by its apply thread at its next turn while
     * the feed applies it ({@link FollowerShardSink#commitNow}), here at once otherwise. Under the task's lock, so
     * that nothing starts applying the shard meanwhile.
     */
    CompletableFuture<Void> commitApplied(FollowerShard shard) {
        if (running) {
            for (FollowerShardSink sink : sinks) {
                if (sink.shard().shardId() == shard.shardId()) {
                    return sink.commitNow();
                }
            }
        }
        try {
            if (shard.hasUncommittedOps()) {
                shard.commit();
            }
            return CompletableFuture.completedFuture(null);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Elasticsearch's follow parameters in the feed's terms (see the README's table). */
    static FeedLimits limits(FollowParameters p) {
        return new FeedLimits(p.maxReadRequestOperationCount(), p.maxReadRequestSize().bytes(), p.readPollTimeout(),
                p.maxOutstandingReadRequests(), p.maxWriteBufferCount(), p.maxWriteBufferSize().bytes(),
                p.maxWriteRequestOperationCount(), p.maxWriteRequestSize().bytes(), p.maxOutstandingWriteRequests());
    }

    /**
     * Checks that the log still holds every op the shards need (invariant 7), then assigns every open shard to the
     * feed from where it starts ({@link StartPosition}). With {@code fromShards} (right after a bootstrap or a
     * rebuild) every shard starts at its commit's offset, and the group is set there before.
     *
     * @return the failure, without starting, when the log lost ops the shards need; null once started
     * @throws FollowerFailure when the group's offsets cannot be read or set
     */
    FollowerFailure start(FollowParameters parameters, LeaderProgress progress, boolean fromShards) {
        List<FollowerShard> open = registry.openShards();
        FollowerFailure lost = LogCoverage.check(progress, open, definition.followerIndex(), definition.opsTopic());
        if (lost != null) {
            return lost;
        }
        GroupOffsets groups = runtime.feed().groupOffsets(clientProperties);
        Map<Integer, Long> start;
        try {
            start = StartPosition.of(groups, offsetsGroup, definition.opsTopic(), open,
                    progress.lastRead(), fromShards, GROUP_TIMEOUT);
        } catch (Exception e) {
            throw new FollowerFailure("exception", "could not set the start offsets of consumer group ["
                    + offsetsGroup + "]: " + KafkaAccessErrors.advice(e, definition.remoteKafkaSettings())
                    .orElse(e.getMessage() + "; check that the remote's Kafka is reachable") + " and retry", e);
        }
        this.parameters = parameters;
        FeedLimits limits = limits(parameters);
        Map<Integer, FeedShard> shards = new HashMap<>();
        for (FollowerShard shard : open) {
            ShardRegistry.Handle handle = registry.acquire(shard.shardId()); // held while applied
            FollowerShardSink sink = new FollowerShardSink(handle.shard(), handle.applier(), runtime.committer(),
                    runtime.luceneCommitInterval(), this::onFailure);
            sinks.add(sink);
            shards.put(shard.shardId(), runtime.feed().assign(new ShardAssignment(clientProperties,
                    new TopicPartition(definition.opsTopic(), shard.shardId()), start.get(shard.shardId()),
                    offsetsGroup, limits, sink)));
        }
        assigned = Map.copyOf(shards);
        running = true;
        return null;
    }

    /**
     * Stops and starts again, from where the shards stand: the follower fails with history lost if the log lost ops
     * they need, or goes on when only records they did not need were deleted.
     *
     * @return the failure that stops the follower; null when it streams again
     */
    FollowerFailure restart(FollowParameters parameters, LeaderProgress progress) {
        stop(true);
        try {
            return start(parameters, progress, false);
        } catch (FollowerFailure e) {
            return e;
        }
    }

    /**
     * Unassigns the shards and waits until none applies; then, if {@code commit}, commits what they applied and
     * shows their positions in the consumer group.
     */
    void stop(boolean commit) {
        if (!running) {
            return;
        }
        running = false;
        Map<Integer, FeedShard> stopping = assigned;
        List<CompletableFuture<Void>> quiet = new ArrayList<>();
        stopping.values().forEach(s -> quiet.add(s.unassign()));
        try {
            CompletableFuture.allOf(quiet.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("follower [{}]: shards still applying after 60 s; stopping anyway", definition.followerIndex(), e);
        }
        stopping.forEach((shard, s) -> earlierRuns.merge(shard, stopped(s.stats()), FollowerFeed::sum));
        assigned = Map.of();
        Map<TopicPartition, Long> positions = new HashMap<>();
        for (FollowerShardSink sink : sinks) {
            sink.awaitCommit();
            FollowerShard shard = sink.shard();
            try {
                if (commit && shard.hasUncommittedOps()) {
                    shard.commit();
                }
            } catch (IOException e) {
                log.warn("follower [{}] shard [{}]: commit failed", definition.followerIndex(), shard.shardId(), e);
            }
            sink.settleRequests();
            positions.put(new TopicPartition(definition.opsTopic(), shard.shardId()), shard.nextOffset());
            registry.release(shard.shardId(), commit);
        }
        sinks.clear();
        if (commit && !positions.isEmpty()) {
            try { // what Kafka's tools show of a paused follower: where it stopped. A live Kafka takes milliseconds;
                // a slow one completes it in the background: the wait only bounds a stop while the log is down
                runtime.feed().groupOffsets(clientProperties).commit(offsetsGroup, positions)
                        .get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.debug("follower [{}]: its group's offsets were not updated on stop", definition.followerIndex(), e);
            }
        }
    }

    /**
     * A feed thread's failure of {@code shard}: a {@link FollowerFailure} stops the follower (status failed, shown as
     * {@code fatal_exception}); a position the log no longer holds restarts it, which checks the log's coverage again
     * (history lost, or only a transaction marker gone); anything else (broker away, disk full) is retried after a
     * capped exponential backoff with jitter, and shows in the shard's {@code read_exceptions} until it made progress.
     */
    private long onFailure(FollowerShard shard, Throwable error, boolean reading) {
        FollowerFailure failure = FollowerFailure.find(error);
        if (failure != null) {
            assigned.values().forEach(FeedShard::unassign); // the others stop at their next write request
            runtime.control().execute(() -> fatal.accept(failure));
            return -1;
        }
        if (error instanceof InvalidOffsetException) {
            log.info("follower [{}] shard [{}]: the leader's log no longer holds offset [{}]; checking what it lost",
                    definition.followerIndex(), shard.shardId(), shard.nextOffset());
            runtime.control().execute(restart);
            return -1;
        }
        String reason = (reading ? "" : "applying failed: ")
                + KafkaAccessErrors.advice(error, definition.remoteKafkaSettings()).orElse(error.toString());
        FeedShard fs = assigned.get(shard.shardId());
        long writes = fs == null ? 0 : fs.stats().writeRequests();
        long backoff = readErrors(shard.shardId()).recordAndBackoff(shard.maxSeqNo() + 1, reason, !reading, writes,
                parameters.maxRetryDelay().toMillis());
        log.warn("follower [{}] shard [{}]: {} (retry in {} ms)", definition.followerIndex(), shard.shardId(), reason,
                backoff);
        return backoff;
    }

    ReadErrors readErrors(int shard) {
        return readErrors.computeIfAbsent(shard, s -> new ReadErrors(runtime.clock()));
    }

    /** What the feed measured of {@code shard}, over every run since the node started; null when it never ran. */
    FeedShardStats stats(int shard) {
        FeedShard now = assigned.get(shard);
        FeedShardStats before = earlierRuns.get(shard);
        if (now == null) {
            return before;
        }
        return before == null ? now.stats() : sum(before, now.stats());
    }

    /** The counters of a run that stopped: its buffer was dropped, nothing of it runs. */
    private static FeedShardStats stopped(FeedShardStats s) {
        return new FeedShardStats(s.readRequests(), s.failedReadRequests(), s.operationsRead(), s.bytesRead(),
                s.readMillis(), 0, 0, 0, false, s.writeRequests(), s.failedWriteRequests(), s.writeMillis(),
                s.lastReadMillis(), s.lastPollMillis(), false);
    }

    /** Counters of two runs added; the buffer and state of the later one. */
    private static FeedShardStats sum(FeedShardStats a, FeedShardStats b) {
        return new FeedShardStats(a.readRequests() + b.readRequests(), a.failedReadRequests() + b.failedReadRequests(),
                a.operationsRead() + b.operationsRead(), a.bytesRead() + b.bytesRead(), a.readMillis() + b.readMillis(),
                b.bufferedReads(), b.bufferedOps(), b.bufferedBytes(), b.writing(), a.writeRequests() + b.writeRequests(),
                a.failedWriteRequests() + b.failedWriteRequests(), a.writeMillis() + b.writeMillis(),
                Math.max(a.lastReadMillis(), b.lastReadMillis()), Math.max(a.lastPollMillis(), b.lastPollMillis()),
                b.paused());
    }
}
