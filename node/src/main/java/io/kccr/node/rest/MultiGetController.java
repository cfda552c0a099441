package io.kccr.node.rest;

import io.kccr.node.cluster.PeerClient;
import io.kccr.node.cluster.SpreadFollowers;

import io.kccr.node.indices.IndexResolver;
import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.error.KccrException;
import io.kccr.core.search.fetch.SourceFilter;
import io.kccr.core.shard.GetResult;
import io.kccr.core.shard.SearchableIndex;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code GET|POST /_mget} and {@code /<index>/_mget}: realtime gets of many documents in one request. A malformed
 * request (no id, no index) is a 400 as in Elasticsearch; an item whose index is missing or closed gets its own
 * error in the answer while the others are served. Client IO only.
 */
final class MultiGetController {
    private final IndexResolver indices;
    private final SpreadFollowers spread;

    /** @param spread the follower indices spread over the nodes of this node's cluster; null on a node alone */
    MultiGetController(IndexResolver indices, SpreadFollowers spread) {
        this.indices = indices;
        this.spread = spread;
    }

    /** One requested document. */
    private record Item(String index, String id, SourceFilter source) {
    }

    void mget(Context ctx) throws IOException, InterruptedException {
        String pathIndex = ctx.pathParamMap().get("index");
        JsonNode body = Json.parseObject(ctx.bodyAsBytes());
        SourceFilter urlSource = SourceFilter.fromUrl(SourceFilter.FETCH_ALL, ctx.queryParam("_source"),
                ctx.queryParam("_source_includes"), ctx.queryParam("_source_excludes"));
        List<Item> items = parse(body, pathIndex, urlSource);
        ObjectNode out = Json.object();
        ArrayNode docs = out.putArray("docs");
        for (Item item : items) {
            docs.add(get(ctx, item));
        }
        Responses.json(ctx, 200, out);
    }

    private List<Item> parse(JsonNode body, String pathIndex, SourceFilter urlSource) {
        if (body.isMissingNode()) {
            throw InvalidRequestException.validation("Validation Failed: 1: no documents to get;");
        }
        List<Item> items = new ArrayList<>();
        StringBuilder errors = new StringBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            switch (e.getKey()) {
                case "docs" -> {
                    if (!e.getValue().isArray()) {
                        throw InvalidRequestException.parsing("[docs] must be an array of {\"_index\",\"_id\"} objects");
                    }
                    int i = 0;
                    for (JsonNode d : e.getValue()) {
                        items.add(item(d, pathIndex, urlSource, i++, errors));
                    }
                }
                case "ids" -> {
                    if (!e.getValue().isArray()) {
                        throw InvalidRequestException.parsing("[ids] must be an array of ids");
                    }
                    int i = 0;
                    for (JsonNode id : e.getValue()) {
                        if (pathIndex == null) {
                            errors.append(errors.isEmpty() ? "" : " ").append(errors.length() + 1)
                                    .append(": index is missing for doc ").append(i).append(';');
                        }
                        items.add(new Item(pathIndex, id.asText(), urlSource));
                        i++;
                    }
                }
                default -> throw InvalidRequestException.parsing("unknown key [" + e.getKey() + "] for a "
                        + e.getValue().getNodeType() + ", expected [docs] or [ids]");
            }
        }
        if (items.isEmpty() && errors.isEmpty()) {
            throw InvalidRequestException.validation("Validation Failed: 1: no documents to get;");
        }
        if (!errors.isEmpty()) {
            throw InvalidRequestException.validation("Validation Failed: " + errors);
        }
        return items;
    }

    private static Item item(JsonNode d, String pathIndex, SourceFilter urlSource, int i, StringBuilder errors) {
        if (!d.isObject()) {
            throw InvalidRequestException.parsing("each of [docs] must be an object");
        }
        String index = pathIndex;
        String id = null;
        SourceFilter source = urlSource;
        for (Iterator<Map.Entry<String, JsonNode>> it = d.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            switch (e.getKey()) {
                case "_index" -> index = e.getValue().asText();
                case "_id" -> id = e.getValue().asText();
                case "_source" -> source = SourceFilter.fromJson(e.getValue());
                case "routing", "_routing", "version", "version_type", "stored_fields" -> {
                    // routing goes by id here; versions and stored fields do not change what a get returns
                }
                default -> throw InvalidRequestException.parsing("Unknown field [" + e.getKey() + "] in doc " + i
                        + " of [docs]");
            }
        }
        int n = errors.isEmpty() ? 1 : errors.toString().split(";").length + 1;
        if (index == null) {
            errors.append(errors.isEmpty() ? "" : " ").append(n++).append(": index is missing for doc ").append(i)
                    .append(';');
        }
        if (id == null || id.isEmpty()) {
            errors.append(errors.isEmpty() ? "" : " ").append(n).append(": id is missing for doc ").append(i)
                    .append(';');
        }
        return new Item(index, id, source);
    }

    private ObjectNode get(Context ctx, Item item) throws IOException, InterruptedException {
        ObjectNode doc = Json.object();
        doc.put("_index", item.index());
        doc.put("_id", item.id());
        SearchableIndex index;
        try {
            RequestGuard.authorizeIndex(ctx, "indices:data/read/mget", item.index());
            PeerClient.Response part = spread == null ? null : spread.get(ctx, item.index(), item.id());
            if (part != null) {
                return fromPart(doc, item, part);
            }
            index = indices.readWhole(item.index());
        } catch (KccrException e) {
            return withError(doc, RestErrors.cause(RestErrors.reply(e)));
        }
        GetResult got = index.get(item.id());
        doc.put("_index", index.name());
        if (!got.found()) {
            doc.put("found", false);
            return doc;
        }
        doc.put("_version", got.version());
        doc.put("_seq_no", got.seqNo());
        doc.put("_primary_term", got.primaryTerm());
        doc.put("found", true);
        JsonNode source = item.source().apply(Json.MAPPER.readTree(got.source()));
        if (source != null) {
            doc.set("_source", source);
        }
        return doc;
    }

    /**
     * {@code doc} as the host of the part of a follower index spread over the nodes answered the get of {@code item}
     * ({@code GET /<part>/_doc/<id>}, whose answer is an item of a {@code _mget}'s), under the index's name.
     */
    private static ObjectNode fromPart(ObjectNode doc, Item item, PeerClient.Response answer) throws IOException {
        JsonNode got = Json.MAPPER.readTree(answer.body());
        if (!got.has("found")) {
            return withError(doc, got.path("error"));
        }
        ObjectNode out = ((ObjectNode) got).deepCopy();
        out.put("_index", item.index());
        if (out.has("_source")) {
            JsonNode source = item.source().apply(out.get("_source"));
            out.remove("_source");
            if (source != null) {
                out.set("_source", source);
            }
        }
        return out;
    }

    /** {@code doc} with {@code cause} as its error, in Elasticsearch's shape (with its {@code root_cause}). */
    private static ObjectNode withError(ObjectNode doc, Object cause) {
        ObjectNode error = Json.MAPPER.valueToTree(cause);
        error.remove("root_cause");
        ObjectNode full = Json.object();
        full.putArray("root_cause").add(error.deepCopy());
        full.setAll(error);
        doc.set("error", full);
        return doc;
    }
}
