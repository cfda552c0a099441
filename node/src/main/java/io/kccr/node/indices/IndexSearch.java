package io.kccr.node.indices;

import com.fasterxml.jackson.databind.JsonNode;
import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.search.CountResponse;
import io.kccr.core.search.SearchExecutor;
import io.kccr.core.search.SearchRequest;
import io.kccr.core.search.SearchResponse;
import io.kccr.core.shard.SearchableIndex;
import java.io.IOException;
import java.util.List;

/** Searches and counts over the shards of one open index of the node. Thread-safe. */
public final class IndexSearch {
    private final IndexResolver indices;

    public IndexSearch(IndexResolver indices) {
        this.indices = indices;
    }

    /**
     * Runs {@code request} on index {@code name}, or, when it is null, on every index: an empty result when the
     * node has none, the only one's when it has one; searching several at once is a 400.
     */
    public SearchResponse search(String name, SearchRequest request) throws IOException {
        SearchableIndex index;
        if (name != null) {
            index = indices.read(name);
        } else {
            List<SearchableIndex> all = indices.all();
            if (all.isEmpty()) {
                return new SearchResponse(0, false, 0, new SearchResponse.Total(0, "eq"), null, List.of());
            }
            if (all.size() > 1) {
                throw InvalidRequestException.illegalArgument("searching several indices at once is not supported;"
                        + " search one index: /<index>/_search");
            }
            index = all.getFirst();
        }
        return index.search(searcher -> SearchExecutor.search(searcher, index.name(),
                index.metadata().numberOfShards(), index.metadata().mappings(), request));
    }

    /** Counts the documents of index {@code name} that {@code query} matches (all when it is null). */
    public CountResponse count(String name, JsonNode query) throws IOException {
        SearchableIndex index = indices.read(name);
        return index.search(searcher -> SearchExecutor.count(searcher, index.metadata().numberOfShards(),
                index.metadata().mappings(), query));
    }
}
