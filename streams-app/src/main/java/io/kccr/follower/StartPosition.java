package io.kccr.follower;

import io.kccr.core.feed.GroupOffsets;
import io.kccr.follower.apply.FollowerShard;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;

/**
 * Where each shard of a follower starts reading: the seam between a shard's own state and its consumer group.
 * A shard starts at its next offset (from its Lucene commit: 0 for a new follower, the pinned commit's offset after a
 * bootstrap, where a crash left it otherwise), never later, so nothing it lacks is skipped. It starts earlier when
 * its group's committed offset is earlier (someone reset the group with Kafka's tools to replay the log): the ops in
 * between are read again and skipped as already applied, unless retention deleted them, in which case it starts at
 * the log's start. Right after a bootstrap or a rebuild the group is set to the shards' offsets instead, whatever it
 * committed before (e.g. a follower recreated under the same name).
 */
final class StartPosition {
    private StartPosition() {
    }

    /**
     * @param ends       each partition's end and start, as the follower last read them
     * @param fromShards start at the shards' offsets and set the group there
     * @return the start offset by shard
     * @throws Exception when the group's offsets cannot be read or set
     */
    static Map<Integer, Long> of(GroupOffsets groups, String group, String topic, List<FollowerShard> shards,
                                 Map<Integer, LeaderProgress.End> ends, boolean fromShards, Duration timeout)
            throws Exception {
        Map<Integer, Long> start = new HashMap<>();
        if (fromShards) {
            Map<TopicPartition, Long> offsets = new HashMap<>();
            for (FollowerShard shard : shards) {
                start.put(shard.shardId(), shard.nextOffset());
                offsets.put(new TopicPartition(topic, shard.shardId()), shard.nextOffset());
            }
            groups.commit(group, offsets).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return start;
        }
        Map<TopicPartition, Long> committed = groups.committed(group, timeout);
        for (FollowerShard shard : shards) {
            long from = shard.nextOffset();
            Long groupOffset = committed.get(new TopicPartition(topic, shard.shardId()));
            if (groupOffset != null && groupOffset < from) {
                LeaderProgress.End end = ends.get(shard.shardId());
                from = Math.max(groupOffset, end == null ? 0 : end.beginningOffset());
            }
            start.put(shard.shardId(), from);
        }
        return start;
    }
}
