package io.kccr.node.rest;

import io.kccr.leader.LeaderIndex;
import io.kccr.node.cluster.ClusterSearch;

import io.kccr.node.indices.IndexResolver;
import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.search.SearchRequest;
import io.kccr.core.search.SearchResponse;
import io.kccr.core.shard.SearchableIndex;
import io.kccr.node.search.SearchService;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET|POST /_msearch} and {@code /<index>/_msearch}: NDJSON pairs of a header ({@code index}, ...) and a
 * search body; each search is answered on its own, a failing one with its error and status in its place, as
 * Elasticsearch does. A malformed request (bad NDJSON, an unknown header key) is a 400 for the whole. Client IO only.
 */
final class MultiSearchController {
    private static final Set<String> HEADER_KEYS = Set.of("index", "indices", "search_type", "preference", "routing",
            "request_cache", "allow_no_indices", "expand_wildcards", "ignore_unavailable", "ignore_throttled",
            "allow_partial_search_results", "ccs_minimize_roundtrips", "max_concurrent_shard_requests");
    private final IndexResolver indices;
    private final SearchService service;
    private final ClusterSearch cluster;

    /** @param cluster searches over the shards of several nodes; null on a node alone */
    MultiSearchController(IndexResolver indices, SearchService service, ClusterSearch cluster) {
        this.indices = indices;
        this.service = service;
        this.cluster = cluster;
    }

    /** One search of the request. */
    private record Item(String index, JsonNode body) {
    }

    void msearch(Context ctx) {
        long start = System.nanoTime();
        List<Item> items = parse(ctx.bodyAsBytes(), ctx.pathParamMap().get("index"));
        boolean typedKeys = SearchController.typedKeys(ctx);
        ObjectNode out = Json.object();
        ArrayNode responses = Json.object().arrayNode();
        for (Item item : items) {
            responses.add(run(ctx, item, typedKeys));
        }
        out.put("took", (System.nanoTime() - start) / 1_000_000);
        out.set("responses", responses);
        Responses.json(ctx, 200, out);
    }

    private ObjectNode run(Context ctx, Item item, boolean typedKeys) {
        try {
            SearchRequest request;
            SearchResponse response;
            if (item.index == null) {
                request = SearchRequest.parse(item.body, Map.of());
                if (request.extras().pit() == null) {
                    throw InvalidRequestException.validation("Validation Failed: 1: no index given for this search;"
                            + " name one in its header ({\"index\": ...}) or in the path (/<index>/_msearch);");
                }
                response = service.searchPit(request);
            } else {
                RequestGuard.authorizeIndex(ctx, "indices:data/read/search", item.index);
                ClusterSearch.Target over = overNodes(item.index);
                if (over != null) { // its shards are on several nodes: each searched where it is
                    request = SearchRequest.parse(item.body, Map.of(), over.metadata().settings().maxResultWindow());
                    ObjectNode json = cluster.search(over, item.body, Map.of(), request).toJson(typedKeys);
                    json.put("status", 200);
                    return json;
                }
                SearchableIndex index = indices.readWhole(item.index);
                request = SearchRequest.parse(item.body, Map.of(), index.metadata().settings().maxResultWindow());
                response = service.search(index, request);
            }
            ObjectNode json = response.toJson(typedKeys);
            json.put("status", 200);
            return json;
        } catch (Exception e) {
            RestErrors.Reply reply = RestErrors.reply(e);
            return Json.MAPPER.valueToTree(RestErrors.body(reply));
        }
    }

    /**
     * Index {@code name} as a search over several nodes needs it, when it does: a follower index spread over them, or
     * a leader index this node holds no started primary of every shard of; null when this node searches it alone.
     */
    private ClusterSearch.Target overNodes(String name) {
        if (cluster == null) {
            return null;
        }
        ClusterSearch.Target spread = cluster.spreadFollower(name);
        if (spread != null) {
            return spread;
        }
        return indices.read(name) instanceof LeaderIndex leader && !cluster.servedHere(leader, null)
                ? cluster.target(leader) : null;
    }

    private static List<Item> parse(byte[] body, String pathIndex) {
        String text = new String(body, StandardCharsets.UTF_8);
        String[] lines = text.split("\n");
        List<String> nonEmpty = new ArrayList<>();
        for (String line : lines) {
            if (!line.isBlank()) {
                nonEmpty.add(line);
            }
        }
        if (nonEmpty.isEmpty()) {
            throw InvalidRequestException.validation("Validation Failed: 1: no requests added;");
        }
        if (nonEmpty.size() % 2 != 0) {
            throw InvalidRequestException.parse("The msearch request must be terminated by a newline [\\n] and hold"
                    + " pairs of lines: a header (e.g. {\"index\":\"cities\"} or {}) and a search body");
        }
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < nonEmpty.size(); i += 2) {
            JsonNode header = Json.parseObject(nonEmpty.get(i).getBytes(StandardCharsets.UTF_8));
            JsonNode search = Json.parseObject(nonEmpty.get(i + 1).getBytes(StandardCharsets.UTF_8));
            String index = pathIndex;
            for (var it = header.fields(); it.hasNext(); ) {
                var e = it.next();
                if (!HEADER_KEYS.contains(e.getKey())) {
                    throw InvalidRequestException.illegalArgument("key [" + e.getKey() + "] is not supported in the"
                            + " metadata section");
                }
                if (e.getKey().equals("index") || e.getKey().equals("indices")) {
                    JsonNode v = e.getValue();
                    index = v.isArray() ? (v.size() == 1 ? v.get(0).asText() : String.join(",", toList(v)))
                            : v.asText();
                }
            }
            items.add(new Item(index, search.isMissingNode() ? Json.object() : search));
        }
        return items;
    }

    private static List<String> toList(JsonNode arr) {
        List<String> out = new ArrayList<>();
        arr.forEach(v -> out.add(v.asText()));
        return out;
    }
}
