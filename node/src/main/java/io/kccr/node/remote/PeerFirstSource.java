package io.kccr.node.remote;

import io.kccr.core.recovery.RestoreManifest;
import io.kccr.follower.bootstrap.RestoreSource;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a node of a follower cluster copies a follower index it takes a copy of (a replica, or a move to it) from: the
 * node of its own cluster that hosts it (peer recovery, as Elasticsearch's replicas recover from their primary), so
 * that nothing crosses to the leader's cluster and the copy is the host's, at the host's position (a paused follower
 * index's too); and from the leader when that node has no complete copy to give (it bootstraps itself, failed, left,
 * or refuses). Once the peer failed to open a session, the leader's sessions serve the rest of the bootstrap.
 * Thread-safe.
 */
public final class PeerFirstSource implements RestoreSource {
    private static final Logger log = LoggerFactory.getLogger(PeerFirstSource.class);

    private final RestoreSource peer;
    private final String peerName;
    private final String followerIndex;
    private final RestoreSource leader;
    /** Which source opened each open session. */
    private final Map<String, RestoreSource> sessions = new ConcurrentHashMap<>();
    private volatile boolean peerFailed;
    private volatile String copiedFrom;

    /**
     * @param peer          the restore sessions of node {@code peerName}, which hosts follower {@code followerIndex}
     * @param leader        the leader's restore sessions
     */
    public PeerFirstSource(RestoreSource peer, String peerName, String followerIndex, RestoreSource leader) {
        this.peer = peer;
        this.peerName = peerName;
        this.followerIndex = followerIndex;
        this.leader = leader;
    }

    /** Opens a session on the peer's copy of the follower index, else on {@code leaderIndex} at the leader. */
    @Override
    public RestoreManifest open(String leaderIndex) throws IOException {
        if (!peerFailed) {
            try {
                RestoreManifest m = peer.open(followerIndex);
                sessions.put(m.sessionUuid(), peer);
                copiedFrom = peerName;
                return m;
            } catch (IOException e) {
                peerFailed = true;
                log.info("copying follower index [{}] from its leader: node [{}], which hosts it, has no copy to give"
                        + " ({})", followerIndex, peerName, e.getMessage());
            }
        }
        RestoreManifest m = leader.open(leaderIndex);
        sessions.put(m.sessionUuid(), leader);
        copiedFrom = null;
        return m;
    }

    @Override
    public String peer() {
        return copiedFrom;
    }

    @Override
    public CompletableFuture<Void> read(String session, int shard, String file, long from, int length,
                                        ChunkSink sink) {
        return sessions.getOrDefault(session, leader).read(session, shard, file, from, length, sink);
    }

    @Override
    public void release(String session) {
        RestoreSource source = sessions.remove(session);
        (source == null ? leader : source).release(session);
    }

    @Override
    public void close() {
        try {
            peer.close();
        } finally {
            leader.close();
        }
    }
}
