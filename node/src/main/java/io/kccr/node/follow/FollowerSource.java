package io.kccr.node.follow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kccr.core.index.IndexMetadata;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * What the node hosting a follower index knows of where it comes from, which a node of the same cluster making a copy
 * of it needs when the leader's cluster does not answer it (it is down): the leader index's metadata, as the host
 * follows it, and what the remote's HTTP addresses last answered the host (its Kafka's address and topic prefix, no
 * credentials; null when the host knows none). The host serves it at {@link #PATH}{@code <follower>/source}, to the
 * nodes of its cluster only.
 *
 * @param leaderMetadata the leader index's settings and mappings
 * @param remote         the remote's last answer, as {@code RemoteClusters#lastAnswer} gives it; null for none
 */
public record FollowerSource(IndexMetadata leaderMetadata, ObjectNode remote) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Where a node serves what it knows of the follower indices it hosts. */
    public static final String PATH = "/_kccr/followers/";
    /** The action a caller needs to ask; only a node of the cluster may ask, whatever its privileges. */
    public static final String ACTION = "cluster:internal/kccr/follower/source";

    public FollowerSource {
        Objects.requireNonNull(leaderMetadata, "leaderMetadata");
    }

    public ObjectNode toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.set("leader_metadata", leaderMetadata.toJson());
        if (remote != null) {
            o.set("remote", remote);
        }
        return o;
    }

    static FollowerSource fromJson(JsonNode o) {
        JsonNode remote = o.get("remote");
        return new FollowerSource(IndexMetadata.fromJson(o.get("leader_metadata")),
                remote instanceof ObjectNode r ? r : null);
    }

    /**
     * Asks node {@code peer} what it knows of follower index {@code name}, which it hosts.
     *
     * @throws IOException when it does not answer, or answers anything but 200
     */
    static FollowerSource ask(FollowerPeer peer, String name, Duration timeout) throws IOException {
        HttpRequest request = peer.http().authorize(HttpRequest.newBuilder(URI.create(peer.baseUrl() + PATH
                + URLEncoder.encode(name, StandardCharsets.UTF_8) + "/source"))).timeout(timeout).GET().build();
        HttpResponse<byte[]> response;
        try {
            response = peer.http().client().send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted asking node [" + peer.name() + "]");
        }
        if (response.statusCode() != 200) {
            throw new IOException("node [" + peer.name() + "] answered " + response.statusCode() + " for follower"
                    + " index [" + name + "]: " + new String(response.body(), StandardCharsets.UTF_8));
        }
        try {
            return fromJson(JSON.readTree(response.body()));
        } catch (RuntimeException e) {
            throw new IOException("node [" + peer.name() + "] answered what is not a follower's source: " + e, e);
        }
    }
}
