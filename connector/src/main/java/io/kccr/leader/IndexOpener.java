package io.kccr.leader;

import io.kccr.core.index.IndexMetadata;
import io.kccr.core.mapping.DocumentMapper;
import io.kccr.leader.topics.MetadataLog;
import io.kccr.leader.topics.MetadataUpdates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the {@link LeaderIndex}es of one node's {@link IndexCatalog}: each under
 * {@code <path.data>/indices/<index uuid>}, with the node's Kafka client properties, write timeout, scheduler and
 * publish listener, and its documents limited to what its topics take ({@link IndexTopicChecks}). At start-up it
 * opens every index the log lists, keeping the ones that fail as red instead of stopping the node.
 *
 * <p>Thread-safe: it keeps nothing of what it opens; the catalog owns the indices it returns.
 */
final class IndexOpener {
    private static final Logger log = LoggerFactory.getLogger(IndexOpener.class);

    private final Path dataPath;
    private final MetadataLog metadataLog;
    private final Map<String, Object> clientProperties;
    private final Duration writeTimeout;
    private final ScheduledExecutorService scheduler;
    private final PublishListener publishes;
    private final IndexTopicChecks topicChecks;
    private final DocumentMapper mapper = new DocumentMapper();

    IndexOpener(Path dataPath, MetadataLog metadataLog, Map<String, Object> clientProperties, Duration writeTimeout,
                ScheduledExecutorService scheduler, PublishListener publishes, IndexTopicChecks topicChecks) {
        this.dataPath = dataPath;
        this.metadataLog = metadataLog;
        this.clientProperties = Map.copyOf(clientProperties);
        this.writeTimeout = writeTimeout;
        this.scheduler = scheduler;
        this.publishes = publishes;
        this.topicChecks = topicChecks;
    }

    /** The directory of index uuid {@code uuid}'s shards. */
    Path dir(String uuid) {
        return dataPath.resolve("indices").resolve(uuid);
    }

    /**
     * Opens every index the cluster's indices topic lists, handing each to {@code opened} as it opens; one that
     * cannot be opened goes to {@code red}, with the reason and what to do. Deletes nothing.
     */
    void openListed(BiConsumer<String, LeaderIndex> opened, RedIndices red) throws Exception {
        for (String name : metadataLog.readIndexNames()) {
            IndexMetadata meta;
            try {
                meta = metadataLog.readMetadata(name);
            } catch (Exception e) {
                red.add(name, "_na_", 1, "its metadata in topic [" + metadataLog.names().meta(name) + "] cannot be read: "
                        + e.getMessage() + ". Delete the index (DELETE /" + name + ") or fix the record", e);
                continue;
            }
            if (meta == null) {
                log.warn("index [{}] is listed but its metadata topic is empty; skipping it", name);
                continue;
            }
            try {
                opened.accept(name, open(meta));
            } catch (Exception | Error e) {
                red.add(name, meta.uuid(), meta.numberOfShards(), "it failed to open: " + RedIndices.rootMessage(e)
                        + ". Fix the cause and restart the node, or delete the index (DELETE /" + name + ")", e);
            }
        }
    }

    /** Opens every shard of the index as its primary (a node alone), limited to what its topics take. */
    LeaderIndex open(IndexMetadata meta) throws Exception {
        LeaderIndex index = LeaderIndex.open(meta, dir(meta.uuid()), mapper, metadataLog, clientProperties,
                writeTimeout, scheduler, publishes);
        try {
            topicChecks.apply(index);
        } catch (Exception e) {
            index.close();
            throw e;
        }
        return index;
    }

    /**
     * The index with no copy open (a cluster's node), its metadata changed through {@code updates}; if its topics
     * cannot be checked now, it is returned without their limits rather than not at all.
     */
    LeaderIndex unassigned(IndexMetadata meta, MetadataUpdates updates) {
        LeaderIndex index = LeaderIndex.unassigned(meta, dir(meta.uuid()), mapper, metadataLog, updates,
                clientProperties, writeTimeout, scheduler, publishes);
        try {
            topicChecks.apply(index);
        } catch (Exception e) {
            log.warn("could not check the topics of index [{}]; its writes are not limited to what they take",
                    meta.name(), e);
        }
        return index;
    }
}
