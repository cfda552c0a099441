package io.kccr.node.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kccr.core.cluster.NodeInfo;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The other nodes' parts of a listing of follower indices ({@code GET /_ccr/stats}, {@code GET /<pattern>/_ccr/stats},
 * {@code GET /<pattern>/_ccr/info}, {@code GET /_cat/indices}): a follower index lives whole on the node that hosts
 * it, so a listing of the cluster's is this node's part and each other node's, as each host reports its own (never a
 * replica's view: a node lists only the follower indices it hosts). The other nodes are asked at once, as this node
 * (its internal key: the caller was authorized here), with the request's path and the options that make a node
 * answer with what it holds of the expression ({@link #partQuery}); the request is marked forwarded, so they answer
 * for themselves only. A node that does not answer is left out, as Elasticsearch lists what it can rather than fail.
 * Thread-safe.
 */
public final class FollowerListings {
    private static final Logger log = LoggerFactory.getLogger(FollowerListings.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final ClusterService cluster;
    private final PeerClient peers;

    public FollowerListings(ClusterService cluster, PeerClient peers) {
        this.cluster = cluster;
        this.peers = peers;
    }

    /**
     * The query that asks another node for its part of a multi-target expression: what it holds of the names, none of
     * them an error there ({@code ignore_unavailable}, {@code allow_no_indices}), the wildcards expanded as the caller
     * asked.
     *
     * @param expandWildcards the caller's {@code expand_wildcards}, or null
     * @param extra           further parameters, already encoded ({@code format=json}), or null
     */
    public static String partQuery(String expandWildcards, String extra) {
        StringBuilder q = new StringBuilder("?ignore_unavailable=true&allow_no_indices=true");
        if (expandWildcards != null) {
            q.append("&expand_wildcards=").append(URLEncoder.encode(expandWildcards, StandardCharsets.UTF_8));
        }
        if (extra != null) {
            q.append('&').append(extra);
        }
        return q.toString();
    }

    /**
     * Each other node's answer to {@code GET pathAndQuery}, parsed, in the table's order of the nodes; a node that
     * does not answer within a few seconds, or answers other than 200 (it holds none of the names), is left out.
     */
    public List<JsonNode> fromOthers(String pathAndQuery) throws InterruptedException {
        List<JsonNode> out = new ArrayList<>();
        Map<NodeInfo, PeerClient.Response> answers = FanOut.ask(FanOut.others(cluster),
                n -> peers.sendAsNode(n.httpAddress(), "GET", pathAndQuery, Map.of(), null, TIMEOUT),
                (n, e) -> log.debug("node [{}] did not answer {}; its follower indices are left out: {}", n.name(),
                        pathAndQuery, e.toString()));
        for (Map.Entry<NodeInfo, PeerClient.Response> e : answers.entrySet()) {
            if (e.getValue().status() != 200) {
                log.debug("node [{}] answered {} to {}", e.getKey().name(), e.getValue().status(), pathAndQuery);
                continue;
            }
            try {
                out.add(JSON.readTree(e.getValue().body()));
            } catch (java.io.IOException x) {
                log.debug("node [{}] answered {} with what is not JSON; left out", e.getKey().name(), pathAndQuery);
            }
        }
        return out;
    }

    /**
     * One listing of {@code local} (this node's items) and the items of {@code others} (each another node's),
     * each index once (named by the text field {@code key}): the first that names it counts, this node's before the
     * others', so a follower index two nodes briefly both host is listed once; the parts of one spread over nodes
     * are listed as one ({@link #add}). Sorted by {@code key}.
     */
    public static List<JsonNode> merge(List<JsonNode> local, List<JsonNode> others, String key) {
        java.util.Map<String, JsonNode> out = new java.util.TreeMap<>();
        for (JsonNode item : local) {
            add(out, item.path(key).asText(), item);
        }
        for (JsonNode item : others) {
            if (item.hasNonNull(key)) {
                add(out, item.path(key).asText(), item);
            }
        }
        return new ArrayList<>(out.values());
    }

    /**
     * Lists {@code item} under {@code name}, unless an item is listed under it: then, when both list {@code shards}
     * and none of {@code item}'s is listed (another part of a follower index spread over nodes), its shards join
     * the listed item's, and its figures are added to the listed item's.
     */
    private static void add(java.util.Map<String, JsonNode> out, String name, JsonNode item) {
        JsonNode listed = out.get(name);
        if (listed == null) {
            out.put(name, item.deepCopy());
            return;
        }
        if (!(listed instanceof ObjectNode l) || !(l.get("shards") instanceof ArrayNode shards)
                || !item.path("shards").isArray()) {
            return;
        }
        Set<Integer> ids = new HashSet<>();
        shards.forEach(s -> ids.add(s.path("shard_id").asInt()));
        for (JsonNode s : item.path("shards")) {
            if (ids.contains(s.path("shard_id").asInt())) {
                return; // the same copy, reported twice (it moved between the nodes' answers)
            }
        }
        item.path("shards").forEach(s -> shards.add(s.deepCopy()));
        item.fields().forEachRemaining(e -> {
            if (e.getValue().isIntegralNumber() && l.path(e.getKey()).isIntegralNumber()) {
                l.put(e.getKey(), l.path(e.getKey()).asLong() + e.getValue().asLong());
            }
        });
    }

    /** The elements of the array at {@code pointer} in each of {@code answers} (none where it is missing). */
    public static List<JsonNode> items(List<JsonNode> answers, String pointer) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode answer : answers) {
            JsonNode array = pointer.isEmpty() ? answer : answer.at(pointer);
            if (array.isArray()) {
                array.forEach(out::add);
            }
        }
        return out;
    }

    /** Whether {@code expression} may name several indices ({@code _all}, a wildcard, a comma list). */
    public static boolean multiTarget(String expression) {
        return expression == null || expression.isBlank() || expression.equals("_all") || expression.indexOf('*') >= 0
                || expression.indexOf(',') >= 0;
    }
}
