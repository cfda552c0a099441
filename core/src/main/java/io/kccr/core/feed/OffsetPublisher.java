package io.kccr.core.feed;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits the position of each shard that advanced to the shard's consumer group, batched per group and rate-limited:
 * at each {@link #publish} round (the feed's maintenance timer, every second) one commit per group whose shards
 * moved, at most {@code maxInFlight} commits outstanding at once and one per group; the groups left out go first
 * next round. An idle node commits nothing. Thread-safe.
 */
final class OffsetPublisher {
    private static final Logger log = LoggerFactory.getLogger(OffsetPublisher.class);

    private final GroupOffsets offsets;
    private final int maxInFlight;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final Map<FeedShard, Long> published = new ConcurrentHashMap<>();

    OffsetPublisher(GroupOffsets offsets, int maxInFlight) {
        this.offsets = offsets;
        this.maxInFlight = maxInFlight;
    }

    /** One round over {@code shards} (those of this publisher's cluster). */
    void publish(Collection<FeedShard> shards) {
        Map<String, Map<FeedShard, Long>> moved = new LinkedHashMap<>();
        for (FeedShard shard : shards) {
            String group = shard.assignment().offsetsGroup();
            if (group == null) {
                continue;
            }
            long position = shard.sink().position();
            Long last = published.get(shard);
            if (last == null || position != last) {
                moved.computeIfAbsent(group, g -> new HashMap<>()).put(shard, position);
            }
        }
        published.keySet().removeIf(s -> !s.assigned());
        for (Map.Entry<String, Map<FeedShard, Long>> e : moved.entrySet()) {
            if (inFlight.get() >= maxInFlight) {
                break;
            }
            if (!pending.add(e.getKey())) {
                continue; // its last commit is still outstanding
            }
            inFlight.incrementAndGet();
            Map<FeedShard, Long> positions = e.getValue();
            Map<TopicPartition, Long> byPartition = new HashMap<>();
            positions.forEach((shard, position) -> byPartition.put(shard.partition(), position));
            try {
                offsets.commit(e.getKey(), byPartition).whenComplete((v, error) -> {
                    pending.remove(e.getKey());
                    inFlight.decrementAndGet();
                    if (error == null) {
                        positions.forEach((shard, position) -> {
                            if (shard.assigned()) {
                                published.put(shard, position);
                            }
                        });
                    } else {
                        log.debug("committing the offsets of group [{}] failed; next round retries", e.getKey(), error);
                    }
                });
            } catch (RuntimeException error) {
                pending.remove(e.getKey());
                inFlight.decrementAndGet();
                log.debug("committing the offsets of group [{}] failed; next round retries", e.getKey(), error);
            }
        }
    }

    /** Groups with commits outstanding now (for tests and stats). */
    List<String> pending() {
        return new ArrayList<>(pending);
    }
}
