package io.kccr.node.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kccr.core.cluster.CopyRole;
import io.kccr.core.cluster.NodeInfo;
import io.kccr.core.cluster.RoutingTable;
import io.kccr.core.cluster.ShardId;
import io.kccr.core.cluster.ShardPlacement;
import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.error.KccrException;
import io.kccr.core.error.UnavailableException;
import io.kccr.core.search.SearchExecutor;
import io.kccr.core.search.SearchLimits;
import io.kccr.core.search.SearchMerger;
import io.kccr.core.search.SearchRequest;
import io.kccr.core.search.SearchResponse;
import io.kccr.core.search.ShardsResult;
import io.kccr.core.search.ShardsResultJson;
import io.kccr.core.search.aggs.AggregationParser;
import io.kccr.core.search.aggs.AggregatorFactory;
import io.kccr.core.shard.ShardSearch;
import io.kccr.leader.LeaderIndex;
import io.kccr.core.index.IndexMetadata;
import io.kccr.core.shard.LuceneShard;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * A search of a leader index whose shards are on several nodes, as a coordinating node runs it: one copy of every
 * shard is chosen ({@code preference}: the primary by default, so that a search after a write with
 * {@code refresh=wait_for} sees it; {@code _local} prefers this node's copies; {@code _only_local} searches only
 * them; any other string picks the same copies for the same string), each node searches its chosen shards at once
 * and sends back its best {@code from + size} hits and its shards' aggregations, a shard that fails is tried on
 * another copy, and {@link SearchMerger} reduces the parts. Shards no copy could answer are reported in
 * {@code _shards.failures}, or fail the search with {@code allow_partial_search_results=false}. Thread-safe.
 */
public final class ClusterSearch {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The path a coordinating node sends a node's part of a search to. */
    public static final String SHARDS_PATH = "/_kccr/shards/";

    /** A search's answer and the shards it could not search. */
    public record Outcome(SearchResponse response, int searched, List<Failure> failures) {
        /** The response as Elasticsearch renders it, {@code _shards} telling the shards that failed. */
        public ObjectNode toJson(boolean typedKeys) {
            ObjectNode json = response.toJson(typedKeys);
            ObjectNode shards = (ObjectNode) json.get("_shards");
            shards.put("successful", searched);
            shards.put("failed", failures.size());
            if (!failures.isEmpty()) {
                ArrayNode list = shards.putArray("failures");
                for (Failure f : failures) {
                    ObjectNode o = list.addObject();
                    o.put("shard", f.shard().shard());
                    o.put("index", f.shard().index());
                    if (f.node() != null) {
                        o.put("node", f.node());
                    }
                    ObjectNode reason = o.putObject("reason");
                    reason.put("type", f.type());
                    reason.put("reason", f.reason());
                }
            }
            return json;
        }
    }

    /** A shard no copy could search. */
    public record Failure(ShardId shard, String node, String type, String reason) {
    }

    /**
     * An index whose shards are on several nodes, as a search needs it.
     *
     * @param name     its name
     * @param metadata its settings and mappings
     * @param copies   the nodes holding a copy of a shard, in the order a search with a {@code preference} (null:
     *                 none) tries them
     * @param local    this node's copy of a shard; null when it holds none
     */
    public record Target(String name, IndexMetadata metadata, Copies copies, IntFunction<LuceneShard> local) {
    }

    /** The nodes holding a copy of {@code shard}, in the order a search with {@code preference} tries them. */
    @FunctionalInterface
    public interface Copies {
        List<NodeInfo> of(int shard, String preference);
    }

    private final ClusterService cluster;
    private final PeerClient peers;
    private final Supplier<SearchLimits> limits;
    private final Function<String, Target> spreadFollowers;

    /**
     * @param spreadFollowers the follower index of that name spread over the nodes, as a search needs it; null when
     *                        it is not one or this node hosts no part of it ({@link SpreadFollowers#target})
     */
    public ClusterSearch(ClusterService cluster, PeerClient peers, Supplier<SearchLimits> limits,
                         Function<String, Target> spreadFollowers) {
        this.cluster = cluster;
        this.peers = peers;
        this.limits = limits;
        this.spreadFollowers = spreadFollowers;
    }

    /**
     * The follower index {@code name} spread over the nodes, as a search over its parts needs it; null when it is not
     * one, or this node hosts none of its parts.
     */
    public Target spreadFollower(String name) {
        return spreadFollowers.apply(name);
    }

    /** Whether a search of {@code index} with {@code preference} needs no node but this one. */
    public boolean servedHere(LeaderIndex index, String preference) {
        int n = index.metadata().numberOfShards();
        for (int s = 0; s < n; s++) {
            ShardId shard = new ShardId(index.name(), s);
            boolean started = cluster.localStarted(shard);
            boolean primary = cluster.localRole(shard) == CopyRole.PRIMARY;
            if (!started || (!primary && !"_local".equals(preference) && !"_only_local".equals(preference))) {
                return false;
            }
        }
        return true;
    }

    /** Leader index {@code index} as a search over its shards' copies on the cluster's nodes needs it. */
    public Target target(LeaderIndex index) {
        return new Target(index.name(), index.metadata(),
                (s, preference) -> copies(cluster.table(), new ShardId(index.name(), s), preference), index::copy);
    }

    /**
     * Runs {@code body} (with URL parameters {@code params}) over every shard of {@code index}.
     *
     * @param req the request as parsed from {@code body} and {@code params}
     */
    public Outcome search(LeaderIndex index, JsonNode body, Map<String, String> params, SearchRequest req)
            throws IOException, InterruptedException {
        return search(target(index), body, params, req);
    }

    /** {@link #search(LeaderIndex, JsonNode, Map, SearchRequest)} over the shards of any index on several nodes. */
    public Outcome search(Target index, JsonNode body, Map<String, String> params, SearchRequest req)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        String preference = params.get("preference");
        boolean partialAllowed = !"false".equals(params.get("allow_partial_search_results"));
        int n = index.metadata().numberOfShards();
        List<AggregatorFactory> factories = req.extras().aggregations() == null ? List.of()
                : AggregationParser.parse(req.extras().aggregations(), index.metadata().mappings(), n);
        Map<Integer, List<NodeInfo>> candidates = new TreeMap<>();
        List<Failure> failures = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            ShardId shard = new ShardId(index.name(), s);
            List<NodeInfo> copies = index.copies().of(s, preference);
            if (copies.isEmpty()) {
                failures.add(new Failure(shard, null, "no_shard_available_action_exception", "no copy of " + shard
                        + " is started" + ("_only_local".equals(preference) ? " on this node" : "")));
            } else {
                candidates.put(s, copies);
            }
        }
        List<ShardsResult> parts = new ArrayList<>();
        Map<Integer, String> lastError = new HashMap<>();
        int searched = 0;
        for (int attempt = 0; !candidates.isEmpty(); attempt++) {
            Map<NodeInfo, List<Integer>> byNode = new LinkedHashMap<>();
            for (Map.Entry<Integer, List<NodeInfo>> e : candidates.entrySet()) {
                byNode.computeIfAbsent(e.getValue().getFirst(), k -> new ArrayList<>()).add(e.getKey());
            }
            Map<NodeInfo, ShardsResult> answered = FanOut.ask(byNode.keySet(),
                    node -> part(node, index, byNode.get(node), body, params, factories), (node, cause) -> {
                        if (cause instanceof KccrException k && !(k instanceof UnavailableException)) {
                            throw k; // the request itself is bad: every copy would say so
                        }
                        for (int s : byNode.get(node)) {
                            lastError.put(s, node.name() + ": " + cause.getMessage());
                            List<NodeInfo> rest = new ArrayList<>(candidates.get(s));
                            rest.removeFirst();
                            if (rest.isEmpty()) {
                                candidates.remove(s);
                                failures.add(new Failure(new ShardId(index.name(), s), node.id(),
                                        "node_not_connected_exception", lastError.get(s)));
                            } else {
                                candidates.put(s, rest); // the next copy
                            }
                        }
                    });
            for (Map.Entry<NodeInfo, ShardsResult> e : answered.entrySet()) {
                List<Integer> shards = byNode.get(e.getKey());
                parts.add(e.getValue());
                searched += shards.size();
                shards.forEach(candidates::remove);
            }
        }
        if (!failures.isEmpty() && !partialAllowed) {
            throw new UnavailableException("Search rejected due to missing shards " + failures.stream()
                    .map(f -> f.shard().toString()).toList() + " (allow_partial_search_results is false): "
                    + failures.getFirst().reason(), null);
        }
        long took = (System.nanoTime() - start) / 1_000_000;
        SearchResponse merged = SearchMerger.merge(req, index.metadata().mappings(), parts, n,
                limits.get().maxBuckets(), took);
        return new Outcome(merged, searched, failures);
    }

    /** The copies of {@code shard} to try, in order, as {@code preference} asks. */
    private List<NodeInfo> copies(RoutingTable table, ShardId shard, String preference) {
        ShardPlacement p = table.placement(shard);
        List<NodeInfo> out = new ArrayList<>();
        if (p == null) {
            return out;
        }
        NodeInfo self = cluster.self();
        boolean localStarted = cluster.localRole(shard) != null && cluster.localStarted(shard);
        if ("_only_local".equals(preference)) {
            if (localStarted) {
                out.add(self);
            }
            return out;
        }
        List<String> ids = new ArrayList<>();
        if (p.primary() != null) {
            ids.add(p.primary());
        }
        ids.addAll(p.replicas());
        if (preference != null && !preference.startsWith("_") && ids.size() > 1) {
            // the same string picks the same copy: a user's searches see one consistent copy
            int first = Math.floorMod((preference + shard).hashCode(), ids.size());
            List<String> rotated = new ArrayList<>(ids.subList(first, ids.size()));
            rotated.addAll(ids.subList(0, first));
            ids = rotated;
        }
        if ("_local".equals(preference) && localStarted) {
            ids.remove(self.id());
            ids.addFirst(self.id());
        }
        for (String id : ids) {
            NodeInfo node = table.node(id);
            if (node != null) {
                out.add(node);
            }
        }
        return out;
    }

    /** One node's part: this node's searched in place, another's asked over HTTP. */
    private ShardsResult part(NodeInfo node, Target index, List<Integer> shards, JsonNode body,
                              Map<String, String> params, List<AggregatorFactory> factories) throws Exception {
        if (node.id().equals(cluster.nodeId())) {
            return searchHere(index, shards, body, params);
        }
        ObjectNode request = JSON.createObjectNode();
        ArrayNode list = request.putArray("shards");
        shards.forEach(list::add);
        request.set("body", body == null ? JSON.createObjectNode() : body);
        ObjectNode p = request.putObject("params");
        params.forEach(p::put);
        PeerClient.Response r;
        try {
            r = peers.sendAsNode(node.httpAddress(), "POST", SHARDS_PATH + index.name() + "/_search",
                    Map.of("Content-Type", List.of("application/json")), JSON.writeValueAsBytes(request),
                    Duration.ofSeconds(60));
        } catch (IOException e) {
            throw new io.kccr.core.error.UnavailableException("node [" + node.name() + "] did not answer: " + e, e);
        }
        JsonNode answer = JSON.readTree(r.body());
        if (r.status() == 400) {
            throw InvalidRequestException.illegalArgument(answer.path("error").path("reason").asText());
        }
        if (r.status() != 200) {
            throw new io.kccr.core.error.UnavailableException("node [" + node.name() + "] answered " + r.status()
                    + ": " + answer.path("error").path("reason").asText(), null);
        }
        return ShardsResultJson.fromJson(answer, factories);
    }

    /**
     * This node's part of a search: {@code body} over its copies of {@code shards}, which must be open here.
     *
     * @throws io.kccr.core.error.UnavailableException when a copy is not here (any more)
     */
    public ShardsResult searchHere(Target index, List<Integer> shards, JsonNode body, Map<String, String> params)
            throws IOException {
        int[] ids = shards.stream().mapToInt(Integer::intValue).sorted().toArray();
        List<LuceneShard> copies = new ArrayList<>();
        for (int s : ids) {
            LuceneShard copy = index.local().apply(s);
            if (copy == null) {
                throw io.kccr.core.error.UnavailableException.notHere(index.name(), s, "[" + index.name() + "][" + s
                        + "] has no copy on node [" + cluster.self().name() + "]");
            }
            copies.add(copy);
        }
        Map<String, String> p = new HashMap<>(params);
        p.remove("preference");
        p.remove("allow_partial_search_results");
        SearchRequest req = SearchRequest.parse(body == null || body.isNull() ? null : body, p,
                index.metadata().settings().maxResultWindow());
        SearchLimits l = limits.get();
        return ShardSearch.search(copies, searcher -> SearchExecutor.queryShards(searcher, index.name(), ids,
                index.metadata().numberOfShards(), index.metadata().mappings(), req, l));
    }

    /** Reads the body a coordinating node sends to {@link #SHARDS_PATH}: shards, search body, URL parameters. */
    public record PartRequest(List<Integer> shards, JsonNode body, Map<String, String> params) {
        public static PartRequest parse(byte[] json) throws IOException {
            JsonNode n = JSON.readTree(json);
            List<Integer> shards = new ArrayList<>();
            n.path("shards").forEach(s -> shards.add(s.asInt()));
            Map<String, String> params = new HashMap<>();
            n.path("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
            return new PartRequest(shards, n.get("body"), params);
        }
    }

    /** A node's part as JSON, for {@link #SHARDS_PATH}. */
    public static byte[] toJson(ShardsResult part) throws IOException {
        return JSON.writeValueAsString(ShardsResultJson.toJson(part)).getBytes(StandardCharsets.UTF_8);
    }
}
