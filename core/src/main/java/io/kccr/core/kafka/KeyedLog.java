package io.kccr.core.kafka;

import io.kccr.core.error.UnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small table a cluster keeps in a compacted topic of one partition (key: a string, value: the record's bytes, a
 * tombstone for a delete), which every node reads from its start and then follows on a thread of its own: the
 * cluster's users and keys, its follower indices. Each record read is handed to the {@link Listener}, in log order,
 * on the reader's thread (at start-up, on the caller's). A write returns once this node's reader has read it back,
 * so a caller reads its own writes.
 *
 * <p>Thread-safe.
 */
public final class KeyedLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KeyedLog.class);

    /** What a node does with each record it reads. */
    @FunctionalInterface
    public interface Listener {
        /** {@code value} is null for a tombstone. It must not block: the log is read on this thread. */
        void read(String key, byte[] value);
    }

    private final String topic;
    private final Map<String, Object> clientProperties;
    private final Duration timeout;
    private final Listener listener;
    private final Object progress = new Object();
    private long nextOffset; // guarded by progress
    private KafkaProducer<byte[], byte[]> producer;
    private KafkaConsumer<byte[], byte[]> consumer;
    /** Asks where the topic ends, for {@link #catchUp} (the consumer is the reader's alone). */
    private Admin admin;
    private Thread reader;
    private volatile boolean closed;

    /** {@code clientProperties}: the node's Kafka client properties, {@code bootstrap.servers} included. */
    public KeyedLog(String topic, Map<String, Object> clientProperties, Duration timeout, Listener listener) {
        this.topic = topic;
        this.clientProperties = Map.copyOf(clientProperties);
        this.timeout = timeout;
        this.listener = listener;
    }

    public String topic() {
        return topic;
    }

    /** Creates the topic unless it exists, reads it to its end, then follows it on a thread named {@code thread}. */
    public void start(String thread) throws Exception {
        try (Admin admin = Admin.create(clientProperties)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) -1).configs(Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                    .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        Map<String, Object> config = new HashMap<>(clientProperties);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producer = new KafkaProducer<>(config);
        consumer = new KafkaConsumer<>(LogReaderConfig.of(clientProperties, 500));
        TopicPartition partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (consumer.position(partition) < end) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("could not read [" + topic + "] to its end within " + timeout.toMillis()
                        + "ms; is Kafka reachable?");
            }
            poll(partition);
        }
        admin = Admin.create(clientProperties);
        reader = new Thread(() -> follow(partition), thread);
        reader.setDaemon(true);
        reader.start();
    }

    private void follow(TopicPartition partition) {
        while (!closed) {
            try {
                poll(partition);
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                log.warn("reading [{}] failed; retrying: {}", topic, e.toString());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void poll(TopicPartition partition) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            if (r.key() != null) {
                listener.read(new String(r.key(), StandardCharsets.UTF_8), r.value());
            }
        }
        long position = consumer.position(partition);
        synchronized (progress) {
            nextOffset = position;
            progress.notifyAll();
        }
    }

    /**
     * Publishes {@code value} (null: a tombstone) under {@code key} and waits until this node's reader read it.
     *
     * @throws TimeoutException when Kafka does not take it, or it is not read back, in time
     */
    public void write(String key, byte[] value) throws TimeoutException, InterruptedException {
        RecordMetadata written;
        try {
            written = producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new TimeoutException("Kafka did not take the record: " + e.getCause());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (nextOffset <= written.offset()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("the record was written but not read back");
                }
                progress.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /**
     * Waits until this node has read every record the topic held when called, written through any node: a read
     * after it sees what another node recorded before, as a read of Elasticsearch's cluster state after an
     * acknowledged change does. Best effort: when Kafka does not tell where the topic ends in time, returns without
     * waiting (the read answers with what this node has read).
     */
    public void catchUp() throws InterruptedException {
        TopicPartition partition = new TopicPartition(topic, 0);
        long end;
        try {
            end = admin.listOffsets(Map.of(partition, org.apache.kafka.clients.admin.OffsetSpec.latest())).all()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(partition).offset();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            log.warn("could not tell where [{}] ends; answering with what this node read: {}", topic, e.toString());
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (nextOffset < end && deadline - System.nanoTime() > 0) {
                progress.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
        }
    }

    /**
     * As {@link #write}, for a request that waits on it: when Kafka does not take the record, or it is not read back,
     * in time (or the caller is interrupted), a 503 {@link UnavailableException} saying that {@code what} could not
     * be recorded in this topic and what to do.
     */
    public void record(String key, byte[] value, String what) {
        try {
            write(key, value);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while writing to [" + topic + "]", e);
        } catch (TimeoutException e) {
            throw new UnavailableException("could not record " + what + " in the cluster's topic [" + topic + "]: "
                    + e.getMessage() + "; check that Kafka is reachable and retry", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (reader != null) {
            try {
                reader.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(2));
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }
}
