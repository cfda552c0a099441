package io.kccr.node.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.error.NotFoundException;
import io.kccr.core.error.UnavailableException;
import io.kccr.core.search.SearchContexts;
import io.kccr.core.search.SearchExecutor;
import io.kccr.core.search.SearchLimits;
import io.kccr.core.search.SearchRequest;
import io.kccr.core.search.ShardsResult;
import io.kccr.core.search.fetch.SearchHit;
import io.kccr.core.search.query.SortSpec;
import io.kccr.core.shard.PinnedReader;
import io.kccr.core.shard.LuceneShard;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.lucene.index.IndexReaderContext;
import org.apache.lucene.search.IndexSearcher;

/**
 * This node's parts of points in time opened through any node of the cluster ({@link ClusterPit}): a search context
 * over this node's copies of some shards, searched as {@link ClusterSearch#SHARDS_PATH} searches (the best
 * {@code from + size} hits with their raw sort values, each shard's aggregations), {@code _shard_doc} numbered as
 * over the whole index ({@link ShardDocs}). The contexts are the node's own ({@link SearchContexts}: its limits and
 * keep-alive expiry). Thread-safe.
 */
public final class PitParts {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Where a coordinating node opens ({@code <index>/_open}), searches and closes a part of a point in time. */
    public static final String PATH = "/_kccr/pit/";

    /** A part as opened: its context and the {@code maxDoc} of each shard it pinned. */
    public record Opened(String context, List<Integer> maxDocs) {
        public JsonNode toJson() {
            ObjectNode o = JSON.createObjectNode();
            o.put("context", context);
            maxDocs.forEach(o.putArray("max_docs")::add);
            return o;
        }

        static Opened fromJson(JsonNode o) {
            List<Integer> maxDocs = new ArrayList<>();
            o.path("max_docs").forEach(v -> maxDocs.add(v.asInt()));
            return new Opened(o.path("context").asText(), maxDocs);
        }
    }

    /**
     * A search of one part.
     *
     * @param context   the part's context
     * @param shards    the shards it reads, ascending
     * @param maxDocs   every shard's pinned {@code maxDoc}, in shard order (from the id)
     * @param body      the search body as the user sent it
     * @param params    its URL parameters
     * @param keepAlive the new keep-alive, or null to keep the one it has
     */
    public record Search(String context, List<Integer> shards, int[] maxDocs, JsonNode body,
                         Map<String, String> params, String keepAlive) {
        JsonNode toJson() {
            ObjectNode o = JSON.createObjectNode();
            o.put("context", context);
            shards.forEach(o.putArray("shards")::add);
            ArrayNode m = o.putArray("max_docs");
            for (int v : maxDocs) {
                m.add(v);
            }
            o.set("body", body == null ? JSON.createObjectNode() : body);
            ObjectNode p = o.putObject("params");
            params.forEach(p::put);
            if (keepAlive != null) {
                o.put("keep_alive", keepAlive);
            }
            return o;
        }

        public static Search parse(byte[] json) throws IOException {
            JsonNode n = JSON.readTree(json);
            List<Integer> shards = new ArrayList<>();
            n.path("shards").forEach(s -> shards.add(s.asInt()));
            int[] maxDocs = new int[n.path("max_docs").size()];
            for (int i = 0; i < maxDocs.length; i++) {
                maxDocs[i] = n.get("max_docs").get(i).asInt();
            }
            Map<String, String> params = new HashMap<>();
            n.path("params").properties().forEach(e -> params.put(e.getKey(), e.getValue().asText()));
            return new Search(n.path("context").asText(), shards, maxDocs, n.get("body"), params,
                    n.hasNonNull("keep_alive") ? n.get("keep_alive").asText() : null);
        }
    }

    private final SearchContexts contexts;
    private final Supplier<SearchLimits> limits;

    PitParts(SearchContexts contexts, Supplier<SearchLimits> limits) {
        this.contexts = contexts;
        this.limits = limits;
    }

    /** Refuses a keep-alive over {@code search.max_keep_alive} (400) before anything is opened. */
    void checkKeepAlive(Duration keepAlive) {
        contexts.checkKeepAlive(keepAlive);
    }

    /** Refuses {@code search_after} with another number of values than {@code sort} has (400). */
    static void checkSearchAfter(SearchRequest request, List<SortSpec> sort) {
        if (request.searchAfter() != null && request.searchAfter().size() != sort.size()) {
            throw InvalidRequestException.illegalArgument("search_after has " + request.searchAfter().size()
                    + " value(s) but sort has " + sort.size() + " (with the implicit _shard_doc tiebreaker).");
        }
    }

    /**
     * Opens a context of {@code kind} over this node's copies of {@code shards} of {@code index}: a point in time's
     * part, or a scroll's, which counts against {@code search.max_open_scroll_context} here.
     *
     * @throws UnavailableException when a copy is not here (any more)
     * @throws io.kccr.core.error.RejectedException {@code too_many_scroll_contexts_exception} for one scroll too many
     */
    public Opened open(ClusterSearch.Target index, List<Integer> shards, Duration keepAlive, SearchContexts.Kind kind)
            throws IOException {
        List<LuceneShard> copies = new ArrayList<>();
        for (int s : shards.stream().sorted().toList()) {
            LuceneShard copy = index.local().apply(s);
            if (copy == null) {
                throw UnavailableException.notHere(index.name(), s, "[" + index.name() + "][" + s + "] has no copy"
                        + " on this node any more: open the point in time again");
            }
            copies.add(copy);
        }
        SearchContexts.Context ctx = contexts.open(kind, index.name(), PinnedReader.pin(copies), keepAlive);
        List<Integer> maxDocs = new ArrayList<>();
        for (IndexReaderContext sub : subs(ctx.reader().searcher())) {
            maxDocs.add(sub.reader().maxDoc());
        }
        return new Opened(ctx.id(), maxDocs);
    }

    /**
     * Searches part {@code s} of a point in time on {@code index}, its keep-alive restarted.
     *
     * @throws NotFoundException {@code search_context_missing_exception} when the context is not open here
     */
    public ShardsResult search(ClusterSearch.Target index, Search s) throws IOException {
        Duration keepAlive = s.keepAlive() == null ? null : SearchContexts.keepAlive(s.keepAlive(), "keep_alive");
        SearchContexts.Context ctx = contexts.use(s.context(), kindOf(s.context()), keepAlive);
        IndexSearcher searcher = ctx.reader().searcher();
        List<IndexReaderContext> subs = subs(searcher);
        int n = index.metadata().numberOfShards();
        if (!ctx.index().equals(index.name()) || subs.size() != s.shards().size() || s.maxDocs().length != n) {
            throw NotFoundException.searchContext(s.context());
        }
        int[] shards = s.shards().stream().mapToInt(Integer::intValue).toArray();
        int[] bases = subs.stream().mapToInt(c -> c.docBaseInParent).toArray();
        ShardDocs docs = new ShardDocs(s.maxDocs(), shards, bases, searcher.getIndexReader().maxDoc());
        Map<String, String> p = new HashMap<>(s.params());
        p.remove("preference");
        p.remove("allow_partial_search_results");
        SearchRequest req = SearchRequest.parse(s.body() == null || s.body().isNull() ? null : s.body(), p,
                index.metadata().settings().maxResultWindow());
        List<SortSpec> sort = SortSpec.withTiebreaker(req.sort(), SortSpec.SHARD_DOC);
        checkSearchAfter(req, sort);
        List<JsonNode> after = req.searchAfter();
        if (after != null) {
            after = new ArrayList<>(after);
            for (int i = 0; i < sort.size(); i++) {
                if (sort.get(i).isDoc()) {
                    after.set(i, JSON.getNodeFactory().numberNode(docs.toNode(after.get(i).asLong(),
                            sort.get(i).order() == SortSpec.Order.DESC)));
                }
            }
        }
        SearchRequest pinned = new SearchRequest(req.query(), req.postFilter(), req.from(), req.size(), sort,
                req.source(), req.trackTotalHitsUpTo(), req.trackScores(), req.seqNoPrimaryTerm(), req.version(),
                after, req.extras());
        ShardsResult r = SearchExecutor.queryShards(searcher, index.name(), shards, n, index.metadata().mappings(),
                pinned, limits.get());
        List<ShardsResult.Hit> hits = new ArrayList<>(r.hits().size());
        for (ShardsResult.Hit h : r.hits()) {
            hits.add(renumbered(h, sort, docs.toGlobal(h.shard(), h.doc())));
        }
        return new ShardsResult(hits, r.total(), r.totalLowerBound(), r.maxScore(), r.timedOut(),
                r.terminatedEarly(), r.aggs());
    }

    /** {@code h} with its {@code _doc}/{@code _shard_doc} sort values the index-wide {@code global}. */
    private static ShardsResult.Hit renumbered(ShardsResult.Hit h, List<SortSpec> sort, int global) {
        if (h.sort() == null) {
            return h;
        }
        List<Object> raw = new ArrayList<>(h.sort());
        SearchHit hit = h.hit();
        List<Object> shown = hit.sort() == null ? null : new ArrayList<>(hit.sort());
        for (int i = 0; i < sort.size() && i < raw.size(); i++) {
            if (sort.get(i).isDoc()) {
                raw.set(i, global);
                if (shown != null && i < shown.size()) {
                    shown.set(i, global);
                }
            }
        }
        SearchHit renumbered = new SearchHit(hit.index(), hit.id(), hit.score(), hit.source(), shown, hit.seqNo(),
                hit.primaryTerm(), hit.version(), hit.fields(), hit.highlight(), hit.storedSource());
        return new ShardsResult.Hit(h.shard(), h.doc(), h.score(), raw, renumbered);
    }

    /**
     * Closes a part of a point in time or scroll on {@code index}; returns how many shards it pinned, 0 when no such
     * part was open here.
     */
    public int close(String index, String context) {
        SearchContexts.Kind kind = kindOf(context);
        return contexts.indexOf(context, kind).filter(index::equals).isPresent() ? contexts.free(context, kind) : 0;
    }

    /** The kind part {@code context} was opened as (a point in time's, unless a scroll's). */
    private SearchContexts.Kind kindOf(String context) {
        return contexts.kindOf(context).orElse(SearchContexts.Kind.PIT);
    }

    /** The searcher's sub-readers: one per pinned shard. */
    private static List<IndexReaderContext> subs(IndexSearcher searcher) {
        List<IndexReaderContext> children = searcher.getTopReaderContext().children();
        return children == null ? List.of(searcher.getTopReaderContext()) : children;
    }
}
