package io.kccr.node.settings;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kccr.core.kafka.KeyedLog;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persistent cluster settings of a cluster of nodes, kept in its compacted topic
 * {@code <prefix>.cluster_settings} (key: the setting's flat key; value: {@link Value} as JSON; a tombstone once it is
 * unset). Every node reads it and applies each record to its own {@link ClusterSettings}, so that a
 * {@code PUT /_cluster/settings} through any node acts on every node, as Elasticsearch's cluster settings do, and a
 * node that was away takes the changes made meanwhile when it starts.
 *
 * <p>Thread-safe.
 */
final class ClusterSettingsLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterSettingsLog.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A setting's value, and whether it was given as a list (its items joined with {@code ,}). */
    record Value(String value, boolean list) {
    }

    /** What a node does with each setting it reads: {@code value} null when it was unset. Must not block long. */
    interface Listener {
        void read(String key, Value value);
    }

    private final KeyedLog records;
    private final Listener listener;
    /** The keys read so far, unset ones included. */
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    ClusterSettingsLog(String topic, Map<String, Object> clientProperties, Duration timeout, Listener listener) {
        this.records = new KeyedLog(topic, clientProperties, timeout, this::read);
        this.listener = listener;
    }

    /** Reads the topic to its end (each setting passed to the listener), then follows it. */
    void start() throws Exception {
        records.start("kccr-cluster-settings");
    }

    private void read(String key, byte[] value) {
        seen.add(key);
        Value parsed = null;
        if (value != null) {
            try {
                parsed = JSON.readValue(value, Value.class);
            } catch (IOException e) {
                log.warn("skipping setting [{}] of [{}]: not a setting's value ({})", key, records.topic(),
                        e.getMessage());
                return;
            }
        }
        listener.read(key, parsed);
    }

    /** Whether the topic holds a record of {@code key} (set or unset), as far as it was read. */
    boolean seen(String key) {
        return seen.contains(key);
    }

    /**
     * Records {@code key}'s value (null: unset) for the cluster; on return this node read it back, so its settings
     * have it.
     *
     * @throws io.kccr.core.error.UnavailableException when Kafka does not take it in time (a 503 that says so)
     */
    void record(String key, Value value) {
        try {
            records.record(key, value == null ? null : JSON.writeValueAsBytes(value), "cluster setting [" + key + "]");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e); // a record of a string and a boolean always serializes
        }
    }

    @Override
    public void close() {
        records.close();
    }
}
