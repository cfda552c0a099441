package io.kccr.leader;

import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.error.KccrException;
import io.kccr.core.error.UnavailableException;
import io.kccr.core.index.IndexMetadata;
import io.kccr.core.io.StateFile;
import io.kccr.core.mapping.Mappings;
import io.kccr.core.mapping.ParsedDocument;
import io.kccr.leader.topics.MetadataLog;
import io.kccr.leader.topics.MetadataUpdates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.errors.RecordTooLargeException;

/**
 * One leader index's metadata as this node last saw it in the {@code .meta} topic, and the mapping changes it
 * publishes there before any op uses them (so no op ever names a mapping a follower cannot have). A copy is kept in
 * the index's directory, which then names its index even if the log forgets it (a dangling index).
 *
 * <p>Thread-safe: mapping changes are serialized; {@link #current} is always a whole published version.
 */
final class PublishedMetadata {
    private final Path file;
    private final MetadataLog metadataLog;
    private final MetadataUpdates updates;
    private final Object mappingLock = new Object();
    private final Object fileLock = new Object();
    private volatile IndexMetadata current;

    PublishedMetadata(IndexMetadata initial, Path file, MetadataLog metadataLog, MetadataUpdates updates) {
        this.current = initial;
        this.file = file;
        this.metadataLog = metadataLog;
        this.updates = updates;
    }

    IndexMetadata current() {
        return current;
    }

    /** Writes the current metadata to the index's directory (crash-safe). */
    void save() throws IOException {
        synchronized (fileLock) { // copies of several shards open at once, each saving it
            StateFile.write(file, current.toJson().toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** As {@link #save}, where failing is harmless: the log has the metadata, which is what counts. */
    void keep() {
        try {
            save();
        } catch (IOException e) {
            // the copy only names the directory if the log is lost
        }
    }

    /**
     * Publishes the fields {@code doc} adds to the mappings before any op that uses them.
     *
     * @param lastTry true when the document was parsed again after a conflict: a conflict now is the
     *     document's own (a 400), not a race
     * @return the mapping version the op must carry, or -1 if the mappings changed under the
     *     document (it must be parsed again)
     */
    long applyDynamicMappings(ParsedDocument doc, boolean lastTry) {
        if (doc.dynamicMappingUpdates().isEmpty()) {
            return current.mappingVersion();
        }
        synchronized (mappingLock) {
            try {
                publish(merging(m -> m.merge(doc.dynamicMappingUpdates())));
            } catch (KccrException conflict) {
                if (lastTry || conflict instanceof UnavailableException) {
                    throw conflict;
                }
                return -1;
            }
            return current.mappingVersion();
        }
    }

    /** Merges explicit mappings ({@code PUT /<index>/_mapping}), publishing them first; returns the new metadata. */
    IndexMetadata putMappings(Mappings additions) {
        synchronized (mappingLock) {
            publish(merging(m -> m.merge(additions)));
            return current;
        }
    }

    /** The change that merges new fields into the mappings, within the index's mapping limits. */
    private static UnaryOperator<IndexMetadata> merging(UnaryOperator<Mappings> merge) {
        return m -> {
            Mappings merged = merge.apply(m.mappings());
            m.settings().mappingLimits().check(m.mappings(), merged);
            return m.withMappings(merged);
        };
    }

    private void publish(UnaryOperator<IndexMetadata> change) {
        IndexMetadata next;
        String index = current.name();
        try {
            next = updates.update(current, change);
        } catch (KccrException e) {
            throw e;
        } catch (Exception e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof RecordTooLargeException) {
                    throw InvalidRequestException.illegalArgument("the mappings of [" + index + "] would be"
                            + " too large for its metadata topic [" + metadataLog.names().meta(index) + "] ("
                            + t.getMessage() + "); nothing was written. Map fewer fields (e.g. \"dynamic\": false for"
                            + " objects whose fields need no search), or lower index.mapping.total_fields.limit");
                }
            }
            throw new UnavailableException("could not publish the new mappings of [" + index + "] to Kafka: "
                    + e.getMessage() + ". Nothing was written; check that Kafka is reachable and retry.", e);
        }
        adopt(next);
    }

    /**
     * Takes {@code newer} as the index's metadata if it is newer than what this node has (another node published
     * new mappings); older or equal metadata is ignored.
     */
    void adopt(IndexMetadata newer) {
        synchronized (mappingLock) {
            IndexMetadata known = current;
            if (newer.uuid().equals(known.uuid()) && (newer.mappingVersion() > known.mappingVersion()
                    || newer.settingsVersion() > known.settingsVersion())) {
                current = newer;
                keep();
            }
        }
    }
}
