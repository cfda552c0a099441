package io.kccr.follower.bootstrap;

/**
 * How a bootstrap copies files, from the {@code ccr.indices.recovery.*} cluster settings; read
 * again for every chunk, so a change through {@code PUT /_cluster/settings} applies at once.
 *
 * @param chunkSizeBytes      bytes per file chunk request
 * @param maxConcurrentChunks chunk requests in flight per shard
 * @param maxBytesPerSec      the node's copy rate limit in bytes per second; 0 for none
 */
public record RecoverySettings(long chunkSizeBytes, int maxConcurrentChunks, long maxBytesPerSec) {
    public RecoverySettings {
        if (chunkSizeBytes < 1 || maxConcurrentChunks < 1 || maxBytesPerSec < 0) {
            throw new IllegalArgumentException("invalid recovery settings: chunk size " + chunkSizeBytes
                    + ", concurrent chunks " + maxConcurrentChunks + ", bytes per second " + maxBytesPerSec);
        }
    }
}
