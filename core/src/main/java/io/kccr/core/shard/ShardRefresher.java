package io.kccr.core.shard;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.lucene.store.AlreadyClosedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes what shards applied searchable, as Elasticsearch's scheduled refresh does: a shard with new ops is refreshed
 * once per {@link Policy#interval}, started early enough to be done when its last refresh is that old (by the tick and
 * the shard's recent refresh cost, measured from the tick that started it to its end, queueing included; never more
 * than half the interval early), so an op applied just after a refresh began is searchable within about one interval
 * and not an interval plus the refresh's cost plus a tick later; a shard that no one searched
 * for {@link Policy#searchIdleAfter} is <i>search idle</i> and skips refreshes until it is searched again
 * ({@code index.search.idle.after}), and the first search on a search-idle shard with ops pending refreshes it
 * before it reads ({@link #searched}). Each registration may have a policy of its own, read again at every tick
 * (an index's settings may change). Each shard is refreshed on its own, on a small pool: a slow refresh of one index
 * does not hold back the others'.
 *
 * <p>Thread-safe. A timer thread looks at the registered shards every tick ({@link #TICK} unless given); the
 * refreshes run on the pool.
 */
public final class ShardRefresher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ShardRefresher.class);
    /**
     * How often the shards are looked at: the lateness a due refresh may have. Each look costs a little per registered
     * shard, which a node with a thousand idle followers pays ten times a second.
     */
    static final Duration TICK = Duration.ofMillis(100);

    /**
     * When shards refresh.
     *
     * @param interval        {@code index.refresh_interval}: how often a shard with new ops is refreshed; null
     *                        for none scheduled ({@code -1}: only an explicit refresh makes new ops searchable)
     * @param searchIdleAfter {@code index.search.idle.after}: without searches for this long a shard skips refreshes;
     *                        null for never idle (Elasticsearch's shards are never search idle when
     *                        {@code index.refresh_interval} is set explicitly)
     */
    public record Policy(Duration interval, Duration searchIdleAfter) {
        /** Elasticsearch's defaults: 1 s, 30 s. */
        public static final Policy DEFAULT = new Policy(Duration.ofSeconds(1), Duration.ofSeconds(30));

        public Policy {
            if (interval != null && (interval.isNegative() || interval.isZero())) {
                throw new IllegalArgumentException("refresh interval must be positive, got " + interval);
            }
            if (searchIdleAfter != null && searchIdleAfter.isNegative()) {
                throw new IllegalArgumentException("search idle after must not be negative, got " + searchIdleAfter);
            }
        }

        long intervalNanos() {
            return interval == null ? Long.MAX_VALUE : interval.toNanos();
        }

        boolean idle(long sinceLastSearchNanos) {
            return searchIdleAfter != null && sinceLastSearchNanos >= searchIdleAfter.toNanos();
        }
    }

    /** Some shards to keep refreshed, e.g. those of one index. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    private static final class State {
        volatile long lastSearchNanos;
        volatile long lastRefreshNanos;
        volatile long refreshedSeqNo = Long.MIN_VALUE;
        final AtomicBoolean refreshing = new AtomicBoolean();
        /** Recent refreshes' cost from their tick to their end: a new peak at once, decaying by a quarter per refresh. */
        volatile long costNanos;
        volatile long seenTick;
        /** The policy of the registration that holds the shard (the refresher's until a tick saw it). */
        volatile Supplier<Policy> policy;

        State(long now, Supplier<Policy> policy) {
            lastSearchNanos = now;
            lastRefreshNanos = Long.MIN_VALUE; // due at once
            this.policy = policy;
        }
    }

    private record Source(Supplier<List<? extends LuceneShard>> shards, BooleanSupplier refreshable,
                          Supplier<Policy> policy) {
    }

    private final Policy policy;
    private final LongSupplier nanoTime;
    private final ScheduledExecutorService timer;
    private final ExecutorService pool;
    private final long tickNanos;
    private final Set<Source> sources = ConcurrentHashMap.newKeySet();
    private final Map<LuceneShard, State> states = new ConcurrentHashMap<>();
    private long tick;

    /** Refreshes on {@code threads} threads, by {@code policy}, with {@code nanoTime} as its clock. */
    public ShardRefresher(Policy policy, int threads, LongSupplier nanoTime) {
        this(policy, threads, nanoTime, TICK);
    }

    /** As above, looking at the shards every {@code tick}. */
    ShardRefresher(Policy policy, int threads, LongSupplier nanoTime, Duration tick) {
        this.policy = policy;
        this.nanoTime = nanoTime;
        this.tickNanos = tick.toNanos();
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> Thread.ofPlatform().daemon()
                .name("kccr-refresh-" + n.incrementAndGet()).unstarted(r));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                .name("kccr-refresh-timer").unstarted(r));
        timer.scheduleWithFixedDelay(this::tick, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
    }

    public Policy policy() {
        return policy;
    }

    /**
     * Keeps {@code shards} refreshed (asked anew at every tick: shards may open and close) while
     * {@code refreshable} holds (e.g. not while an index is rebuilt); until the registration is closed.
     */
    public Registration register(Supplier<List<? extends LuceneShard>> shards, BooleanSupplier refreshable) {
        return register(shards, refreshable, () -> policy);
    }

    /**
     * As {@link #register(Supplier, BooleanSupplier)}, by {@code policy} instead of the refresher's: asked anew at
     * every tick and search, so a changed setting takes effect within a tick.
     */
    public Registration register(Supplier<List<? extends LuceneShard>> shards, BooleanSupplier refreshable,
                                 Supplier<Policy> policy) {
        Objects.requireNonNull(policy, "policy");
        Source source = new Source(shards, refreshable, policy);
        sources.add(source);
        return () -> sources.remove(source);
    }

    /**
     * To be called before a search or get reads {@code shards}: they are searched now, hence not search idle; one
     * that was, with ops pending, is refreshed first, on the caller's thread.
     */
    public void searched(List<? extends LuceneShard> shards) {
        long now = nanoTime.getAsLong();
        for (LuceneShard shard : shards) {
            State state = state(shard, now, null);
            boolean wasIdle = idle(state, now);
            state.lastSearchNanos = now;
            if (wasIdle && shard.maxSeqNo() != state.refreshedSeqNo) {
                refresh(shard, state, now, false);
            }
        }
    }

    /** Whether {@code shard} is search idle now. */
    public boolean searchIdle(LuceneShard shard) {
        State state = states.get(shard);
        return state != null && idle(state, nanoTime.getAsLong());
    }

    private static boolean idle(State state, long now) {
        return state.policy.get().idle(now - state.lastSearchNanos);
    }

    /** The shard's state; {@code policy} (null: keep what it has) is its registration's. */
    private State state(LuceneShard shard, long now, Supplier<Policy> policy) {
        State state = states.computeIfAbsent(shard, s -> new State(now, policy != null ? policy : () -> this.policy));
        if (policy != null) {
            state.policy = policy;
        }
        return state;
    }

    /** One look at every registered shard: refreshes those due, forgets those no longer registered. */
    void tick() {
        try {
            long now = nanoTime.getAsLong();
            long t = ++tick;
            for (Source source : sources) {
                boolean refreshable = source.refreshable().getAsBoolean();
                Policy current = source.policy().get();
                long interval = current.intervalNanos();
                for (LuceneShard shard : source.shards().get()) {
                    State state = state(shard, now, source.policy());
                    state.seenTick = t;
                    if (refreshable && current.interval() != null
                            && dueSince(state, now) >= interval - lead(state, interval)
                            && shard.maxSeqNo() != state.refreshedSeqNo && !idle(state, now)
                            && state.refreshing.compareAndSet(false, true)) {
                        state.lastRefreshNanos = now;
                        pool.execute(() -> refresh(shard, state, now, true));
                    }
                }
            }
            states.values().removeIf(s -> s.seenTick != t && !s.refreshing.get() && s.seenTick != 0);
        } catch (RuntimeException e) {
            log.warn("scheduled refresh round failed; the next one retries", e);
        }
    }

    /**
     * How early a refresh starts so that it is done by its due time: started at a later tick it would end past it.
     * At most half the interval, so a shard is never refreshed more than twice per interval.
     */
    private long lead(State state, long interval) {
        return Math.min(interval / 2, tickNanos + state.costNanos);
    }

    /** Nanoseconds since the shard's last refresh; the most there is when it has none yet. */
    private static long dueSince(State state, long now) {
        return state.lastRefreshNanos == Long.MIN_VALUE ? Long.MAX_VALUE : now - state.lastRefreshNanos;
    }

    private void refresh(LuceneShard shard, State state, long now, boolean claimed) {
        try {
            long seqNo = shard.maxSeqNo(); // what is applied before the refresh starts is visible after it
            shard.refresh();
            state.refreshedSeqNo = seqNo;
            if (!claimed) {
                state.lastRefreshNanos = now;
            } else {
                long cost = nanoTime.getAsLong() - now;
                state.costNanos = Math.max(cost, state.costNanos - state.costNanos / 4);
            }
        } catch (AlreadyClosedException e) {
            // closed meanwhile (paused for a rebuild, deleted): nothing to make searchable
        } catch (RuntimeException e) {
            log.debug("refreshing shard [{}] failed", shard.shardId(), e);
        } finally {
            if (claimed) {
                state.refreshing.set(false);
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        pool.shutdownNow();
    }
}
