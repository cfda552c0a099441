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
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A {@link RestoreSource} over the leader node's HTTP API. Sessions are opened and released with the remote's
 * {@link HttpClient}; file ranges, the bulk of the bytes, are read with Jetty's client, started at the first read and
 * stopped by {@link #close}: it reads the socket into pooled direct buffers and hands those to the copier as they
 * are, where the JDK's client reads into a fresh heap buffer every 16 KB and hands over read-only copies (a
 * bootstrap's follower side spent most of its CPU there). Both send the same credentials, trust the same CAs and
 * verify host names. Thread-safe.
 */
public final class HttpRestoreSource implements RestoreSource {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Bytes read from the socket at a time into one pooled buffer: fewer, larger reads than Jetty's 16 KB. */
    static final int RESPONSE_BUFFER = 128 << 10;
    /** Threads of the file-range client: one selector, and the reads it hands over (they only copy and write). */
    private static final int READ_THREADS = 8;

    private final RemoteHttp remote;
    private final HttpClient http;
    private final String base;
    private final Duration timeout;
    private final String holder;
    private org.eclipse.jetty.client.HttpClient ranges; // guarded by this; started at the first read
    private boolean closed; // guarded by this

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

    /** A restore session the source answered with an HTTP error {@code status}. */
    public static final class Refused extends IOException {
        private final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }

        /** The HTTP status it answered: 503 while it has no whole copy to give yet, 404 for no such index. */
        public int status() {
            return status;
        }
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
            throw new Refused(response.statusCode(), "the leader at [" + base + "] refused a restore session for ["
                    + leaderIndex + "]: " + response.statusCode() + " " + new String(response.body(),
                    StandardCharsets.UTF_8));
        }
        return JSON.readValue(response.body(), RestoreManifest.class);
    }

    /**
     * Streams the range into {@code sink} as the response arrives ({@link ChunkResponseListener}); an error answer
     * is read whole (it is small) to say what went wrong. Cancelling the future aborts the exchange.
     */
    @Override
    public CompletableFuture<Void> read(String session, int shard, String file, long from, int length,
                                        ChunkSink sink) {
        Request request;
        try {
            request = ranges().newRequest(URI.create(base + "/_ccr/restore_session/" + encode(session) + "/" + shard
                    + "/" + encode(file)));
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        request.method(HttpMethod.GET).idleTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).headers(h -> {
            h.put(HttpHeader.RANGE, "bytes=" + from + "-" + (from + length - 1));
            if (remote.authorization() != null) {
                h.put(HttpHeader.AUTHORIZATION, remote.authorization());
            }
        });
        ChunkResponseListener listener = new ChunkResponseListener(sink, HttpRestoreSource::isRange);
        CompletableFuture<Void> read = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                request.abort(new CancellationException("the copy was cancelled"));
                return super.cancel(mayInterruptIfRunning);
            }
        };
        String what = "[" + file + "] of shard [" + shard + "] bytes " + from + "+" + length + " from [" + base + "]";
        listener.outcome().whenComplete((status, failure) -> {
            if (failure instanceof IOException io) {
                read.completeExceptionally(io); // the sink's (it wrote or checked the bytes), or the connection's
            } else if (failure != null) {
                read.completeExceptionally(new IOException("reading " + what + " failed: " + failure, failure));
            } else if (status == 404) {
                read.completeExceptionally(new SessionGoneException("restore session [" + session + "] on [" + base
                        + "] is gone: " + listener.errorBody()));
            } else if (!isRange(status)) {
                read.completeExceptionally(new IOException("reading " + what + " gave " + status + ": "
                        + listener.errorBody()));
            } else {
                read.complete(null);
            }
        });
        // a lambda, not the listener itself: a complete listener that is also a content listener is registered twice
        request.onResponseContentSource(listener).send(listener::onComplete);
        return read;
    }

    /** The file-range client, started on first use; refused once closed. */
    private synchronized org.eclipse.jetty.client.HttpClient ranges() throws IOException {
        if (closed) {
            throw new IOException("the restore source for [" + base + "] is closed");
        }
        if (ranges == null) {
            ClientConnector connector = new ClientConnector();
            connector.setSelectors(1);
            if (base.startsWith("https:")) {
                SslContextFactory.Client tls = new SslContextFactory.Client(); // verifies host names, as the JDK's
                tls.setSslContext(http.sslContext());
                connector.setSslContextFactory(tls);
            }
            QueuedThreadPool threads = new QueuedThreadPool(READ_THREADS, 1);
            threads.setName("kccr-restore-read");
            threads.setDaemon(true);
            connector.setExecutor(threads);
            org.eclipse.jetty.client.HttpClient client = new org.eclipse.jetty.client.HttpClient(
                    new HttpClientTransportOverHTTP(connector));
            client.setFollowRedirects(false);
            client.setConnectTimeout(timeout.toMillis());
            client.setResponseBufferSize(RESPONSE_BUFFER);
            client.getContentDecoderFactories().clear(); // the bytes as stored: no Accept-Encoding
            try {
                client.start();
            } catch (Exception e) {
                throw new IOException("could not start the HTTP client reading the files of [" + base + "]: "
                        + e.getMessage(), e);
            }
            ranges = client;
        }
        return ranges;
    }

    /** Stops the file-range client: reads still running fail. */
    @Override
    public void close() {
        org.eclipse.jetty.client.HttpClient client;
        synchronized (this) {
            closed = true;
            client = ranges;
            ranges = null;
        }
        if (client != null) {
            try {
                client.stop();
            } catch (Exception e) {
                // its threads are daemons and end with the node
            }
        }
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
