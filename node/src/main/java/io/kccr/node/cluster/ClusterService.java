package io.kccr.node.cluster;

import io.kccr.core.cluster.CopyRole;
import io.kccr.core.cluster.GroupMembership;
import io.kccr.core.cluster.IndexLayout;
import io.kccr.core.cluster.MemberReport;
import io.kccr.core.cluster.NodeInfo;
import io.kccr.core.cluster.RoutingTable;
import io.kccr.core.cluster.ShardAllocator;
import io.kccr.core.cluster.ShardId;
import io.kccr.core.cluster.ShardPlacement;
import io.kccr.core.feed.LogFeed;
import io.kccr.core.index.IndexMetadata;
import io.kccr.leader.IndexCatalog;
import io.kccr.leader.LeaderIndex;
import io.kccr.leader.cluster.LeaderShardHost;
import io.kccr.leader.cluster.ReplicaApplier;
import io.kccr.leader.topics.MetadataLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node as a member of its cluster: its membership of the cluster's Kafka group ({@link GroupMembership}), the
 * leader shard copies it holds as the group's routing table places them ({@link LeaderShardHost}, with a
 * {@link ReplicaApplier} keeping its replicas warm), and what it tells the group at each rebalance. The routing
 * table tells every other part of the node (forwarding, fan-out, the cluster APIs) where each shard's copies are.
 *
 * <p>Thread-safe.
 */
public final class ClusterService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterService.class);
    /** How many shard copies a node opens or closes at once. */
    private static final int SHARD_THREADS = 4;
    /** How long creating an index waits for its primaries. */
    private static final Duration CREATE_TIMEOUT = Duration.ofSeconds(30);

    private final String nodeId;
    private final String nodeName;
    private final String clusterName;
    private final IndexCatalog catalog;
    private final ReplicaApplier replicas;
    private final LeaderShardHost host;
    private final GroupMembership membership;
    private volatile NodeInfo self;
    private volatile boolean leaving;

    /**
     * @param nodeId this node's id, kept in its data path
     * @param feed   the node's feed, which applies the replicas' logs as it applies the followers'
     */
    public ClusterService(String nodeId, String nodeName, String clusterName, IndexCatalog catalog,
                          MetadataLog metadataLog, Map<String, Object> clientProperties, Duration sessionTimeout,
                          LogFeed feed) {
        this.nodeId = nodeId;
        this.nodeName = nodeName;
        this.clusterName = clusterName;
        this.catalog = catalog;
        this.replicas = new ReplicaApplier(feed, clientProperties, metadataLog.names(), name -> {
            LeaderIndex index = catalog.getOrNull(name);
            return index == null ? null : index.metadata();
        });
        GroupMembership.Config config = new GroupMembership.Config(groupId(metadataLog), metadataLog.names().indices(),
                clusterName, sessionTimeout, ShardAllocator.Settings.DEFAULT);
        this.membership = new GroupMembership(clientProperties, config, this::report);
        this.host = new LeaderShardHost(catalog, replicas, nodeId, SHARD_THREADS,
                () -> membership.requestRebalance("a warmed copy started"));
        membership.addListener(host::apply);
        catalog.addChangeListener(this::indicesChanged);
        catalog.onCreatedInCluster(this::awaitPrimariesStarted);
    }

    /** The cluster's group: one per topic prefix, as the prefix is what makes the indices one cluster's. */
    static String groupId(MetadataLog log) {
        return "kccr-" + log.names().prefix() + "-cluster";
    }

    /**
     * Joins the cluster and waits until this node holds, started, the copies the cluster gives it (or
     * {@code timeout} passes: then the node serves while they start).
     *
     * @param httpAddress where the other nodes reach this one ({@code http://host:port}): start the REST API first
     */
    public void start(String httpAddress, Duration timeout) throws TimeoutException, InterruptedException {
        self = new NodeInfo(nodeId, nodeName, io.kccr.core.index.Ids.random(), httpAddress, System.currentTimeMillis());
        RoutingTable first = membership.start(timeout);
        log.info("joined cluster [{}] as node [{}] ({}): {} nodes", clusterName, self.name(), self.id(),
                first.nodes().size());
        if (!host.awaitApplied(timeout.toMillis())) {
            log.warn("the shards given to this node did not all start within {}s; they go on starting",
                    timeout.toSeconds());
        }
    }

    private void indicesChanged() {
        RoutingTable t = membership.table();
        for (LeaderIndex index : catalog.all()) {
            IndexLayout layout = t.index(index.name());
            if (layout == null || !layout.uuid().equals(index.metadata().uuid())) {
                membership.requestRebalance("index [" + index.name() + "] appeared");
                return;
            }
        }
        for (IndexLayout layout : t.indices()) {
            if (catalog.getOrNull(layout.name()) == null) {
                membership.requestRebalance("index [" + layout.name() + "] was deleted");
                return;
            }
        }
    }

    /** What this node tells the group when it joins a rebalance. */
    private MemberReport report() {
        List<IndexLayout> layouts = new ArrayList<>();
        for (LeaderIndex index : catalog.all()) {
            IndexMetadata m = index.metadata();
            layouts.add(new IndexLayout(m.name(), m.uuid(), m.numberOfShards(), m.settings().numberOfReplicas()));
        }
        return new MemberReport(self, clusterName, leaving, host.copies(), catalog.indicesPosition(), layouts);
    }

    /** Runs {@code listener} with each routing table this node receives (on the membership's thread: it must not block). */
    public void addTableListener(java.util.function.Consumer<RoutingTable> listener) {
        membership.addListener(listener);
    }

    /** This node as the others see it (null until {@link #start}). */
    public NodeInfo self() {
        return self;
    }

    public String nodeId() {
        return nodeId;
    }

    public String clusterName() {
        return clusterName;
    }

    /** The latest routing table this node received. */
    public RoutingTable table() {
        return membership.table();
    }

    /** What this node runs for {@code shard} now (not what the table asks), or null. */
    public CopyRole localRole(ShardId shard) {
        return host.role(shard);
    }

    /** Whether this node's copy of {@code shard} is started. */
    public boolean localStarted(ShardId shard) {
        return host.state(shard) == io.kccr.core.cluster.CopyState.STARTED;
    }

    /**
     * Waits until every shard of {@code index} has its primary placed by the table (the group has seen the index);
     * asks for rebalances meanwhile.
     */
    public RoutingTable awaitAllocated(IndexMetadata index, Duration timeout)
            throws TimeoutException, InterruptedException {
        return membership.await(t -> {
            IndexLayout layout = t.index(index.name());
            if (layout == null || !layout.uuid().equals(index.uuid())) {
                return false;
            }
            return t.placements(index.name()).stream().allMatch(p -> p.primary() != null);
        }, timeout, Duration.ofSeconds(2), "index [" + index.name() + "] created");
    }

    /**
     * Waits until the table places every primary of the new {@code index} and this node started the primaries it
     * holds, up to {@link #CREATE_TIMEOUT}; past it the creation returns anyway (writes then wait for the shards
     * where they are routed, or fail with a clear 503 where they are not).
     */
    private void awaitPrimariesStarted(IndexMetadata index) {
        try {
            awaitAllocated(index, CREATE_TIMEOUT);
            long deadline = System.nanoTime() + CREATE_TIMEOUT.toNanos();
            while (!primariesStartedHere(index)) {
                if (System.nanoTime() > deadline) {
                    log.warn("the primaries of new index [{}] placed on this node did not start within {}s",
                            index.name(), CREATE_TIMEOUT.toSeconds());
                    return;
                }
                host.awaitApplied(50); // wakes as copies change
            }
        } catch (TimeoutException e) {
            log.warn("new index [{}]: {}", index.name(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean primariesStartedHere(IndexMetadata index) {
        for (ShardPlacement p : membership.table().placements(index.name())) {
            if (nodeId.equals(p.primary()) && (host.role(p.shard()) != CopyRole.PRIMARY
                    || host.state(p.shard()) != io.kccr.core.cluster.CopyState.STARTED)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Hands this node's primaries to other nodes before it leaves: reports itself leaving, waits until the table
     * places no primary here (started replicas are promoted at once, the other shards first warm a copy elsewhere),
     * up to {@code timeout}.
     */
    public void handOff(Duration timeout) {
        if (self == null || membership.table().nodes().size() <= 1) {
            return; // nobody to hand anything to
        }
        leaving = true;
        try {
            // the table lists this node as leaving, so the others take its follower indices over too
            membership.await(t -> t.leaving().contains(nodeId) && (t.placements().stream()
                            .noneMatch(p -> nodeId.equals(p.primary()))
                            || t.nodes().stream().allMatch(n -> n.id().equals(nodeId) || t.leaving().contains(n.id()))),
                    timeout, Duration.ofSeconds(2), "node [" + self.name() + "] is leaving");
            log.info("handed this node's primaries over; leaving the cluster");
        } catch (TimeoutException e) {
            log.warn("some primaries of this node were not handed over within {}s; leaving anyway (the cluster"
                    + " restores them from the log)", timeout.toSeconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops holding copies and leaves the group (the catalog closes the copies). */
    @Override
    public void close() {
        host.close();
        replicas.close();
        membership.close();
    }

    /** The placement of {@code shard} in the latest table, or null. */
    public ShardPlacement placement(ShardId shard) {
        return membership.table().placement(shard);
    }
}
