package io.kccr.leader.cluster;

import io.kccr.core.feed.FeedLimits;
import io.kccr.core.feed.FeedShard;
import io.kccr.core.feed.LogFeed;
import io.kccr.core.feed.ShardAssignment;
import io.kccr.core.index.IndexMetadata;
import io.kccr.core.kafka.TopicNames;
import io.kccr.core.mapping.DocumentMapper;
import io.kccr.leader.LeaderShard;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's replica copies of leader shards warm through the node's {@link LogFeed}, the same runtime that
 * applies follower shards: one mechanism applies a log to a shard, whether the log is another cluster's (a follower)
 * or the index's own (a replica). Attaching a replica is an assignment of its partition ({@link LogFeed#assign}),
 * from the copy's next offset; detaching it unassigns it ({@link FeedShard#unassign}). The feed's threads are
 * bounded whatever the number of replicas. Each replica's work is a {@link ReplicaSink}.
 *
 * <p>The feed is the node's; this applier does not close it. Thread-safe.
 */
public final class ReplicaApplier implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReplicaApplier.class);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

    /** A replica being applied. */
    private record Replica(ReplicaSink sink, FeedShard feedShard) {
    }

    private final LogFeed feed;
    private final Map<String, Object> clientProperties;
    private final TopicNames names;
    private final Function<String, IndexMetadata> metadata;
    private final DocumentMapper mapper = new DocumentMapper();
    private final Map<TopicPartition, Replica> replicas = new ConcurrentHashMap<>();

    /**
     * @param feed     the node's feed, which applies the replicas' partitions
     * @param metadata the latest metadata of a leader index by name (its mappings parse the ops), null when unknown
     */
    public ReplicaApplier(LogFeed feed, Map<String, Object> clientProperties, TopicNames names,
                          Function<String, IndexMetadata> metadata) {
        this.feed = feed;
        this.clientProperties = Map.copyOf(clientProperties);
        this.names = names;
        this.metadata = metadata;
    }

    /**
     * Starts applying {@code index}'s ops to the replica copy {@code shard}, from the copy's next offset (or the
     * log's start, when compaction or retention removed what came before it). The future completes once the copy
     * reached the end of its partition (started).
     */
    public synchronized CompletableFuture<Void> attach(String index, LeaderShard shard) {
        TopicPartition tp = partition(index, shard.shardId());
        Replica running = replicas.get(tp);
        if (running != null && running.sink().shard() == shard && running.feedShard().assigned()) {
            return running.sink().started();
        }
        if (running != null) {
            detachNow(tp, running, false);
        }
        long start = shard.nextOffset();
        try {
            start = Math.max(start, feed.probe(clientProperties).beginningOffsets(List.of(tp), PROBE_TIMEOUT).get(tp));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e); // the host retries the copy at the next table
        }
        ReplicaSink sink = new ReplicaSink(index, shard, tp, metadata, mapper, feed.probe(clientProperties));
        FeedShard assigned = feed.assign(new ShardAssignment(clientProperties, tp, start, null, FeedLimits.DEFAULTS,
                sink));
        replicas.put(tp, new Replica(sink, assigned));
        return sink.started();
    }

    /**
     * Stops applying to {@code index}'s copy of {@code shard}; with {@code commit}, makes a Lucene commit of it
     * then (skipped for a promotion, where the primary's writer takes the copy over at once). The future completes
     * once the feed no longer touches the copy.
     */
    public synchronized CompletableFuture<Void> detach(String index, int shard, boolean commit) {
        TopicPartition tp = partition(index, shard);
        Replica r = replicas.get(tp);
        return r == null ? CompletableFuture.completedFuture(null) : detachNow(tp, r, commit);
    }

    private CompletableFuture<Void> detachNow(TopicPartition tp, Replica r, boolean commit) {
        replicas.remove(tp, r);
        r.sink().stopped("detached");
        // thenRunAsync: the feed may complete it on an apply thread, which the commit should not hold
        return r.feedShard().unassign().thenRunAsync(() -> {
            if (commit) {
                r.sink().commitQuietly();
            }
        });
    }

    /** Whether {@code index}'s copy of {@code shard} is attached and reached the end of its partition. */
    public boolean isStarted(String index, int shard) {
        Replica r = replicas.get(partition(index, shard));
        return r != null && r.feedShard().assigned() && r.sink().started().isDone()
                && !r.sink().started().isCompletedExceptionally();
    }

    private TopicPartition partition(String index, int shard) {
        return new TopicPartition(names.ops(index), shard);
    }

    /** Detaches every replica, committing what each applied. */
    @Override
    public synchronized void close() {
        for (Map.Entry<TopicPartition, Replica> e : Map.copyOf(replicas).entrySet()) {
            try {
                detachNow(e.getKey(), e.getValue(), true).get(30, TimeUnit.SECONDS);
            } catch (Exception ex) {
                log.debug("detaching replica {} at close", e.getKey(), ex);
            }
        }
    }
}
