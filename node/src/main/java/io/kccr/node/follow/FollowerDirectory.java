package io.kccr.node.follow;

import io.kccr.core.index.IndexNames;
import io.kccr.core.kafka.JsonKeyedLog;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The follower indices of a cluster of nodes and the node hosting each, kept in the cluster's compacted topic
 * {@code <prefix>.followers} (key: the follower index's name; value: a {@link Placed} as JSON; a tombstone once the
 * follower is removed). Every node reads it, so that when the node hosting a follower index is lost, another one
 * adopts it from its definition here, in the state it was left in (following, paused or failed).
 *
 * <p>Thread-safe.
 */
final class FollowerDirectory implements AutoCloseable {
    /** A follower index as the cluster knows it: {@code node}, the id of the node hosting it, and its definition. */
    record Placed(String node, FollowerStore.Entry entry) {
        Placed {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(entry, "entry");
        }
    }

    private final JsonKeyedLog<Placed> records;
    private final Map<String, Placed> placed = new ConcurrentHashMap<>();
    /** The parts of each follower index spread over the nodes, by index name, then shard: kept with {@link #placed}. */
    private final Map<String, java.util.SortedMap<Integer, Placed>> parts = new ConcurrentHashMap<>();
    private final Runnable changed;

    /** @param changed run (on the reader's thread; it must not block) after each change read from the topic */
    FollowerDirectory(String topic, Map<String, Object> clientProperties, Duration timeout, Runnable changed) {
        this.records = new JsonKeyedLog<>(topic, clientProperties, timeout, FollowerStore.JSON, Placed.class,
                "follower index", this::read);
        this.changed = changed;
    }

    /** Reads the topic to its end, then follows it. */
    void start() throws Exception {
        records.start("kccr-follower-directory");
    }

    private void read(String name, Placed value) {
        if (value == null) {
            placed.remove(name);
        } else {
            placed.put(name, value);
        }
        int shard = IndexNames.shardOfPart(name);
        if (shard >= 0) {
            parts.compute(IndexNames.indexOfPart(name), (index, before) -> {
                java.util.SortedMap<Integer, Placed> after = new java.util.TreeMap<>(before == null ? Map.of() : before);
                if (value == null) {
                    after.remove(shard);
                } else {
                    after.put(shard, value);
                }
                return after.isEmpty() ? null : java.util.Collections.unmodifiableSortedMap(after);
            });
        }
        changed.run();
    }

    /**
     * The parts of follower index {@code name} spread over the nodes (each recorded under its key,
     * {@link IndexNames#partKey}), by shard; empty when it is not spread.
     */
    java.util.SortedMap<Integer, Placed> parts(String name) {
        return parts.getOrDefault(name, java.util.Collections.emptySortedMap());
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
        records.record(entry.followerIndex(), new Placed(node, entry));
    }

    /** Forgets follower index {@code name} (it was removed). */
    void remove(String name) {
        records.record(name, null);
    }

    @Override
    public void close() {
        records.close();
    }
}
