package io.kccr.core.cluster;

import java.util.Objects;

/**
 * What the cluster allocates of an index: its shards, each with one primary and {@code replicas} replica copies.
 *
 * @param name     the index name
 * @param uuid     the index's identity: a copy on disk of another uuid (an index deleted and created again under
 *                 the same name) is no copy of this one
 * @param shards   {@code index.number_of_shards}
 * @param replicas {@code index.number_of_replicas}
 */
public record IndexLayout(String name, String uuid, int shards, int replicas) {
    public IndexLayout {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uuid, "uuid");
        if (shards < 1 || replicas < 0) {
            throw new IllegalArgumentException("index [" + name + "] needs shards >= 1 and replicas >= 0, got "
                    + shards + " and " + replicas);
        }
    }

    public ShardId shard(int n) {
        return new ShardId(name, n);
    }
}
