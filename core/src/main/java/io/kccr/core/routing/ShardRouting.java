package io.kccr.core.routing;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * Which shard a document id belongs to. It is, on purpose, exactly the choice Kafka's default
 * partitioner makes for a record keyed by the id's UTF-8 bytes (murmur2, made positive, modulo
 * the partition count), so an external producer keyed by {@code _id} lands in the right shard.
 */
public final class ShardRouting {
    private ShardRouting() {
    }

    public static int shardFor(String id, int numberOfShards) {
        return shardFor(id.getBytes(StandardCharsets.UTF_8), numberOfShards);
    }

    public static int shardFor(byte[] idUtf8, int numberOfShards) {
        return Utils.toPositive(Utils.murmur2(idUtf8)) % numberOfShards;
    }
}
