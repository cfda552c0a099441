package io.kccr.core.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A shard that records what the feed hands it: the offsets applied, each write request's size, the errors and the
 * maintenance, and checks that its writes never overlap. Its next offset follows what it applied, as a real shard's.
 */
final class TestSink implements ShardSink {
    final String name;
    final List<Long> applied = Collections.synchronizedList(new ArrayList<>());
    final List<Integer> requestOps = Collections.synchronizedList(new ArrayList<>());
    final List<Long> requestBytes = Collections.synchronizedList(new ArrayList<>());
    final List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    final List<String> journal;
    final AtomicInteger maintained = new AtomicInteger();
    private final AtomicInteger inside = new AtomicInteger();
    volatile long next;
    volatile CountDownLatch gate;
    volatile long failAtOffset = -1;
    volatile boolean maintenanceDue;
    volatile Function<Throwable, Long> decision = e -> 10L;

    TestSink(String name, List<String> journal) {
        this.name = name;
        this.journal = journal;
    }

    @Override
    public void apply(List<ConsumerRecord<byte[], byte[]>> records) throws Exception {
        assertThat(inside.incrementAndGet()).as("overlapping writes of one shard").isEqualTo(1);
        try {
            CountDownLatch g = gate;
            if (g != null && !g.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("gate never opened");
            }
            journal.add(name);
            requestOps.add(records.size());
            requestBytes.add(records.stream().mapToLong(ReadBatch::size).sum());
            for (ConsumerRecord<byte[], byte[]> r : records) {
                if (r.offset() == failAtOffset) {
                    failAtOffset = -1;
                    throw new IllegalStateException("failing at " + r.offset());
                }
                if (r.offset() >= next) { // at or below next: applied before (a re-read), skipped as a shard skips
                    applied.add(r.offset());
                    next = r.offset() + 1;
                }
            }
        } finally {
            inside.decrementAndGet();
        }
    }

    @Override
    public void advanceTo(long position) {
        if (position > next) {
            next = position;
        }
    }

    @Override
    public long nextOffset() {
        return next;
    }

    @Override
    public long position() {
        return next;
    }

    @Override
    public boolean maintenanceDue(long nowNanos) {
        return maintenanceDue;
    }

    @Override
    public void maintain() {
        assertThat(inside.incrementAndGet()).as("maintenance overlapping a write").isEqualTo(1);
        maintenanceDue = false;
        maintained.incrementAndGet();
        inside.decrementAndGet();
    }

    @Override
    public long onFailure(Throwable error, boolean reading) {
        failures.add(error);
        return decision.apply(error);
    }
}
