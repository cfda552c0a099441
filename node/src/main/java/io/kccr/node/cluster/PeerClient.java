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
 * credentials, its content type), so it is served as the client's request. Thread-safe.
 */
public final class PeerClient {
    /** Marks a request a node sent to another: served where it arrives, never forwarded again. */
    public static final String FORWARDED = "X-Kccr-Forwarded";

    /** The client's headers a forwarded request keeps. */
    private static final Set<String> KEPT = Set.of("authorization", "content-type", "accept", "x-opaque-id");

    /** A peer's answer. */
    public record Response(int status, String contentType, byte[] body) {
    }

    /** The request could not be sent at all: the peer did not receive it (its node is down or not listening). */
    public static final class NotSent extends IOException {
        NotSent(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    /**
     * Sends {@code method pathAndQuery} with {@code body} to the node at {@code baseUrl}, with the client headers
     * among {@code headers} that a forwarded request keeps.
     *
     * @throws NotSent     when the connection could not be made: the peer certainly did not get the request
     * @throws IOException when the peer did not answer within {@code timeout} (it may have served the request)
     */
    public Response send(String baseUrl, String method, String pathAndQuery, Map<String, List<String>> headers,
                         byte[] body, Duration timeout) throws IOException, InterruptedException {
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
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse("application/json"),
                    r.body());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new NotSent("node at " + baseUrl + " cannot be reached: " + e, e);
        }
    }
}
