package io.kccr.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The tests' HTTP client for a node's REST API (java.net.http only): what the official Elasticsearch
 * client does not show (our own stats fields, status {@code failed}, error shapes, headers, byte
 * ranges) is read through it. Failures to connect are {@link UncheckedIOException}s. Thread-safe.
 */
public final class Http {
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(90);
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .sslContext(TestTls.trustingTestCertificates())
            .build();

    /**
     * A response: its status, its body parsed as JSON ({@link MissingNode} when empty or not JSON), as text
     * and as bytes, its headers, and the request it answers ({@code METHOD path}).
     */
    public record Response(int status, JsonNode json, String text, byte[] body, HttpHeaders headers, String request) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The first value of header {@code name}, or null. */
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return request + " -> " + status + " " + (text.length() > 2000 ? text.substring(0, 2000) + "..." : text);
        }
    }

    private final String base;
    private final String authorization;

    public Http(String httpAddress) {
        this(httpAddress, null);
    }

    private Http(String httpAddress, String authorization) {
        this.base = httpAddress;
        this.authorization = authorization;
    }

    /** This client sending {@code authorization} (an {@code Authorization} header value) with every request. */
    public Http withAuthorization(String authorization) {
        return new Http(base, authorization);
    }

    /** This client authenticating as {@code user} with {@code password} (HTTP Basic). */
    public Http as(String user, String password) {
        return withAuthorization(basic(user, password));
    }

    /** The {@code Authorization} value of HTTP Basic for {@code user} and {@code password}. */
    public static String basic(String user, String password) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    public String base() {
        return base;
    }

    /** {@code host:port} of the node, as a remote cluster seed. */
    public String hostPort() {
        return URI.create(base).getAuthority();
    }

    /**
     * Sends {@code method path} with {@code body} (null for none) of {@code contentType}, and {@code headers} as
     * name, value pairs.
     */
    public Response request(String method, String path, byte[] body, String contentType, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT);
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.method(method, HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", contentType);
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    /** Sends a request built by the caller (e.g. with a streamed body) through the same client. */
    public static Response send(HttpRequest request) {
        String what = request.method() + " " + request.uri().getRawPath()
                + (request.uri().getRawQuery() == null ? "" : "?" + request.uri().getRawQuery());
        HttpResponse<byte[]> r;
        try {
            r = CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(what + " at " + request.uri().getAuthority() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        String text = new String(r.body(), StandardCharsets.UTF_8);
        JsonNode json = MissingNode.getInstance();
        if (!text.isBlank()) {
            try {
                json = JSON.readTree(text);
            } catch (IOException notJson) {
                json = MissingNode.getInstance();
            }
        }
        return new Response(r.statusCode(), json, text, r.body(), r.headers(), what);
    }

    public Response put(String path, String json) {
        return put(path, json.getBytes(StandardCharsets.UTF_8));
    }

    public Response put(String path, byte[] json) {
        return request("PUT", path, json, "application/json");
    }

    public Response post(String path, String json) {
        return request("POST", path, json == null ? null : json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    public Response get(String path, String... headers) {
        return request("GET", path, null, null, headers);
    }

    public Response delete(String path) {
        return request("DELETE", path, null, null);
    }

    public Response bulk(String path, byte[] ndjson) {
        return request("POST", path, ndjson, "application/x-ndjson");
    }

    public Response bulk(String path, String ndjson) {
        return bulk(path, ndjson.getBytes(StandardCharsets.UTF_8));
    }

    /** The response, which must have {@code status}; else an AssertionError showing it. */
    public static Response expect(int status, Response r, String what) {
        if (r.status() != status) {
            throw new AssertionError(what + ": expected HTTP " + status + " but got " + r);
        }
        return r;
    }
}
