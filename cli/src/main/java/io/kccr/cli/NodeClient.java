package io.kccr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The operator commands' HTTP calls to a node's REST API: JSON in, JSON out. An answer other than 2xx becomes an
 * {@link NodeError} with the {@code type}, {@code reason} and {@code status} of Elasticsearch's error shape; a
 * node that cannot be reached becomes an {@link Unreachable} naming the URL. Thread-safe.
 */
final class NodeClient {
    static final ObjectMapper JSON = new ObjectMapper();
    /** How long one call may take: {@code ?wait_for_active_shards} waits up to 30 s on the node, plus slack. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);

    /** The node at {@link #url()} could not be reached (refused, timed out, unknown host). */
    static final class Unreachable extends RuntimeException {
        private final String url;

        Unreachable(String url, Throwable cause) {
            super("could not reach " + url + " (" + describe(cause) + "): is the node running? Give its address with"
                    + " --url", cause);
            this.url = url;
        }

        String url() {
            return url;
        }

        private static String describe(Throwable e) {
            if (e instanceof ConnectException) {
                return "connection refused";
            }
            if (e instanceof HttpTimeoutException) {
                return "timed out";
            }
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }

    private final String base;
    private final HttpClient http;
    private final String authorization;

    NodeClient(String url) {
        this(url, null, null);
    }

    /**
     * @param authorization the {@code Authorization} header value to send, or null
     * @param ssl           the SSL context for an {@code https://} URL, or null for the JVM's trusted CAs
     */
    NodeClient(String url, String authorization, javax.net.ssl.SSLContext ssl) {
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10));
        if (ssl != null) {
            b.sslContext(ssl);
        }
        this.http = b.build();
        this.authorization = authorization;
    }

    /** The node's base URL, without a trailing slash. */
    String url() {
        return base;
    }

    JsonNode get(String path) {
        return send("GET", path, null);
    }

    JsonNode post(String path, JsonNode body) {
        return send("POST", path, body);
    }

    JsonNode put(String path, JsonNode body) {
        return send("PUT", path, body);
    }

    /** Sends a request and waits for its answer; see the class comment for errors. */
    JsonNode send(String method, String path, JsonNode body) {
        try {
            return sendAsync(method, path, body).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /** Sends a request; the future completes with the answer's JSON, or as {@link #send} throws. */
    CompletableFuture<JsonNode> sendAsync(String method, String path, JsonNode body) {
        HttpRequest request = request(method, path, body);
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).handle((response, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                throw new Unreachable(base, cause);
            }
            return answer(response.statusCode(), response.body());
        });
    }

    HttpRequest request(String method, String path, JsonNode body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT);
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            try {
                b.method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                        .header("Content-Type", "application/json");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return b.build();
    }

    /** The JSON of a 2xx answer (an empty object for an empty body); a {@link NodeError} for any other. */
    static JsonNode answer(int status, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        JsonNode json = null;
        if (!text.isBlank()) {
            try {
                json = JSON.readTree(text);
            } catch (IOException notJson) {
                json = null;
            }
        }
        if (status >= 200 && status < 300) {
            return json != null ? json : JSON.createObjectNode();
        }
        JsonNode error = json == null ? null : json.get("error");
        if (error != null && error.isObject()) {
            throw new NodeError(status, error.path("type").asText("exception"),
                    error.path("reason").asText(error.toString()));
        }
        if (error != null && error.isTextual()) {
            throw new NodeError(status, "exception", error.asText());
        }
        throw new NodeError(status, "http_" + status, text.isBlank() ? "HTTP " + status : text.strip());
    }

    /** A new empty JSON object, for request bodies. */
    static ObjectNode object() {
        return JSON.createObjectNode();
    }
}
