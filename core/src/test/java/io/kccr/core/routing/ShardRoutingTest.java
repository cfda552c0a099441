package io.kccr.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class ShardRoutingTest {
    @Test
    void shardIsWhatKafkasDefaultPartitionerPicksForTheKey() {
        for (int shards : new int[] {1, 3, 5, 16}) {
            for (int i = 0; i < 2_000; i++) {
                String id = "doc-" + i;
                byte[] key = id.getBytes(StandardCharsets.UTF_8);
                assertThat(ShardRouting.shardFor(id, shards))
                        .isEqualTo(BuiltInPartitioner.partitionForKey(key, shards));
            }
        }
    }
}
