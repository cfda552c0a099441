package io.kccr.leader;

import io.kccr.core.error.KccrException;
import io.kccr.core.error.NotFoundException;
import io.kccr.core.error.AlreadyExistsException;
import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.error.UnavailableException;
import io.kccr.core.index.IndexMetadata;
import io.kccr.core.index.Ids;
import io.kccr.core.index.IndexNames;
import io.kccr.core.index.IndexSettings;
import io.kccr.core.mapping.DocumentMapper;
import io.kccr.core.mapping.Mappings;
import io.kccr.leader.topics.MetadataLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;
import org.apache.lucene.util.IOUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader indices a node hosts. The cluster's {@code <prefix>.indices} topic is their source
 * of truth: at start-up the catalog opens every index it lists (replaying each shard's log tail),
 * and it creates and deletes indices by writing there first. Local shard directories live under
 * {@code <path.data>/indices/<index uuid>/<shard>}.
 *
 * <p>Thread-safe; index creation and deletion are serialized.
 */
public final class IndexCatalog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IndexCatalog.class);

    private final Path dataPath;
    private final MetadataLog metadataLog;
    private final Map<String, Object> clientProperties;
    private final Duration writeTimeout;
    private final String opsCleanupPolicy;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final PublishListener publishes;
    private final DocumentMapper mapper = new DocumentMapper();
    private final Map<String, LeaderIndex> indices = new ConcurrentHashMap<>();

    public IndexCatalog(Path dataPath, MetadataLog metadataLog, Map<String, Object> clientProperties,
                        Duration writeTimeout, String opsCleanupPolicy, ScheduledExecutorService scheduler, Clock clock,
                        PublishListener publishes) {
        this.dataPath = dataPath;
        this.metadataLog = metadataLog;
        this.clientProperties = Map.copyOf(clientProperties);
        this.writeTimeout = writeTimeout;
        this.opsCleanupPolicy = opsCleanupPolicy;
        this.scheduler = scheduler;
        this.clock = clock;
        this.publishes = publishes;
    }

    /** Opens every index the cluster's indices topic lists. */
    public void start() throws Exception {
        metadataLog.ensureIndicesTopic();
        for (String name : metadataLog.readIndexNames()) {
            IndexMetadata meta = metadataLog.readMetadata(name);
            if (meta == null) {
                log.warn("index [{}] is listed but its metadata topic is empty; skipping it", name);
                continue;
            }
            indices.put(name, openIndex(meta));
        }
        removeStaleDirectories();
    }

    private LeaderIndex openIndex(IndexMetadata meta) throws Exception {
        return LeaderIndex.open(meta, indexDir(meta), mapper, metadataLog, clientProperties, writeTimeout, scheduler,
                publishes);
    }

    private Path indexDir(IndexMetadata meta) {
        return dataPath.resolve("indices").resolve(meta.uuid());
    }

    private void removeStaleDirectories() throws IOException {
        Path root = dataPath.resolve("indices");
        if (!Files.isDirectory(root)) {
            return;
        }
        List<String> live = indices.values().stream().map(i -> i.metadata().uuid()).toList();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.toList()) {
                if (!live.contains(dir.getFileName().toString())) {
                    IOUtils.rm(dir);
                }
            }
        }
    }

    /** The index, or a 404 {@code index_not_found_exception}. */
    public LeaderIndex get(String name) {
        LeaderIndex index = indices.get(name);
        if (index == null) {
            throw NotFoundException.index(name);
        }
        return index;
    }

    public LeaderIndex getOrNull(String name) {
        return indices.get(name);
    }

    public boolean exists(String name) {
        return indices.containsKey(name);
    }

    public Collection<LeaderIndex> all() {
        return indices.values().stream().sorted(Comparator.comparing(LeaderIndex::name)).toList();
    }

    /**
     * Creates an index: its topics, then its metadata, then its listing, then its shards.
     * An existing name is a 400 {@code resource_already_exists_exception}.
     */
    public synchronized LeaderIndex create(String name, IndexSettings settings, Mappings mappings) {
        IndexNames.validate(name);
        checkTopicNames(name);
        LeaderIndex existing = indices.get(name);
        if (existing != null) {
            throw new AlreadyExistsException(name, existing.metadata().uuid());
        }
        IndexMetadata meta = new IndexMetadata(name, Ids.random(), Ids.random(), clock.millis(), settings, mappings,
                1, 1);
        try {
            int existingPartitions = metadataLog.partitionCount(metadataLog.names().ops(name));
            if (existingPartitions >= 0 && existingPartitions != meta.numberOfShards()) {
                throw InvalidRequestException.illegalArgument("topic [" + metadataLog.names().ops(name) + "] already exists with "
                        + existingPartitions + " partitions but index [" + name + "] asks for "
                        + meta.numberOfShards() + " shards; delete the topic or use " + existingPartitions + " shards");
            }
            metadataLog.createIndexTopics(meta, opsCleanupPolicy);
            metadataLog.publishMetadata(meta);
            metadataLog.publishListing(meta);
            LeaderIndex index = openIndex(meta);
            indices.put(name, index);
            return index;
        } catch (KccrException e) {
            throw e;
        } catch (Exception e) {
            throw new UnavailableException("could not create index [" + name + "] in Kafka: " + e.getMessage()
                    + ". Check that Kafka is reachable and retry.", e);
        }
    }

    /** The index's topics must be legal Kafka topic names: a 400 naming the rule, not a Kafka error. */
    private void checkTopicNames(String name) {
        String longest = metadataLog.names().ops(name).length() > metadataLog.names().meta(name).length()
                ? metadataLog.names().ops(name) : metadataLog.names().meta(name);
        if (!name.matches("[a-zA-Z0-9._-]+")) {
            throw InvalidRequestException.invalidIndexName(name, "must contain only the characters Kafka allows in topic names"
                    + " [a-z0-9._-], as the index's topics are named after it");
        }
        if (longest.length() > 249) {
            throw InvalidRequestException.invalidIndexName(name, "is too long for its Kafka topic [" + longest + "] ("
                    + longest.length() + " > 249 characters); use a shorter name");
        }
    }

    /** The index, created with default settings if missing (Elasticsearch's auto-create on first write). */
    public LeaderIndex getOrCreate(String name) {
        LeaderIndex index = indices.get(name);
        if (index != null) {
            return index;
        }
        synchronized (this) {
            index = indices.get(name);
            return index != null ? index : create(name, IndexSettings.defaults(), Mappings.empty());
        }
    }

    /** Deletes an index: closes it, unlists it, deletes its topics and its files. */
    public synchronized void delete(String name) {
        LeaderIndex index = get(name);
        indices.remove(name);
        index.close();
        try {
            metadataLog.deleteIndex(name);
            IOUtils.rm(indexDir(index.metadata()));
        } catch (Exception e) {
            throw new UnavailableException("index [" + name + "] was closed but deleting its topics failed: "
                    + e.getMessage() + ". Retry the delete once Kafka is reachable.", e);
        }
    }



    @Override
    public void close() {
        indices.values().forEach(LeaderIndex::close);
        indices.clear();
    }
}
