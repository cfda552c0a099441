package io.kccr.node.cluster;

import io.javalin.http.Context;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a request that concerns every copy of an index ({@code _refresh}, {@code _flush}) to the other nodes of the
 * cluster as well, so that it acts on the copies they hold: a search after {@code POST /<index>/_refresh} on any
 * node sees what was written before it, as in Elasticsearch. A node that does not answer is skipped (its copies are
 * not active, so no search reads them); the request is served here in any case. Thread-safe.
 */
public final class Broadcast {
    private static final Logger log = LoggerFactory.getLogger(Broadcast.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ClusterService cluster;
    private final PeerClient peers;

    public Broadcast(ClusterService cluster, PeerClient peers) {
        this.cluster = cluster;
        this.peers = peers;
    }

    /**
     * Sends {@code ctx}'s request to every other node and waits for their answers, unless it came from another node
     * (which sent it everywhere already).
     */
    public void toOthers(Context ctx) throws InterruptedException {
        if (ctx.header(PeerClient.FORWARDED) != null) {
            return;
        }
        String path = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
        FanOut.ask(FanOut.others(cluster), n -> peers.send(n.httpAddress(), ctx.method().name(), path,
                ShardRouter.headers(ctx), ctx.bodyAsBytes(), TIMEOUT),
                (n, e) -> log.debug("node [{}] did not serve {}: {}", n.name(), path, e.toString()))
                .forEach((n, r) -> {
                    if (r.status() != 200) {
                        log.debug("node [{}] answered {} to {}", n.name(), r.status(), path);
                    }
                });
    }
}
