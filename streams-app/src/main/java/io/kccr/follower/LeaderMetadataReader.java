package io.kccr.follower;

import io.kccr.follower.apply.FollowerFailure;
import io.kccr.follower.apply.OperationApplier;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kccr.core.index.IndexMetadata;
import io.kccr.core.kafka.CompactedTopicReader;
import java.time.Duration;
import java.util.Map;

/**
 * The leader index's metadata as its {@code .meta} topic holds it (key {@code metadata}). The
 * follower reads it before it creates its index, and again whenever an op names a newer
 * {@code mapping_version} than it knows. Thread-safe.
 */
public final class LeaderMetadataReader implements OperationApplier.LeaderMetadata {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final CompactedTopicReader reader;
    private final String metaTopic;
    private volatile IndexMetadata current;

    public LeaderMetadataReader(Map<String, Object> clientProperties, String metaTopic, Duration timeout) {
        this.reader = new CompactedTopicReader(clientProperties, timeout);
        this.metaTopic = metaTopic;
    }

    /** Reads the leader's metadata now; null when the topic holds none (no such leader index). */
    public IndexMetadata refresh() throws Exception {
        byte[] value = reader.readLatest(metaTopic).get("metadata");
        if (value == null) {
            return null;
        }
        IndexMetadata meta = IndexMetadata.fromJson(JSON.readTree(value));
        current = meta;
        return meta;
    }

    /**
     * Takes {@code known} (the metadata the follower kept when it last read it) as the leader's until the next
     * {@link #refresh}: the follower opens while the leader's topic cannot be read.
     */
    public void assume(IndexMetadata known) {
        if (current == null) {
            current = known;
        }
    }

    @Override
    public IndexMetadata current() {
        return current;
    }

    @Override
    public IndexMetadata awaitMappingVersion(long mappingVersion) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                IndexMetadata meta = refresh();
                if (meta != null && meta.mappingVersion() >= mappingVersion) {
                    return meta;
                }
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw new FollowerFailure("illegal_state_exception", "could not read the leader's mappings from ["
                            + metaTopic + "]: " + e.getMessage(), e);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new FollowerFailure("illegal_state_exception", "an op names mapping_version [" + mappingVersion
                        + "] but the leader's metadata topic [" + metaTopic + "] has only ["
                        + (current == null ? "none" : current.mappingVersion()) + "]; the leader publishes mappings"
                        + " before the ops that use them, so this topic is not the leader's. Re-bootstrap the follower.");
            }
            try {
                Thread.sleep(200); // the leader's meta write is in flight: retry shortly (bounded by the deadline)
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new FollowerFailure("illegal_state_exception", "interrupted while waiting for mappings");
            }
        }
    }
}
