package io.kccr.leader;

import io.kccr.core.wire.Operation;
import io.kccr.core.wire.OperationCodec;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes one leader shard's operations to its partition of the ops topic, in Kafka
 * transactions, through a producer whose {@code transactional.id} belongs to that shard:
 * starting a second publisher for the same shard (in any process) fences this one (invariant 2).
 *
 * <p>Not thread-safe: owned by the shard's writer thread.
 */
final class OperationPublisher implements AutoCloseable {
    /** The producer's {@code max.request.size}: no record larger than this can be sent whatever the topic takes. */
    static final int MAX_REQUEST_BYTES = 16 * 1024 * 1024;

    private final Producer<byte[], byte[]> producer;
    private long transactionTimestamp; // writer thread only
    private final String topic;
    private final int partition;

    OperationPublisher(Map<String, Object> clientProperties, String topic, int partition, String transactionalId,
                       Duration writeTimeout) {
        this(new KafkaProducer<>(config(clientProperties, transactionalId, writeTimeout)), topic, partition);
    }

    /** Publishes through {@code producer}, a transactional producer that belongs to this shard alone. */
    OperationPublisher(Producer<byte[], byte[]> producer, String topic, int partition) {
        this.producer = producer;
        this.topic = topic;
        this.partition = partition;
    }

    private static Map<String, Object> config(Map<String, Object> clientProperties, String transactionalId,
                                              Duration writeTimeout) {
        Map<String, Object> config = new HashMap<>(clientProperties);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        config.putIfAbsent(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST_BYTES);
        // Each transaction's first produce meets the previous one's commit markers still being written
        // (CONCURRENT_TRANSACTIONS, retried): retry within milliseconds, not the default 100 ms, and keep
        // one request in flight so the retried first batch is never overtaken by the next (out-of-order).
        config.putIfAbsent(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 2);
        config.putIfAbsent(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 50);
        config.putIfAbsent(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        long timeoutMs = Math.max(1000, writeTimeout.toMillis());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeoutMs, 30_000));
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(timeoutMs, Math.min(timeoutMs, 30_000)));
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return config;
    }

    /** Registers the transactional id: fences any older publisher of the shard and aborts its open transaction. */
    void init() {
        producer.initTransactions();
    }

    /**
     * Opens a transaction. Its records all carry one timestamp, never earlier than the previous
     * transaction's: a cut of the log by time (a point-in-time rebuild, Kafka's
     * {@code offsetsForTimes}) then falls between two transactions, never inside one.
     */
    void begin() {
        producer.beginTransaction();
        transactionTimestamp = Math.max(transactionTimestamp, System.currentTimeMillis());
    }

    Future<RecordMetadata> send(Operation op) {
        return producer.send(OperationCodec.toRecord(topic, partition, op, transactionTimestamp));
    }

    /** Commits the open transaction; returns once every op in it is durably in the log. */
    void commit() {
        producer.commitTransaction();
    }

    /** True when {@code e} (or a cause) says another publisher took over this shard. */
    static boolean isFenced(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException
                    || t instanceof TransactionalIdAuthorizationException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        producer.close(Duration.ZERO);
    }
}
