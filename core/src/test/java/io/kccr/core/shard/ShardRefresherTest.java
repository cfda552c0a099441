package io.kccr.core.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kccr.core.mapping.DocumentMapper;
import io.kccr.core.mapping.Mappings;
import io.kccr.core.wire.Operation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scheduled refreshes on a shard on disk, with the refresher's clock in the test's hands: at most one per interval,
 * none while the shard is search idle or not refreshable, and a search on an idle shard with ops pending sees them.
 */
class ShardRefresherTest {
    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final Duration IDLE = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** The refresher looks at its shards this often here: fast, so that "a few ticks" pass quickly. */
    private static final Duration TICK = Duration.ofMillis(10);

    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
    private final AtomicBoolean refreshable = new AtomicBoolean(true);
    private final DocumentMapper mapper = new DocumentMapper();
    private LuceneShard shard;
    private ShardRefresher refresher;
    private long seqNo;

    @BeforeEach
    void open() throws IOException {
        shard = new LuceneShard(0, dir, "history");
        refresher = new ShardRefresher(new ShardRefresher.Policy(INTERVAL, IDLE), 1, now::get, TICK);
        refresher.register(() -> List.of(shard), refreshable::get);
    }

    @AfterEach
    void close() throws IOException {
        refresher.close();
        shard.close();
    }

    private void index(String id) throws IOException {
        byte[] source = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        shard.apply(Operation.index(id, source, seqNo, 1, 1, 1, "history"), mapper.parse(id, source, Mappings.empty()),
                seqNo++, true);
    }

    /** Lets the refresher's timer tick a few times at the current (fake) time. */
    private static void ticks() throws InterruptedException {
        Thread.sleep(TICK.toMillis() * 6);
    }

    @Test
    void aShardWithNewOpsIsRefreshedAtMostOncePerIntervalAndAtOnceWhenItsLastRefreshIsThatOld() throws Exception {
        index("a");
        now.addAndGet(INTERVAL.toNanos()); // whatever refreshed the empty shard is an interval old
        await().atMost(WAIT).until(() -> shard.docCount() == 1);
        index("b");
        now.addAndGet(INTERVAL.toNanos() / 2);
        ticks();
        assertThat(shard.docCount()).as("half an interval after the last refresh").isEqualTo(1);
        now.addAndGet(INTERVAL.toNanos() / 2);
        await().atMost(WAIT).until(() -> shard.docCount() == 2);
    }

    @Test
    void aRefreshStartsEarlyByItsRecentCostSoThatItIsDoneWhenDue() throws Exception {
        AtomicLong cost = new AtomicLong();
        try (CostlyShard costly = new CostlyShard(dir.resolve("costly"), () -> now.addAndGet(cost.get()))) {
            refresher.register(() -> List.of(costly), () -> true);
            await("the empty shard's first refresh").atMost(WAIT).until(() -> costly.refreshes.get() > 0);
            cost.set(Duration.ofMillis(300).toNanos());
            costly.index("a");
            long t1 = now.addAndGet(INTERVAL.toNanos());
            await().atMost(WAIT).until(() -> costly.docCount() == 1); // started at t1, done at t1 + 300 ms
            costly.index("b");
            now.set(t1 + Duration.ofMillis(600).toNanos());
            ticks();
            assertThat(costly.docCount()).as("600 ms after the last refresh began, which took 300").isEqualTo(1);
            now.set(t1 + Duration.ofMillis(700).toNanos());
            await("started 300 ms and a tick before it is due, it is done by then").atMost(WAIT)
                    .until(() -> costly.docCount() == 2);
        }
    }

    /** A shard whose refreshes take time on the fake clock: {@code cost} advances it at each. */
    private final class CostlyShard extends LuceneShard {
        final AtomicLong refreshes = new AtomicLong();
        private long next;

        CostlyShard(Path path, Runnable cost) throws IOException {
            super(1, path, "history");
            addRefreshListener(new org.apache.lucene.search.ReferenceManager.RefreshListener() {
                @Override
                public void beforeRefresh() {
                    cost.run();
                }

                @Override
                public void afterRefresh(boolean didRefresh) {
                    refreshes.incrementAndGet();
                }
            });
        }

        void index(String id) throws IOException {
            byte[] source = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
            apply(Operation.index(id, source, next, 1, 1, 1, "history"), mapper.parse(id, source, Mappings.empty()),
                    next++, true);
        }
    }

    @Test
    void aSearchIdleShardSkipsScheduledRefreshesAndASearchOnItRefreshesItFirst() throws Exception {
        index("a");
        now.addAndGet(INTERVAL.toNanos());
        await().atMost(WAIT).until(() -> shard.docCount() == 1);
        now.addAndGet(IDLE.toNanos());
        assertThat(refresher.searchIdle(shard)).isTrue();
        index("b");
        now.addAndGet(INTERVAL.toNanos() * 5);
        ticks();
        assertThat(shard.docCount()).as("search idle: no scheduled refresh").isEqualTo(1);

        refresher.searched(List.of(shard));
        assertThat(shard.docCount()).as("the search on the idle shard saw the pending op").isEqualTo(2);
        assertThat(refresher.searchIdle(shard)).isFalse();
        index("c");
        now.addAndGet(INTERVAL.toNanos());
        await("searched again: scheduled refreshes resume").atMost(WAIT).until(() -> shard.docCount() == 3);
    }

    @Test
    void nothingIsRefreshedWhileTheSourceIsNotRefreshable() throws Exception {
        refreshable.set(false);
        index("a");
        now.addAndGet(INTERVAL.toNanos() * 3);
        ticks();
        assertThat(shard.docCount()).isZero();
        refreshable.set(true);
        await().atMost(WAIT).until(() -> shard.docCount() == 1);
    }

    @Test
    void aRegistrationRefreshesByItsOwnPolicyReadAtEveryTick() throws Exception {
        AtomicReference<ShardRefresher.Policy> own = new AtomicReference<>(new ShardRefresher.Policy(null, null));
        try (LuceneShard other = new LuceneShard(1, dir.resolve("other"), "history");
             ShardRefresher.Registration registration = refresher.register(() -> List.of(other), () -> true,
                     own::get)) {
            byte[] source = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
            other.apply(Operation.index("x", source, 0, 1, 1, 1, "history"),
                    mapper.parse("x", source, Mappings.empty()), 0, true);
            index("a");
            now.addAndGet(INTERVAL.toNanos() * 10);
            await("the shard on the refresher's policy").atMost(WAIT).until(() -> shard.docCount() == 1);
            ticks();
            refresher.searched(List.of(other));
            assertThat(other.docCount()).as("interval -1: neither a tick nor a search refreshes").isZero();
            assertThat(refresher.searchIdle(other)).as("never idle with no idle time").isFalse();

            own.set(new ShardRefresher.Policy(Duration.ofSeconds(5), IDLE));
            await("the new interval is read at the next tick").atMost(WAIT).until(() -> other.docCount() == 1);
            other.apply(Operation.index("y", source, 1, 1, 1, 1, "history"),
                    mapper.parse("y", source, Mappings.empty()), 1, true);
            index("b");
            now.addAndGet(INTERVAL.toNanos());
            await().atMost(WAIT).until(() -> shard.docCount() == 2);
            ticks();
            assertThat(other.docCount()).as("a second after its last refresh, with 5 s its own").isEqualTo(1);
            now.addAndGet(Duration.ofSeconds(4).toNanos());
            await().atMost(WAIT).until(() -> other.docCount() == 2);
        }
    }
}
