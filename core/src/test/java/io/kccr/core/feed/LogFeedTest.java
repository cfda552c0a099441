package io.kccr.core.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.InvalidOffsetException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The feed over an in-memory log: every record of every assigned shard applied once and in order, read and write
 * requests cut by the limits, reads paused while a shard's buffer is full, failures retried or stopping the shard as
 * its sink decides, positions committed to groups, shards of other read limits on consumers of their own.
 */
class LogFeedTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Map<String, Object> CLUSTER = Map.of("bootstrap.servers", "fake:9092");
    private static final FeedLimits UNLIMITED = new FeedLimits(500, Long.MAX_VALUE, Duration.ofMillis(100), 1000,
            Long.MAX_VALUE, Long.MAX_VALUE, 500, Long.MAX_VALUE, 1);

    private final FakeLog log = new FakeLog();
    private final RecordingGroupOffsets groups = new RecordingGroupOffsets();
    private final List<String> journal = Collections.synchronizedList(new ArrayList<>());
    private LogFeed feed;

    private LogFeed feed(int applyThreads) {
        feed = new LogFeed(new FeedSettings(applyThreads, 1, Duration.ofMillis(50), 64L << 20, 8,
                Duration.ofMillis(100)), log, props -> groups, Clock.systemUTC(), System::nanoTime);
        return feed;
    }

    @AfterEach
    void close() {
        if (feed != null) {
            feed.close();
        }
    }

    private static TopicPartition tp(int p) {
        return new TopicPartition("ops", p);
    }

    private FeedShard assign(TestSink sink, int partition, long from, FeedLimits limits) {
        return feed.assign(new ShardAssignment(CLUSTER, tp(partition), from, "group-" + sink.name, limits, sink));
    }

    private void append(int partition, int records, int size) {
        for (int i = 0; i < records; i++) {
            log.append(tp(partition), "k" + i, size);
        }
    }

    @Test
    void everyRecordOfEachShardIsAppliedOnceInOffsetOrderAndThePositionMovesPastMarkers() {
        feed(2);
        List<TestSink> sinks = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            append(p, 1000 + p, 20);
            log.marker(tp(p));
            TestSink sink = new TestSink("s" + p, journal);
            sinks.add(sink);
            assign(sink, p, 0, UNLIMITED);
        }
        for (int p = 0; p < 3; p++) {
            TestSink sink = sinks.get(p);
            long end = log.end(tp(p));
            await().atMost(WAIT).until(() -> sink.next == end);
            assertThat(sink.applied).as("shard %d", p).containsExactlyElementsOf(
                    LongStream.range(0, 1000 + p).boxed().toList());
        }
        append(1, 10, 20); // more later: it is read as it comes
        await().atMost(WAIT).until(() -> sinks.get(1).applied.size() == 1011);
    }

    @Test
    void readRequestsAndWriteRequestsAreCutByTheirLimits() {
        feed(1);
        append(0, 100, 100);
        TestSink sink = new TestSink("s", journal);
        FeedLimits limits = new FeedLimits(10, 350, Duration.ofMillis(100), 1000, Long.MAX_VALUE, Long.MAX_VALUE, 7,
                450, 1);
        FeedShard shard = assign(sink, 0, 0, limits);
        await().atMost(WAIT).until(() -> sink.applied.size() == 100);
        assertThat(log.configs.getFirst()).as("the consumer reads at most max_read_request_operation_count a poll")
                .containsEntry("max.poll.records", 10).containsEntry("max.partition.fetch.bytes", 350);
        // 100-byte records: a read request holds 3 (350 bytes), a write request 4 (450 bytes) but at most 7
        assertThat(shard.stats().readRequests()).as("100 records in read requests of at most 3").isGreaterThanOrEqualTo(34);
        assertThat(sink.requestOps).allSatisfy(n -> assertThat(n).isBetween(1, 4));
        assertThat(sink.requestBytes).allSatisfy(b -> assertThat(b).isLessThanOrEqualTo(450L));
        assertThat(shard.stats().operationsRead()).isEqualTo(100);
        assertThat(shard.stats().bytesRead()).isEqualTo(100 * 100);
        assertThat(shard.stats().writeRequests()).isEqualTo(sink.requestOps.size());
    }

    @Test
    void aShardsReadsPauseAtEachBufferLimitAndResumeWhenItsWritesDrainIt() throws Exception {
        feed(1);
        FeedLimits[] limits = {
                new FeedLimits(100, Long.MAX_VALUE, Duration.ofMillis(100), 1000, 50, Long.MAX_VALUE, 5, Long.MAX_VALUE, 1),
                new FeedLimits(100, Long.MAX_VALUE, Duration.ofMillis(100), 1000, Long.MAX_VALUE, 2000, 5, Long.MAX_VALUE, 1),
                new FeedLimits(10, Long.MAX_VALUE, Duration.ofMillis(100), 3, Long.MAX_VALUE, Long.MAX_VALUE, 5,
                        Long.MAX_VALUE, 1)};
        String[] which = {"max_write_buffer_count 50", "max_write_buffer_size 2000 bytes", "max_outstanding_read_requests 3"};
        for (int i = 0; i < limits.length; i++) {
            append(i, 2000, 20); // polls of at most 100 (10) records: the limit is reached long before the end
            TestSink sink = new TestSink("s" + i, journal);
            CountDownLatch gate = new CountDownLatch(1);
            sink.gate = gate;
            FeedShard shard = assign(sink, i, 0, limits[i]);
            int p = i;
            await(which[i]).atMost(WAIT).until(() -> shard.stats().paused()
                    && log.readers.stream().anyMatch(r -> r.paused().contains(tp(p))));
            FeedShardStats held = shard.stats();
            switch (i) {
                case 0 -> assertThat(held.bufferedOps()).isBetween(50L, 50L + 100);
                case 1 -> assertThat(held.bufferedBytes()).isBetween(2000L, 2000L + 100 * 20);
                default -> assertThat(held.bufferedReads()).isBetween(3, 4);
            }
            assertThat(held.operationsRead()).as(which[i] + ": reads stopped well before the partition's end")
                    .isLessThan(500);
            gate.countDown();
            sink.gate = null;
            await(which[i] + ": resumed and drained").atMost(WAIT).until(() -> sink.applied.size() == 2000);
            await(which[i] + ": reads go on").atMost(WAIT).until(() -> !shard.stats().paused());
        }
    }

    @Test
    void writesPerTurnIsHowManyWriteRequestsOfAShardRunBeforeAnothersGo() throws Exception {
        for (int perTurn : new int[] {1, 4}) {
            journal.clear();
            feed(1);
            CountDownLatch gate = new CountDownLatch(1);
            List<TestSink> sinks = new ArrayList<>();
            for (int p = 0; p < 2; p++) {
                append(p + 2 * perTurn, 40, 20);
                TestSink sink = new TestSink("s" + p, journal);
                sink.gate = gate; // both buffers fill before the first write runs
                sinks.add(sink);
                assign(sink, p + 2 * perTurn, 0, new FeedLimits(500, Long.MAX_VALUE, Duration.ofMillis(100), 1000,
                        Long.MAX_VALUE, Long.MAX_VALUE, 5, Long.MAX_VALUE, perTurn));
            }
            await().atMost(WAIT).until(() -> feed.shards().stream().allMatch(s -> s.stats().bufferedOps() >= 35));
            gate.countDown();
            await().atMost(WAIT).until(() -> sinks.stream().allMatch(s -> s.applied.size() == 40));
            List<String> order = List.copyOf(journal);
            int longestRun = 0;
            int run = 0;
            for (int i = 0; i < order.size(); i++) {
                run = i > 0 && order.get(i).equals(order.get(i - 1)) ? run + 1 : 1;
                longestRun = Math.max(longestRun, run);
            }
            assertThat(longestRun).as("writes per turn %d: %s", perTurn, order).isEqualTo(perTurn);
            feed.close();
        }
        feed = null;
    }

    @Test
    void aFailedWriteIsReadAgainFromTheShardsNextOffsetAfterTheBackoff() {
        feed(2);
        append(0, 300, 20);
        TestSink sink = new TestSink("s", journal);
        sink.failAtOffset = 123;
        FeedShard shard = assign(sink, 0, 0, UNLIMITED);
        await().atMost(WAIT).until(() -> sink.applied.size() == 300);
        assertThat(sink.applied).containsExactlyElementsOf(LongStream.range(0, 300).boxed().toList());
        assertThat(sink.failures).hasSize(1);
        assertThat(shard.stats().failedWriteRequests()).isEqualTo(1);
        assertThat(shard.assigned()).isTrue();
    }

    @Test
    void aFailureTheSinkRefusesToRetryUnassignsTheShard() {
        feed(1);
        append(0, 50, 20);
        TestSink sink = new TestSink("s", journal);
        sink.failAtOffset = 10;
        sink.decision = e -> -1L;
        FeedShard shard = assign(sink, 0, 0, UNLIMITED);
        await().atMost(WAIT).until(() -> !shard.assigned());
        assertThat(shard.unassign()).succeedsWithin(WAIT);
        append(0, 5, 20);
        await().atMost(WAIT).until(() -> log.readers.getFirst().assignment().isEmpty());
        assertThat(sink.applied).hasSize(10);
    }

    @Test
    void aPositionTheLogNoLongerHoldsGoesToTheSinkAsAReadFailure() {
        feed(1);
        append(0, 50, 20);
        log.truncateBefore(tp(0), 20);
        TestSink sink = new TestSink("s", journal);
        sink.decision = e -> -1L;
        FeedShard shard = assign(sink, 0, 5, UNLIMITED);
        await().atMost(WAIT).until(() -> !sink.failures.isEmpty());
        assertThat(sink.failures.getFirst()).isInstanceOf(InvalidOffsetException.class);
        await().atMost(WAIT).until(() -> !shard.assigned());
        assertThat(shard.stats().failedReadRequests()).isEqualTo(1);
    }

    @Test
    void unassignWaitsForTheRunningWriteAndNothingIsAppliedAfterIt() throws Exception {
        feed(1);
        append(0, 100, 20);
        TestSink sink = new TestSink("s", journal);
        CountDownLatch gate = new CountDownLatch(1);
        sink.gate = gate;
        FeedShard shard = assign(sink, 0, 0, new FeedLimits(500, Long.MAX_VALUE, Duration.ofMillis(100), 1000,
                Long.MAX_VALUE, Long.MAX_VALUE, 10, Long.MAX_VALUE, 1));
        await().atMost(WAIT).until(() -> shard.stats().writing());
        var quiet = shard.unassign();
        Thread.sleep(100); // the write is held: unassigning must wait for it, not return
        assertThat(quiet).isNotDone();
        gate.countDown();
        assertThat(quiet).succeedsWithin(WAIT);
        int applied = sink.applied.size();
        assertThat(applied).as("the write that ran finished; no other started").isEqualTo(10);
        Thread.sleep(200);
        assertThat(sink.applied).hasSize(applied);
    }

    @Test
    void maintenanceRunsOnTheShardsTaskAndPositionsGoToTheGroupOnlyWhenTheyMoved() {
        feed(2);
        append(0, 200, 20);
        log.marker(tp(0));
        TestSink sink = new TestSink("s", journal);
        assign(sink, 0, 0, UNLIMITED);
        await().atMost(WAIT).until(() -> sink.next == 201);
        sink.maintenanceDue = true;
        await().atMost(WAIT).until(() -> sink.maintained.get() == 1);
        await("the position past the marker committed").atMost(WAIT).until(() -> groups.committed("group-s",
                WAIT).get(tp(0)) == 201L);
        int commits = groups.commits.size();
        await().pollDelay(Duration.ofMillis(300)).atMost(WAIT).until(() -> true);
        assertThat(groups.commits).as("no commit while the shard does not move").hasSize(commits);
    }

    @Test
    void shardsWithOtherReadLimitsReadThroughConsumersOfTheirOwnWithThoseSettings() {
        feed(1);
        append(0, 10, 20);
        append(1, 10, 20);
        TestSink a = new TestSink("a", journal);
        TestSink b = new TestSink("b", journal);
        assign(a, 0, 0, FeedLimits.DEFAULTS);
        assign(b, 1, 0, new FeedLimits(7, 4096, Duration.ofMillis(40), 12, Long.MAX_VALUE, 1L << 20, 5120,
                Long.MAX_VALUE, 9));
        await().atMost(WAIT).until(() -> a.applied.size() == 10 && b.applied.size() == 10);
        assertThat(log.configs).hasSize(2);
        assertThat(log.configs.get(0)).containsEntry("max.poll.records", 5120)
                .containsEntry("max.partition.fetch.bytes", 32 << 20)
                .as("Elasticsearch's one-minute read poll timeout, capped").containsEntry("fetch.max.wait.ms", 500)
                .containsEntry("auto.offset.reset", "none").containsEntry("isolation.level", "read_committed")
                .containsEntry("enable.auto.commit", false).doesNotContainKey("group.id");
        assertThat(log.configs.get(1)).containsEntry("max.poll.records", 7)
                .containsEntry("max.partition.fetch.bytes", 4096).containsEntry("fetch.max.wait.ms", 40);
        assertThat(feed.fetchers()).isEqualTo(2);
    }

    @Test
    void manyShardsShareOneConsumerAndAnAssignmentChangeTakesEffectAtOnce() {
        feed(2);
        List<TestSink> sinks = new ArrayList<>();
        for (int p = 0; p < 50; p++) {
            append(p, 3, 20);
            TestSink sink = new TestSink("s" + p, journal);
            sinks.add(sink);
            assign(sink, p, 0, UNLIMITED);
        }
        await().atMost(WAIT).until(() -> sinks.stream().allMatch(s -> s.applied.size() == 3));
        assertThat(feed.fetchers()).as("one consumer for the 50 shards of one cluster and profile").isEqualTo(1);
        long t0 = System.nanoTime();
        append(50, 3, 20);
        TestSink late = new TestSink("late", journal);
        assign(late, 50, 0, UNLIMITED);
        await().atMost(WAIT).until(() -> late.applied.size() == 3);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as("ms to read a shard assigned late")
                .isLessThan(5_000);
    }

    @Test
    void twoShardsOfOnePartitionEachReadItAllThroughAConsumerOfItsOwn() {
        feed(2);
        append(0, 500, 20);
        TestSink first = new TestSink("first", journal);
        TestSink second = new TestSink("second", journal);
        assign(first, 0, 0, UNLIMITED);
        FeedShard b = assign(second, 0, 100, UNLIMITED);
        await().atMost(WAIT).until(() -> first.applied.size() == 500 && second.applied.size() == 400);
        assertThat(feed.fetchers()).isEqualTo(2);
        assertThat(b.unassign()).succeedsWithin(WAIT);
        TestSink again = new TestSink("again", journal);
        assign(again, 0, 0, UNLIMITED); // the second consumer no longer holds the partition: it takes it again
        await().atMost(WAIT).until(() -> again.applied.size() == 500);
        assertThat(feed.fetchers()).as("no third consumer").isEqualTo(2);
    }
}
