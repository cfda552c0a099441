package io.kccr.leader.topics;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A critical section shared by every node of a cluster, made of a Kafka transactional id: whoever registers the id
 * ({@code initTransactions}) fences the previous holder and aborts its open transaction, so a read-modify-write done
 * in one transaction of a registered producer commits only if nobody registered the id since, i.e. nobody else
 * wrote in between. A fenced attempt is retried from a fresh registration. The producer is kept between sections:
 * while no other node takes the id, a section costs one transaction.
 *
 * <p>Thread-safe: sections of this node run one at a time.
 */
final class FencedSection implements AutoCloseable {
    private static final int ATTEMPTS = 5;

    /** The work of one section, in a transaction of {@code producer}. */
    interface Body<T> {
        /**
         * @param fresh true when the id was (re-)registered for this attempt: whatever the body remembered from
         *              earlier sections may be stale and must be read again
         */
        T run(KafkaProducer<byte[], byte[]> producer, boolean fresh) throws Exception;
    }

    private final Map<String, Object> config;
    private KafkaProducer<byte[], byte[]> producer;

    FencedSection(Map<String, Object> clientProperties, String transactionalId, Duration timeout) {
        Map<String, Object> c = new HashMap<>(clientProperties);
        c.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
        c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 30_000));
        c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(timeout.toMillis(), 30_000));
        c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        this.config = c;
    }

    /** Runs {@code body} in a transaction that commits only if no other node entered the section meanwhile. */
    synchronized <T> T run(Body<T> body) throws Exception {
        for (int attempt = 1; ; attempt++) {
            boolean fresh = producer == null;
            if (fresh) {
                producer = new KafkaProducer<>(config);
                producer.initTransactions();
            }
            try {
                producer.beginTransaction();
                T result = body.run(producer, fresh);
                producer.commitTransaction();
                return result;
            } catch (Exception e) {
                boolean fenced = isFenced(e);
                if (!fenced) {
                    try {
                        producer.abortTransaction();
                    } catch (RuntimeException abort) {
                        fenced = true; // cannot even abort: start over with a fresh registration
                    }
                }
                if (fenced) {
                    producer.close(Duration.ZERO);
                    producer = null;
                }
                if (!fenced || attempt >= ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    static boolean isFenced(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
