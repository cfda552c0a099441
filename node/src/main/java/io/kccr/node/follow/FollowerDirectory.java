package io.kccr.node.follow;

import io.kccr.core.kafka.KeyedLog;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The follower indices of a cluster of nodes and the node hosting each, kept in the cluster's compacted topic
 * {@code <prefix>.followers} (key: the follower index's name; value: a {@link Placed} as JSON; a tombstone once the
 * follower is removed). Every node reads it, so that when the node hosting a follower index is lost, another one
 * adopts it from its definition here, in the state it was left in (following, paused or failed).
 *
 * <p>Thread-safe.
 */
final class FollowerDirectory implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FollowerDirectory.class);

    /** A follower index as the cluster knows it: {@code node}, the id of the node hosting it, and its definition. */
    record Placed(String node, FollowerStore.Entry entry) {
        Placed {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(entry, "entry");
        }
    }

    private final KeyedLog records;
    private final Map<String, Placed> placed = new ConcurrentHashMap<>();
    private final Runnable changed;

    /** @param changed run (on the reader's thread; it must not block) after each change read from the topic */
    FollowerDirectory(String topic, Map<String, Object> clientProperties, Duration timeout, Runnable changed) {
        this.records = new KeyedLog(topic, clientProperties, timeout, this::read);
        this.changed = changed;
    }

    /** Reads the topic to its end, then follows it. */
    void start() throws Exception {
        records.start("kccr-follower-directory");
    }

    private void read(String name, byte[] value) {
        if (value == null) {
            placed.remove(name);
        } else {
            try {
                placed.put(name, FollowerStore.JSON.readValue(value, Placed.class));
            } catch (IOException e) {
                log.warn("skipping follower [{}] of [{}]: not a follower definition ({})", name, records.topic(),
                        e.getMessage());
                return;
            }
        }
        changed.run();
    }

    /** Every follower index of the cluster, by name. */
    Map<String, Placed> all() {
        return Map.copyOf(placed);
    }

    /** Follower index {@code name} as the cluster knows it, or null. */
    Placed get(String name) {
        return placed.get(name);
    }

    /** Records that node {@code node} hosts the follower {@code entry} defines, as defined there now. */
    void put(String node, FollowerStore.Entry entry) {
        try {
            write(entry.followerIndex(), FollowerStore.JSON.writeValueAsBytes(new Placed(node, entry)));
        } catch (IOException e) {
            throw new IllegalStateException(e); // a record of strings always serializes
        }
    }

    /** Forgets follower index {@code name} (it was removed). */
    void remove(String name) {
        write(name, null);
    }

    private void write(String name, byte[] value) {
        records.record(name, value, "follower index [" + name + "]");
    }

    @Override
    public void close() {
        records.close();
    }
}
