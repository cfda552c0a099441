package io.kccr.node.search;

import io.kccr.core.search.fetch.SearchHit;
import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.error.NotFoundException;
import io.kccr.core.search.SearchContexts;
import io.kccr.core.search.SearchExecutor;
import io.kccr.core.search.SearchExtras;
import io.kccr.core.search.SearchLimits;
import io.kccr.core.search.SearchRequest;
import io.kccr.core.search.SearchResponse;
import io.kccr.core.search.query.SortSpec;
import io.kccr.core.shard.PinnedReader;
import io.kccr.core.shard.SearchableIndex;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Searches as the REST API offers them, leader and follower indices alike: a plain search on the index's current
 * readers, a search on a point in time (pinned readers, {@code search_after} with the implicit {@code _shard_doc}
 * tiebreaker), and scrolls (pinned readers, each page continuing after the last hit). Knows nothing of HTTP.
 * Thread-safe.
 */
public final class SearchService {
    private final SearchContexts contexts;
    private final Supplier<SearchLimits> limits;
    private final Function<String, SearchableIndex> indices;

    /**
     * @param indices finds an open index by name (throws {@code index_not_found_exception} when there is none)
     * @param limits  the node's current limits ({@code search.max_buckets}, the breaker)
     */
    public SearchService(SearchContexts contexts, Supplier<SearchLimits> limits,
                         Function<String, SearchableIndex> indices) {
        this.contexts = contexts;
        this.limits = limits;
        this.indices = indices;
    }

    public SearchContexts contexts() {
        return contexts;
    }

    /** The node's current search limits ({@code search.max_buckets}, the request breaker). */
    public SearchLimits limits() {
        return limits.get();
    }

    /** A search of {@code index}'s current readers. */
    public SearchResponse search(SearchableIndex index, SearchRequest request) throws IOException {
        if (request.extras().pit() != null) {
            throw InvalidRequestException.validation("Validation Failed: 1: [indices] cannot be used with point in"
                    + " time. Do not specify any index with point in time.;");
        }
        SearchLimits l = limits.get();
        return index.search(searcher -> SearchExecutor.search(searcher, index.name(),
                index.metadata().numberOfShards(), index.metadata().mappings(), request, l));
    }

    /** Opens a point in time on {@code index}; returns its id. */
    public String openPit(SearchableIndex index, Duration keepAlive) throws IOException {
        contexts.checkKeepAlive(keepAlive);
        return contexts.open(SearchContexts.Kind.PIT, index.name(), index.pin(), keepAlive).id();
    }

    /** A search on the point in time the request names (its {@code pit}). */
    public SearchResponse searchPit(SearchRequest request) throws IOException {
        var pit = request.extras().pit();
        Duration keepAlive = pit.keepAlive() == null ? null : SearchContexts.keepAlive(pit.keepAlive(), "keep_alive");
        SearchContexts.Context ctx = contexts.use(pit.id(), SearchContexts.Kind.PIT, keepAlive);
        SearchableIndex index = index(ctx);
        List<SortSpec> sort = SortSpec.withTiebreaker(request.sort(), SortSpec.SHARD_DOC);
        if (request.searchAfter() != null && request.searchAfter().size() != sort.size()) {
            throw InvalidRequestException.illegalArgument("search_after has " + request.searchAfter().size()
                    + " value(s) but sort has " + sort.size() + " (with the implicit _shard_doc tiebreaker).");
        }
        SearchRequest withSort = new SearchRequest(request.query(), request.postFilter(), request.from(),
                request.size(), sort, request.source(), request.trackTotalHitsUpTo(), request.trackScores(),
                request.seqNoPrimaryTerm(), request.version(), request.searchAfter(), request.extras());
        SearchResponse response = SearchExecutor.search(ctx.reader().searcher(), index.name(),
                index.metadata().numberOfShards(), index.metadata().mappings(), withSort, limits.get());
        return response.withContextIds(null, ctx.id());
    }

    /** Closes a point in time; returns how many shards it pinned (Elasticsearch's {@code num_freed}), 0 when it was
     * not open. */
    public int closePit(String id) {
        return contexts.free(id, SearchContexts.Kind.PIT);
    }

    /** The first page of a scroll over {@code index}; the response carries the scroll id. */
    public SearchResponse openScroll(SearchableIndex index, SearchRequest request, Duration keepAlive)
            throws IOException {
        checkScroll(request);
        contexts.checkKeepAlive(keepAlive);
        PinnedReader reader = index.pin();
        SearchContexts.Context ctx = contexts.open(SearchContexts.Kind.SCROLL, index.name(), reader, keepAlive);
        boolean userSorted = !request.sort().isEmpty();
        List<SortSpec> sort = SortSpec.withTiebreaker(userSorted ? request.sort()
                : List.of(SortSpec.of(SortSpec.SCORE, null)), SortSpec.DOC);
        SearchRequest first = request.withSearchAfter(null, sort);
        return page(ctx, index, first, userSorted);
    }

    /** Refuses what a scroll's first request may not have ({@code from}, {@code search_after}), as a 400. */
    public static void checkScroll(SearchRequest request) {
        if (request.from() > 0) {
            throw InvalidRequestException.validation("Validation Failed: 1: using [from] is not allowed in a scroll"
                    + " context;");
        }
        if (request.searchAfter() != null) {
            throw InvalidRequestException.validation("Validation Failed: 1: [search_after] cannot be used in a scroll"
                    + " context;");
        }
    }

    /** The next page of scroll {@code id}. */
    public SearchResponse scroll(String id, Duration keepAlive) throws IOException {
        SearchContexts.Context ctx = contexts.use(id, SearchContexts.Kind.SCROLL, keepAlive);
        SearchableIndex index = index(ctx);
        synchronized (ctx) {
            SearchRequest last = ctx.scrollRequest();
            List<JsonNode> after = ctx.scrollAfter();
            SearchRequest next = last.withSearchAfter(after, last.sort());
            if (after == null) {
                // the previous page was the last: an empty page, as Elasticsearch answers
                next = new SearchRequest(next.query(), next.postFilter(), 0, 0, next.sort(), next.source(),
                        next.trackTotalHitsUpTo(), next.trackScores(), next.seqNoPrimaryTerm(), next.version(), null,
                        next.extras());
            }
            return page(ctx, index, next, ctx.userSorted());
        }
    }

    private SearchResponse page(SearchContexts.Context ctx, SearchableIndex index, SearchRequest request,
                                boolean userSorted) throws IOException {
        SearchResponse response = SearchExecutor.search(ctx.reader().searcher(), index.name(),
                index.metadata().numberOfShards(), index.metadata().mappings(), request, limits.get());
        List<JsonNode> after = response.hits().isEmpty() || response.hits().size() < request.size() ? null
                : toJson(response.hits().getLast().sort());
        // aggregations belong to the first page only
        SearchRequest continuation = new SearchRequest(request.query(), request.postFilter(), 0, request.size(),
                request.sort(), request.source(), request.trackTotalHitsUpTo(), request.trackScores(),
                request.seqNoPrimaryTerm(), request.version(), null, withoutAggregations(request.extras()));
        ctx.scrolled(continuation, after, userSorted);
        List<SearchHit> hits = response.hits();
        if (!userSorted) {
            List<SearchHit> unsorted = new ArrayList<>(hits.size());
            for (SearchHit h : hits) {
                unsorted.add(h.withoutSort());
            }
            hits = unsorted;
        }
        return new SearchResponse(response.took(), response.timedOut(), response.totalShards(), response.total(),
                response.maxScore(), hits, response.aggregations(), response.terminatedEarly(), ctx.id(), null);
    }

    private static SearchExtras withoutAggregations(SearchExtras e) {
        return new SearchExtras(null, e.highlight(), e.docValueFields(), e.fields(),
                e.terminateAfter(), e.timeoutMillis(), e.noStoredFields(), e.pit());
    }

    /** Closes scrolls ({@code _all}: every scroll context of this node); returns how many shards they pinned. */
    public int clearScrolls(List<String> ids) {
        int n = 0;
        for (String id : ids) {
            if (id.equals("_all")) {
                n += contexts.closeAll(SearchContexts.Kind.SCROLL);
            } else {
                n += contexts.free(id, SearchContexts.Kind.SCROLL);
            }
        }
        return n;
    }

    private SearchableIndex index(SearchContexts.Context ctx) {
        try {
            return indices.apply(ctx.index());
        } catch (NotFoundException e) {
            contexts.close(ctx.id(), ctx.kind());
            throw NotFoundException.searchContext(ctx.id());
        }
    }

    private static List<JsonNode> toJson(List<Object> values) {
        List<JsonNode> out = new ArrayList<>(values.size());
        JsonNodeFactory f = JsonNodeFactory.instance;
        for (Object v : values) {
            out.add(switch (v) {
                case null -> f.nullNode();
                case Long l -> f.numberNode(l);
                case Integer i -> f.numberNode(i);
                case Double d -> f.numberNode(d);
                case Float fl -> f.numberNode(fl);
                default -> f.textNode(v.toString());
            });
        }
        return out;
    }
}
