package io.kccr.node.cluster;

import io.javalin.http.Context;
import io.kccr.core.cluster.NodeInfo;
import io.kccr.core.error.UnavailableException;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * Sends a request about a follower index to the node that hosts it, so that any node of a follower cluster answers
 * for every follower index of the cluster (a follower index lives on the node that follows it): searches, gets, its
 * CCR APIs ({@code _ccr/stats}, {@code pause_follow}, ...), its settings. The hosting node serves it as a client
 * reaching it directly, with the caller's credentials; its answer is passed back as it is. A request naming an index
 * this node knows (a leader index of the cluster, or one of its own followers) is served here.
 *
 * <p>Thread-safe.
 */
public final class FollowerRouter {
    private final ClusterService cluster;
    private final ClusterView view;
    private final PeerClient peers;
    private final Predicate<String> knownHere;
    private final Duration timeout;

    /**
     * @param knownHere whether this node serves requests about the index of that name itself
     * @param timeout   how long the hosting node may take to answer
     */
    public FollowerRouter(ClusterService cluster, ClusterView view, PeerClient peers, Predicate<String> knownHere,
                          Duration timeout) {
        this.cluster = cluster;
        this.view = view;
        this.peers = peers;
        this.knownHere = knownHere;
        this.timeout = timeout;
    }

    /**
     * Forwards {@code ctx} if it names (path parameter {@code index}) one follower index that another node hosts, and
     * writes that node's answer.
     *
     * @return true when it was forwarded (the response is written), false when this node serves it
     */
    public boolean forward(Context ctx) throws InterruptedException {
        String name = ctx.pathParamMap().get("index");
        if (name == null || ClusterRouting.forwarded(ctx) || name.indexOf(',') >= 0 || name.indexOf('*') >= 0
                || name.startsWith("_") || knownHere.test(name)) {
            return false;
        }
        NodeInfo host = view.followerHost(name);
        if (host == null || host.id().equals(cluster.nodeId())) {
            return false;
        }
        String pathAndQuery = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
        try {
            ClusterRouting.write(ctx, peers.send(host.httpAddress(), ctx.method().name(), pathAndQuery,
                    ClusterRouting.headers(ctx), ctx.bodyAsBytes(), timeout));
        } catch (IOException e) {
            throw new UnavailableException("node [" + host.name() + "], which hosts follower index [" + name + "], did"
                    + " not answer (" + e.getMessage() + "); ask that node directly, or retry", e);
        }
        return true;
    }
}
