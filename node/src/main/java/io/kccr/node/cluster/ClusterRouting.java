package io.kccr.node.cluster;

import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * How the REST API reaches the rest of the cluster: where single-document requests and bulks go. Absent (null) on a
 * node that joins no cluster ({@code discovery.type: single-node}).
 *
 * @param cluster   this node's membership and the routing table
 * @param documents single-document requests to the shard's node
 * @param bulks     bulks split by node
 * @param peers     HTTP to the other nodes
 * @param search    searches over the shards of several nodes
 * @param pits      points in time over the shards of several nodes
 * @param view      the cluster as its APIs show it
 * @param broadcast requests for every copy of an index, sent to every node
 * @param restore   restore sessions of indices whose primaries are on several nodes
 * @param followers requests about a follower index to the node that hosts it
 * @param listings  the other nodes' parts of a listing of follower indices
 */
public record ClusterRouting(ClusterService cluster, ShardRouter documents, BulkRouter bulks, PeerClient peers,
                             ClusterSearch search, ClusterPit pits, ClusterView view,
                             Broadcast broadcast, ClusterRestore restore, FollowerRouter followers,
                             FollowerListings listings) {

    /** The request's headers, as a request forwarded to another node keeps them. */
    public static Map<String, List<String>> headers(Context ctx) {
        return ShardRouter.headers(ctx);
    }

    /** Writes another node's answer as the answer to {@code ctx}. */
    public static void write(Context ctx, PeerClient.Response r) {
        ShardRouter.write(ctx, r);
    }

    /** Whether another node sent {@code ctx}: it is served here, never forwarded again. */
    public static boolean forwarded(Context ctx) {
        return ctx.header(PeerClient.FORWARDED) != null;
    }
}
