package io.kccr.node.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kccr.core.error.InvalidRequestException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The id of a scroll whose shards are pinned on several nodes ({@link ClusterScrolls}), which is also where it
 * stands: the point in time it reads (its parts, each on the node that pinned it), the request of its next page, and
 * the last hit's sort values. No node keeps a scroll's state but the nodes of its parts, so any node serves any page.
 * Each page answers the id of the next, as Elasticsearch's may change between pages: only the newest one goes on.
 * Opaque to users, as Elasticsearch's ids are: the base64url of a JSON object. A scroll of one node
 * ({@code SearchContexts}' own id) is told apart by {@link #isClusterId}.
 *
 * @param pit        the point in time it reads, whose parts are the scroll's contexts
 * @param body       the request of every page, without {@code search_after}, aggregations or {@code pit}
 * @param params     the request's URL parameters, without {@code scroll} and {@code from}
 * @param userSorted whether the request names a sort (its hits show their sort values)
 * @param size       the hits a page has, short of the last
 * @param after      the last hit's sort values; null before the first page
 * @param done       whether a page came back short: every next one is empty
 * @param keepAlive  how long every part is kept after each page
 */
public record ScrollId(PitId pit, ObjectNode body, Map<String, String> params, boolean userSorted, int size,
                       ArrayNode after, boolean done, Duration keepAlive) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Tells a scroll id from a point in time's, both JSON objects. */
    private static final String KIND = "scroll";

    public ScrollId {
        params = Map.copyOf(params);
    }

    /** Whether {@code id} is one of these, or meant to be (else it is a scroll of one node, or not an id at all). */
    public static boolean isClusterId(String id) {
        return PitId.isClusterId(id);
    }

    /** The index the scroll reads. */
    public String index() {
        return pit.index();
    }

    /** Where the scroll stands after a page whose last hit had sort values {@code last} (null: it was short). */
    ScrollId next(ArrayNode last) {
        return last == null ? new ScrollId(pit, body, params, userSorted, size, after, true, keepAlive)
                : new ScrollId(pit, body, params, userSorted, size, last, false, keepAlive);
    }

    /** The same scroll, kept alive {@code value} after each page from now on. */
    ScrollId keepAlive(Duration value) {
        return new ScrollId(pit, body, params, userSorted, size, after, done, value);
    }

    /** The id users are given. */
    public String encode() {
        ObjectNode o = JSON.createObjectNode();
        o.put("k", KIND);
        o.set("p", pit.toJson());
        o.set("b", body);
        ObjectNode q = o.putObject("q");
        params.forEach(q::put);
        o.put("u", userSorted);
        o.put("z", size);
        if (after != null) {
            o.set("a", after);
        }
        o.put("d", done);
        o.put("t", keepAlive.toMillis());
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(o));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads an id {@link #encode} wrote.
     *
     * @throws InvalidRequestException {@code illegal_argument_exception} (400) for anything else
     */
    public static ScrollId decode(String id) {
        try {
            JsonNode o = JSON.readTree(new String(Base64.getUrlDecoder().decode(id), StandardCharsets.UTF_8));
            if (o == null || !KIND.equals(o.path("k").asText()) || !o.path("b").isObject() || !o.path("q").isObject()
                    || !o.path("z").canConvertToInt() || o.path("z").asInt() < 0 || !o.path("t").canConvertToLong()
                    || o.path("t").asLong() <= 0 || (o.has("a") && !o.get("a").isArray())) {
                throw new IllegalArgumentException("it is not a scroll's id");
            }
            Map<String, String> params = new HashMap<>();
            o.get("q").properties().forEach(e -> params.put(e.getKey(), e.getValue().asText()));
            return new ScrollId(PitId.fromJson(o.get("p")), (ObjectNode) o.get("b"), params,
                    o.path("u").asBoolean(), o.get("z").asInt(), o.has("a") ? (ArrayNode) o.get("a") : null,
                    o.path("d").asBoolean(), Duration.ofMillis(o.get("t").asLong()));
        } catch (IOException | IllegalArgumentException e) {
            throw InvalidRequestException.illegalArgument("Cannot parse scroll id [" + id + "]: " + e.getMessage()
                    + "; pass the _scroll_id of the last page, unchanged");
        }
    }
}
