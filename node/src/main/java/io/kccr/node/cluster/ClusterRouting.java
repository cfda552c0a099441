package io.kccr.node.cluster;

/**
 * How the REST API reaches the rest of the cluster: where single-document requests and bulks go. Absent (null) on a
 * node that joins no cluster ({@code discovery.type: single-node}).
 *
 * @param cluster   this node's membership and the routing table
 * @param documents single-document requests to the shard's node
 * @param bulks     bulks split by node
 * @param peers     HTTP to the other nodes
 * @param search    searches over the shards of several nodes
 * @param view      the cluster as its APIs show it
 * @param broadcast requests for every copy of an index, sent to every node
 */
public record ClusterRouting(ClusterService cluster, ShardRouter documents, BulkRouter bulks, PeerClient peers,
                             ClusterSearch search, ClusterView view,
                             Broadcast broadcast) {
}
