package io.kccr.node.settings;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kccr.core.kafka.JsonKeyedLog;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A setting's value, and whether it was given as a list (its items joined with {@code ,}). */
    record Value(String value, boolean list) {
    }

    private final JsonKeyedLog<Value> records;
    /** The keys read so far, unset ones included. */
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    /** @param listener gets each setting read (null: unset); it must not block long */
    ClusterSettingsLog(String topic, Map<String, Object> clientProperties, Duration timeout,
                       JsonKeyedLog.Listener<Value> listener) {
        this.records = new JsonKeyedLog<>(topic, clientProperties, timeout, JSON, Value.class, "cluster setting",
                (key, value) -> {
                    seen.add(key);
                    listener.read(key, value);
                });
    }

    /** Reads the topic to its end (each setting passed to the listener), then follows it. */
    void start() throws Exception {
        records.start("kccr-cluster-settings");
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
        records.record(key, value);
    }

    /** Waits until this node read every setting recorded through any node before the call. */
    void catchUp() {
        try {
            records.catchUp();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        records.close();
    }
}
