package io.kccr.node.follow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kccr.core.error.FailedException;
import io.kccr.core.index.IndexMetadata;
import io.kccr.core.index.IndexNames;
import io.kccr.follower.FollowerStatus;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * What the node hosting a follower index knows of where it comes from, which a node of the same cluster making a copy
 * of it needs when the leader's cluster does not answer it (it is down): the leader index's metadata, as the host
 * follows it, and what the remote's HTTP addresses last answered the host (its Kafka's address and topic prefix, no
 * credentials; null when the host knows none). The host serves it at {@link #PATH}{@code <follower>/source}, to the
 * nodes of its cluster only.
 *
 * @param leaderMetadata the leader index's settings and mappings
 * @param remote         the remote's last answer, as {@code RemoteClusters#lastAnswer} gives it; null for none
 * @param status         the host's copy's status (a node that placed a part of a follower index on the host waits
 *                       for it to be active); null when not told
 */
public record FollowerSource(IndexMetadata leaderMetadata, ObjectNode remote, FollowerStatus status) {
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
        if (status != null) {
            o.put("status", status.name());
        }
        return o;
    }

    static FollowerSource fromJson(JsonNode o) {
        JsonNode remote = o.get("remote");
        return new FollowerSource(IndexMetadata.fromJson(o.get("leader_metadata")),
                remote instanceof ObjectNode r ? r : null,
                o.hasNonNull("status") ? FollowerStatus.valueOf(o.get("status").asText()) : null);
    }

    /** How often a node waiting for a part of a follower index it placed on another node asks that node. */
    private static final Duration ACTIVE_POLL = Duration.ofMillis(250);

    /**
     * Completed once node {@code peer} has follower {@code name} (a part of a follower index placed there) active,
     * as it answers at {@link #PATH}; exceptionally when it failed there. Asked every 250 ms
     * on a thread of its own until done; cancel it to stop asking. A node that does not answer, or does not host it
     * yet (it has not read the record placing it), is asked again.
     */
    static CompletableFuture<Void> untilActive(FollowerPeer peer, String name, Duration timeout) {
        CompletableFuture<Void> active = new CompletableFuture<>();
        Thread.ofVirtual().name("kccr-await-" + name).start(() -> {
            while (!active.isDone()) {
                try {
                    FollowerStatus status = ask(peer, name, timeout).status();
                    if (status == FollowerStatus.ACTIVE) {
                        active.complete(null);
                    } else if (status == FollowerStatus.FAILED) {
                        active.completeExceptionally(new FailedException("[" + name + "] failed on node ["
                                + peer.name() + "]; GET /" + IndexNames.indexOfPart(name) + "/_ccr/stats tells why",
                                null));
                    }
                } catch (IOException e) {
                    // not there yet, or the node does not answer: asked again
                }
                try {
                    Thread.sleep(ACTIVE_POLL);
                } catch (InterruptedException e) {
                    active.cancel(false);
                }
            }
        });
        return active;
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
