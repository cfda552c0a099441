package io.kccr.node.autofollow;

import io.kccr.core.kafka.JsonKeyedLog;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The auto-follow patterns of a cluster of nodes, kept in its compacted topic {@code <prefix>.auto_follow} (key: the
 * pattern's name; value: the pattern as {@link AutoFollowStore.StoredPattern} JSON, the indices it followed
 * included; a tombstone once it is deleted). Every node reads it, so each answers for every pattern, and the node
 * that runs the patterns after another was lost goes on from what that one recorded.
 *
 * <p>Thread-safe.
 */
final class PatternLog implements AutoCloseable {
    private final JsonKeyedLog<AutoFollowStore.StoredPattern> records;
    private final Map<String, AutoFollowPattern> patterns = new ConcurrentSkipListMap<>();

    PatternLog(String topic, Map<String, Object> clientProperties, Duration timeout) {
        this.records = new JsonKeyedLog<>(topic, clientProperties, timeout, AutoFollowStore.JSON,
                AutoFollowStore.StoredPattern.class, "auto-follow pattern", this::read);
    }

    /** Reads the topic to its end, then follows it. */
    void start() throws Exception {
        records.start("kccr-auto-follow-patterns");
    }

    private void read(String name, AutoFollowStore.StoredPattern value) {
        if (value == null) {
            patterns.remove(name);
        } else {
            patterns.put(name, value.pattern());
        }
    }

    /** Waits until this node read the patterns any node recorded before: a listing after it has them. */
    void catchUp() {
        try {
            records.catchUp();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The cluster's patterns by name, in name order, as this node read them: a live view. */
    Map<String, AutoFollowPattern> patterns() {
        return patterns;
    }

    /** Records {@code pattern} in place of the one of its name; on return, {@link #patterns} has it. */
    void put(AutoFollowPattern pattern) {
        records.record(pattern.name(), AutoFollowStore.StoredPattern.of(pattern));
    }

    /** Deletes pattern {@code name}; on return, {@link #patterns} no longer has it. */
    void remove(String name) {
        records.record(name, null);
    }

    @Override
    public void close() {
        records.close();
    }
}
