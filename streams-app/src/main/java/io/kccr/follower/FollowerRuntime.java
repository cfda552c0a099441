package io.kccr.follower;

import io.kccr.core.feed.FeedSettings;
import io.kccr.core.feed.LogFeed;
import io.kccr.core.shard.ShardRefresher;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every follower index of a node shares, so that a node's threads do not grow with its followers: the
 * {@link LogFeed} that fetches and applies every follower shard's partition, the {@link ShardRefresher} that makes
 * what they applied searchable, one thread for the Lucene commits that run beside the apply threads, a few for
 * bootstraps, and one for the follower work that errors start (a follower that restarts after its log moved). A
 * rebuild, rare and long, runs on a thread of its own.
 *
 * <p>Thread-safe. Owned by the node: close it after every follower.
 */
public final class FollowerRuntime implements AutoCloseable {
    /** Bootstraps that copy at once: a leader serves at most 16 restore sessions, and the copies share the network. */
    static final int CONCURRENT_BOOTSTRAPS = 4;

    private final LogFeed feed;
    private final ShardRefresher refresher;
    private final Duration luceneCommitInterval;
    private final ExecutorService committer;
    private final ThreadPoolExecutor bootstraps;
    private final ExecutorService control;
    private final ExecutorService rebuilds;
    private final Clock clock;

    /**
     * @param luceneCommitInterval how often a follower shard makes a durable Lucene commit at most; after a crash the
     *                             log brings back what came after its last one
     */
    public FollowerRuntime(FeedSettings feedSettings, ShardRefresher.Policy refresh, Duration luceneCommitInterval,
                           Clock clock) {
        this(new LogFeed(feedSettings, clock), refresh, luceneCommitInterval, clock);
    }

    /** Over a feed made by the caller (e.g. with test consumers). */
    public FollowerRuntime(LogFeed feed, ShardRefresher.Policy refresh, Duration luceneCommitInterval, Clock clock) {
        this.feed = feed;
        this.clock = clock;
        this.luceneCommitInterval = luceneCommitInterval;
        this.refresher = new ShardRefresher(refresh, 2, System::nanoTime);
        this.committer = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("kccr-commit")
                .unstarted(r));
        AtomicInteger n = new AtomicInteger();
        this.bootstraps = new ThreadPoolExecutor(CONCURRENT_BOOTSTRAPS, CONCURRENT_BOOTSTRAPS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> Thread.ofPlatform().daemon()
                .name("kccr-bootstrap-" + n.incrementAndGet()).unstarted(r));
        bootstraps.allowCoreThreadTimeOut(true);
        this.control = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("kccr-follow-control")
                .unstarted(r));
        this.rebuilds = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().daemon().name("kccr-rebuild-", 1)
                .factory());
    }

    /** A runtime with the feed's defaults, Elasticsearch's refresh defaults and the given commit interval. */
    public static FollowerRuntime withDefaults(Duration luceneCommitInterval, Clock clock) {
        return new FollowerRuntime(FeedSettings.defaults(), ShardRefresher.Policy.DEFAULT, luceneCommitInterval, clock);
    }

    public LogFeed feed() {
        return feed;
    }

    public ShardRefresher refresher() {
        return refresher;
    }

    public Clock clock() {
        return clock;
    }

    Duration luceneCommitInterval() {
        return luceneCommitInterval;
    }

    ExecutorService committer() {
        return committer;
    }

    ExecutorService bootstraps() {
        return bootstraps;
    }

    ExecutorService rebuilds() {
        return rebuilds;
    }

    /** Where follower work that errors start runs (never on a feed thread, which that work may wait for). */
    ExecutorService control() {
        return control;
    }

    @Override
    public void close() {
        feed.close();
        refresher.close();
        control.shutdown();
        bootstraps.shutdownNow();
        rebuilds.shutdownNow();
        committer.shutdown();
        try {
            committer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
