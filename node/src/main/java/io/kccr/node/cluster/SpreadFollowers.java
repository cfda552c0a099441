package io.kccr.node.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.kccr.core.cluster.NodeInfo;
import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.error.UnavailableException;
import io.kccr.core.index.IndexNames;
import io.kccr.core.routing.ShardRouting;
import io.kccr.follower.FollowerIndex;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.function.Function;

/**
 * Serves a request about a follower index spread over the cluster's nodes (one part per shard, each hosted by a node,
 * kept under its key {@code <index>#<shard>}), from whichever node it reaches, as Elasticsearch's coordinating node
 * serves an index whose shards are on several nodes. Each part's host serves the request for its part, named by the
 * part's key, as a client reaching it directly would be served (with the caller's credentials; a part is authorized
 * as its index):
 * <ul>
 *   <li>a search or count, a scroll's first page, the opening of a point in time, or a {@code _mget} or
 *       {@code _msearch} naming it in its path, is run by a node holding a part
 *       ({@link ClusterSearch}, {@link ClusterPit} over every part); a node holding none sends it on to the host of
 *       the first part;</li>
 *   <li>a get by id goes to the part holding the shard its id (or {@code routing}) routes to;</li>
 *   <li>any other read ({@code _ccr/stats}, {@code _recovery}, {@code _stats}, {@code _settings}, ...) is asked of
 *       every part, and their answers are merged ({@link #merge}): lists of shards joined, figures added;</li>
 *   <li>a change ({@code pause_follow}, {@code resume_follow}, {@code _settings}, a delete, ...) is sent to every part;
 *       the first refusal is the answer, else the first part's;</li>
 *   <li>{@code _ccr/unfollow} is refused: it turns a follower index into a leader index on one node; so are, not
 *       yet supported, close and open ({@link #NOT_YET}).
 *       A shard's own request (its digest) goes to its part.</li>
 * </ul>
 * Thread-safe.
 */
public final class SpreadFollowers {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Requests a spread follower index cannot serve yet: closing and opening one index is not its parts', a restore
     * session copies whole indices.
     */
    private static final java.util.Set<String> NOT_YET = java.util.Set.of("/_ccr/restore_session", "/_close",
            "/_open");

    /** Requests a node holding a part runs itself, over every part. */
    private static final java.util.Set<String> COORDINATED = java.util.Set.of("/_search", "/_count", "/_pit", "/_mget",
            "/_msearch");

    private final ClusterService cluster;
    private final PeerClient peers;
    private final Function<String, FollowerIndex> hosted;
    private final Function<String, SortedMap<Integer, String>> partHosts;
    private final Duration timeout;

    /**
     * @param hosted    the follower (or part of one, by its key) this node hosts; null for none
     * @param partHosts the id of the node hosting each part of the follower index of that name, by shard; empty when
     *                  it is not spread
     * @param timeout   how long a part's host may take to answer
     */
    public SpreadFollowers(ClusterService cluster, PeerClient peers, Function<String, FollowerIndex> hosted,
                           Function<String, SortedMap<Integer, String>> partHosts, Duration timeout) {
        this.cluster = cluster;
        this.peers = peers;
        this.hosted = hosted;
        this.partHosts = partHosts;
        this.timeout = timeout;
    }

    /**
     * Follower index {@code name} spread over the nodes as a search over its parts needs it ({@link ClusterSearch}):
     * each shard's one copy is its part's host; null when it is not spread or this node hosts none of its parts (its
     * settings and mappings are a part's).
     */
    public ClusterSearch.Target target(String name) {
        SortedMap<Integer, String> hosts = partHosts.apply(name);
        FollowerIndex any = null;
        for (int s : hosts.keySet()) {
            any = any != null ? any : hosted.apply(IndexNames.partKey(name, s));
        }
        if (any == null) {
            return null;
        }
        String self = cluster.nodeId();
        return new ClusterSearch.Target(name, any.metadata(), (s, preference) -> {
            NodeInfo node = hosts.get(s) == null ? null : cluster.table().node(hosts.get(s));
            boolean onlyLocal = "_only_local".equals(preference);
            return node == null || (onlyLocal && !node.id().equals(self)) ? List.of() : List.of(node);
        }, s -> {
            FollowerIndex part = hosted.apply(IndexNames.partKey(name, s));
            return part == null ? null : part.copy(s);
        });
    }

    /**
     * Serves {@code ctx}, about follower index {@code name} whose parts {@code hosts} has (the id of the node hosting
     * each, by shard).
     *
     * @return false when this node runs it itself (a search or count, with a part here); true when it is answered
     */
    public boolean serve(Context ctx, String name, SortedMap<Integer, String> hosts) throws InterruptedException {
        String path = ctx.path();
        int slash = path.indexOf('/', 1);
        if (path.startsWith("/_") || hosts.isEmpty()) {
            return false; // a listing or a cluster API naming the index (_cat/..., _cluster/health/...): served here
        }
        String rest = slash < 0 ? "" : path.substring(slash);
        String method = ctx.method().name();
        if (COORDINATED.contains(rest)) {
            if (hosts.keySet().stream().anyMatch(s -> hosted.apply(IndexNames.partKey(name, s)) != null)) {
                return false;
            }
            int first = hosts.firstKey();
            ClusterRouting.write(ctx, send(ctx, hosts.get(first), "/" + encode(name) + rest, name));
            return true;
        }
        if (rest.equals("/_ccr/unfollow")) {
            throw InvalidRequestException.illegalArgument("cannot unfollow [" + name + "]: its shards are spread over "
                    + new java.util.HashSet<>(hosts.values()).size() + " nodes, and a follower index becomes a leader"
                    + " index on one node; to keep its documents, reindex it into a new index");
        }
        if (NOT_YET.contains(rest)) {
            throw InvalidRequestException.illegalArgument("[" + rest.substring(1) + "] is not supported yet on"
                    + " follower index [" + name + "], whose shards are spread over the cluster's nodes; search it"
                    + " with POST /" + name + "/_search (page with search_after) and get its documents with GET /"
                    + name + "/_doc/<id>");
        }
        String id = ctx.pathParamMap().get("id");
        String shardParam = ctx.pathParamMap().get("shard");
        if (shardParam != null && shardParam.matches("\\d{1,9}") && hosts.containsKey(Integer.parseInt(shardParam))) {
            int shard = Integer.parseInt(shardParam); // a shard's own request (its digest) goes to its part
            ClusterRouting.write(ctx, toPart(ctx, name, shard, hosts.get(shard), rest));
            return true;
        }
        if (id != null && (method.equals("GET") || method.equals("HEAD"))) {
            String routing = ctx.queryParam("routing");
            int shard = shardOf(routing != null ? routing : id, hosts);
            PeerClient.Response r = toPart(ctx, name, shard, hosts.get(shard), rest);
            ClusterRouting.write(ctx, method.equals("HEAD") ? r : merged(r, name, List.of(r), false));
            return true;
        }
        Map<Integer, PeerClient.Response> answers = new LinkedHashMap<>();
        for (Map.Entry<Integer, String> part : hosts.entrySet()) { // in shard order: a refusal comes from one part
            PeerClient.Response r = toPart(ctx, name, part.getKey(), part.getValue(), rest);
            if (r.status() >= 300 && !method.equals("GET") && !method.equals("HEAD")) {
                ClusterRouting.write(ctx, r);
                return true;
            }
            answers.put(part.getKey(), r);
        }
        PeerClient.Response first = answers.values().iterator().next();
        PeerClient.Response refused = answers.values().stream().filter(r -> r.status() >= 300).findFirst()
                .orElse(null);
        ClusterRouting.write(ctx, refused != null ? refused : method.equals("HEAD") ? first
                : merged(first, name, answers.values(), rest.equals("/_ccr/info")));
        return true;
    }

    /**
     * A realtime get of document {@code id} of follower index {@code name}, when it is spread over the nodes, as the
     * host of the part its id routes to answers {@code GET /<part>/_doc/<id>} to the caller of {@code ctx} (an item of
     * a {@code _mget}); null when {@code name} is not spread.
     */
    public PeerClient.Response get(Context ctx, String name, String id) throws InterruptedException {
        SortedMap<Integer, String> hosts = partHosts.apply(name);
        if (hosts.isEmpty()) {
            return null;
        }
        int shard = shardOf(id, hosts);
        NodeInfo node = node(hosts.get(shard), name);
        try {
            return peers.send(node.httpAddress(), "GET", "/" + encode(IndexNames.partKey(name, shard)) + "/_doc/"
                    + encode(id), ClusterRouting.headers(ctx), null, timeout);
        } catch (IOException e) {
            throw notAnswered(node, name, e);
        }
    }

    /** The shard {@code routing} (a document's id or routing) routes to, of the index whose parts {@code hosts} has. */
    private static int shardOf(String routing, SortedMap<Integer, String> hosts) {
        // one part per shard: the last shard's part tells the count even if another is briefly not recorded
        return ShardRouting.shardFor(routing, Math.max(hosts.size(), hosts.lastKey() + 1));
    }

    /** {@code ctx} sent to the host (node {@code node}) of part {@code shard} of {@code name}, naming the part. */
    private PeerClient.Response toPart(Context ctx, String name, int shard, String node, String rest)
            throws InterruptedException {
        return send(ctx, node, "/" + encode(IndexNames.partKey(name, shard)) + rest, name);
    }

    private PeerClient.Response send(Context ctx, String nodeId, String path, String name)
            throws InterruptedException {
        NodeInfo node = node(nodeId, name);
        try {
            return peers.send(node.httpAddress(), ctx.method().name(), path
                            + (ctx.queryString() == null ? "" : "?" + ctx.queryString()), ClusterRouting.headers(ctx),
                    ctx.bodyAsBytes(), timeout);
        } catch (IOException e) {
            throw notAnswered(node, name, e);
        }
    }

    /** The node of id {@code nodeId}, hosting a part of {@code name}; a 503 when it is not in the cluster. */
    private NodeInfo node(String nodeId, String name) {
        NodeInfo node = nodeId == null ? null : cluster.table().node(nodeId);
        if (node == null) {
            throw new UnavailableException("a part of follower index [" + name + "] is on node [" + nodeId + "],"
                    + " which is not in the cluster; retry once the cluster has noticed (another node adopts it)",
                    null);
        }
        return node;
    }

    private static UnavailableException notAnswered(NodeInfo node, String name, IOException e) {
        return new UnavailableException("node [" + node.name() + "], which hosts a part of follower index [" + name
                + "], did not answer (" + e.getMessage() + "); retry", e);
    }

    /** The parts' answers as one ({@link #merge}), with {@code first}'s status and content type. */
    private static PeerClient.Response merged(PeerClient.Response first, String name,
                                              java.util.Collection<PeerClient.Response> answers, boolean info) {
        try {
            List<JsonNode> parts = new ArrayList<>();
            for (PeerClient.Response r : answers) {
                parts.add(JSON.readTree(r.body()));
            }
            JsonNode one = info ? info(parts) : merge(parts, name);
            return new PeerClient.Response(first.status(), first.contentType(), JSON.writeValueAsBytes(one));
        } catch (IOException | RuntimeException e) {
            return first; // not JSON (a cat table): the first part's
        }
    }

    /**
     * The answers of every part of follower index {@code name} to a read as one:
     * <ul>
     *   <li>objects are merged field by field;</li>
     *   <li>lists are joined (each part lists its own shards), an item about the same index as one before
     *       ({@code _ccr/stats} lists indices) merged into it;</li>
     *   <li>numbers are added (documents, bytes, shards, lag);</li>
     *   <li>a boolean is true when every part's is (identical, acknowledged);</li>
     *   <li>any other value is the first part's;</li>
     *   <li>a part's key, as a field's name or a value, is taken as the index's name.</li>
     * </ul>
     */
    static JsonNode merge(List<JsonNode> parts, String name) {
        JsonNode out = null;
        for (JsonNode part : parts) {
            out = out == null ? renamed(part.deepCopy(), name) : mergeInto(out, renamed(part, name));
        }
        return out;
    }

    private static JsonNode mergeInto(JsonNode into, JsonNode from) {
        if (into instanceof ObjectNode o && from instanceof ObjectNode f) {
            Iterator<Map.Entry<String, JsonNode>> it = f.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode mine = o.get(e.getKey());
                o.set(e.getKey(), mine == null ? e.getValue().deepCopy() : mergeInto(mine, e.getValue()));
            }
            return o;
        }
        if (into instanceof ArrayNode a && from instanceof ArrayNode f) {
            for (JsonNode v : f) {
                JsonNode same = sameIndex(a, v);
                if (same != null) {
                    mergeInto(same, v);
                } else {
                    a.add(v.deepCopy());
                }
            }
            return a;
        }
        if (into.isBoolean() && from.isBoolean()) { // true of the index when true of every part (identical, acked)
            return JSON.getNodeFactory().booleanNode(into.asBoolean() && from.asBoolean());
        }
        if (into.isIntegralNumber() && from.isIntegralNumber()) {
            return JSON.getNodeFactory().numberNode(into.longValue() + from.longValue());
        }
        if (into.isNumber() && from.isNumber()) {
            return JSON.getNodeFactory().numberNode(into.doubleValue() + from.doubleValue());
        }
        return into;
    }

    /** The item of {@code list} about the same index as {@code item} (its {@code index} field names it), or null. */
    private static JsonNode sameIndex(ArrayNode list, JsonNode item) {
        JsonNode index = item.get("index");
        if (index == null || !index.isTextual()) {
            return null;
        }
        for (JsonNode mine : list) {
            if (index.equals(mine.get("index"))) {
                return mine;
            }
        }
        return null;
    }

    /**
     * {@code node} with the fields named by a part's key of {@code name}, and the values that are one (an
     * {@code _index}), named {@code name}, at any depth.
     */
    private static JsonNode renamed(JsonNode node, String name) {
        if (node instanceof ObjectNode o) {
            ObjectNode out = JSON.createObjectNode();
            o.fields().forEachRemaining(e -> out.set(IndexNames.indexOfPart(e.getKey()).equals(name)
                    ? name : e.getKey(), renamed(e.getValue(), name)));
            return out;
        }
        if (node instanceof ArrayNode a) {
            ArrayNode out = JSON.createArrayNode();
            a.forEach(v -> out.add(renamed(v, name)));
            return out;
        }
        if (node.isTextual() && IndexNames.shardOfPart(node.asText()) >= 0
                && IndexNames.indexOfPart(node.asText()).equals(name)) {
            return JSON.getNodeFactory().textNode(name);
        }
        return node;
    }

    /**
     * {@code _ccr/info} of a spread follower index: every part defines it alike, so the first part's entry stands,
     * active when any part is.
     */
    private static JsonNode info(List<JsonNode> parts) {
        ObjectNode out = parts.getFirst().deepCopy();
        JsonNode entry = out.path("follower_indices").path(0);
        boolean active = parts.stream().anyMatch(p -> "active".equals(p.at("/follower_indices/0/status").asText()));
        if (entry instanceof ObjectNode o && active) {
            o.put("status", "active");
        }
        return out;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
