package io.kccr.node;

import io.kccr.core.search.SearchContexts;
import io.kccr.core.search.SearchLimits;
import io.kccr.leader.IndexCatalog;
import io.kccr.leader.recovery.RestoreSessions;
import io.kccr.node.cluster.Broadcast;
import io.kccr.node.cluster.BulkRouter;
import io.kccr.node.cluster.ClusterPit;
import io.kccr.node.cluster.ClusterRestore;
import io.kccr.node.cluster.ClusterRouting;
import io.kccr.node.cluster.ClusterSearch;
import io.kccr.node.cluster.ClusterService;
import io.kccr.node.cluster.ClusterView;
import io.kccr.node.cluster.FollowerListings;
import io.kccr.node.cluster.FollowerRouter;
import io.kccr.node.cluster.SpreadFollowers;
import io.kccr.node.cluster.NodeStatus;
import io.kccr.node.cluster.PeerClient;
import io.kccr.node.cluster.ShardRouter;
import io.kccr.node.indices.ClosedIndices;
import io.kccr.node.indices.IndexingPressure;
import io.kccr.node.indices.WriteGuard;
import io.kccr.node.settings.NodeSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import io.kccr.core.cluster.NodeInfo;
import io.kccr.core.kafka.TopicNames;
import io.kccr.node.autofollow.AutoFollower;
import io.kccr.follower.FollowerIndex;
import io.kccr.node.follow.FollowerCatalog;
import io.kccr.node.follow.FollowerPeer;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * How a node of a cluster ({@code discovery.type: multi-node}) is put together: its followers' and auto-follow
 * patterns' part in the cluster, and its routing.
 */
final class ClusterAssembly {
    /** How long a request waits for its shard to have a node to serve it (a lost primary is taken over meanwhile). */
    private static final Duration ROUTING_TIMEOUT = Duration.ofSeconds(30);
    /** How long the node hosting a follower index may take to answer a request sent on to it. */
    private static final Duration FOLLOWER_TIMEOUT = Duration.ofSeconds(60);
    /** How long a stopping node waits for its primaries, then its follower indices, to move to other nodes. */
    private static final Duration HAND_OFF_TIMEOUT = Duration.ofSeconds(60);
    /** How long a stopping node of a cluster waits for the writes in flight on it, once its primaries moved. */
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);
    /**
     * How long a stopping node of a cluster must have had no write in flight before its REST API closes: the other
     * nodes may route a write here until they have seen its primaries move (a write cut by the close would be a 503
     * whose outcome its caller cannot know).
     */
    private static final Duration DRAIN_QUIET = Duration.ofSeconds(1);

    private ClusterAssembly() {
    }

    /**
     * Makes the node's follower indices and auto-follow patterns the cluster's (before they start): the followers are
     * recorded in {@code <prefix>.followers} and looked at again whenever the cluster's nodes change; the patterns are
     * kept in {@code <prefix>.auto_follow}, and the node whose id sorts first among the cluster's now runs them,
     * following each leader index on the node {@code router} sends the new follower index to. A copy of a follower
     * index this node makes copies the host's through {@code peers}.
     */
    static void joinFollowers(ClusterService members, NodeSettings settings, Map<String, Object> clientProperties,
                              FollowerCatalog followers, AutoFollower autoFollow, FollowerRouter router,
                              PeerClient peers) {
        TopicNames topics = new TopicNames(settings.topicPrefix());
        Supplier<List<String>> nodeIds = () -> members.table().nodes().stream().map(NodeInfo::id).toList();
        followers.joinCluster(topics.followers(), clientProperties, members.nodeId(), settings.nodeName(),
                () -> Set.copyOf(nodeIds.get()), () -> Set.copyOf(members.table().leaving()), id -> {
                    NodeInfo node = id == null ? null : members.table().node(id);
                    return node == null || node.id().equals(members.nodeId()) ? null
                            : new FollowerPeer(node.name(), node.httpAddress(), peers.asNode(node.name()));
                });
        members.addTableListener(table -> followers.placement().reconcileLater());
        autoFollow.joinCluster(topics.autoFollow(), clientProperties, settings.writeTimeout(),
                () -> nodeIds.get().stream().sorted().findFirst().map(members.nodeId()::equals).orElse(false),
                (name, remote, leader, parameters, own) -> {
                    if (!router.followOn(name, remote, leader, parameters, own)) {
                        followers.follow(name, remote, leader, parameters, own);
                    }
                });
    }

    /**
     * The node's follower indices {@code followers} as its routing sees them; {@code leaders} and {@code closed} are
     * the other indices it serves requests about itself.
     */
    static Followers followers(FollowerCatalog followers, IndexCatalog leaders, ClosedIndices closed) {
        return new Followers(() -> followers.all().stream().map(FollowerIndex::name).toList(), followers::getOrNull,
                () -> NodeStatus.followerCopies(followers.all(), followers.replicas()),
                name -> leaders.exists(name) || followers.exists(name) || closed.isClosed(name)
                        || leaders.failure(name) != null,
                new FollowerRouter.Placement(name -> followers.placement().placeNew(name),
                        name -> followers.placement().hostOf(name),
                        (name, timeout) -> followers.placement().awaitKnown(name, timeout),
                        name -> followers.placement().partHosts(name)));
    }

    /**
     * A graceful stop's hand-off, while the node serves on: its primaries move to other nodes (requests for them are
     * forwarded meanwhile), then its follower indices (searchable meanwhile); then the writes already here (forwarded
     * on to the new primaries) finish, so that no caller is left not knowing whether its write was carried out, and
     * the node waits until none came for a while, as another node may still route a write here until it has seen the
     * primaries move.
     */
    static void handOff(ClusterService cluster, FollowerCatalog followers, IndexingPressure writesInFlight) {
        cluster.handOff(HAND_OFF_TIMEOUT);
        if (followers.placement() != null) {
            followers.placement().handOff(HAND_OFF_TIMEOUT);
        }
        try {
            writesInFlight.awaitQuiet(DRAIN_QUIET, DRAIN_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How the REST API reaches the rest of the cluster through {@code peers}. */
    static ClusterRouting routing(ClusterService cluster, PeerClient peers, IndexCatalog indices, WriteGuard guard,
                                  Supplier<SearchLimits> limits, SearchContexts contexts,
                                  RestoreSessions restoreSessions,
                                  Supplier<Duration> recoveryActivityTimeout, Followers followers) {
        ShardRouter documents = new ShardRouter(cluster, indices, guard, peers, ROUTING_TIMEOUT);
        ClusterView view = new ClusterView(cluster, indices, peers, followers.hosted(), followers.copies());
        SpreadFollowers spread = new SpreadFollowers(cluster, peers, followers.hostedCopy(),
                followers.placement().partHosts(), FOLLOWER_TIMEOUT);
        ClusterSearch search = new ClusterSearch(cluster, peers, limits, spread::target);
        return new ClusterRouting(cluster, documents, new BulkRouter(cluster, indices, guard, documents, peers), peers,
                search, new ClusterPit(cluster, peers, search, contexts, limits), view, new Broadcast(cluster, peers),
                new ClusterRestore(cluster, peers, restoreSessions, recoveryActivityTimeout, Clock.systemUTC()),
                new FollowerRouter(cluster, view, peers, followers.knownHere(), followers.placement(),
                        FOLLOWER_TIMEOUT, spread),
                new FollowerListings(cluster, peers));
    }

    /**
     * This node's follower indices, as its cluster routing sees them.
     *
     * @param hosted    the names of the follower indices it hosts
     * @param hostedCopy the follower index (or part of one, by its key) it hosts of that name; null for none
     * @param copies    the copies of follower index shards it holds, hosted and replicas
     * @param knownHere whether it serves requests about the index of that name itself (a leader index of the
     *                  cluster, one of its followers, a closed index)
     * @param placement where new follower indices go
     */
    record Followers(Supplier<Collection<String>> hosted, java.util.function.Function<String, FollowerIndex> hostedCopy,
                     Supplier<java.util.List<NodeStatus.Copy>> copies,
                     Predicate<String> knownHere, FollowerRouter.Placement placement) {
    }

    /** Where the other nodes reach this one: {@code http.publish_host}, else {@code http.host} unless a wildcard. */
    static String publishHost(NodeSettings settings) throws IOException {
        if (settings.httpPublishHost().isPresent()) {
            return settings.httpPublishHost().get();
        }
        String host = settings.httpHost();
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            return InetAddress.getLocalHost().getHostName();
        }
        return host;
    }

}
