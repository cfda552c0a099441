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
import io.kccr.core.mapping.Mappings;
import io.kccr.leader.topics.ClusterMetadataWriter;
import io.kccr.leader.topics.MetadataLog;
import io.kccr.leader.topics.MetadataTail;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.lucene.util.IOUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader indices a node hosts. The cluster's {@code <prefix>.indices} topic is their source
 * of truth: at start-up the catalog opens every index it lists (replaying each shard's log tail),
 * and it creates and deletes indices by writing there first. Local shard directories live under
 * {@code <path.data>/indices/<index uuid>/<shard>}. An index that fails to open is kept as red
 * ({@link #failed}) rather than stopping the node; a directory the log does not list is never deleted
 * at start-up (it may be the last copy of an index whose log was lost): it is a dangling index. The catalog decides
 * which indices there are; {@link IndexOpener} opens them.
 *
 * <p>In a cluster ({@link #joinCluster}), the catalog knows every index of the cluster and keeps knowing them as
 * the log lists them ({@link MetadataTail}: one created, deleted or given new mappings by another node is known
 * here within moments), but opens no shard by itself: each shard's copies open where the cluster places them.
 * Creations, deletions and mapping changes then go through a {@link ClusterMetadataWriter}, which serializes them
 * across the nodes.
 *
 * <p>Thread-safe; index creation and deletion are serialized.
 */
public final class IndexCatalog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IndexCatalog.class);

    private final MetadataLog metadataLog;
    private final String opsCleanupPolicy;
    private final Clock clock;
    private final Map<String, LeaderIndex> indices = new ConcurrentHashMap<>();
    private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();
    private volatile java.util.function.Consumer<IndexMetadata> placed = m -> { };
    private ClusterMetadataWriter clusterWriter;
    private MetadataTail tail;
    private Duration tailTimeout;
    private final RedIndices red = new RedIndices();
    private final IndexTopicChecks topicChecks;
    private final IndexOpener opener;

    public IndexCatalog(Path dataPath, MetadataLog metadataLog, Map<String, Object> clientProperties,
                        Duration writeTimeout, String opsCleanupPolicy, ScheduledExecutorService scheduler, Clock clock,
                        PublishListener publishes) {
        this.metadataLog = metadataLog;
        this.opsCleanupPolicy = opsCleanupPolicy;
        this.clock = clock;
        this.topicChecks = new IndexTopicChecks(metadataLog);
        this.opener = new IndexOpener(dataPath, metadataLog, clientProperties, writeTimeout, scheduler, publishes,
                topicChecks);
    }

    /**
     * Makes this catalog a node's of a cluster (call before {@link #start}): it learns the indices from the log as it
     * goes and opens no shard by itself.
     */
    public void joinCluster(ClusterMetadataWriter writer, Map<String, Object> clientProperties, Duration timeout) {
        this.clusterWriter = writer;
        this.tailTimeout = timeout;
        this.tail = new MetadataTail(clientProperties, metadataLog.names(), new MetadataTail.Listener() {
            @Override
            public void listed(IndexMetadata meta) {
                onListed(meta);
            }

            @Override
            public void unlisted(String name, String uuid) {
                onUnlisted(name, uuid);
            }
        });
    }

    /**
     * Sets what a cluster node waits for after it created an index (or found it created), before the creation
     * returns: that the cluster placed the index's primaries and this node started those it holds, so that the
     * creator (a REST call, an unfollow, sample data) can write at once, as Elasticsearch's create index waits for
     * the primaries to be active.
     */
    public void onCreatedInCluster(java.util.function.Consumer<IndexMetadata> waitUntilPlaced) {
        this.placed = waitUntilPlaced;
    }

    /** Whether this catalog is a cluster node's ({@link #joinCluster}). */
    public boolean inCluster() {
        return tail != null;
    }

    /** The tail of the cluster's index metadata (cluster only): how far it read {@code <prefix>.indices}. */
    public long indicesPosition() {
        return tail == null ? 0 : tail.position();
    }

    /** Runs {@code listener} (on the caller's or the metadata tail's thread) whenever an index appears or goes. */
    public void addChangeListener(Runnable listener) {
        changeListeners.add(listener);
    }

    private void changed() {
        changeListeners.forEach(Runnable::run);
    }

    /**
     * Opens every index the cluster's indices topic lists (in a cluster: knows them, opens no shard); one that cannot
     * be opened is kept as red, with the reason ({@link #failed}). Deletes nothing.
     */
    public void start() throws Exception {
        metadataLog.ensureIndicesTopic();
        if (tail != null) {
            tail.start(tailTimeout);
            return;
        }
        opener.openListed(indices::put, red);
    }

    /** The indices the log lists that failed to open at start-up (red), by name. */
    public Map<String, FailedIndex> failed() {
        return red.all();
    }

    /** The red index {@code name}; null when it is not red. */
    public FailedIndex failure(String name) {
        return red.get(name);
    }

    /** The uuids of every index this node has open or red: the directories under {@code indices/} that are not dangling. */
    public java.util.Set<String> knownUuids() {
        java.util.Set<String> uuids = new java.util.HashSet<>();
        indices.values().forEach(i -> uuids.add(i.metadata().uuid()));
        red.all().values().forEach(f -> uuids.add(f.uuid()));
        return uuids;
    }

    /** The directory of index uuid {@code uuid}'s shards. */
    public Path indexDir(String uuid) {
        return opener.dir(uuid);
    }

    private void onListed(IndexMetadata meta) {
        LeaderIndex existing = indices.get(meta.name());
        if (existing != null && existing.metadata().uuid().equals(meta.uuid())) {
            existing.adoptMetadata(meta);
            return;
        }
        if (existing != null) {
            removeLocal(existing); // deleted and made again under the same name
        }
        LeaderIndex index = opener.unassigned(meta, clusterWriter);
        indices.put(meta.name(), index);
        changed();
    }

    private void onUnlisted(String name, String uuid) {
        LeaderIndex existing = indices.get(name);
        if (existing != null && existing.metadata().uuid().equals(uuid)) {
            removeLocal(existing);
            changed();
        }
    }

    /** Closes this node's copies of {@code index} and deletes their files (the index was deleted). */
    private void removeLocal(LeaderIndex index) {
        indices.remove(index.name(), index);
        index.close();
        try {
            IOUtils.rm(indexDir(index.metadata()));
        } catch (IOException e) {
            log.warn("could not delete the files of deleted index [{}]", index.name(), e);
        }
    }

    private Path indexDir(IndexMetadata meta) {
        return indexDir(meta.uuid());
    }

    /** The index, or a 404 {@code index_not_found_exception}. */
    public LeaderIndex get(String name) {
        LeaderIndex index = indices.get(name);
        if (index == null) {
            checkNotRed(name);
            throw NotFoundException.index(name);
        }
        return index;
    }

    /** A 503 naming why, when {@code name} is a red index. */
    public void checkNotRed(String name) {
        red.checkNotRed(name);
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
        topicChecks.checkNames(name);
        LeaderIndex existing = indices.get(name);
        if (existing != null) {
            throw new AlreadyExistsException(name, existing.metadata().uuid());
        }
        FailedIndex redIndex = red.get(name);
        if (redIndex != null) {
            throw new AlreadyExistsException(name, redIndex.uuid());
        }
        IndexMetadata meta = new IndexMetadata(name, Ids.random(), Ids.random(), clock.millis(), settings, mappings,
                1, 1);
        if (clusterWriter != null) {
            return createInCluster(meta, true);
        }
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
            LeaderIndex index = opener.open(meta);
            indices.put(name, index);
            return index;
        } catch (KccrException e) {
            throw e;
        } catch (Exception e) {
            throw new UnavailableException("could not create index [" + name + "] in Kafka: " + e.getMessage()
                    + ". Check that Kafka is reachable and retry.", e);
        }
    }

    /**
     * Creates an index of the cluster, unless another node did first: then {@code failIfExists} decides between
     * a 400 and that index. Returns once this node knows it (its shards open where the cluster places them).
     */
    private LeaderIndex createInCluster(IndexMetadata meta, boolean failIfExists) {
        try {
            ClusterMetadataWriter.Created created = clusterWriter.createIndex(meta, opsCleanupPolicy);
            IndexMetadata m = created.metadata();
            if (!created.created() && failIfExists) {
                throw new AlreadyExistsException(m.name(), m.uuid());
            }
            tail.await(m.name(), m.uuid(), created.listingPosition(), tailTimeout);
            LeaderIndex index = indices.get(m.name());
            if (index == null) {
                throw new UnavailableException("index [" + m.name() + "] was deleted as it was created; retry", null);
            }
            placed.accept(m);
            return index;
        } catch (KccrException e) {
            throw e;
        } catch (Exception e) {
            throw new UnavailableException("could not create index [" + meta.name() + "] in Kafka: " + e.getMessage()
                    + ". Check that Kafka is reachable and retry.", e);
        }
    }

    /** The index, created with default settings if missing (Elasticsearch's auto-create on first write). */
    public LeaderIndex getOrCreate(String name) {
        LeaderIndex index = indices.get(name);
        if (index != null) {
            return index;
        }
        checkNotRed(name);
        synchronized (this) {
            index = indices.get(name);
            if (index != null) {
                return index;
            }
            if (clusterWriter != null) { // another node may be creating it too: the first one wins, both use it
                IndexNames.validate(name);
                topicChecks.checkNames(name);
                IndexSettings settings = IndexSettings.defaults();
                return createInCluster(new IndexMetadata(name, Ids.random(), Ids.random(), clock.millis(), settings,
                        Mappings.empty(), 1, 1), false);
            }
            return create(name, IndexSettings.defaults(), Mappings.empty());
        }
    }

    /** Deletes an index: closes it, unlists it, deletes its topics and its files. */
    public synchronized void delete(String name) {
        FailedIndex redIndex = red.get(name);
        if (redIndex != null) {
            try {
                metadataLog.deleteIndex(name);
                if (!redIndex.uuid().equals("_na_")) {
                    IOUtils.rm(indexDir(redIndex.uuid()));
                }
            } catch (Exception e) {
                throw new UnavailableException("deleting red index [" + name + "] failed: " + e.getMessage()
                        + ". Retry the delete once Kafka is reachable.", e);
            }
            red.remove(name);
            return;
        }
        LeaderIndex index = get(name);
        if (clusterWriter != null) {
            try {
                clusterWriter.unlist(name); // every node closes its copies as it reads this
                metadataLog.deleteIndexTopics(name);
            } catch (Exception e) {
                throw new UnavailableException("could not delete index [" + name + "] in Kafka: " + e.getMessage()
                        + ". Retry the delete once Kafka is reachable.", e);
            }
            removeLocal(index);
            changed();
            return;
        }
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
        if (tail != null) {
            tail.close();
        }
        indices.values().forEach(LeaderIndex::close);
        indices.clear();
        if (clusterWriter != null) {
            clusterWriter.close();
        }
    }
}
