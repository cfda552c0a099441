package io.kccr.follower;

import io.kccr.follower.apply.FollowerShard;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a follower's Streams app starts reading: the seam between a shard's own state and its
 * consumer group. A group that has no committed offset for a partition is given the shard's next
 * offset (from its Lucene commit: 0 for a new follower, the pinned commit's offset after a
 * bootstrap), so streaming starts exactly where the shard stands. Offsets the group has already
 * committed are left alone: the store restores the gap between its commit and them; except right
 * after a bootstrap, when the shards hold a new commit and the group starts from it.
 */
final class StartPosition {
    private StartPosition() {
    }

    /** {@code fromShards}: every partition starts at its shard's next offset, whatever the group committed. */
    static void apply(Map<String, Object> clientProperties, String groupId, String topic, List<FollowerShard> shards,
                      boolean fromShards) throws Exception {
        try (Admin admin = Admin.create(clientProperties)) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
            for (FollowerShard shard : shards) {
                TopicPartition tp = new TopicPartition(topic, shard.shardId());
                if (fromShards || committed.get(tp) == null && shard.nextOffset() > 0) {
                    start.put(tp, new OffsetAndMetadata(shard.nextOffset()));
                }
            }
            if (!start.isEmpty()) {
                admin.alterConsumerGroupOffsets(groupId, start).all().get(30, TimeUnit.SECONDS);
            }
        }
    }
}
