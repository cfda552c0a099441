package io.kccr.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A bare REST client for a node's HTTP API (java.net.http only), for the leader ITs. Thread-safe. */
public final class Rest {
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
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
            return status + " " + text;
        }
    }

    private final String base;

    public Rest(String httpAddress) {
        this.base = httpAddress;
    }

    public String base() {
        return base;
    }

    Response request(String method, String path, byte[] body, String contentType)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(90));
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.method(method, HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", contentType);
        }
        HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
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

    public Response put(String path, String json) throws IOException, InterruptedException {
        return request("PUT", path, json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    public Response put(String path, byte[] json) throws IOException, InterruptedException {
        return request("PUT", path, json, "application/json");
    }

    public Response post(String path, String json) throws IOException, InterruptedException {
        return request("POST", path, json == null ? null : json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    public Response get(String path) throws IOException, InterruptedException {
        return request("GET", path, null, null);
    }

    public Response delete(String path) throws IOException, InterruptedException {
        return request("DELETE", path, null, null);
    }

    public Response bulk(String path, byte[] ndjson) throws IOException, InterruptedException {
        return request("POST", path, ndjson, "application/x-ndjson");
    }
}
