package io.kccr.core.kafka;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The consumer configuration of a reader that reads part of a log up to a known end, by itself
 * (no group): the leader replaying its partitions, a follower reading the leader's metadata or the
 * last op of each partition.
 */
public final class LogReaderConfig {
    private LogReaderConfig() {
    }

    /**
     * {@code clientProperties} plus: read committed only (the leader writes in transactions), no
     * offset commits, byte-array keys and values, and fetches that come back at once when there is
     * nothing more to read. Kafka's default makes a fetch wait up to 500 ms for data, which a reader
     * whose partition ends with a transaction marker pays on every partition.
     */
    public static Map<String, Object> of(Map<String, Object> clientProperties, int maxPollRecords) {
        Map<String, Object> config = new HashMap<>(clientProperties);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // a position the log no longer holds is an error, never a silent jump to another offset
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return config;
    }
}
