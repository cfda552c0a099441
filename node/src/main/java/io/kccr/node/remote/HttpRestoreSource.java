package io.kccr.node.remote;

import io.kccr.follower.bootstrap.RestoreSource;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kccr.core.recovery.RestoreManifest;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** A {@link RestoreSource} over the leader node's HTTP API. Thread-safe. */
public final class HttpRestoreSource implements RestoreSource {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RemoteHttp remote;
    private final HttpClient http;
    private final String base;
    private final Duration timeout;
    private final String holder;

    /** A source over {@code http} without credentials (a leader with security off); see below. */
    public HttpRestoreSource(HttpClient http, String base, Duration timeout, String followerCluster,
                             String followerIndex, String followerIndexUuid, String leaderRemoteCluster) {
        this(RemoteHttp.plain(base, http), base, timeout, followerCluster, followerIndex, followerIndexUuid,
                leaderRemoteCluster);
    }

    /**
     * {@code base}: the leader's HTTP address, e.g. {@code http://leader:9200}; {@code remote}: the client and the
     * cross-cluster API key it sends; the sessions are opened for follower {@code followerIndex} (uuid
     * {@code followerIndexUuid}) of cluster {@code followerCluster}, which knows the leader as remote
     * {@code leaderRemoteCluster}, so that {@code forget_follower} on the leader releases them.
     */
    public HttpRestoreSource(RemoteHttp remote, String base, Duration timeout, String followerCluster,
                             String followerIndex, String followerIndexUuid, String leaderRemoteCluster) {
        this.remote = remote;
        this.http = remote.client();
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.timeout = timeout;
        this.holder = "?follower_cluster=" + encode(followerCluster) + "&follower_index=" + encode(followerIndex)
                + "&follower_index_uuid=" + encode(followerIndexUuid) + "&leader_remote_cluster="
                + encode(leaderRemoteCluster);
    }

    @Override
    public RestoreManifest open(String leaderIndex) throws IOException {
        HttpRequest request = remote.authorize(HttpRequest.newBuilder(URI.create(base + "/" + encode(leaderIndex)
                        + "/_ccr/restore_session" + holder))).timeout(timeout).POST(HttpRequest.BodyPublishers.noBody())
                .build();
        HttpResponse<byte[]> response = send(request);
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw new IOException(remote.refused(response.statusCode(), "a restore session of [" + leaderIndex + "]",
                    leaderIndex, new String(response.body(), StandardCharsets.UTF_8)).getMessage());
        }
        if (response.statusCode() != 200) {
            throw new IOException("the leader at [" + base + "] refused a restore session for [" + leaderIndex + "]: "
                    + response.statusCode() + " " + new String(response.body(), StandardCharsets.UTF_8));
        }
        return JSON.readValue(response.body(), RestoreManifest.class);
    }

    /**
     * Streams the range into {@code sink} as the response arrives ({@link ChunkBodySubscriber}); an error answer
     * is read whole (it is small) to say what went wrong.
     */
    @Override
    public CompletableFuture<Void> read(String session, int shard, String file, long from, int length,
                                        ChunkSink sink) {
        HttpRequest request = remote.authorize(HttpRequest.newBuilder(URI.create(base + "/_ccr/restore_session/"
                        + encode(session) + "/" + shard + "/" + encode(file))))
                .timeout(timeout).header("Range", "bytes=" + from + "-" + (from + length - 1)).GET().build();
        return http.sendAsync(request, info -> isRange(info.statusCode()) ? new ChunkBodySubscriber(sink)
                        : HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8))
                .thenApply(response -> {
                    int status = response.statusCode();
                    if (status == 404) {
                        throw new CompletionException(new SessionGoneException("restore session [" + session + "] on ["
                                + base + "] is gone: " + response.body()));
                    }
                    if (!isRange(status)) {
                        throw new CompletionException(new IOException("reading [" + file + "] of shard [" + shard
                                + "] bytes " + from + "+" + length + " from [" + base + "] gave " + status + ": "
                                + response.body()));
                    }
                    return null;
                });
    }

    /** 206 with the range asked for; 200 only where the range is the whole file (the copier counts the bytes). */
    private static boolean isRange(int status) {
        return status == 206 || status == 200;
    }

    @Override
    public void release(String session) {
        HttpRequest request = remote.authorize(HttpRequest.newBuilder(URI.create(base + "/_ccr/restore_session/"
                + encode(session)))).timeout(timeout).DELETE().build();
        try {
            send(request);
        } catch (IOException e) {
            // the leader releases an idle session by itself
        }
    }

    private HttpResponse<byte[]> send(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while calling " + request.uri());
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
