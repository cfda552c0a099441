package io.kccr.core.feed;

import io.kccr.core.kafka.LogReaderConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The feed's side of one Kafka cluster: its fetchers (up to {@link FeedSettings#consumersPerProfile} per read profile),
 * its group offsets and probe. Thread-safe: assignments and the clean-up of idle fetchers are serialized.
 */
final class ClusterFeed implements AutoCloseable {
    /** Socket receive buffer of a fetcher's consumer: whole fetch responses of a catching-up shard in few reads. */
    private static final int RECEIVE_BUFFER = 1 << 20;

    private final String name;
    private final Map<String, Object> clientProperties;
    private final FeedSettings settings;
    private final LogFeed.ConsumerFactory consumers;
    private final FeedBudget budget;
    private final Executor applyThreads;
    private final Clock clock;
    private final LongSupplier nanoTime;
    /** How long a fetcher with no shard is kept. */
    static final Duration IDLE_FETCHER_TIMEOUT = Duration.ofMinutes(1);

    private final Map<ReadProfile, List<Fetcher>> fetchers = new HashMap<>();
    private final Map<Fetcher, Long> idleSince = new HashMap<>();
    private final GroupOffsets groupOffsets;
    private final OffsetPublisher publisher;
    private final LogProbe probe;
    private int fetchersMade;

    ClusterFeed(String name, Map<String, Object> clientProperties, FeedSettings settings,
                LogFeed.ConsumerFactory consumers, GroupOffsets groupOffsets, FeedBudget budget, Executor applyThreads,
                Clock clock, LongSupplier nanoTime) {
        this.name = name;
        this.clientProperties = clientProperties;
        this.settings = settings;
        this.consumers = consumers;
        this.groupOffsets = groupOffsets;
        this.budget = budget;
        this.applyThreads = applyThreads;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.publisher = new OffsetPublisher(groupOffsets, settings.offsetCommitsInFlight());
        this.probe = new LogProbe(clientProperties);
    }

    synchronized FeedShard assign(ShardAssignment assignment) {
        ReadProfile profile = ReadProfile.of(assignment.limits());
        List<Fetcher> list = fetchers.computeIfAbsent(profile, p -> new ArrayList<>());
        // a consumer reads a partition at one position: a second shard of the same partition (two followers of one
        // leader index) needs another consumer, whatever the limit
        Fetcher fetcher = list.stream().filter(f -> !f.holds(assignment.partition()))
                .min(Comparator.comparingInt(Fetcher::size)).orElse(null);
        if (fetcher == null || (fetcher.size() > 0 && list.size() < settings.consumersPerProfile())) {
            fetcher = new Fetcher("kccr-fetch[" + name + "#" + (++fetchersMade) + "]",
                    consumers.create(consumerConfig(profile, fetchersMade)), settings.pollTimeout(), budget, clock,
                    nanoTime);
            fetcher.start();
            list.add(fetcher);
        }
        FeedShard shard = new FeedShard(assignment, fetcher, applyThreads, budget, nanoTime);
        fetcher.add(shard);
        return shard;
    }

    /** A consumer of the profile's read settings, reading committed records only, with no group. */
    Map<String, Object> consumerConfig(ReadProfile profile, int n) {
        Map<String, Object> config = new HashMap<>(LogReaderConfig.of(clientProperties, profile.maxPollRecords()));
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "kccr-feed-" + name + "-" + n);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, profile.fetchMaxWaitMs());
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, profile.maxPartitionFetchBytes());
        // a position retention deleted is history lost for the shard's owner to judge, never a silent jump
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        config.putIfAbsent(ConsumerConfig.RECEIVE_BUFFER_CONFIG, RECEIVE_BUFFER);
        return config;
    }

    /**
     * Closes the fetchers that read no shard for {@link #IDLE_FETCHER_TIMEOUT} (e.g. those of a read profile no
     * follower uses any more); a shard paused and resumed meanwhile finds its consumer still there.
     */
    synchronized void closeIdleFetchers(long nowNanos) {
        for (List<Fetcher> list : fetchers.values()) {
            for (Iterator<Fetcher> it = list.iterator(); it.hasNext(); ) {
                Fetcher f = it.next();
                if (f.size() > 0) {
                    idleSince.remove(f);
                } else if (nowNanos - idleSince.computeIfAbsent(f, x -> nowNanos) >= IDLE_FETCHER_TIMEOUT.toNanos()) {
                    it.remove();
                    idleSince.remove(f);
                    f.close();
                }
            }
        }
        fetchers.values().removeIf(List::isEmpty);
    }

    synchronized int fetcherCount() {
        return fetchers.values().stream().mapToInt(List::size).sum();
    }

    OffsetPublisher publisher() {
        return publisher;
    }

    GroupOffsets groupOffsets() {
        return groupOffsets;
    }

    LogProbe probe() {
        return probe;
    }

    @Override
    public synchronized void close() {
        fetchers.values().forEach(list -> list.forEach(Fetcher::close));
        fetchers.clear();
        groupOffsets.close();
        probe.close();
    }
}
