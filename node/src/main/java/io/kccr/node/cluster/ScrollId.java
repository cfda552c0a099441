package io.kccr.node.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kccr.core.error.InvalidRequestException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The id of a scroll whose shards are pinned on several nodes ({@link ClusterScrolls}): the node that coordinates it
 * (keeps where it stands and asks the parts of its point in time), the scroll's context there, and the index it reads,
 * so that any node can authorize the caller and send the request on to the coordinating node. Opaque to users, as
 * Elasticsearch's ids are: the base64url of a small JSON object. A scroll of one node ({@code SearchContexts}' own id)
 * is told apart by {@link #isClusterId}.
 *
 * @param node    the coordinating node's id
 * @param context the scroll's context on that node
 * @param index   the index the scroll reads
 */
public record ScrollId(String node, String context, String index) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Tells a scroll id from a point in time's, both JSON objects. */
    private static final String KIND = "scroll";

    /** Whether {@code id} is one of these, or meant to be (else it is a scroll of one node, or not an id at all). */
    public static boolean isClusterId(String id) {
        return PitId.isClusterId(id);
    }

    /** The id users are given. */
    public String encode() {
        ObjectNode o = JSON.createObjectNode();
        o.put("k", KIND);
        o.put("n", node);
        o.put("c", context);
        o.put("i", index);
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
            if (o == null || !KIND.equals(o.path("k").asText()) || !o.path("n").isTextual()
                    || !o.path("c").isTextual() || !o.path("i").isTextual()) {
                throw new IllegalArgumentException("it names no node, context or index");
            }
            return new ScrollId(o.get("n").asText(), o.get("c").asText(), o.get("i").asText());
        } catch (IOException | IllegalArgumentException e) {
            throw InvalidRequestException.illegalArgument("Cannot parse scroll id [" + id + "]: " + e.getMessage()
                    + "; pass the _scroll_id of the last page, unchanged");
        }
    }
}
