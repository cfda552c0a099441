package io.kccr.core.feed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;

/** Group offsets kept in memory, every commit recorded. */
final class RecordingGroupOffsets implements GroupOffsets {
    record Commit(String group, Map<TopicPartition, Long> offsets) {
    }

    final List<Commit> commits = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Map<TopicPartition, Long>> committed = new HashMap<>();

    @Override
    public synchronized CompletableFuture<Void> commit(String group, Map<TopicPartition, Long> offsets) {
        commits.add(new Commit(group, Map.copyOf(offsets)));
        committed.computeIfAbsent(group, g -> new HashMap<>()).putAll(offsets);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized Map<TopicPartition, Long> committed(String group, Duration timeout) {
        return Map.copyOf(committed.getOrDefault(group, Map.of()));
    }

    @Override
    public void close() {
    }
}
