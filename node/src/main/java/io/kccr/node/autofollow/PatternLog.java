package io.kccr.node.autofollow;

import io.kccr.core.kafka.KeyedLog;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The auto-follow patterns of a cluster of nodes, kept in its compacted topic {@code <prefix>.auto_follow} (key: the
 * pattern's name; value: the pattern as {@link AutoFollowStore.StoredPattern} JSON, the indices it followed
 * included; a tombstone once it is deleted). Every node reads it, so each answers for every pattern, and the node
 * that runs the patterns after another was lost goes on from what that one recorded.
 *
 * <p>Thread-safe.
 */
final class PatternLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PatternLog.class);

    private final KeyedLog records;
    private final Map<String, AutoFollowPattern> patterns = new ConcurrentSkipListMap<>();

    PatternLog(String topic, Map<String, Object> clientProperties, Duration timeout) {
        this.records = new KeyedLog(topic, clientProperties, timeout, this::read);
    }

    /** Reads the topic to its end, then follows it. */
    void start() throws Exception {
        records.start("kccr-auto-follow-patterns");
    }

    private void read(String name, byte[] value) {
        if (value == null) {
            patterns.remove(name);
            return;
        }
        try {
            patterns.put(name, AutoFollowStore.JSON.readValue(value, AutoFollowStore.StoredPattern.class).pattern());
        } catch (IOException e) {
            log.warn("skipping auto-follow pattern [{}] of [{}]: not a pattern ({})", name, records.topic(),
                    e.getMessage());
        }
    }

    /** The cluster's patterns by name, in name order, as this node read them: a live view. */
    Map<String, AutoFollowPattern> patterns() {
        return patterns;
    }

    /** Records {@code pattern} in place of the one of its name; on return, {@link #patterns} has it. */
    void put(AutoFollowPattern pattern) {
        try {
            write(pattern.name(), AutoFollowStore.JSON.writeValueAsBytes(AutoFollowStore.StoredPattern.of(pattern)));
        } catch (IOException e) {
            throw new IllegalStateException(e); // a record of strings always serializes
        }
    }

    /** Deletes pattern {@code name}; on return, {@link #patterns} no longer has it. */
    void remove(String name) {
        write(name, null);
    }

    private void write(String name, byte[] value) {
        records.record(name, value, "auto-follow pattern [" + name + "]");
    }

    @Override
    public void close() {
        records.close();
    }
}
