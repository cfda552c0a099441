package io.kccr.core.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * The wire form of what the group's members exchange in the user data of their subscriptions
 * ({@link MemberReport}) and assignments ({@link Assignment}): JSON, tagged with a format version, so that a node
 * of a later version can read an earlier one's. Stateless and thread-safe.
 */
public final class ClusterWire {
    /** The format version written; a reader refuses a higher one (the node is older than its cluster). */
    public static final int VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /**
     * What each member receives from a rebalance: the whole table, or why it may not join.
     *
     * @param table   the routing table, null when refused
     * @param refusal why this member is not part of the cluster (e.g. another cluster name), null when accepted
     */
    public record Assignment(RoutingTable table, String refusal) {
    }

    private record Envelope<T>(int v, T body) {
    }

    private ClusterWire() {
    }

    public static ByteBuffer encode(MemberReport report) {
        return write(new Envelope<>(VERSION, report));
    }

    public static MemberReport decodeReport(ByteBuffer buffer) {
        return read(buffer, MemberReport.class);
    }

    public static ByteBuffer encode(Assignment assignment) {
        return write(new Envelope<>(VERSION, assignment));
    }

    public static Assignment decodeAssignment(ByteBuffer buffer) {
        return read(buffer, Assignment.class);
    }

    /** The table as JSON, e.g. for a peer that asks over HTTP. */
    public static byte[] toJson(RoutingTable table) {
        try {
            return JSON.writeValueAsBytes(table);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RoutingTable tableFromJson(byte[] json) {
        try {
            return JSON.readValue(json, RoutingTable.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void checkVersion(int v) {
        if (v > VERSION) {
            throw new IllegalStateException("cluster message of format version " + v + ", this node reads up to "
                    + VERSION + ": upgrade this node to the version of the rest of the cluster");
        }
    }

    private static ByteBuffer write(Object value) {
        try {
            return ByteBuffer.wrap(JSON.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(ByteBuffer buffer, Class<T> type) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        try {
            JsonNode envelope = JSON.readTree(bytes);
            checkVersion(envelope.path("v").asInt());
            return JSON.treeToValue(envelope.get("body"), type);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable cluster message: " + e.getMessage(), e);
        }
    }
}
