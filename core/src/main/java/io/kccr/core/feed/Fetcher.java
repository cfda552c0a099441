package io.kccr.core.feed;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.InvalidOffsetException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One plain consumer and its thread, reading the partitions of the shards assigned to it: {@code assign()}, a
 * {@code seek()} to each shard's start, {@code pause()} while a shard's buffer is full or it backs off after an
 * error, {@code resume()} after. Each poll's records go to their shards as read requests; the position after them
 * too, so that a shard knows when the records left before it (transaction markers) were no ops.
 *
 * <p>Thread-safety: the consumer is used by the fetcher's thread only; other threads change the assignment through
 * commands ({@link #add}, {@link #remove}) and {@link #wake} it, which interrupts a waiting poll.
 */
final class Fetcher implements Runnable, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Fetcher.class);

    private final String name;
    private final Consumer<byte[], byte[]> consumer;
    private final Duration pollTimeout;
    private final FeedBudget budget;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final LinkedBlockingQueue<Runnable> commands = new LinkedBlockingQueue<>();
    private final Map<TopicPartition, FeedShard> shards = new HashMap<>();
    private final Set<TopicPartition> paused = new HashSet<>();
    private final Thread thread;
    /** The shard of each partition added and not removed (ahead of the commands that change the consumer). */
    private final Map<TopicPartition, FeedShard> held = new ConcurrentHashMap<>();
    private volatile int size;
    private volatile boolean closed;

    Fetcher(String name, Consumer<byte[], byte[]> consumer, Duration pollTimeout, FeedBudget budget, Clock clock,
            LongSupplier nanoTime) {
        this.name = name;
        this.consumer = consumer;
        this.pollTimeout = pollTimeout;
        this.budget = budget;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.thread = Thread.ofPlatform().daemon().name(name).unstarted(this);
    }

    void start() {
        thread.start();
    }

    /** How many shards it reads (assigned or about to be). */
    int size() {
        return size;
    }

    /** Whether it reads {@code tp} for a shard (a consumer reads a partition once: at one position). */
    boolean holds(TopicPartition tp) {
        return held.containsKey(tp);
    }

    /** Starts reading {@code shard}'s partition at its start offset. Any thread, not while it {@link #holds} it. */
    void add(FeedShard shard) {
        size++;
        held.put(shard.partition(), shard);
        command(() -> {
            FeedShard previous = shards.put(shard.partition(), shard);
            if (previous != null) {
                previous.removed(); // unassigned, and its removal is still queued: this one takes its place
            }
            consumer.assign(shards.keySet());
            consumer.seek(shard.partition(), shard.assignment().startOffset());
            shard.deliveredPosition = shard.assignment().startOffset();
            if (paused.remove(shard.partition())) {
                consumer.resume(List.of(shard.partition()));
            }
        });
    }

    /** Stops reading {@code shard}'s partition. Any thread. */
    void remove(FeedShard shard) {
        held.remove(shard.partition(), shard);
        command(() -> {
            if (shards.get(shard.partition()) == shard) {
                size--;
                shards.remove(shard.partition());
                paused.remove(shard.partition());
                if (shards.isEmpty()) {
                    consumer.unsubscribe();
                } else {
                    consumer.assign(shards.keySet());
                }
            }
            shard.removed();
        });
    }

    /** Interrupts a waiting poll, so that the fetcher looks at its shards again. Any thread. */
    void wake() {
        consumer.wakeup();
    }

    private void command(Runnable command) {
        commands.add(command);
        consumer.wakeup();
    }

    @Override
    public void run() {
        while (!closed) {
            try {
                for (Runnable c = commands.poll(); c != null; c = commands.poll()) {
                    c.run();
                }
                if (shards.isEmpty()) {
                    Runnable c = commands.poll(1, TimeUnit.SECONDS);
                    if (c != null) {
                        c.run();
                    }
                    continue;
                }
                if (budget.exhausted()) {
                    Runnable c = commands.poll(10, TimeUnit.MILLISECONDS); // the apply threads release as they write
                    if (c != null) {
                        c.run();
                    }
                    continue;
                }
                updatePauses();
                poll();
            } catch (WakeupException e) {
                // a command, or a shard's buffer has room again
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                log.warn("[{}] unexpected failure; going on", name, e);
            }
        }
    }

    private void poll() {
        long t0 = nanoTime.getAsLong();
        ConsumerRecords<byte[], byte[]> records;
        try {
            records = consumer.poll(pollTimeout);
        } catch (WakeupException e) {
            throw e;
        } catch (InvalidOffsetException e) {
            failed(e.partitions(), e); // out of range: the shard's owner decides (history lost, or moved on)
            return;
        } catch (TopicAuthorizationException e) {
            List<TopicPartition> of = new ArrayList<>();
            shards.keySet().stream().filter(tp -> e.unauthorizedTopics().contains(tp.topic())).forEach(of::add);
            failed(of.isEmpty() ? List.copyOf(shards.keySet()) : of, e);
            return;
        } catch (KafkaException e) {
            failed(List.copyOf(shards.keySet()), e);
            return;
        }
        long pollNanos = nanoTime.getAsLong() - t0;
        long now = clock.millis();
        for (TopicPartition tp : records.partitions()) {
            FeedShard shard = shards.get(tp);
            if (shard != null) {
                List<ConsumerRecord<byte[], byte[]>> list = records.records(tp);
                shard.deliver(list, Math.max(list.getLast().offset() + 1, position(tp)), pollNanos, now);
            }
        }
        for (Map.Entry<TopicPartition, FeedShard> e : shards.entrySet()) {
            FeedShard shard = e.getValue();
            shard.polled(now);
            if (!records.partitions().contains(e.getKey()) && !paused.contains(e.getKey())) {
                long position = position(e.getKey());
                if (position > shard.deliveredPosition) {
                    shard.deliver(List.of(), position, 0, now); // past records that are no ops (markers)
                }
            }
        }
    }

    /** The consumer's position for {@code tp}, or -1 when it has none now. */
    private long position(TopicPartition tp) {
        try {
            return consumer.position(tp, Duration.ZERO);
        } catch (KafkaException e) {
            return -1;
        }
    }

    private void failed(Collection<TopicPartition> partitions, Throwable error) {
        for (TopicPartition tp : partitions) {
            FeedShard shard = shards.get(tp);
            if (shard != null && !shard.readFailed(error)) {
                remove(shard);
            }
        }
        for (Runnable c = commands.poll(); c != null; c = commands.poll()) {
            c.run();
        }
        updatePauses();
    }

    /** Pauses the partitions of shards that must not read now, resumes the others, starts due re-reads. */
    private void updatePauses() {
        long now = nanoTime.getAsLong();
        List<TopicPartition> pause = new ArrayList<>();
        List<TopicPartition> resume = new ArrayList<>();
        for (Map.Entry<TopicPartition, FeedShard> e : shards.entrySet()) {
            FeedShard shard = e.getValue();
            TopicPartition tp = e.getKey();
            if (shard.rereadDue(now)) {
                consumer.seek(tp, shard.rereadFrom());
            }
            boolean pauseIt = shard.shouldPause(now);
            if (pauseIt && paused.add(tp)) {
                pause.add(tp);
                shard.paused(true);
            } else if (!pauseIt && paused.remove(tp)) {
                resume.add(tp);
                shard.paused(false);
            }
        }
        if (!pause.isEmpty()) {
            consumer.pause(pause);
        }
        if (!resume.isEmpty()) {
            consumer.resume(resume);
        }
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            consumer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            log.debug("[{}] closing the consumer failed", name, e);
        }
    }
}
