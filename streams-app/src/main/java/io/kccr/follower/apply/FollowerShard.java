package io.kccr.follower.apply;

import io.kccr.core.shard.LuceneShard;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A follower shard: a {@link LuceneShard} that applies the leader's ops of one partition, plus the
 * counters its stats report. Applied by one thread at a time (the Kafka Streams task that owns the
 * partition, or its restore); counters and searchers are readable from any thread.
 */
public final class FollowerShard extends LuceneShard {
    final AtomicLong operationsWritten = new AtomicLong();
    final AtomicLong operationsSkipped = new AtomicLong();
    final AtomicLong operationsRead = new AtomicLong();
    final AtomicLong bytesRead = new AtomicLong();
    final AtomicLong writeNanos = new AtomicLong();
    volatile long lastReadMillis;

    public FollowerShard(int shardId, Path path, String historyUuid) throws IOException {
        super(shardId, path, historyUuid);
    }

    public long operationsWritten() {
        return operationsWritten.get();
    }

    public long operationsSkipped() {
        return operationsSkipped.get();
    }

    public long operationsRead() {
        return operationsRead.get();
    }

    public long bytesRead() {
        return bytesRead.get();
    }

    public long totalWriteTimeMillis() {
        return writeNanos.get() / 1_000_000;
    }

    public long lastReadMillis() {
        return lastReadMillis;
    }
}
