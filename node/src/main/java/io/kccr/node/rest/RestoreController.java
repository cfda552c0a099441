package io.kccr.node.rest;

import io.kccr.core.error.InvalidRequestException;
import io.javalin.http.Context;
import io.kccr.core.recovery.RestoreManifest;
import io.kccr.leader.IndexCatalog;
import io.kccr.follower.FollowerIndex;
import io.kccr.leader.LeaderIndex;
import io.kccr.node.follow.FollowerCatalog;
import io.kccr.node.follow.FollowerSource;
import io.kccr.node.remote.RemoteClusters;
import io.kccr.core.error.NotFoundException;
import io.kccr.node.security.Authentication;
import io.kccr.leader.recovery.RestoreFile;
import io.kccr.leader.recovery.RestoreSessions;
import io.kccr.leader.recovery.SessionHolder;
import io.kccr.node.cluster.ClusterRestore;
import io.kccr.node.cluster.ClusterRouting;
import io.kccr.node.cluster.PeerClient;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.eclipse.jetty.ee10.servlet.HttpOutput;

/**
 * The leader side of remote recovery: restore sessions, through which a follower copies the files
 * of a pinned commit of every shard; in a cluster, also the side of peer recovery of the follower indices hosted
 * here, which another node of the cluster copies the same way. Client IO only; {@link RestoreSessions} holds the
 * sessions.
 *
 * <ul>
 *   <li>{@code POST /<index>/_ccr/restore_session}: 200 with the {@link RestoreManifest}.</li>
 *   <li>{@code GET /_ccr/restore_session/<session_uuid>/<shard>/<file_name>}: the file, streamed;
 *       with {@code Range: bytes=<from>-<to>} a 206 with that range and {@code Content-Range}.</li>
 *   <li>{@code DELETE /_ccr/restore_session/<session_uuid>}: 200 {@code {"acknowledged":true}}.</li>
 * </ul>
 */
final class RestoreController {
    /** How much of a file is read and written at a time: a response never holds more in memory. */
    static final int CHUNK_SIZE = 1 << 20;

    private final IndexCatalog catalog;
    private final FollowerCatalog followers;
    private final RestoreSessions sessions;
    private final ClusterRestore cluster;
    private final RemoteClusters remotes;

    /**
     * @param followers the follower indices this node hosts, whose copies another node of its cluster may copy
     * @param cluster   sessions of indices spread over the nodes of a cluster; null on a node alone
     * @param remotes   the remote clusters, whose last answers another node copying a follower index may need
     */
    RestoreController(IndexCatalog catalog, FollowerCatalog followers, RestoreSessions sessions,
                      ClusterRestore cluster, RemoteClusters remotes) {
        this.catalog = catalog;
        this.followers = followers;
        this.sessions = sessions;
        this.cluster = cluster;
        this.remotes = remotes;
    }

    /**
     * {@value FollowerSource#PATH}{@code <follower>/source}: what this node knows of where a follower index it hosts
     * comes from ({@link FollowerSource}), for another node of its cluster making a copy of it; 404 when it hosts no
     * such follower index, 400 for a caller that is not a node of the cluster.
     */
    void followerSource(Context ctx) {
        String name = ctx.pathParam("index");
        Authentication auth = RequestGuard.authentication(ctx);
        if (auth != null && !auth.node()) {
            throw InvalidRequestException.illegalArgument("only the nodes of this cluster ask where follower index ["
                    + name + "] comes from; GET /" + name + "/_ccr/info tells its leader");
        }
        FollowerIndex follower = followers.getOrNull(name);
        if (follower == null) {
            throw NotFoundException.index(name);
        }
        Responses.json(ctx, 200, new FollowerSource(follower.leaderMetadata(),
                remotes.lastAnswer(follower.definition().remoteCluster()).orElse(null), follower.status()).toJson());
    }

    /**
     * {@code POST /<index>/_ccr/restore_session}; the follower names itself with {@code follower_cluster},
     * {@code follower_index}, {@code follower_index_uuid} and {@code leader_remote_cluster} (as a
     * {@code forget_follower} request names it).
     */
    void open(Context ctx) throws InterruptedException {
        SessionHolder holder = new SessionHolder(ctx.queryParam("follower_cluster"), ctx.queryParam("follower_index"),
                ctx.queryParam("follower_index_uuid"), ctx.queryParam("leader_remote_cluster"));
        FollowerIndex follower = cluster == null ? null : followers.getOrNull(ctx.pathParam("index"));
        if (follower != null) {
            Authentication auth = RequestGuard.authentication(ctx);
            if (auth != null && !auth.node()) {
                throw InvalidRequestException.illegalArgument("[" + follower.name() + "] is a follower index: only"
                        + " the nodes of its cluster copy its files; follow its leader index ["
                        + follower.definition().leaderIndex() + "] instead");
            }
            Responses.json(ctx, 200, sessions.open(follower, holder)); // a peer copies the copy hosted here
            return;
        }
        LeaderIndex index = catalog.get(ctx.pathParam("index"));
        String shards = ctx.queryParam(ClusterRestore.SHARDS_PARAM);
        if (cluster == null) {
            Responses.json(ctx, 200, sessions.open(index, holder));
        } else if (ClusterRouting.forwarded(ctx) && shards != null) { // a part another node opens for its follower
            java.util.Set<Integer> wanted = new java.util.HashSet<>();
            for (String s : shards.split(",")) {
                wanted.add(shard(s.strip()));
            }
            Responses.json(ctx, 200, sessions.open(index, holder, wanted::contains));
        } else {
            try {
                Responses.json(ctx, 200, cluster.open(index, holder, ClusterRouting.headers(ctx), ctx.queryString()));
            } catch (ClusterRestore.PeerAnswer answer) {
                ClusterRouting.write(ctx, answer.response());
            }
        }
    }

    /**
     * {@code POST /<leader>/_ccr/forget_follower}: releases what this leader holds for the follower the body names
     * (its restore sessions), and answers Elasticsearch's {@code _shards} of the leader index.
     */
    void forgetFollower(Context ctx) {
        LeaderIndex index = catalog.get(ctx.pathParam("index"));
        SessionHolder holder = ForgetFollowerRequest.parse(Json.parseObject(ctx.bodyAsBytes()));
        sessions.releaseHeldBy(index.name(), holder);
        int shards = index.metadata().numberOfShards();
        Responses.json(ctx, 200, new ForgetFollowerRequest.Response(new ForgetFollowerRequest.Shards(shards, shards,
                0, List.of())));
    }

    /** The caller needs {@code action} on the index the session copies (an unknown session is the 404 later). */
    private void authorizeSession(Context ctx, String action) {
        String session = ctx.pathParam("session");
        sessions.indexOf(session).or(() -> cluster == null ? java.util.Optional.empty() : cluster.indexOf(session))
                .ifPresent(index -> RequestGuard.authorizeIndex(ctx, action, index));
    }

    /** {@code DELETE /_ccr/restore_session/<session_uuid>}. */
    void release(Context ctx) throws InterruptedException {
        authorizeSession(ctx, "indices:data/read/xpack/ccr/restore_session/clear");
        if (cluster == null || !cluster.release(ctx.pathParam("session"), ClusterRouting.headers(ctx))) {
            sessions.release(ctx.pathParam("session"));
        }
        Responses.acknowledged(ctx);
    }

    /** {@code GET /_ccr/restore_session/<session_uuid>/<shard>/<file_name>}, with an optional {@code Range}. */
    void file(Context ctx) throws IOException, InterruptedException {
        authorizeSession(ctx, "indices:data/read/xpack/ccr/restore_session/file_chunk/get");
        int shard = shard(ctx.pathParam("shard"));
        String session = ctx.pathParam("session");
        java.util.Optional<ClusterRestore.Part> part = cluster == null ? java.util.Optional.empty()
                : cluster.part(session, shard);
        if (part.isPresent() && !part.get().local()) {
            PeerClient.Response r = cluster.file(part.get(), shard, ctx.pathParam("file"), ClusterRouting.headers(ctx));
            if (r.contentRange() != null) {
                ctx.header("Content-Range", r.contentRange());
            }
            ctx.header("Accept-Ranges", "bytes");
            ClusterRouting.write(ctx, r);
            return;
        }
        if (part.isPresent()) {
            session = part.get().sessionUuid();
        }
        try (RestoreFile file = sessions.openFile(session, shard, ctx.pathParam("file"))) {
            String header = ctx.header("Range");
            ByteRange range;
            if (header == null) {
                range = null;
            } else {
                try {
                    range = ByteRange.parse(header, file.length());
                } catch (HttpError e) {
                    ctx.header("Content-Range", "bytes */" + file.length());
                    throw e;
                }
            }
            long from = range == null ? 0 : range.from();
            long size = range == null ? file.length() : range.size();
            HttpServletResponse res = ctx.res();
            res.setStatus(range == null ? 200 : 206);
            res.setContentType("application/octet-stream");
            res.setHeader("Accept-Ranges", "bytes");
            if (range != null) {
                res.setHeader("Content-Range", range.contentRange());
            }
            res.setContentLengthLong(size);
            stream(file, from, size, res.getOutputStream());
        }
    }

    /**
     * Copies {@code size} bytes from {@code from} of the file to {@code out}, {@link #CHUNK_SIZE} at a
     * time. A client that goes away ends the copy quietly.
     */
    private static void stream(RestoreFile file, long from, long size, OutputStream out) throws IOException {
        if (out instanceof HttpOutput jetty && size > 0 && size <= Integer.MAX_VALUE) {
            // the range's pages are mapped and written to the socket as they are: no copy through the heap
            try {
                jetty.write(file.channel().map(FileChannel.MapMode.READ_ONLY, from, size));
                jetty.flush();
            } catch (IOException clientGone) {
                // nothing more to send
            }
            return;
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(CHUNK_SIZE, Math.max(size, 1)));
        long position = from;
        long end = from + size;
        while (position < end) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), end - position));
            int n = file.channel().read(buffer, position);
            if (n < 0) {
                throw new IOException("file [" + file.name() + "] ended at byte " + position + " of " + file.length());
            }
            try {
                out.write(buffer.array(), 0, n);
            } catch (IOException clientGone) {
                return;
            }
            position += n;
        }
        try {
            out.flush();
        } catch (IOException clientGone) {
            // nothing more to send
        }
    }

    /** A shard number from the path; 400 otherwise. */
    static int shard(String value) {
        try {
            int shard = Integer.parseInt(value);
            if (shard >= 0) {
                return shard;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw InvalidRequestException.illegalArgument("invalid shard [" + value + "]: expected a shard number 0, 1, 2, ...");
    }
}
