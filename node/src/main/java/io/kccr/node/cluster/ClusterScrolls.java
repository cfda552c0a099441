package io.kccr.node.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kccr.core.error.NotFoundException;
import io.kccr.core.error.RejectedException;
import io.kccr.core.search.SearchContexts;
import io.kccr.core.search.SearchRequest;
import io.kccr.core.search.SearchResponse;
import io.kccr.core.search.fetch.SearchHit;
import io.kccr.node.search.SearchService;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scrolls over a leader index whose shards are on several nodes. Opening one opens a {@link ClusterPit point in time}
 * over one copy of every shard (the pinned readers, wherever they are, each a scroll context of its node, counted
 * against that node's {@code search.max_open_scroll_context}). Each page is a search of that point in time after the
 * last hit (the request's sort, else {@code _score}, with the point in time's {@code _shard_doc} tiebreaker: every
 * document of the opening exactly once, in the order one node would give), its keep-alive renewing every part. What
 * the next page needs (the request and the last hit's sort values) travels in the {@link ScrollId} each page answers,
 * not in any node: any node serves any page, and a scroll outlives the node it was opened through, as
 * Elasticsearch's do. A scroll is lost for the shards whose part's node is gone or whose part expired
 * ({@code search_context_missing}, or failed shards with partial results allowed). Thread-safe; it keeps no state.
 */
public final class ClusterScrolls {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final ClusterService cluster;
    private final PeerClient peers;
    private final ClusterPit pits;
    private final SearchContexts contexts;

    /** @param contexts the node's own contexts, whose keep-alive limit every scroll has */
    ClusterScrolls(ClusterService cluster, PeerClient peers, ClusterPit pits, SearchContexts contexts) {
        this.cluster = cluster;
        this.peers = peers;
        this.pits = pits;
        this.contexts = contexts;
    }

    /**
     * Opens a scroll over {@code index} and answers its first page ({@code body} and {@code params} as the user sent
     * them, {@code req} parsed from them). Nothing stays open when it fails.
     *
     * @throws RejectedException {@code too_many_scroll_contexts_exception} when a node holds
     *                           {@code search.max_open_scroll_context} scroll contexts already
     */
    public ClusterSearch.Outcome open(ClusterSearch.Target index, JsonNode body, Map<String, String> params, SearchRequest req,
                                      Duration keepAlive) throws IOException, InterruptedException {
        SearchService.checkScroll(req);
        PitId pit = pits.open(index, keepAlive, SearchContexts.Kind.SCROLL);
        ObjectNode next = body != null && body.isObject() ? ((ObjectNode) body).deepCopy() : JSON.createObjectNode();
        next.remove(List.of("pit", "search_after", "from", "aggs", "aggregations")); // aggregations: first page only
        Map<String, String> p = new HashMap<>(params);
        p.remove("scroll");
        p.remove("from");
        ScrollId id = new ScrollId(pit, next, p, !req.sort().isEmpty(), req.size(), null, false, keepAlive);
        try {
            return page(index, id, body);
        } catch (RuntimeException | IOException | InterruptedException e) {
            pits.close(pit);
            throw e;
        }
    }

    /**
     * The next page of scroll {@code id}; {@code keepAlive} replaces its keep-alive when given.
     *
     * @throws NotFoundException {@code search_context_missing_exception} when every part expired, was cleared or is
     *                           on a node that left (or one is, with {@code allow_partial_search_results=false})
     */
    public ClusterSearch.Outcome next(ClusterSearch.Target index, ScrollId id, Duration keepAlive)
            throws IOException, InterruptedException {
        if (keepAlive != null) {
            contexts.checkKeepAlive(keepAlive);
            id = id.keepAlive(keepAlive);
        }
        try {
            return page(index, id, id.body());
        } catch (NotFoundException e) {
            throw NotFoundException.searchContext(id.encode());
        }
    }

    /** Searches the scroll's point in time after its last hit ({@code request} on the first page). */
    private ClusterSearch.Outcome page(ClusterSearch.Target index, ScrollId id, JsonNode request)
            throws IOException, InterruptedException {
        ObjectNode body = request != null && request.isObject() ? ((ObjectNode) request).deepCopy()
                : JSON.createObjectNode();
        body.putObject("pit").put("id", id.pit().encode()).put("keep_alive", id.keepAlive().toMillis() + "ms");
        Map<String, String> params = id.params();
        if (id.done()) { // the previous page was the last: an empty page, as Elasticsearch answers
            body.put("size", 0);
            params = new HashMap<>(params);
            params.remove("size"); // the URL's size would win over the body's
        } else if (id.after() != null) {
            body.set("search_after", id.after());
        }
        SearchRequest req = SearchRequest.parse(body, params, index.metadata().settings().maxResultWindow());
        ClusterSearch.Outcome o = pits.search(index, id.pit(), body, params, req);
        SearchResponse r = o.response();
        ScrollId next = id.done() ? id : id.next(r.hits().isEmpty() || r.hits().size() < id.size() ? null
                : JSON.valueToTree(r.hits().getLast().sort()));
        List<SearchHit> hits = r.hits();
        if (!id.userSorted()) {
            hits = new ArrayList<>(hits.size());
            for (SearchHit h : r.hits()) {
                hits.add(h.withoutSort());
            }
        }
        SearchResponse page = new SearchResponse(r.took(), r.timedOut(), r.totalShards(), r.total(), r.maxScore(),
                hits, r.aggregations(), r.terminatedEarly(), next.encode(), null);
        return new ClusterSearch.Outcome(page, o.searched(), o.failures());
    }

    /** Clears scroll {@code id}, its parts wherever they are; returns how many shards' contexts it freed. */
    public int clear(ScrollId id) throws InterruptedException {
        return pits.close(id.pit());
    }

    /**
     * Clears every scroll context of every other node, each asked with the caller's {@code headers} (this node's own
     * are the search service's to clear); returns how many shards' contexts they freed. A node that does not answer
     * frees nothing: its contexts expire with their keep-alive.
     */
    public int clearOthers(Map<String, List<String>> headers) throws InterruptedException {
        byte[] body = "{\"scroll_id\":[\"_all\"]}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int freed = 0;
        for (int n : FanOut.ask(FanOut.others(cluster), node -> {
            PeerClient.Response r = peers.send(node.httpAddress(), "DELETE", "/_search/scroll", withJson(headers),
                    body, TIMEOUT);
            return JSON.readTree(r.body()).path("num_freed").asInt();
        }, (node, e) -> { }).values()) {
            freed += n;
        }
        return freed;
    }

    private static Map<String, List<String>> withJson(Map<String, List<String>> headers) {
        Map<String, List<String>> h = new HashMap<>(headers);
        h.keySet().removeIf(k -> k.equalsIgnoreCase("content-type"));
        h.put("Content-Type", List.of("application/json"));
        return h;
    }
}
