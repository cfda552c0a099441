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
    /** How long a peer that has not opened the follower yet (it answers 404) is waited for. */
    private static final java.time.Duration OPEN_PATIENCE = java.time.Duration.ofSeconds(30);
    private final java.time.Duration retry;
    private final java.time.Duration patience;
    private volatile boolean peerFailed;
    private volatile String copiedFrom;

    /**
     * @param peer     the restore sessions of node {@code peerName}, which hosts follower {@code followerIndex}
     * @param leader   the leader's restore sessions
     * @param retry    how often a peer whose copy is not whole yet is asked again
     * @param patience how long it is waited for, before the leader's files are copied instead
     */
    public PeerFirstSource(RestoreSource peer, String peerName, String followerIndex, RestoreSource leader,
                           java.time.Duration retry, java.time.Duration patience) {
        this.retry = retry;
        this.patience = patience;
        this.peer = peer;
        this.peerName = peerName;
        this.followerIndex = followerIndex;
        this.leader = leader;
    }

    /**
     * Opens a session on the peer's copy of the follower index, else on {@code leaderIndex} at the leader. While the
     * peer answers that its copy is not whole yet (it bootstraps itself: a replica made as the follower index is
     * created), it is asked again every {@code retry} up to {@code patience}, so that the leader's files cross to this
     * cluster once, as Elasticsearch's replicas wait for their primary; while it answers it has no such follower (it
     * has not opened it yet), up to 30 s of that.
     *
     * @throws java.io.InterruptedIOException when interrupted while waiting (the copy was paused or closed)
     */
    @Override
    public RestoreManifest open(String leaderIndex) throws IOException {
        long start = System.nanoTime();
        long deadline = start + patience.toNanos();
        long openDeadline = start + Math.min(patience.toNanos(), OPEN_PATIENCE.toNanos());
        while (!peerFailed) {
            try {
                RestoreManifest m = peer.open(followerIndex);
                sessions.put(m.sessionUuid(), peer);
                copiedFrom = peerName;
                return m;
            } catch (IOException e) {
                long now = System.nanoTime();
                if (notWholeYet(e) && now - deadline < 0 || notOpenedYet(e) && now - openDeadline < 0) {
                    pause();
                    continue;
                }
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

    private static boolean notWholeYet(IOException e) {
        return e instanceof HttpRestoreSource.Refused r && r.status() == 503;
    }

    /**
     * Whether the peer has not opened the follower yet: a part of a follower index spread over nodes is opened by its
     * host as it reads the record placing it, which its replica's node reads at the same time.
     */
    private static boolean notOpenedYet(IOException e) {
        return e instanceof HttpRestoreSource.Refused r && r.status() == 404;
    }

    private void pause() throws java.io.InterruptedIOException {
        try {
            Thread.sleep(retry.toMillis());
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("stopped while waiting for node [" + peerName + "] to hold a whole"
                    + " copy of [" + followerIndex + "]");
        }
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
