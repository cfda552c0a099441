package io.kccr.node.cluster;

import io.javalin.http.Context;
import io.kccr.core.cluster.NodeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.error.UnavailableException;
import io.kccr.follower.FollowParameters;
import io.kccr.follower.FollowerIndexSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Sends a request about a follower index to the node that hosts it, so that any node of a follower cluster answers
 * for every follower index of the cluster: searches, gets, its CCR APIs ({@code _ccr/stats}, {@code pause_follow},
 * ...), its settings. The hosting node serves it as a client reaching it directly, with the caller's credentials; its
 * answer is passed back as it is. A request naming an index this node knows (a leader index of the cluster, or one of
 * its own followers) is served here. A request to follow a new index is sent to the node its {@link Placement} picks
 * ({@link #forwardFollow}, {@link #followOn}), which then hosts it.
 *
 * <p>Thread-safe.
 */
public final class FollowerRouter {
    /** How long a node that sent a follow request on waits to read the new follower index in the cluster's record. */
    private static final Duration RECORDED_TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Where follower indices go and are, as this node's follower catalog places them.
     *
     * @param placeNew   the id of the node a new follower index of that name goes to
     * @param hostOf     the id of the node hosting the follower index of that name as the cluster's record has it;
     *                   null if none
     * @param awaitKnown waits up to a timeout until this node read the cluster's record of a follower index
     * @param partHosts  the id of the node hosting each part of the follower index of that name, by shard, when it
     *                   is spread over the nodes; empty else
     */
    public record Placement(Function<String, String> placeNew, Function<String, String> hostOf,
                            AwaitKnown awaitKnown, Function<String, SortedMap<Integer, String>> partHosts) {
    }

    /** Waits up to {@code timeout} until this node read the cluster's record of follower index {@code name}. */
    public interface AwaitKnown {
        boolean await(String name, Duration timeout) throws InterruptedException;
    }

    private final ClusterService cluster;
    private final ClusterView view;
    private final PeerClient peers;
    private final Predicate<String> knownHere;
    private final Placement placement;
    private final Duration timeout;
    private final SpreadFollowers spread;

    /**
     * @param knownHere whether this node serves requests about the index of that name itself
     * @param placement where new follower indices go
     * @param timeout   how long the hosting node may take to answer
     * @param spread    serves the follower indices spread over the nodes
     */
    public FollowerRouter(ClusterService cluster, ClusterView view, PeerClient peers, Predicate<String> knownHere,
                          Placement placement, Duration timeout, SpreadFollowers spread) {
        this.spread = spread;
        this.cluster = cluster;
        this.view = view;
        this.peers = peers;
        this.knownHere = knownHere;
        this.placement = placement;
        this.timeout = timeout;
    }

    /** How follower indices spread over the nodes are served. */
    public SpreadFollowers spread() {
        return spread;
    }

    /**
     * Forwards {@code ctx} if it names (path parameter {@code index}) one follower index that another node hosts, and
     * writes that node's answer; one spread over the nodes is served by its parts ({@link SpreadFollowers}).
     *
     * @return true when it was forwarded (the response is written), false when this node serves it
     */
    public boolean forward(Context ctx) throws InterruptedException {
        String name = ctx.pathParamMap().get("index");
        if (name == null || ClusterRouting.forwarded(ctx) || name.indexOf(',') >= 0 || name.indexOf('*') >= 0
                || name.startsWith("_") || knownHere.test(name)) {
            return false;
        }
        SortedMap<Integer, String> parts = placement.partHosts().apply(name);
        if (!parts.isEmpty()) {
            return spread.serve(ctx, name, parts);
        }
        NodeInfo host = host(name);
        if (host == null || host.id().equals(cluster.nodeId())) {
            return false;
        }
        PeerClient.Response r = sendOn(ctx, host, name);
        if (r == null || notFound(r)) { // it moved to another node since this node read where it was
            NodeInfo now = host(name);
            if (now != null && !now.id().equals(host.id())) {
                if (now.id().equals(cluster.nodeId())) {
                    return false;
                }
                host = now;
                r = sendOn(ctx, now, name);
            }
        }
        if (r == null) {
            throw new UnavailableException("node [" + host.name() + "], which hosts follower index [" + name + "], is"
                    + " not listening; retry once the cluster has noticed (another node takes it over)", null);
        }
        ClusterRouting.write(ctx, r);
        return true;
    }

    /**
     * The node hosting follower index {@code name}: as the cluster's record of follower indices has it, or, for one
     * it does not name, as the nodes last reported; null when none has it.
     */
    private NodeInfo host(String name) throws InterruptedException {
        String recorded = placement.hostOf().apply(name);
        NodeInfo node = recorded == null ? null : cluster.table().node(recorded);
        return node != null ? node : view.followerHost(name);
    }

    /** {@code ctx} as {@code host} answers it; null when it was not sent (that node is not listening). */
    private PeerClient.Response sendOn(Context ctx, NodeInfo host, String name) throws InterruptedException {
        String pathAndQuery = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
        try {
            return peers.send(host.httpAddress(), ctx.method().name(), pathAndQuery, ClusterRouting.headers(ctx),
                    ctx.bodyAsBytes(), timeout);
        } catch (PeerClient.NotSent e) {
            return null;
        } catch (IOException e) {
            throw new UnavailableException("node [" + host.name() + "], which hosts follower index [" + name + "], did"
                    + " not answer (" + e.getMessage() + "); ask that node directly, or retry", e);
        }
    }

    /** Whether {@code r} says the node has no index of that name. */
    private static boolean notFound(PeerClient.Response r) {
        return r.status() == 404 && "index_not_found_exception".equals(errorOf(r).path("type").asText());
    }

    /**
     * Sends follow request {@code ctx} ({@code PUT /<follower>/_ccr/follow}, the follower named by no node) to the node
     * the placement picks, with the caller's credentials, waiting {@code wait} besides for the follower to become
     * active, and writes that node's answer. Once that node made it, waits until this node read it in the cluster's
     * record, so that the next follow placed here counts it.
     *
     * @return true when it was sent on (the response is written), false when this node is to make it
     */
    public boolean forwardFollow(Context ctx, Duration wait) throws InterruptedException {
        String name = ctx.pathParam("index");
        NodeInfo host = ClusterRouting.forwarded(ctx) ? null : placed(name);
        if (host == null) {
            return false;
        }
        PeerClient.Response r;
        try {
            r = peers.send(host.httpAddress(), "PUT", ctx.path() + (ctx.queryString() == null ? ""
                    : "?" + ctx.queryString()), ClusterRouting.headers(ctx), ctx.bodyAsBytes(), timeout.plus(wait));
        } catch (IOException e) {
            throw notAnswered(host, name, e);
        }
        if (r.status() == 200) {
            placement.awaitKnown().await(name, RECORDED_TIMEOUT);
        }
        ClusterRouting.write(ctx, r);
        return true;
    }

    /**
     * Has the node the placement picks follow {@code leaderIndex} of {@code remoteCluster} as {@code name}, asked as
     * this node (an auto-follow pattern's follow); waits until this node read the new follower index in the cluster's
     * record.
     *
     * @return false when this node is to make it (nothing was sent)
     * @throws InvalidRequestException as that node refused it (400), {@link UnavailableException} otherwise
     */
    public boolean followOn(String name, String remoteCluster, String leaderIndex, FollowParameters parameters,
                            FollowerIndexSettings settings) throws InterruptedException {
        NodeInfo host = placed(name);
        if (host == null) {
            return false;
        }
        ObjectNode body = JSON.valueToTree(parameters.toJson());
        body.put("remote_cluster", remoteCluster).put("leader_index", leaderIndex);
        settings.own().flat().forEach(body.putObject("settings")::put);
        PeerClient.Response r;
        try {
            r = peers.sendAsNode(host.httpAddress(), "PUT", "/" + name + "/_ccr/follow",
                    Map.of("Content-Type", List.of("application/json")), JSON.writeValueAsBytes(body), timeout);
        } catch (IOException e) {
            throw notAnswered(host, name, e);
        }
        if (r.status() != 200) {
            JsonNode error = errorOf(r);
            String reason = "node [" + host.name() + "] could not follow [" + leaderIndex + "] as [" + name + "]: "
                    + error.path("reason").asText();
            throw r.status() == 400 ? InvalidRequestException.of(error.path("type").asText(
                    "illegal_argument_exception"), reason) : new UnavailableException(reason, null);
        }
        placement.awaitKnown().await(name, RECORDED_TIMEOUT);
        return true;
    }

    /** The node other than this one that a new follower index {@code name} goes to; null for this one. */
    private NodeInfo placed(String name) {
        String id = placement.placeNew().apply(name);
        return id == null || id.equals(cluster.nodeId()) ? null : cluster.table().node(id);
    }

    /** The {@code error} object of an answer in Elasticsearch's error shape; one with its status as the reason else. */
    private static JsonNode errorOf(PeerClient.Response r) {
        try {
            return JSON.readTree(r.body()).path("error");
        } catch (IOException e) {
            return JSON.createObjectNode().put("reason", "answered " + r.status());
        }
    }

    private static UnavailableException notAnswered(NodeInfo host, String name, IOException e) {
        return new UnavailableException("node [" + host.name() + "], which follower index [" + name + "] was to go"
                + " to, did not answer (" + e.getMessage() + "); retry: once the cluster has noticed that node is"
                + " gone, it goes to another", e);
    }
}
