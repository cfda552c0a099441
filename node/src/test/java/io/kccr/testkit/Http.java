package io.kccr.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A bare HTTP client for a node's REST API (java.net.http only), for the CCR ITs: what the official
 * client does not show (our own stats fields, status {@code failed}) is read through it. Thread-safe.
 */
public final class Http {
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    /** A response: its status, its body parsed as JSON (null when empty or not JSON) and its text. */
    public record Response(int status, JsonNode json, String text) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        @Override
        public String toString() {
            return status + " " + (text.length() > 2000 ? text.substring(0, 2000) + "..." : text);
        }
    }

    private final String base;

    public Http(String httpAddress) {
        this.base = httpAddress;
    }

    public String base() {
        return base;
    }

    /** {@code host:port} of the node, as a remote cluster seed. */
    public String hostPort() {
        return URI.create(base).getAuthority();
    }

    public Response request(String method, String path, byte[] body, String contentType) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(90));
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.method(method, HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", contentType);
        }
        HttpResponse<byte[]> r;
        try {
            r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + base + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        String text = new String(r.body(), StandardCharsets.UTF_8);
        JsonNode json = null;
        if (!text.isBlank()) {
            try {
                json = JSON.readTree(text);
            } catch (IOException notJson) {
                json = null;
            }
        }
        return new Response(r.statusCode(), json, text);
    }

    public Response put(String path, String json) {
        return request("PUT", path, json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    public Response post(String path, String json) {
        return request("POST", path, json == null ? null : json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    public Response get(String path) {
        return request("GET", path, null, null);
    }

    public Response bulk(String path, byte[] ndjson) {
        return request("POST", path, ndjson, "application/x-ndjson");
    }

    /** The response, which must have {@code status}; else an AssertionError showing it. */
    public static Response expect(int status, Response r, String what) {
        if (r.status() != status) {
            throw new AssertionError(what + ": expected HTTP " + status + " but got " + r);
        }
        return r;
    }
}
