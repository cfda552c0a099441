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
    /** Elasticsearch's defaults: 1mb chunks, 5 in flight, 40mb/s. */
    public static final RecoverySettings DEFAULT = new RecoverySettings(1 << 20, 5, 40L << 20);

    public RecoverySettings {
        if (chunkSizeBytes < 1 || maxConcurrentChunks < 1 || maxBytesPerSec < 0) {
            throw new IllegalArgumentException("invalid recovery settings: chunk size " + chunkSizeBytes
                    + ", concurrent chunks " + maxConcurrentChunks + ", bytes per second " + maxBytesPerSec);
        }
    }
}
