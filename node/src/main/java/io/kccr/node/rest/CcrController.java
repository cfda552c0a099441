package io.kccr.node.rest;

import io.kccr.node.indices.IndexResolver;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.error.NotFoundException;
import io.kccr.follower.FollowParameters;
import io.kccr.follower.FollowerIndex;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kccr.node.autofollow.AutoFollowStats;
import io.kccr.node.autofollow.AutoFollower;
import io.kccr.node.cluster.ClusterRouting;
import io.kccr.node.cluster.FollowerListings;
import io.kccr.node.cluster.FollowerRouter;
import io.kccr.node.follow.FollowRequests;
import io.kccr.node.follow.FollowerSettings;
import io.kccr.follower.FollowerIndexSettings;
import io.kccr.node.follow.FollowerCatalog;
import io.kccr.node.indices.ClosedIndices;
import io.kccr.node.indices.IndicesOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The cross-cluster replication APIs, with Elasticsearch's paths, fields and errors: follow,
 * pause_follow, resume_follow, unfollow, info, stats; and {@code _close}/{@code _open}. Client IO only:
 * each parses and checks its request, calls one service ({@link FollowerCatalog}, the unfollower, the
 * auto-follower), and renders what it answers as records ({@link CcrResponses}, {@link FollowStatsResponse}).
 */
final class CcrController {
    /** Elasticsearch's names of the requests, as its parsers name them in errors. */
    private static final String PUT_FOLLOW = "indices:admin/xpack/ccr/put_follow";
    private static final String RESUME_FOLLOW = "cluster:admin/xpack/ccr/resume_follow";
    /** What a follow body takes besides the ten parameters. */
    private static final Set<String> FOLLOW_KEYS = Set.of("remote_cluster", "leader_index", "settings",
            "data_stream_name");

    private final FollowerCatalog followers;
    private final IndexResolver indices;
    private final ClosedIndices closed;
    private final Unfollowing unfollowing;
    private final AutoFollower autoFollower;
    private final FollowerListings listings;
    private final FollowerRouter router;

    /**
     * Converts a paused, closed follower into a plain leader index (the runbook's unfollow step); refuses one
     * that is not (400).
     */
    public interface Unfollowing {
        void unfollow(String follower) throws IOException;
    }

    /**
     * @param cluster in a cluster of nodes, how to reach the others: the other nodes' parts of a listing of follower
     *                indices, the node a new follower index goes to; null for a node alone
     */
    CcrController(FollowerCatalog followers, IndexResolver indices, ClosedIndices closed, Unfollowing unfollowing,
                  AutoFollower autoFollower, ClusterRouting cluster) {
        this.autoFollower = autoFollower;
        this.listings = cluster == null ? null : cluster.listings();
        this.router = cluster == null ? null : cluster.followers();
        this.followers = followers;
        this.indices = indices;
        this.closed = closed;
        this.unfollowing = unfollowing;
    }

    /**
     * {@code PUT /<follower>/_ccr/follow}; in a cluster of nodes, once checked, sent to the node that is to host the
     * new follower index.
     */
    void follow(Context ctx) throws InterruptedException {
        String name = ctx.pathParam("index");
        FollowRequests.Body body = FollowRequests.read(Json.parseObject(ctx.bodyAsBytes()), PUT_FOLLOW, FOLLOW_KEYS)
                .require("remote_cluster").require("leader_index").validate();
        FollowerIndexSettings settings = FollowerSettings.parse(body.get("settings"));
        boolean wait = waitForActiveShards(ctx.queryParam("wait_for_active_shards"));
        Duration timeout = FollowRequests.timeout(ctx.queryParam("timeout"), Duration.ofSeconds(30));
        if (router != null && router.forwardFollow(ctx, wait ? timeout : Duration.ZERO)) {
            return;
        }
        CompletableFuture<Void> active = followers.follow(name, body.text("remote_cluster"),
                body.text("leader_index"), body.followParameters(), settings);
        boolean started = wait && awaitActive(active, timeout);
        active.cancel(false); // nothing waits on it any more
        render(ctx, new CcrResponses.Follow(true, started, started));
    }

    /** Elasticsearch's {@code wait_for_active_shards}: {@code all} or a count; 0 (the default) waits for none. */
    private static boolean waitForActiveShards(String value) {
        if (value == null || value.equals("0")) {
            return false;
        }
        if (value.equals("all")) {
            return true;
        }
        try {
            if (Integer.parseInt(value) > 0) {
                return true;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw InvalidRequestException.illegalArgument("failed to parse value [" + value + "] for [wait_for_active_shards]:"
                + " expected [all] or a non-negative number of shards");
    }

    /**
     * Whether the follower became active (its shards bootstrapped, streaming) within {@code timeout}; false when
     * not, as Elasticsearch answers then. A follower that failed meanwhile is the error the future holds.
     */
    private static boolean awaitActive(CompletableFuture<Void> active, Duration timeout) {
        try {
            active.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            active.cancel(false);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** {@code POST /<follower>/_ccr/rebootstrap}: copies the leader's files again (e.g. after history loss). */
    void rebootstrap(Context ctx) throws IOException {
        followers.rebootstrap(ctx.pathParam("index"));
        Responses.acknowledged(ctx);
    }

    /**
     * {@code POST /<follower>/_ccr/rebuild}: replays the leader's log into a fresh index, to its end
     * or to {@code as_of} (then the follower stays paused there); answers at once, progress in
     * {@code GET /<follower>/_recovery} and {@code _ccr/info}.
     */
    void rebuild(Context ctx) throws IOException {
        byte[] body = ctx.bodyAsBytes();
        followers.rebuild(ctx.pathParam("index"), shards -> RebuildRequests.asOf(Json.parseObject(body), shards));
        Responses.acknowledged(ctx);
    }

    /** {@code POST /<follower>/_ccr/pause_follow}. */
    void pause(Context ctx) throws IOException {
        followers.pause(ctx.pathParam("index"));
        Responses.acknowledged(ctx);
    }

    /**
     * {@code POST /<follower>/_ccr/resume_follow}: the body's parameters replace the follower's, and those it
     * leaves out are back to their defaults, as in Elasticsearch.
     */
    void resume(Context ctx) throws IOException {
        FollowParameters parameters = FollowRequests.read(Json.parseObject(ctx.bodyAsBytes()), RESUME_FOLLOW,
                Set.of()).validate().followParameters();
        followers.resume(ctx.pathParam("index"), parameters);
        Responses.acknowledged(ctx);
    }

    /** {@code POST /<follower>/_ccr/unfollow}: the follower must be paused and closed, as in Elasticsearch. */
    void unfollow(Context ctx) throws IOException {
        unfollowing.unfollow(ctx.pathParam("index"));
        Responses.acknowledged(ctx);
    }

    /**
     * {@code POST /<index>/_close}; an index closed already is acknowledged with no index listed and
     * {@code shards_acknowledged: false}, as Elasticsearch answers.
     */
    void close(Context ctx) {
        String name = ctx.pathParam("index");
        if (!indices.exists(name)) {
            throw NotFoundException.index(name);
        }
        render(ctx, closed.close(name) ? CcrResponses.Close.of(name) : CcrResponses.Close.none());
    }

    /** {@code POST /<index>/_open}. */
    void open(Context ctx) {
        String name = ctx.pathParam("index");
        if (!indices.exists(name)) {
            throw NotFoundException.index(name);
        }
        closed.open(name);
        render(ctx, new CcrResponses.Open(true, true));
    }

    /**
     * {@code GET /<index>/_ccr/info}: the followers among the indices the path names ({@code a,b}, {@code logs-*},
     * {@code _all}, with {@code ignore_unavailable}, {@code allow_no_indices}, {@code expand_wildcards}).
     */
    void info(Context ctx) throws InterruptedException {
        // wildcards reach closed followers too: closing is a step of the unfollow runbook, and info still lists them
        CcrResponses.Info here = CcrResponses.Info.of(followers(ctx, IndicesOptions.STRICT_EXPAND_OPEN_CLOSED)
                .stream().map(FollowerIndex::info).toList());
        if (!gathers(ctx)) {
            render(ctx, here);
            return;
        }
        List<JsonNode> merged = FollowerListings.merge(items(here, "/follower_indices"),
                FollowerListings.items(fromOthers(ctx), "/follower_indices"), "follower_index");
        checkNoIndices(ctx, IndicesOptions.STRICT_EXPAND_OPEN_CLOSED, merged);
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.putArray("follower_indices").addAll(merged);
        render(ctx, body);
    }

    /**
     * {@code GET /<index>/_ccr/stats}, the path resolved as for info; naming indices of which none is a follower is
     * Elasticsearch's 404 {@code resource_not_found_exception}.
     */
    void stats(Context ctx) throws InterruptedException {
        String expression = ctx.pathParam("index");
        FollowStatsResponse here = followStats(followers(ctx, IndicesOptions.STRICT_EXPAND_OPEN));
        Object body = here;
        int listed = here.indices().size();
        if (gathers(ctx)) {
            List<JsonNode> merged = FollowerListings.merge(items(here, "/indices"),
                    FollowerListings.items(fromOthers(ctx), "/indices"), "index");
            checkNoIndices(ctx, IndicesOptions.STRICT_EXPAND_OPEN, merged);
            ObjectNode all = Json.MAPPER.createObjectNode();
            all.putArray("indices").addAll(merged);
            body = all;
            listed = merged.size();
        }
        if (listed == 0 && !expression.equals("_all") && !expression.contains("*")) {
            throw NotFoundException.resource("No shard follow tasks for follower indices [" + expression + "]: none"
                    + " of them is a follower index (GET /" + expression + "/_ccr/info lists the followers)");
        }
        render(ctx, body);
    }

    /**
     * Whether the listing {@code ctx} asks for is the whole cluster's (a node of a cluster, asked by a client, an
     * expression that may name several indices): this node's part, merged with the other nodes'.
     */
    private boolean gathers(Context ctx) {
        return listings != null && !io.kccr.node.cluster.ClusterRouting.forwarded(ctx)
                && FollowerListings.multiTarget(ctx.pathParamMap().get("index"));
    }

    /** The other nodes' answers to this request, each for the follower indices it hosts. */
    private List<JsonNode> fromOthers(Context ctx) throws InterruptedException {
        return listings.fromOthers(ctx.path() + FollowerListings.partQuery(ctx.queryParam("expand_wildcards"), null));
    }

    private static List<JsonNode> items(Object body, String pointer) {
        return FollowerListings.items(List.of(Json.MAPPER.valueToTree(body)), pointer);
    }

    /** A listing of no index is a 404 with {@code allow_no_indices=false}, as {@link IndexResolver#resolve} answers. */
    private static void checkNoIndices(Context ctx, IndicesOptions defaults, List<JsonNode> merged) {
        if (merged.isEmpty() && !RequestParams.indicesOptions(ctx, defaults).allowNoIndices()) {
            throw NotFoundException.index(ctx.pathParam("index"));
        }
    }

    private List<FollowerIndex> followers(Context ctx, IndicesOptions defaults) {
        List<FollowerIndex> out = new ArrayList<>();
        String expression = ctx.pathParam("index");
        IndicesOptions options = RequestParams.indicesOptions(ctx, defaults);
        for (var index : gathers(ctx) ? indices.resolveInCluster(expression, options)
                : indices.resolve(expression, options)) {
            // itself when it is one (a part of a follower index spread over nodes is found by its key, not its name)
            FollowerIndex f = index instanceof FollowerIndex found ? found : followers.getOrNull(index.name());
            if (f != null) {
                out.add(f);
            }
        }
        return out;
    }

    /** {@code GET /_ccr/stats}: auto-follow stats and every follower's stats. */
    void allStats(Context ctx) throws InterruptedException {
        CcrResponses.CcrStats here = new CcrResponses.CcrStats(autoFollower.stats(), followStats(followers.all()));
        if (listings == null || io.kccr.node.cluster.ClusterRouting.forwarded(ctx)) {
            render(ctx, here);
            return;
        }
        // the follower indices are each node's own, listed once; the auto-follow rounds ran on one node at a time
        List<JsonNode> others = listings.fromOthers(ctx.path());
        AutoFollowStats auto = here.autoFollowStats();
        for (JsonNode other : others) {
            if (other.has("auto_follow_stats")) {
                try {
                    auto = auto.plus(Json.MAPPER.treeToValue(other.get("auto_follow_stats"), AutoFollowStats.class));
                } catch (IOException e) {
                    // a node of another version: its part is left out, as a node that did not answer is
                }
            }
        }
        ObjectNode body = Json.MAPPER.valueToTree(new CcrResponses.CcrStats(auto, here.followStats()));
        List<JsonNode> merged = FollowerListings.merge(FollowerListings.items(List.of(body), "/follow_stats/indices"),
                FollowerListings.items(others, "/follow_stats/indices"), "index");
        ((ObjectNode) body.path("follow_stats")).putArray("indices").addAll(merged);
        render(ctx, body);
    }

    private static FollowStatsResponse followStats(Collection<FollowerIndex> followers) {
        return new FollowStatsResponse(followers.stream()
                .map(f -> FollowStatsResponse.IndexStats.of(f.name(), f.stats(), f.recovery())).toList());
    }

    private static void render(Context ctx, Object body) {
        Responses.json(ctx, 200, json -> Json.MAPPER.writeValue(json, body));
    }
}
