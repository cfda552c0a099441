package io.kccr.node.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kccr.core.cluster.NodeInfo;
import io.kccr.core.error.NotFoundException;
import io.kccr.core.error.RejectedException;
import io.kccr.core.error.UnavailableException;
import io.kccr.core.search.SearchContexts;
import io.kccr.core.search.SearchRequest;
import io.kccr.core.search.SearchResponse;
import io.kccr.core.search.fetch.SearchHit;
import io.kccr.leader.LeaderIndex;
import io.kccr.node.search.SearchService;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Scrolls over a leader index whose shards are on several nodes. The node that receives the first request
 * coordinates the scroll: it opens a {@link ClusterPit point in time} over one copy of every shard (the pinned
 * readers, wherever they are), and keeps here what the next page needs: the request and the last hit's sort values.
 * Each page is a search of that point in time after the last hit (the request's sort, else {@code _score}, with the
 * point in time's {@code _shard_doc} tiebreaker: every document of the opening exactly once, in the order one node
 * would give), its keep-alive renewing the scroll here and every part. The {@link ScrollId} names this node: another
 * node that receives it sends the request here ({@link #forward}), with the caller's credentials. A scroll whose
 * coordinating node is gone is lost, as a search context of a node that left is ({@code search_context_missing}).
 * Scrolls coordinated here count against {@code search.max_open_scroll_context} with the node's own. Time comes from
 * the {@link Clock} given. Thread-safe; one scroll's pages are served one at a time.
 */
public final class ClusterScrolls {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** Where one scroll stands; guarded by itself. */
    private static final class Scroll {
        final ScrollId id;
        final PitId pit;
        /** The request of the next page, without {@code search_after}, aggregations or {@code pit}. */
        final ObjectNode body;
        final Map<String, String> params;
        final boolean userSorted;
        final int size;
        /** The last hit's sort values; null before the first page. */
        ArrayNode after;
        /** Whether a page came back short: every next one is empty. */
        boolean done;
        volatile Duration keepAlive;
        volatile long lastAccessMillis;

        Scroll(ScrollId id, PitId pit, ObjectNode body, Map<String, String> params, boolean userSorted, int size,
               Duration keepAlive, long now) {
            this.id = id;
            this.pit = pit;
            this.body = body;
            this.params = params;
            this.userSorted = userSorted;
            this.size = size;
            this.keepAlive = keepAlive;
            this.lastAccessMillis = now;
        }

        boolean expired(long now) {
            return now - lastAccessMillis > keepAlive.toMillis();
        }
    }

    private final ClusterService cluster;
    private final PeerClient peers;
    private final ClusterPit pits;
    private final SearchContexts contexts;
    private final Clock clock;
    private final Map<String, Scroll> open = new ConcurrentHashMap<>();

    /** @param contexts the node's own contexts: their scrolls count against the same limit */
    ClusterScrolls(ClusterService cluster, PeerClient peers, ClusterPit pits, SearchContexts contexts, Clock clock) {
        this.cluster = cluster;
        this.peers = peers;
        this.pits = pits;
        this.contexts = contexts;
        this.clock = clock;
    }

    /**
     * Opens a scroll over {@code index} and answers its first page ({@code body} and {@code params} as the user sent
     * them, {@code req} parsed from them).
     *
     * @throws RejectedException {@code too_many_scroll_contexts_exception} over {@code search.max_open_scroll_context}
     */
    public ClusterSearch.Outcome open(LeaderIndex index, JsonNode body, Map<String, String> params, SearchRequest req,
                                      Duration keepAlive) throws IOException, InterruptedException {
        SearchService.checkScroll(req);
        reap();
        int max = contexts.maxOpenScrolls();
        if (open.size() + contexts.count(SearchContexts.Kind.SCROLL) >= max) {
            throw RejectedException.tooManyScrollContexts(max);
        }
        PitId pit = PitId.decode(pits.open(index, keepAlive));
        ObjectNode next = body != null && body.isObject() ? ((ObjectNode) body).deepCopy() : JSON.createObjectNode();
        next.remove(List.of("pit", "search_after", "from", "aggs", "aggregations")); // aggregations: first page only
        Map<String, String> p = new HashMap<>(params);
        p.remove("scroll");
        p.remove("from");
        ScrollId id = new ScrollId(cluster.nodeId(), UUID.randomUUID().toString(), index.name());
        Scroll scroll = new Scroll(id, pit, next, p, !req.sort().isEmpty(), req.size(), keepAlive, clock.millis());
        open.put(id.context(), scroll);
        synchronized (scroll) {
            try {
                return page(index, scroll, body);
            } catch (RuntimeException | IOException | InterruptedException e) {
                clear(id);
                throw e;
            }
        }
    }

    /**
     * The next page of scroll {@code id}, coordinated here; {@code keepAlive} replaces its keep-alive when given.
     *
     * @throws NotFoundException {@code search_context_missing_exception} when it expired, was cleared or never was
     */
    public ClusterSearch.Outcome next(LeaderIndex index, ScrollId id, Duration keepAlive)
            throws IOException, InterruptedException {
        Scroll scroll = use(id);
        if (!scroll.id.index().equals(index.name())) {
            throw NotFoundException.searchContext(id.encode());
        }
        if (keepAlive != null) {
            contexts.checkKeepAlive(keepAlive);
            scroll.keepAlive = keepAlive;
        }
        synchronized (scroll) {
            return page(index, scroll, scroll.body);
        }
    }

    private Scroll use(ScrollId id) {
        Scroll scroll = open.get(id.context());
        long now = clock.millis();
        if (scroll != null && scroll.expired(now)) {
            open.remove(id.context(), scroll); // its parts expire on their nodes with the same keep-alive
            scroll = null;
        }
        if (scroll == null || !scroll.id.equals(id)) {
            throw NotFoundException.searchContext(id.encode());
        }
        scroll.lastAccessMillis = now;
        return scroll;
    }

    /** Searches the scroll's point in time after its last hit ({@code request} on the first page) and moves on. */
    private ClusterSearch.Outcome page(LeaderIndex index, Scroll scroll, JsonNode request)
            throws IOException, InterruptedException {
        ObjectNode body = request != null && request.isObject() ? ((ObjectNode) request).deepCopy()
                : JSON.createObjectNode();
        body.putObject("pit").put("id", scroll.pit.encode()).put("keep_alive", scroll.keepAlive.toMillis() + "ms");
        Map<String, String> params = scroll.params;
        if (scroll.done) { // the previous page was the last: an empty page, as Elasticsearch answers
            body.put("size", 0);
            params = new HashMap<>(params);
            params.remove("size"); // the URL's size would win over the body's
        } else if (scroll.after != null) {
            body.set("search_after", scroll.after);
        }
        SearchRequest req = SearchRequest.parse(body, params, index.metadata().settings().maxResultWindow());
        ClusterSearch.Outcome o = pits.search(index, scroll.pit, body, params, req);
        SearchResponse r = o.response();
        if (!scroll.done) {
            if (r.hits().isEmpty() || r.hits().size() < scroll.size) {
                scroll.done = true;
            } else {
                scroll.after = JSON.valueToTree(r.hits().getLast().sort());
            }
        }
        List<SearchHit> hits = r.hits();
        if (!scroll.userSorted) {
            hits = new ArrayList<>(hits.size());
            for (SearchHit h : r.hits()) {
                hits.add(h.withoutSort());
            }
        }
        SearchResponse page = new SearchResponse(r.took(), r.timedOut(), r.totalShards(), r.total(), r.maxScore(),
                hits, r.aggregations(), r.terminatedEarly(), scroll.id.encode(), null);
        return new ClusterSearch.Outcome(page, o.searched(), o.failures());
    }

    /** Clears scroll {@code id} coordinated here; returns how many shards' contexts it freed (0: it was not open). */
    public int clear(ScrollId id) throws InterruptedException {
        Scroll scroll = open.get(id.context());
        if (scroll == null || !scroll.id.equals(id) || !open.remove(id.context(), scroll)) {
            return 0;
        }
        return pits.close(scroll.pit);
    }

    /** Clears every scroll coordinated here; returns how many shards' contexts they freed. */
    public int clearAll() throws InterruptedException {
        int freed = 0;
        for (Scroll s : new ArrayList<>(open.values())) {
            freed += clear(s.id);
        }
        return freed;
    }

    /**
     * Clears the scrolls {@code ids} coordinated by other nodes, each node asked for its own with the caller's
     * {@code headers}, and with {@code all} every scroll of every other node; returns how many shards' contexts they
     * freed. A node that left or does not answer frees nothing: its scrolls' parts expire with their keep-alive.
     */
    public int clearElsewhere(List<ScrollId> ids, boolean all, Map<String, List<String>> headers)
            throws InterruptedException {
        Map<NodeInfo, List<String>> byNode = new LinkedHashMap<>();
        if (all) {
            FanOut.others(cluster).forEach(n -> byNode.put(n, List.of("_all")));
        } else {
            for (ScrollId id : ids) {
                NodeInfo node = cluster.table().node(id.node());
                if (node != null && !node.id().equals(cluster.nodeId())) {
                    byNode.computeIfAbsent(node, k -> new ArrayList<>()).add(id.encode());
                }
            }
        }
        int freed = 0;
        for (int n : FanOut.ask(byNode.keySet(), node -> {
            ObjectNode body = JSON.createObjectNode();
            byNode.get(node).forEach(body.putArray("scroll_id")::add);
            PeerClient.Response r = peers.send(node.httpAddress(), "DELETE", "/_search/scroll", withJson(headers),
                    JSON.writeValueAsBytes(body), TIMEOUT);
            return JSON.readTree(r.body()).path("num_freed").asInt();
        }, (node, e) -> { }).values()) {
            freed += n;
        }
        return freed;
    }

    /** Whether this node coordinates scroll {@code id}. */
    public boolean coordinatedHere(ScrollId id) {
        return id.node().equals(cluster.nodeId());
    }

    /**
     * Sends a request for scroll {@code id} to the node that coordinates it, with the caller's {@code headers}.
     *
     * @return that node's answer, or null when this node coordinates it
     * @throws NotFoundException    {@code search_context_missing_exception} when that node left the cluster
     * @throws UnavailableException when it cannot be reached
     */
    public PeerClient.Response forward(ScrollId id, String method, String pathAndQuery,
                                       Map<String, List<String>> headers, byte[] body) throws InterruptedException {
        if (coordinatedHere(id)) {
            return null;
        }
        NodeInfo node = cluster.table().node(id.node());
        if (node == null) {
            throw NotFoundException.searchContext(id.encode()); // its node left the cluster, and its scrolls too
        }
        try {
            return peers.send(node.httpAddress(), method, pathAndQuery, headers, body, TIMEOUT);
        } catch (IOException e) {
            throw new UnavailableException("node [" + node.name() + "], which coordinates this scroll, did not answer ("
                    + e.getMessage() + "); retry, or start the scroll again", e);
        }
    }

    private void reap() {
        long now = clock.millis();
        open.values().removeIf(s -> s.expired(now));
    }

    private static Map<String, List<String>> withJson(Map<String, List<String>> headers) {
        Map<String, List<String>> h = new HashMap<>(headers);
        h.keySet().removeIf(k -> k.equalsIgnoreCase("content-type"));
        h.put("Content-Type", List.of("application/json"));
        return h;
    }
}
