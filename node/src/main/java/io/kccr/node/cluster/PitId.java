package io.kccr.node.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kccr.core.error.InvalidRequestException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The id of a point in time whose shards are pinned on several nodes: per node, the search context it opened and the
 * shards that context reads, with each shard's {@code maxDoc} as pinned (so that every node numbers {@code _shard_doc}
 * as one searcher over every shard in shard order would). Opaque to users, as Elasticsearch's ids are: the base64url
 * of a small JSON object. An id of a point in time opened on one node alone ({@code SearchContexts}' own) is told
 * apart by {@link #isClusterId}.
 *
 * @param index the index the point in time reads
 * @param parts one per node, in the order of their first shard
 */
public record PitId(String index, List<Part> parts) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One node's part.
     *
     * @param node    the node's id
     * @param context its search context's id
     * @param shards  the shards the context reads, ascending
     * @param maxDocs each of those shards' {@code maxDoc} in the pinned reader
     */
    public record Part(String node, String context, List<Integer> shards, List<Integer> maxDocs) {
        public Part {
            shards = List.copyOf(shards);
            maxDocs = List.copyOf(maxDocs);
            if (shards.size() != maxDocs.size()) {
                throw new IllegalArgumentException("a part names " + shards.size() + " shards but " + maxDocs.size()
                        + " maxDocs");
            }
        }
    }

    public PitId {
        parts = List.copyOf(parts);
    }

    /** Whether {@code id} is one of these (else it is a point in time of one node, or not an id at all). */
    public static boolean isClusterId(String id) {
        try {
            byte[] raw = Base64.getUrlDecoder().decode(id);
            return raw.length > 0 && raw[0] == '{';
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The id users are given. */
    public String encode() {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(toJson()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JSON object {@link #encode} encodes, which a scroll's id carries as it is. */
    ObjectNode toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("i", index);
        ArrayNode list = o.putArray("p");
        for (Part p : parts) {
            ObjectNode n = list.addObject();
            n.put("n", p.node());
            n.put("c", p.context());
            p.shards().forEach(n.putArray("s")::add);
            p.maxDocs().forEach(n.putArray("m")::add);
        }
        return o;
    }

    /**
     * Reads an id {@link #encode} wrote.
     *
     * @throws InvalidRequestException {@code illegal_argument_exception} (400) for anything else
     */
    public static PitId decode(String id) {
        try {
            return fromJson(JSON.readTree(new String(Base64.getUrlDecoder().decode(id), StandardCharsets.UTF_8)));
        } catch (IOException | IllegalArgumentException e) {
            throw InvalidRequestException.illegalArgument("invalid point in time id [" + id + "]: " + e.getMessage()
                    + "; pass the id that POST /<index>/_pit answered, unchanged");
        }
    }

    /**
     * Reads what {@link #toJson} wrote.
     *
     * @throws IllegalArgumentException for anything else
     */
    static PitId fromJson(JsonNode o) {
        if (o == null || !o.path("i").isTextual() || !o.path("p").isArray() || o.path("p").isEmpty()) {
            throw new IllegalArgumentException("it names no index or no node");
        }
        List<Part> parts = new ArrayList<>();
        for (JsonNode n : o.get("p")) {
            if (!n.path("n").isTextual() || !n.path("c").isTextual() || !n.path("s").isArray()
                    || !n.path("m").isArray()) {
                throw new IllegalArgumentException("a part lacks its node, context or shards");
            }
            parts.add(new Part(n.get("n").asText(), n.get("c").asText(), ints(n.get("s")), ints(n.get("m"))));
        }
        return new PitId(o.get("i").asText(), parts);
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        for (JsonNode v : array) {
            if (!v.canConvertToInt() || v.asInt() < 0) {
                throw new IllegalArgumentException("[" + v + "] is not a shard number or a doc count");
            }
            out.add(v.asInt());
        }
        return out;
    }

    /**
     * Each shard's {@code maxDoc} in shard order, for an index of {@code numberOfShards} shards.
     *
     * @throws InvalidRequestException when the parts do not name each of those shards exactly once
     */
    public int[] maxDocs(int numberOfShards) {
        int[] out = new int[numberOfShards];
        boolean[] seen = new boolean[numberOfShards];
        for (Part p : parts) {
            for (int i = 0; i < p.shards().size(); i++) {
                int s = p.shards().get(i);
                if (s >= numberOfShards || seen[s]) {
                    throw InvalidRequestException.illegalArgument("invalid point in time id: shard [" + s + "] of ["
                            + index + "] is named twice or does not exist; open a new point in time");
                }
                seen[s] = true;
                out[s] = p.maxDocs().get(i);
            }
        }
        for (int s = 0; s < numberOfShards; s++) {
            if (!seen[s]) {
                throw InvalidRequestException.illegalArgument("invalid point in time id: it pins no copy of shard ["
                        + s + "] of [" + index + "]; open a new point in time");
            }
        }
        return out;
    }
}
