package io.kccr.leader.topics;

import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.index.IndexMetadata;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Changes to a cluster's index metadata when several nodes may change it at once: creating an index (two nodes
 * auto-creating the same index on their first writes must agree on one uuid and one history), deleting one, and
 * publishing new mappings (two primaries adding fields to one index must not both publish "the next" mapping
 * version). Each change is a read-modify-write in one {@link FencedSection} of the cluster, transactional id
 * {@code kccr-<prefix>-metadata}: no master node, the log decides.
 *
 * <p>Thread-safe.
 */
public final class ClusterMetadataWriter implements MetadataUpdates, AutoCloseable {

    /**
     * The outcome of {@link #createIndex}.
     *
     * @param metadata        the index's metadata: the proposed one if this call created it, the existing one if
     *                        another node created it first
     * @param created         whether this call created it
     * @param listingPosition once the index is listed, the offset after its entry in {@code <prefix>.indices}
     *                        (-1 when not created here)
     */
    public record Created(IndexMetadata metadata, boolean created, long listingPosition) {
    }

    private final MetadataLog log;
    private final FencedSection section;
    /** What this node last read or wrote of each index's metadata; valid while no other node entered the section. */
    private final Map<String, IndexMetadata> known = new HashMap<>();

    public ClusterMetadataWriter(MetadataLog log, Map<String, Object> clientProperties, Duration timeout) {
        this.log = log;
        this.section = new FencedSection(clientProperties, "kccr-" + log.names().prefix() + "-metadata", timeout);
    }

    @Override
    public IndexMetadata update(IndexMetadata mine, UnaryOperator<IndexMetadata> change) throws Exception {
        String name = mine.name();
        IndexMetadata[] next = new IndexMetadata[1];
        try {
            section.run((producer, fresh) -> {
                if (fresh) {
                    known.clear();
                }
                IndexMetadata latest = known.get(name);
                if (latest == null || !latest.uuid().equals(mine.uuid())) {
                    latest = log.readMetadata(name);
                }
                if (latest == null || !latest.uuid().equals(mine.uuid())) {
                    throw new IllegalStateException("index [" + name + "] was deleted meanwhile");
                }
                next[0] = change.apply(latest);
                if (next[0] != latest) {
                    producer.send(new ProducerRecord<>(log.names().meta(name), key(MetadataLog.metadataKey()),
                            MetadataLog.metadataValue(next[0])));
                }
                return null;
            });
        } catch (Exception e) {
            synchronized (section) {
                known.remove(name);
            }
            throw e;
        }
        synchronized (section) {
            known.put(name, next[0]);
        }
        return next[0];
    }

    /**
     * Creates index {@code proposed.name()} unless another node did: its topics, its metadata and its entry in
     * {@code <prefix>.indices}, the last two in one transaction.
     *
     * @throws InvalidRequestException when the ops topic exists with another partition count
     */
    public Created createIndex(IndexMetadata proposed, String opsCleanupPolicy) throws Exception {
        String name = proposed.name();
        Future<RecordMetadata>[] listed = newFutureArray();
        Created outcome = section.run((producer, fresh) -> {
            byte[] entry = log.readLatest(log.names().indices()).get(name);
            if (entry != null) {
                IndexMetadata existing = log.readMetadata(name);
                if (existing != null) {
                    return new Created(existing, false, -1);
                }
            }
            int partitions = log.partitionCount(log.names().ops(name));
            if (partitions >= 0 && partitions != proposed.numberOfShards()) {
                throw InvalidRequestException.illegalArgument("topic [" + log.names().ops(name) + "] already exists"
                        + " with " + partitions + " partitions but index [" + name + "] asks for "
                        + proposed.numberOfShards() + " shards; delete the topic or use " + partitions + " shards");
            }
            log.createIndexTopics(proposed, opsCleanupPolicy);
            producer.send(new ProducerRecord<>(log.names().meta(name), key(MetadataLog.metadataKey()),
                    MetadataLog.metadataValue(proposed)));
            listed[0] = producer.send(new ProducerRecord<>(log.names().indices(), key(name),
                    MetadataLog.listingValue(proposed)));
            return new Created(proposed, true, -1);
        });
        if (!outcome.created()) {
            return outcome;
        }
        synchronized (section) {
            known.put(name, proposed);
        }
        return new Created(proposed, true, listed[0].get().offset() + 1);
    }

    /** Unlists index {@code name} (a tombstone in {@code <prefix>.indices}); the caller deletes its topics. */
    public void unlist(String name) throws Exception {
        section.run((producer, fresh) -> {
            producer.send(new ProducerRecord<>(log.names().indices(), key(name), null));
            return null;
        });
        synchronized (section) {
            known.remove(name);
        }
    }

    @SuppressWarnings("unchecked")
    private static Future<RecordMetadata>[] newFutureArray() {
        return (Future<RecordMetadata>[]) new Future<?>[1];
    }

    private static byte[] key(String k) {
        return k.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        section.close();
    }
}
