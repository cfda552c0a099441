package io.kccr.node.cluster;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * HTTP between the nodes of a cluster: a coordinating node forwards a request to the node holding the shard it
 * needs, or asks every node for its part. Requests carry {@link #FORWARDED}, so that the receiving node serves them
 * itself rather than routing them again, and the client's own headers that matter to the receiving node (its
 * credentials, its content type), so it is served as the client's request (a client that authenticated with a
 * console session has no credentials to forward: the other node answers 401); a request the node makes itself
 * ({@link #sendAsNode}: a node's status, a shard's part of a search the coordinating node authorized) carries the
 * node's own key.
 * Thread-safe.
 */
public final class PeerClient {
    /** Marks a request a node sent to another: served where it arrives, never forwarded again. */
    public static final String FORWARDED = "X-Kccr-Forwarded";

    /** The client's headers a forwarded request keeps. */
    private static final Set<String> KEPT = Set.of("authorization", "content-type", "accept", "x-opaque-id", "range");

    /** A peer's answer; {@code contentRange} is its {@code Content-Range} header, or null. */
    public record Response(int status, String contentType, byte[] body, String contentRange) {
        public Response(int status, String contentType, byte[] body) {
            this(status, contentType, body, null);
        }
    }

    /** The request could not be sent at all: the peer did not receive it (its node is down or not listening). */
    public static final class NotSent extends IOException {
        NotSent(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final HttpClient http;
    private final String nodeAuthorization;

    /** A client for a node without security and TLS. */
    public PeerClient() {
        this(null, null);
    }

    /**
     * @param nodeAuthorization the {@code Authorization} this node sends on requests it makes itself (a request it
     *                          forwards keeps its caller's); null with security off
     * @param tls               the context trusting the other nodes' certificates; null for plain HTTP
     */
    public PeerClient(String nodeAuthorization, javax.net.ssl.SSLContext tls) {
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2));
        if (tls != null) {
            b.sslContext(tls);
        }
        this.http = b.build();
        this.nodeAuthorization = nodeAuthorization;
    }

    /** This client with this node's own credentials, for a client of node {@code nodeName} that needs a RemoteHttp. */
    public io.kccr.node.remote.RemoteHttp asNode(String nodeName) {
        return io.kccr.node.remote.RemoteHttp.peer(nodeName, http, nodeAuthorization);
    }

    /**
     * Sends {@code method pathAndQuery} with {@code body} to the node at {@code baseUrl}, with the client headers
     * among {@code headers} that a forwarded request keeps.
     *
     * @throws NotSent     when the connection could not be made: the peer certainly did not get the request
     * @throws IOException when the peer did not answer within {@code timeout} (it may have served the request)
     */
    public Response send(String baseUrl, String method, String pathAndQuery, Map<String, List<String>> headers,
                         byte[] body, Duration timeout) throws IOException, InterruptedException {
        return send(baseUrl, method, pathAndQuery, headers, body, timeout, false);
    }

    /**
     * Sends a request this node makes itself, with its own key (see {@link #send} for the rest): a node's status, or
     * a shard's part of a search this node already authorized for its caller. Never for a client's request, which
     * must keep the client's credentials.
     */
    public Response sendAsNode(String baseUrl, String method, String pathAndQuery, Map<String, List<String>> headers,
                               byte[] body, Duration timeout) throws IOException, InterruptedException {
        return send(baseUrl, method, pathAndQuery, headers, body, timeout, true);
    }

    /** The sender gave up waiting for the peer's answer: the peer may or may not have served the request. */
    public static final class Abandoned extends IOException {
        Abandoned(String message) {
            super(message);
        }
    }

    /**
     * As {@link #send}, but gives up waiting as soon as {@code abandon} says so (asked every 100 ms), with
     * {@link Abandoned}: for a peer that stopped answering while the cluster moved what it was asked about.
     */
    public Response send(String baseUrl, String method, String pathAndQuery, Map<String, List<String>> headers,
                         byte[] body, Duration timeout, java.util.function.BooleanSupplier abandon)
            throws IOException, InterruptedException {
        return send(baseUrl, method, pathAndQuery, headers, body, timeout, false, abandon);
    }

    private Response send(String baseUrl, String method, String pathAndQuery, Map<String, List<String>> headers,
                          byte[] body, Duration timeout, boolean asNode) throws IOException, InterruptedException {
        return send(baseUrl, method, pathAndQuery, headers, body, timeout, asNode, null);
    }

    private Response send(String baseUrl, String method, String pathAndQuery, Map<String, List<String>> headers,
                          byte[] body, Duration timeout, boolean asNode, java.util.function.BooleanSupplier abandon)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
                .timeout(timeout)
                .method(method, body == null || body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body))
                .header(FORWARDED, "1");
        headers.forEach((name, values) -> {
            if (KEPT.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                values.forEach(v -> b.header(name, v));
            }
        });
        if (asNode && nodeAuthorization != null) {
            b.header("Authorization", nodeAuthorization);
        }
        try {
            HttpResponse<byte[]> r = abandon == null ? http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray())
                    : await(http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray()), abandon, baseUrl);
            return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse("application/json"),
                    r.body(), r.headers().firstValue("Content-Range").orElse(null));
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new NotSent("node at " + baseUrl + " cannot be reached: " + e, e);
        }
    }

    private static HttpResponse<byte[]> await(java.util.concurrent.CompletableFuture<HttpResponse<byte[]>> answer,
                                              java.util.function.BooleanSupplier abandon, String baseUrl)
            throws IOException, InterruptedException {
        while (true) {
            try {
                return answer.get(100, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                if (abandon.getAsBoolean()) {
                    answer.cancel(true);
                    throw new Abandoned("node at " + baseUrl + " did not answer, and the request is no longer for it");
                }
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                throw new IOException(e.getCause());
            }
        }
    }
}
