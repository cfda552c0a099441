package io.kccr.node.rest;

import io.kccr.node.autofollow.AutoFollower;
import io.kccr.node.indices.ClosedIndices;
import io.kccr.node.follow.FollowerCatalog;
import io.kccr.leader.IndexCatalog;
import io.kccr.leader.recovery.RestoreSessions;
import io.kccr.node.metrics.NodeMetrics;
import io.kccr.node.remote.RemoteClusters;
import java.time.Duration;

/**
 * What the REST API serves: the node's indices, followers, remote clusters and identity.
 *
 * @param unfollowing     turns a stopped follower into a plain leader index ({@code _ccr/unfollow})
 * @param restoreSessions the restore sessions followers bootstrap from ({@code _ccr/restore_session})
 * @param autoFollower    the auto-follow patterns ({@code _ccr/auto_follow})
 * @param metrics         the node's metrics ({@code /metrics})
 * @param search          searches, points in time and scrolls ({@code _search}, {@code _pit}, {@code _search/scroll})
 * @param dangling        index directories no index of the log owns ({@code _dangling})
 * @param pressure        the bytes of writes in flight, bounded node-wide ({@code indexing_pressure.memory.limit})
 * @param security        users, roles and API keys, and authentication; null when {@code xpack.security.enabled} is
 *                        false
 * @param consoleSessions the console's login sessions
 * @param cors            which foreign origins browsers may call from ({@code http.cors.*})
 * @param tls             the REST API's certificate and key, or null for plain HTTP
 * @param cluster         how requests reach the other nodes of the cluster; null on a node alone
 */
public record NodeServices(IndexCatalog leaders, FollowerCatalog followers, ClosedIndices closed,
                           RemoteClusters remotes, CcrController.Unfollowing unfollowing, String clusterName,
                           String nodeName, String clusterUuid, String kafkaBootstrapServers, Duration writeTimeout,
                           RestoreSessions restoreSessions, AutoFollower autoFollower, NodeMetrics metrics,
                           io.kccr.node.search.SearchService search, io.kccr.node.indices.DanglingIndices dangling,
                           io.kccr.node.indices.IndexingPressure pressure,
                           io.kccr.node.security.SecurityService security,
                           io.kccr.node.security.ConsoleSessions consoleSessions,
                           io.kccr.node.security.CorsPolicy cors, io.kccr.node.security.TlsIdentity tls,
                           io.kccr.node.cluster.ClusterRouting cluster) {
}
