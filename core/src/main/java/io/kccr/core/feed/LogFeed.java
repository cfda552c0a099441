package io.kccr.core.feed;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node-wide runtime that applies assigned partitions to shards (see the package description). Its threads are
 * bounded whatever the number of shards: {@link FeedSettings#applyThreads} apply threads, one maintenance timer, and
 * per Kafka cluster one fetcher thread per consumer (one per read profile unless configured otherwise) and one admin
 * client thread for group offsets once used.
 *
 * <p>Every {@link FeedSettings#maintenanceInterval} the timer asks each shard's sink whether maintenance is due (and
 * runs it on the shard's task), commits the positions of shards that moved to their groups, and closes fetchers left
 * without shards.
 *
 * <p>Thread-safe.
 */
public final class LogFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LogFeed.class);

    /** Makes the consumer of a fetcher from its configuration. */
    @FunctionalInterface
    public interface ConsumerFactory {
        Consumer<byte[], byte[]> create(Map<String, Object> config);
    }

    /** Makes the group offsets of a cluster from its client properties. */
    @FunctionalInterface
    public interface GroupOffsetsFactory {
        GroupOffsets create(Map<String, Object> clientProperties);
    }

    private final FeedSettings settings;
    private final ConsumerFactory consumers;
    private final GroupOffsetsFactory groupOffsets;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final FeedBudget budget;
    private final ThreadPoolExecutor applyThreads;
    private final ScheduledExecutorService timer;
    private final Map<Map<String, Object>, ClusterFeed> clusters = new ConcurrentHashMap<>();
    private final Set<FeedShard> shards = ConcurrentHashMap.newKeySet();
    private final AtomicInteger clusterCount = new AtomicInteger();
    private volatile boolean closed;

    /** A feed of real Kafka consumers and admin clients. */
    public LogFeed(FeedSettings settings, Clock clock) {
        this(settings, KafkaConsumer::new, AdminGroupOffsets::new, clock, System::nanoTime);
    }

    /** A feed of the consumers and group offsets given (e.g. Kafka's {@code MockConsumer}), for tests. */
    public LogFeed(FeedSettings settings, ConsumerFactory consumers, GroupOffsetsFactory groupOffsets, Clock clock,
                   LongSupplier nanoTime) {
        this.settings = settings;
        this.consumers = consumers;
        this.groupOffsets = groupOffsets;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.budget = new FeedBudget(settings.bufferLimitBytes());
        AtomicInteger applyThreadCount = new AtomicInteger();
        this.applyThreads = new ThreadPoolExecutor(settings.applyThreads(), settings.applyThreads(), 0,
                TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> Thread.ofPlatform().daemon()
                .name("kccr-apply-" + applyThreadCount.incrementAndGet()).unstarted(r));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                .name("kccr-feed-maintenance").unstarted(r));
        long every = settings.maintenanceInterval().toMillis();
        timer.scheduleWithFixedDelay(this::maintain, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts applying {@code assignment}'s partition from its start offset. Several shards may apply the same
     * partition (e.g. two followers of one leader index), each read by a consumer of its own.
     */
    public FeedShard assign(ShardAssignment assignment) {
        if (closed) {
            throw new IllegalStateException("the feed is closed");
        }
        ClusterFeed cluster = clusters.computeIfAbsent(assignment.clientProperties(), this::newCluster);
        FeedShard shard = cluster.assign(assignment);
        shards.add(shard);
        return shard;
    }

    private ClusterFeed newCluster(Map<String, Object> clientProperties) {
        Object servers = clientProperties.getOrDefault("bootstrap.servers", "kafka");
        return new ClusterFeed("c" + clusterCount.incrementAndGet() + ":" + servers, clientProperties, settings,
                consumers, groupOffsets.create(clientProperties), budget, applyThreads, clock, nanoTime);
    }

    /** The shards assigned now. */
    public List<FeedShard> shards() {
        List<FeedShard> out = new ArrayList<>();
        for (FeedShard s : shards) {
            if (s.assigned()) {
                out.add(s);
            }
        }
        return out;
    }

    /** The committed offsets of consumer groups on the cluster of {@code clientProperties}. */
    public GroupOffsets groupOffsets(Map<String, Object> clientProperties) {
        return clusters.computeIfAbsent(Map.copyOf(clientProperties), this::newCluster).groupOffsets();
    }

    /** The probe of the cluster of {@code clientProperties}: ends, starts and a few records of its logs. */
    public LogProbe probe(Map<String, Object> clientProperties) {
        return clusters.computeIfAbsent(Map.copyOf(clientProperties), this::newCluster).probe();
    }

    /** Fetcher threads running now, over all clusters. */
    public int fetchers() {
        return clusters.values().stream().mapToInt(ClusterFeed::fetcherCount).sum();
    }

    /** Heap held by read requests not yet written, over all shards (estimated). */
    public long bufferedBytes() {
        return budget.used();
    }

    /** The maintenance round: due maintenance, group offsets, idle fetchers. Never throws. */
    void maintain() {
        try {
            long now = nanoTime.getAsLong();
            shards.removeIf(s -> !s.assigned());
            Map<ClusterFeed, List<FeedShard>> byCluster = new java.util.HashMap<>();
            for (FeedShard s : shards) {
                s.maintainIfDue(now);
                ClusterFeed c = clusters.get(s.assignment().clientProperties());
                if (c != null) {
                    byCluster.computeIfAbsent(c, x -> new ArrayList<>()).add(s);
                }
            }
            byCluster.forEach((c, list) -> c.publisher().publish(list));
            clusters.values().forEach(c -> c.closeIdleFetchers(now));
        } catch (RuntimeException | Error e) {
            log.warn("feed maintenance failed; next round retries", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        List<CompletableFuture<Void>> quiet = new ArrayList<>();
        for (FeedShard s : shards) {
            quiet.add(s.unassign());
        }
        try {
            CompletableFuture.allOf(quiet.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            log.warn("shards still applying when the feed closed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        clusters.values().forEach(ClusterFeed::close);
        clusters.clear();
        applyThreads.shutdown();
        try {
            applyThreads.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
