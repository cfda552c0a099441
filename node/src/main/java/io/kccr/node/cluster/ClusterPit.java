package io.kccr.node.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kccr.core.cluster.NodeInfo;
import io.kccr.core.cluster.ShardId;
import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.error.KccrException;
import io.kccr.core.error.NotFoundException;
import io.kccr.core.error.UnavailableException;
import io.kccr.core.search.SearchContexts;
import io.kccr.core.search.SearchLimits;
import io.kccr.core.search.SearchMerger;
import io.kccr.core.search.SearchRequest;
import io.kccr.core.search.SearchResponse;
import io.kccr.core.search.ShardsResult;
import io.kccr.core.search.ShardsResultJson;
import io.kccr.core.search.aggs.AggregationParser;
import io.kccr.core.search.aggs.AggregatorFactory;
import io.kccr.core.search.query.SortSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Points in time over an index whose shards are on several nodes (a leader index, a follower index spread over the
 * nodes: a {@link ClusterSearch.Target}), as Elasticsearch keeps them: the coordinating
 * node picks one copy of every shard (the primary, as {@link ClusterSearch} does), each node concerned pins its
 * chosen shards in a search context of its own ({@link PitParts}), and the id names every part ({@link PitId}). A
 * search with the id, received by any node, searches each part's pinned readers and merges them as
 * {@link ClusterSearch} merges a search; closing it closes every part. A part that is gone (expired, its node
 * restarted or left) is {@code search_context_missing_exception}: for its shards in {@code _shards.failures}, or for
 * the whole search when no part answered or {@code allow_partial_search_results} is false. The caller is authorized
 * by the node it asked; the parts are reached with the node's own key. Thread-safe.
 */
public final class ClusterPit {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final ClusterService cluster;
    private final PeerClient peers;
    private final ClusterSearch search;
    private final PitParts here;
    private final Supplier<SearchLimits> limits;
    private final ClusterScrolls scrolls;

    public ClusterPit(ClusterService cluster, PeerClient peers, ClusterSearch search, SearchContexts contexts,
                      Supplier<SearchLimits> limits) {
        this.cluster = cluster;
        this.peers = peers;
        this.search = search;
        this.here = new PitParts(contexts, limits);
        this.limits = limits;
        this.scrolls = new ClusterScrolls(cluster, peers, this, contexts);
    }

    /** Scrolls over the shards of several nodes, each a point in time of these coordinated by one node. */
    public ClusterScrolls scrolls() {
        return scrolls;
    }

    /** This node's parts of points in time opened through any node (the {@link PitParts#PATH} endpoints). */
    public PitParts parts() {
        return here;
    }

    /**
     * Opens a point in time over every shard of {@code index}, one copy each, wherever it is; returns its id. Every
     * part opened is closed again when another cannot be.
     */
    public String open(ClusterSearch.Target index, Duration keepAlive) throws IOException, InterruptedException {
        return open(index, keepAlive, SearchContexts.Kind.PIT).encode();
    }

    /**
     * {@link #open(ClusterSearch.Target, Duration)} with parts of {@code kind}: a scroll's parts count against each node's
     * {@code search.max_open_scroll_context}.
     */
    PitId open(ClusterSearch.Target index, Duration keepAlive, SearchContexts.Kind kind)
            throws IOException, InterruptedException {
        here.checkKeepAlive(keepAlive);
        Map<NodeInfo, List<Integer>> byNode = new LinkedHashMap<>();
        for (int s = 0; s < index.metadata().numberOfShards(); s++) {
            List<NodeInfo> copies = index.copies().of(s, null); // the primary first, as a search reads it
            NodeInfo node = copies.isEmpty() ? null : copies.getFirst();
            if (node == null) {
                throw new UnavailableException("no copy of [" + index.name()
                        + "][" + s + "] is started: open the point in time once the index is yellow (GET"
                        + " /_cluster/health/" + index.name() + "?wait_for_status=yellow)", null);
            }
            byNode.computeIfAbsent(node, k -> new ArrayList<>()).add(s);
        }
        RuntimeException[] failure = {null};
        List<PitId.Part> opened = new ArrayList<>(FanOut.ask(byNode.keySet(),
                node -> openPart(node, index, byNode.get(node), keepAlive, kind), (node, cause) -> {
                    if (failure[0] == null) {
                        failure[0] = cause instanceof RuntimeException r ? r
                                : new UnavailableException(cause.getMessage(), cause);
                    }
                }).values());
        PitId id = new PitId(index.name(), opened);
        if (failure[0] != null) {
            close(id);
            throw failure[0];
        }
        return id;
    }

    private PitId.Part openPart(NodeInfo node, ClusterSearch.Target index, List<Integer> shards, Duration keepAlive,
                                SearchContexts.Kind kind) throws IOException, InterruptedException {
        if (node.id().equals(cluster.nodeId())) {
            PitParts.Opened o = here.open(index, shards, keepAlive, kind);
            return new PitId.Part(node.id(), o.context(), shards, o.maxDocs());
        }
        ObjectNode request = JSON.createObjectNode();
        shards.forEach(request.putArray("shards")::add);
        request.put("keep_alive", keepAlive.toMillis() + "ms");
        request.put("kind", kind.name().toLowerCase(java.util.Locale.ROOT));
        JsonNode answer = send(node, index.name(), "_open", request);
        PitParts.Opened o = PitParts.Opened.fromJson(answer);
        return new PitId.Part(node.id(), o.context(), shards, o.maxDocs());
    }

    /**
     * Runs {@code req} (parsed from {@code body} and {@code params}) on point in time {@code id} of {@code index}.
     *
     * @throws NotFoundException {@code search_context_missing_exception} when no part answered, or one did not and
     *                           {@code allow_partial_search_results} is false
     */
    public ClusterSearch.Outcome search(ClusterSearch.Target index, PitId id, JsonNode body, Map<String, String> params,
                                        SearchRequest req) throws InterruptedException {
        long start = System.nanoTime();
        int n = index.metadata().numberOfShards();
        int[] maxDocs = id.maxDocs(n);
        String keepAlive = req.extras().pit().keepAlive();
        if (keepAlive != null) {
            here.checkKeepAlive(SearchContexts.keepAlive(keepAlive, "keep_alive"));
        }
        List<SortSpec> sort = SortSpec.withTiebreaker(req.sort(), SortSpec.SHARD_DOC);
        PitParts.checkSearchAfter(req, sort);
        List<AggregatorFactory> factories = req.extras().aggregations() == null ? List.of()
                : AggregationParser.parse(req.extras().aggregations(), index.metadata().mappings(), n);
        Map<PitId.Part, Throwable> partFailures = new LinkedHashMap<>();
        Map<PitId.Part, ShardsResult> answered = FanOut.ask(id.parts(), part -> searchPart(part, index,
                new PitParts.Search(part.context(), part.shards(), maxDocs, body, params, keepAlive), factories),
                partFailures::put);
        List<ShardsResult> results = new ArrayList<>();
        List<ClusterSearch.Failure> failures = new ArrayList<>();
        int searched = 0;
        boolean missing = false;
        for (PitId.Part part : id.parts()) {
            ShardsResult result = answered.get(part);
            if (result != null) {
                results.add(result);
                searched += part.shards().size();
            } else {
                Throwable cause = partFailures.get(part);
                if (cause instanceof KccrException k && !(k instanceof UnavailableException)
                        && !(k instanceof NotFoundException)) {
                    throw k; // the request itself is bad: every part would say so
                }
                boolean gone = cause instanceof NotFoundException;
                missing |= gone;
                for (int s : part.shards()) {
                    failures.add(new ClusterSearch.Failure(new ShardId(index.name(), s), part.node(),
                            gone ? "search_context_missing_exception" : "node_not_connected_exception",
                            cause.getMessage()));
                }
            }
        }
        boolean partialAllowed = !"false".equals(params.get("allow_partial_search_results"));
        if (results.isEmpty() || (!failures.isEmpty() && !partialAllowed)) {
            if (missing) {
                throw NotFoundException.searchContext(id.encode());
            }
            throw new UnavailableException("Search rejected due to missing shards " + failures.stream()
                    .map(f -> f.shard().toString()).toList() + ": " + failures.getFirst().reason()
                    + "; search again once the nodes answer, or open a new point in time", null);
        }
        SearchRequest merged = new SearchRequest(req.query(), req.postFilter(), req.from(), req.size(), sort,
                req.source(), req.trackTotalHitsUpTo(), req.trackScores(), req.seqNoPrimaryTerm(), req.version(),
                req.searchAfter(), req.extras());
        SearchResponse response = SearchMerger.merge(merged, index.metadata().mappings(), results, n,
                limits.get().maxBuckets(), (System.nanoTime() - start) / 1_000_000);
        return new ClusterSearch.Outcome(response.withContextIds(null, id.encode()), searched, failures);
    }

    private ShardsResult searchPart(PitId.Part part, ClusterSearch.Target index, PitParts.Search s,
                                    List<AggregatorFactory> factories) throws IOException, InterruptedException {
        if (part.node().equals(cluster.nodeId())) {
            return here.search(index, s);
        }
        NodeInfo node = cluster.table().node(part.node());
        if (node == null) {
            throw NotFoundException.searchContext(part.context()); // its node left the cluster, and its contexts too
        }
        return ShardsResultJson.fromJson(send(node, index.name(), "_search", s.toJson()), factories);
    }

    /** Closes every part of point in time {@code id}; returns how many shards' contexts were open (Elasticsearch's
     * {@code num_freed}). */
    public int close(PitId id) throws InterruptedException {
        int freed = 0;
        // a part whose node is unreachable is left out: its context expires with its keep-alive, as Elasticsearch
        // leaves it
        for (int n : FanOut.ask(id.parts(), part -> closePart(id.index(), part), (part, gone) -> { }).values()) {
            freed += n;
        }
        return freed;
    }

    private int closePart(String index, PitId.Part part) throws IOException, InterruptedException {
        if (part.node().equals(cluster.nodeId())) {
            return here.close(index, part.context());
        }
        NodeInfo node = cluster.table().node(part.node());
        if (node == null) {
            return 0;
        }
        ObjectNode request = JSON.createObjectNode();
        request.put("context", part.context());
        return send(node, index, "_close", request).path("freed").asInt();
    }

    /**
     * Sends {@code request} to {@code node}'s {@link PitParts#PATH} endpoint {@code action}, with the node's own key.
     *
     * @throws NotFoundException    when the node answers that the context is missing
     * @throws InvalidRequestException when it answers 400
     * @throws UnavailableException when it cannot be reached or fails otherwise
     */
    private JsonNode send(NodeInfo node, String index, String action, JsonNode request)
            throws IOException, InterruptedException {
        PeerClient.Response r;
        try {
            r = peers.sendAsNode(node.httpAddress(), "POST", PitParts.PATH + index + "/" + action,
                    Map.of("Content-Type", List.of("application/json")), JSON.writeValueAsBytes(request), TIMEOUT);
        } catch (IOException e) {
            throw new UnavailableException("node [" + node.name() + "] did not answer: " + e, e);
        }
        JsonNode answer = JSON.readTree(r.body());
        String reason = answer.path("error").path("reason").asText();
        if (r.status() == 404 && "search_context_missing_exception".equals(answer.path("error").path("type")
                .asText())) {
            throw NotFoundException.searchContext(request.path("context").asText());
        }
        if (r.status() == 400) {
            throw InvalidRequestException.of(answer.path("error").path("type").asText("illegal_argument_exception"),
                    reason);
        }
        if (r.status() != 200) {
            throw new UnavailableException("node [" + node.name() + "] answered " + r.status() + ": " + reason, null);
        }
        return answer;
    }
}
