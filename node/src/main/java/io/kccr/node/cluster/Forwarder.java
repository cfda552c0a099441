package io.kccr.node.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kccr.core.cluster.NodeInfo;
import io.kccr.core.error.UnavailableException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Sends a request to the node that can serve it, again as the cluster changes: a peer that answers that nothing was
 * written (the shard moved, or its writer was fenced by a newer primary) or that cannot be reached at all (its node
 * died: the group notices within the session timeout and the shard's new primary takes over) is asked again once
 * the routing table says where to go now, until the deadline. A peer that received the request but did not answer
 * is not asked again: the request may have been served. Its answer is waited for until the deadline, or until the
 * table no longer sends the request there and no longer lists the node (a paused node, dropped from the group, whose
 * shard was taken over): then the caller learns at once that the outcome is unknown, rather than after the deadline.
 * A node still in the group is waited for even when its shard moved: a node stopping gracefully hands its primaries
 * over and forwards the writes it has on to them, so its answer comes. Thread-safe.
 */
final class Forwarder {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long RETRY_PAUSE_MILLIS = 50;

    /** Where a request should go now: a node, this node (null), or nowhere yet. */
    sealed interface Target permits Here, There, Nowhere {
    }

    /** Serve it on this node. */
    record Here() implements Target {
    }

    /** Send it to {@code node}. */
    record There(NodeInfo node) implements Target {
    }

    /** No node can serve it yet (e.g. the shard's primary is starting, or lost and not yet taken over). */
    record Nowhere(String why) implements Target {
    }

    private final PeerClient peers;
    private final Predicate<NodeInfo> member;

    /** @param member whether a node is in the cluster's group now */
    Forwarder(PeerClient peers, Predicate<NodeInfo> member) {
        this.peers = peers;
        this.member = member;
    }

    /**
     * Sends the request where {@code target} says, until a node serves it or {@code timeout} passes.
     *
     * @return the peer's answer, or null when this node is to serve it
     * @throws UnavailableException when no node served it in time
     */
    PeerClient.Response send(Supplier<Target> target, String method, String pathAndQuery,
                             Map<String, List<String>> headers, byte[] body, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no node holds it";
        while (true) {
            Target t = target.get();
            switch (t) {
                case Here h -> {
                    return null;
                }
                case Nowhere n -> last = n.why();
                case There there -> {
                    try {
                        // a node that stopped answering (paused, partitioned) and was dropped from the group while
                        // its shard moved is not waited for
                        PeerClient.Response r = peers.send(there.node().httpAddress(), method, pathAndQuery, headers,
                                body, Duration.ofNanos(Math.max(1, deadline - System.nanoTime()))
                                        .plusSeconds(1), () -> !(target.get() instanceof There now
                                        && now.node().id().equals(there.node().id())) && !member.test(there.node()));
                        if (!nothingWritten(r)) {
                            return r;
                        }
                        last = "node [" + there.node().name() + "] no longer holds it";
                    } catch (PeerClient.NotSent e) {
                        last = "node [" + there.node().name() + "] cannot be reached";
                    } catch (PeerClient.Abandoned e) {
                        throw new UnavailableException("node [" + there.node().name() + "] stopped answering, left the"
                                + " cluster and the cluster moved the shard to another node; the request may or may not have been"
                                + " carried out: check (GET the document), then retry", e);
                    } catch (IOException e) {
                        throw new UnavailableException("node [" + there.node().name() + "] did not answer in time ("
                                + e.getMessage() + "); the request may or may not have been carried out", e);
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                throw new UnavailableException("no node could serve the request within " + timeout.toSeconds()
                        + "s: " + last + ". Check GET /_cat/shards and retry.", null);
            }
            Thread.sleep(RETRY_PAUSE_MILLIS); // the routing table changes on the membership's thread
        }
    }

    /** Whether a peer's answer is a 503 that says nothing of the request was written. */
    static boolean nothingWritten(PeerClient.Response r) {
        if (r.status() != 503) {
            return false;
        }
        try {
            JsonNode error = JSON.readTree(r.body()).path("error");
            return error.path(UnavailableException.NOTHING_WRITTEN).asText().equals("true");
        } catch (IOException e) {
            return false;
        }
    }
}
