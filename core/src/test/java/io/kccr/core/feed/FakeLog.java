package io.kccr.core.feed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * A log of partitions in memory and the consumers that read it, as a Kafka consumer reads a broker: {@code assign},
 * {@code seek}, {@code pause}/{@code resume}, a {@code poll} that waits (until records come, a wakeup, or the timeout)
 * and returns at most {@code max.poll.records}, positions that skip offsets that hold no record (as a read-committed
 * consumer skips transaction markers), and an out-of-range error for a position before the log's start.
 * Thread-safe: everything is guarded by the log's monitor.
 */
final class FakeLog implements LogFeed.ConsumerFactory {
    private final Map<TopicPartition, TreeMap<Long, ConsumerRecord<byte[], byte[]>>> records = new HashMap<>();
    private final Map<TopicPartition, Long> ends = new HashMap<>();
    private final Map<TopicPartition, Long> starts = new HashMap<>();
    final List<Map<String, Object>> configs = new CopyOnWriteArrayList<>();
    final List<Reader> readers = new CopyOnWriteArrayList<>();

    /** Appends a record (key and value {@code size} bytes) at the partition's end; returns its offset. */
    synchronized long append(TopicPartition tp, String key, int size) {
        long offset = ends.getOrDefault(tp, 0L);
        byte[] k = key.getBytes();
        byte[] v = new byte[Math.max(0, size - k.length)];
        records.computeIfAbsent(tp, x -> new TreeMap<>()).put(offset, new ConsumerRecord<>(tp.topic(), tp.partition(),
                offset, 0L, TimestampType.CREATE_TIME, k.length, v.length, k, v, new RecordHeaders(),
                Optional.empty()));
        ends.put(tp, offset + 1);
        notifyAll();
        return offset;
    }

    /** Takes an offset that holds no record (a transaction marker). */
    synchronized void marker(TopicPartition tp) {
        ends.merge(tp, 1L, Long::sum);
        notifyAll();
    }

    /** Retention deleted everything before {@code offset}. */
    synchronized void truncateBefore(TopicPartition tp, long offset) {
        starts.put(tp, offset);
        records.getOrDefault(tp, new TreeMap<>()).headMap(offset).clear();
        notifyAll();
    }

    synchronized long end(TopicPartition tp) {
        return ends.getOrDefault(tp, 0L);
    }

    @Override
    public Consumer<byte[], byte[]> create(Map<String, Object> config) {
        configs.add(config);
        Reader r = new Reader(Integer.parseInt(config.get("max.poll.records").toString()));
        readers.add(r);
        return r;
    }

    /** One consumer of the log. */
    final class Reader extends MockConsumer<byte[], byte[]> {
        private final int maxPollRecords;
        private final Set<TopicPartition> assigned = new HashSet<>();
        private final Set<TopicPartition> pausedSet = new HashSet<>();
        private final Map<TopicPartition, Long> positions = new HashMap<>();
        private boolean woken;
        private boolean closedNow;
        volatile int polls;

        Reader(int maxPollRecords) {
            super("none");
            this.maxPollRecords = maxPollRecords;
        }

        @Override
        public void assign(Collection<TopicPartition> partitions) {
            synchronized (FakeLog.this) {
                assigned.clear();
                assigned.addAll(partitions);
                positions.keySet().retainAll(assigned);
                pausedSet.retainAll(assigned);
            }
        }

        @Override
        public void unsubscribe() {
            assign(List.of());
        }

        @Override
        public void seek(TopicPartition tp, long offset) {
            synchronized (FakeLog.this) {
                if (!assigned.contains(tp)) {
                    throw new IllegalStateException("not assigned: " + tp);
                }
                positions.put(tp, offset);
            }
        }

        @Override
        public long position(TopicPartition tp) {
            synchronized (FakeLog.this) {
                Long p = positions.get(tp);
                if (p == null) {
                    throw new IllegalStateException("no position for " + tp);
                }
                return p;
            }
        }

        @Override
        public long position(TopicPartition tp, Duration timeout) {
            return position(tp);
        }

        @Override
        public void pause(Collection<TopicPartition> partitions) {
            synchronized (FakeLog.this) {
                pausedSet.addAll(partitions);
            }
        }

        @Override
        public void resume(Collection<TopicPartition> partitions) {
            synchronized (FakeLog.this) {
                pausedSet.removeAll(partitions);
                FakeLog.this.notifyAll();
            }
        }

        @Override
        public Set<TopicPartition> paused() {
            synchronized (FakeLog.this) {
                return Set.copyOf(pausedSet);
            }
        }

        @Override
        public Set<TopicPartition> assignment() {
            synchronized (FakeLog.this) {
                return Set.copyOf(assigned);
            }
        }

        @Override
        public void wakeup() {
            synchronized (FakeLog.this) {
                woken = true;
                FakeLog.this.notifyAll();
            }
        }

        @Override
        public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            synchronized (FakeLog.this) {
                polls++;
                while (true) {
                    if (woken) {
                        woken = false;
                        throw new WakeupException();
                    }
                    if (assigned.isEmpty()) {
                        throw new IllegalStateException("no partition assigned");
                    }
                    Map<TopicPartition, Long> outOfRange = new HashMap<>();
                    Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> out = new LinkedHashMap<>();
                    int taken = 0;
                    for (TopicPartition tp : assigned) {
                        if (pausedSet.contains(tp)) {
                            continue;
                        }
                        long position = positions.get(tp);
                        if (position < starts.getOrDefault(tp, 0L) || position > end(tp)) {
                            outOfRange.put(tp, position);
                            continue;
                        }
                        for (ConsumerRecord<byte[], byte[]> r : records.getOrDefault(tp, new TreeMap<>())
                                .tailMap(position).values()) {
                            if (taken >= maxPollRecords) {
                                break;
                            }
                            out.computeIfAbsent(tp, x -> new ArrayList<>()).add(r);
                            taken++;
                            position = r.offset() + 1;
                        }
                        if (taken < maxPollRecords) {
                            position = end(tp); // past offsets without records: markers
                        }
                        positions.put(tp, position);
                    }
                    if (!outOfRange.isEmpty()) {
                        throw new OffsetOutOfRangeException("out of range", outOfRange);
                    }
                    long left = deadline - System.nanoTime();
                    if (!out.isEmpty() || left <= 0) {
                        return new ConsumerRecords<>(out, Map.<TopicPartition, OffsetAndMetadata>of());
                    }
                    try {
                        FakeLog.this.wait(Math.max(1, left / 1_000_000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new org.apache.kafka.common.errors.InterruptException(e);
                    }
                }
            }
        }

        @Override
        public void close(Duration timeout) {
            synchronized (FakeLog.this) {
                closedNow = true;
            }
        }

        @Override
        public void close() {
            close(Duration.ZERO);
        }

        boolean isClosed() {
            synchronized (FakeLog.this) {
                return closedNow;
            }
        }
    }
}
