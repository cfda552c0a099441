package io.kccr.node.cluster;

import io.javalin.http.Context;
import io.kccr.core.cluster.CopyRole;
import io.kccr.core.cluster.NodeInfo;
import io.kccr.core.cluster.RoutingTable;
import io.kccr.core.cluster.ShardId;
import io.kccr.core.cluster.ShardPlacement;
import io.kccr.core.index.Ids;
import io.kccr.core.routing.ShardRouting;
import io.kccr.leader.IndexCatalog;
import io.kccr.leader.LeaderIndex;
import io.kccr.node.indices.WriteGuard;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Sends a single-document request (index, create, update, delete, get) to the node holding the shard its id routes
 * to, when that is not this node: a write to the shard's primary, a get to the primary too (realtime, and read after
 * write), or with {@code preference=_local} to this node's copy when it has one. The node that serves it runs the
 * same controller a client reaching it directly would; its answer is passed back as it is.
 *
 * <p>A request to an index whose primaries are all on this node is served here untouched, as is anything about a
 * follower index (phase 1: a follower index lives on the node that follows it). Thread-safe.
 */
public final class ShardRouter {
    /** What a routed request does. */
    public enum Kind {
        /** Index, create or update: may create the index, as Elasticsearch's first write does. */
        WRITE,
        /** Delete: never creates an index. */
        DELETE,
        /** Get: served by a copy of the shard. */
        READ
    }

    private final ClusterService cluster;
    private final IndexCatalog catalog;
    private final WriteGuard guard;
    private final Forwarder forwarder;
    private final Duration timeout;

    /**
     * @param timeout how long a request waits for its shard to have a node to serve it (a lost primary is taken
     *                over within the session timeout)
     */
    public ShardRouter(ClusterService cluster, IndexCatalog catalog, WriteGuard guard, PeerClient peers,
                       Duration timeout) {
        this.cluster = cluster;
        this.catalog = catalog;
        this.guard = guard;
        this.forwarder = new Forwarder(peers, node -> cluster.table().nodes().stream()
                .anyMatch(n -> n.id().equals(node.id())));
        this.timeout = timeout;
    }

    /**
     * Forwards the document request in {@code ctx} if another node must serve it, and writes that node's answer.
     *
     * @return true when it was forwarded (the response is written), false when this node serves it
     */
    public boolean forward(Context ctx, Kind kind) throws InterruptedException {
        if (ctx.header(PeerClient.FORWARDED) != null) {
            return false;
        }
        String name = ctx.pathParam("index");
        LeaderIndex index = switch (kind) {
            case WRITE -> guard.writableIndex(name);
            case DELETE, READ -> catalog.getOrNull(name);
        };
        if (index == null || allPrimariesHere(index)) {
            return false;
        }
        String id = ctx.pathParamMap().get("id");
        String pathAndQuery = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
        String method = ctx.method().name();
        if (id == null) { // POST /<index>/_doc: the id decides the shard, so it is made here
            id = Ids.random();
            method = "PUT";
            pathAndQuery = "/" + name + "/_create/" + id + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
        }
        ShardId shard = new ShardId(name, ShardRouting.shardFor(id, index.metadata().numberOfShards()));
        boolean local = kind == Kind.READ && "_local".equals(ctx.queryParam("preference"));
        Map<String, List<String>> headers = headers(ctx);
        PeerClient.Response r = forwarder.send(() -> target(shard, local), method, pathAndQuery, headers,
                ctx.bodyAsBytes(), requestTimeout(ctx));
        if (r == null && !method.equals(ctx.method().name())) {
            // an id made here for a shard whose primary is here: this node serves it as that id's create
            r = forwarder.send(() -> new Forwarder.There(cluster.self()), method, pathAndQuery, headers,
                    ctx.bodyAsBytes(), requestTimeout(ctx));
        }
        if (r == null) {
            return false;
        }
        write(ctx, r);
        return true;
    }

    static Map<String, List<String>> headers(Context ctx) {
        Map<String, List<String>> out = new java.util.HashMap<>();
        ctx.headerMap().forEach((k, v) -> out.put(k, List.of(v)));
        return out;
    }

    static void write(Context ctx, PeerClient.Response r) {
        ctx.status(r.status());
        ctx.contentType(r.contentType());
        if (!ctx.method().name().equals("HEAD")) {
            ctx.result(r.body());
        }
    }

    /** How long the request may wait for its shard: its {@code timeout} parameter, else the router's. */
    Duration requestTimeout(Context ctx) {
        String t = ctx.queryParam("timeout");
        if (t != null) {
            try {
                return io.kccr.core.settings.TimeValue.parse(t, "timeout").toDuration();
            } catch (RuntimeException e) {
                return timeout; // the serving node answers the bad parameter
            }
        }
        return timeout;
    }

    /** Whether this node runs every primary of {@code index} (e.g. a cluster of one node). */
    boolean allPrimariesHere(LeaderIndex index) {
        int n = index.metadata().numberOfShards();
        for (int s = 0; s < n; s++) {
            if (!index.isPrimaryHere(s)) {
                return false;
            }
        }
        RoutingTable t = cluster.table();
        for (ShardPlacement p : t.placements(index.name())) {
            if (!cluster.nodeId().equals(p.primary())) {
                return false;
            }
        }
        return true;
    }

    /** Where a request for {@code shard} goes now: its primary, or this node's copy if preferred and started. */
    Forwarder.Target target(ShardId shard, boolean preferLocal) {
        if (preferLocal && cluster.localRole(shard) != null && cluster.localStarted(shard)) {
            return new Forwarder.Here();
        }
        RoutingTable t = cluster.table();
        ShardPlacement p = t.placement(shard);
        if (p == null || p.primary() == null) {
            return new Forwarder.Nowhere(shard + " has no primary");
        }
        if (p.primary().equals(cluster.nodeId())) {
            if (cluster.localRole(shard) == CopyRole.PRIMARY && cluster.localStarted(shard)) {
                return new Forwarder.Here();
            }
            return new Forwarder.Nowhere(shard + " is starting on this node");
        }
        NodeInfo node = t.node(p.primary());
        if (node == null) {
            return new Forwarder.Nowhere(shard + " has no node");
        }
        return new Forwarder.There(node);
    }
}
