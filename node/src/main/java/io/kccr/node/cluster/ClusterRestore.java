package io.kccr.node.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kccr.core.cluster.NodeInfo;
import io.kccr.core.cluster.ShardPlacement;
import io.kccr.core.error.UnavailableException;
import io.kccr.core.recovery.RestoreManifest;
import io.kccr.core.recovery.ShardSnapshot;
import io.kccr.leader.LeaderIndex;
import io.kccr.leader.recovery.RestoreSessions;
import io.kccr.leader.recovery.SessionHolder;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Restore sessions of a leader index whose primaries are on several nodes. The node a follower asks opens a session
 * on each node for the primaries it holds (its own included) and answers one manifest of every shard under a
 * session id of its own; a file request for a shard another node pinned is passed to that node, and a release
 * releases every part. The follower sees one session, as with a node alone.
 *
 * <p>Parts opened on other nodes are sent with the follower's credentials, so each node authorizes the follower
 * itself. A session that sees no request for the activity timeout is forgotten here, as its parts expire on their
 * nodes. Thread-safe.
 */
public final class ClusterRestore {
    /** The query parameter naming the shards a part is opened for: only on a request a node forwarded. */
    public static final String SHARDS_PARAM = "shards";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PEER_TIMEOUT = Duration.ofSeconds(60);

    /**
     * Where one shard's part of a session is: a node's address and the session id there; a file of the part, asked
     * for one byte to keep the part alive while the follower copies other parts.
     */
    public record Part(String httpAddress, String sessionUuid, boolean local, int keepAliveShard,
                       String keepAliveFile) {
    }

    /** A session: its parts by shard, when each part was last used, and when the session was. */
    private record Session(String index, Map<Integer, Part> parts, Map<Part, Long> used, long[] lastActivity) {
    }

    private final ClusterService cluster;
    private final PeerClient peers;
    private final RestoreSessions local;
    private final Supplier<Duration> activityTimeout;
    private final Clock clock;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    public ClusterRestore(ClusterService cluster, PeerClient peers, RestoreSessions local,
                          Supplier<Duration> activityTimeout, Clock clock) {
        this.cluster = cluster;
        this.peers = peers;
        this.local = local;
        this.activityTimeout = activityTimeout;
        this.clock = clock;
    }

    /**
     * Opens a session of {@code index} for {@code holder}: on this node alone when it holds every primary, else a
     * part on each node holding some.
     *
     * @param headers the follower's request headers (its credentials go to the other nodes)
     * @param query   the follower's query string (it names the follower), or null
     * @throws io.kccr.core.error.KccrException 503 when a shard has no primary or its node does not answer (the
     *                                          follower retries); a part's own error as that node answered it
     */
    public RestoreManifest open(LeaderIndex index, SessionHolder holder, Map<String, List<String>> headers,
                                String query) throws InterruptedException {
        forgetIdle();
        Map<String, Set<Integer>> byNode = new LinkedHashMap<>();
        for (ShardPlacement p : cluster.table().placements(index.name())) {
            if (p.primary() == null) {
                throw new UnavailableException("shard [" + p.shard().shard() + "] of index [" + index.name()
                        + "] has no primary yet: retry once the cluster assigned it (GET /_cluster/health)", null);
            }
            byNode.computeIfAbsent(p.primary(), n -> new TreeSet<>()).add(p.shard().shard());
        }
        String self = cluster.nodeId();
        if (byNode.keySet().equals(Set.of(self))) {
            return local.open(index, holder);
        }
        List<RestoreManifest> manifests = new ArrayList<>();
        Map<Integer, Part> parts = new TreeMap<>();
        try {
            for (Map.Entry<String, Set<Integer>> e : byNode.entrySet()) {
                if (e.getKey().equals(self)) {
                    RestoreManifest m = local.open(index, holder, e.getValue()::contains);
                    record(manifests, parts, m, cluster.self().httpAddress(), true);
                } else {
                    NodeInfo node = cluster.table().node(e.getKey());
                    RestoreManifest m = openOn(node, index.name(), e.getValue(), headers, query);
                    record(manifests, parts, m, node.httpAddress(), false);
                }
            }
        } catch (RuntimeException | InterruptedException failure) {
            releaseParts(parts.values(), headers);
            throw failure;
        }
        int shardCount = index.metadata().numberOfShards();
        if (parts.size() != shardCount) { // a primary the table names had not started on its node yet
            releaseParts(parts.values(), headers);
            throw new UnavailableException("the primaries of index [" + index.name() + "] gave shards "
                    + parts.keySet() + " of " + shardCount + ": some are still starting; retry the follow", null);
        }
        String uuid = UUID.randomUUID().toString();
        Map<Part, Long> used = new ConcurrentHashMap<>();
        parts.values().forEach(p -> used.put(p, clock.millis()));
        sessions.put(uuid, new Session(index.name(), Map.copyOf(parts), used, new long[] {clock.millis()}));
        // the newest metadata of the parts: its mappings cover every document of every part's commits
        RestoreManifest newest = manifests.stream().max(Comparator.comparingLong(m -> m.metadata()
                .path(RestoreManifest.MAPPING_VERSION).asLong())).orElseThrow();
        List<ShardSnapshot> shards = manifests.stream().flatMap(m -> m.shards().stream())
                .sorted(Comparator.comparingInt(ShardSnapshot::shard)).toList();
        return new RestoreManifest(uuid, index.name(), newest.metadata(), shards);
    }

    private static void record(List<RestoreManifest> manifests, Map<Integer, Part> parts, RestoreManifest m,
                               String httpAddress, boolean local) {
        manifests.add(m);
        ShardSnapshot first = m.shards().getFirst();
        Part part = new Part(httpAddress, m.sessionUuid(), local, first.shard(), first.files().getFirst().name());
        m.shards().forEach(s -> parts.put(s.shard(), part));
    }

    private RestoreManifest openOn(NodeInfo node, String index, Set<Integer> shards,
                                   Map<String, List<String>> headers, String query) throws InterruptedException {
        String path = "/" + index + "/_ccr/restore_session?" + (query == null || query.isEmpty() ? "" : query + "&")
                + SHARDS_PARAM + "=" + shards.stream().map(String::valueOf).collect(Collectors.joining(","));
        PeerClient.Response r;
        try {
            r = peers.send(node.httpAddress(), "POST", path, headers, null, PEER_TIMEOUT);
        } catch (IOException e) {
            throw new UnavailableException("node [" + node.name() + "], which holds shards " + shards + " of ["
                    + index + "], did not answer: " + e.getMessage() + "; retry the follow", e);
        }
        if (r.status() != 200) {
            throw new PeerAnswer(r);
        }
        try {
            return JSON.readValue(r.body(), RestoreManifest.class);
        } catch (IOException e) {
            throw new UnavailableException("node [" + node.name() + "] answered a restore session that could not be"
                    + " read: " + e.getMessage(), e);
        }
    }

    /** A part's node answered with an error: passed to the follower as that node gave it. */
    public static final class PeerAnswer extends RuntimeException {
        private final transient PeerClient.Response response;

        PeerAnswer(PeerClient.Response response) {
            super("a node answered " + response.status(), null, false, false);
            this.response = response;
        }

        public PeerClient.Response response() {
            return response;
        }
    }

    /** Where {@code shard}'s part of session {@code uuid} is, when {@code uuid} is a session of this class. */
    public Optional<Part> part(String uuid, int shard) {
        Session s = sessions.get(uuid);
        if (s == null) {
            return Optional.empty();
        }
        long now = clock.millis();
        s.lastActivity()[0] = now;
        Part p = s.parts().get(shard);
        if (p == null) {
            throw io.kccr.core.error.NotFoundException.resource("shard [" + shard + "] is not in restore session [" + uuid + "] of index ["
                    + s.index() + "], which has shards " + s.parts().keySet());
        }
        s.used().put(p, now);
        keepAlive(s, now);
        return Optional.of(p);
    }

    /**
     * Asks one byte of each part not used for a quarter of the activity timeout, so that no part expires on its node
     * while the follower copies the others (shards are copied a few at a time). In the background; a part that does
     * not answer expires as it would.
     */
    private void keepAlive(Session s, long now) {
        long quarter = activityTimeout.get().toMillis() / 4;
        for (Map.Entry<Part, Long> e : s.used().entrySet()) {
            Part p = e.getKey();
            if (now - e.getValue() < quarter || s.used().replace(p, e.getValue(), now) == false) {
                continue;
            }
            if (p.local()) {
                local.touch(p.sessionUuid());
            } else {
                Thread.ofVirtual().start(() -> {
                    try {
                        peers.sendAsNode(p.httpAddress(), "GET", filePath(p, p.keepAliveShard(), p.keepAliveFile()),
                                Map.of("Range", List.of("bytes=0-0")), null, PEER_TIMEOUT);
                    } catch (IOException | InterruptedException ignored) {
                        // the part expires on its node, as it would without this
                    }
                });
            }
        }
    }

    /** The index of session {@code uuid}, when it is a session of this class. */
    public Optional<String> indexOf(String uuid) {
        return Optional.ofNullable(sessions.get(uuid)).map(Session::index);
    }

    /**
     * Releases session {@code uuid} and every part of it.
     *
     * @return false when {@code uuid} is not a session of this class
     */
    public boolean release(String uuid, Map<String, List<String>> headers) throws InterruptedException {
        Session s = sessions.remove(uuid);
        if (s == null) {
            return false;
        }
        releaseParts(s.parts().values(), headers);
        return true;
    }

    /**
     * Passes a file request for a part on another node to that node.
     *
     * @param rangeHeaders the follower's headers (credentials and {@code Range})
     */
    public PeerClient.Response file(Part part, int shard, String file, Map<String, List<String>> rangeHeaders)
            throws IOException, InterruptedException {
        return peers.send(part.httpAddress(), "GET", filePath(part, shard, file), rangeHeaders, null, PEER_TIMEOUT);
    }

    private static String filePath(Part part, int shard, String file) {
        return "/_ccr/restore_session/" + part.sessionUuid() + "/" + shard + "/"
                + java.net.URLEncoder.encode(file, java.nio.charset.StandardCharsets.UTF_8);
    }

    private void releaseParts(java.util.Collection<Part> parts, Map<String, List<String>> headers)
            throws InterruptedException {
        for (Part p : Set.copyOf(parts)) {
            if (p.local()) {
                local.release(p.sessionUuid());
                continue;
            }
            try {
                peers.send(p.httpAddress(), "DELETE", "/_ccr/restore_session/" + p.sessionUuid(), headers, null,
                        PEER_TIMEOUT);
            } catch (IOException e) {
                // that node is gone or slow: its part expires there after the activity timeout
            }
        }
    }

    /** Forgets sessions that saw no request for the activity timeout (their parts expire on their nodes). */
    private void forgetIdle() {
        long now = clock.millis();
        long timeout = activityTimeout.get().toMillis();
        sessions.values().removeIf(s -> now - s.lastActivity()[0] > timeout);
    }
}
