package io.kccr.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** The benchmarks' HTTP calls: JSON in, body out, anything but 2xx an error. */
final class Http {
    private Http() {
    }

    static String send(HttpClient http, String method, String url, String body) throws Exception {
        return send(http, method, url, body.getBytes(StandardCharsets.UTF_8));
    }

    static String send(HttpClient http, String method, String url, byte[] body) throws Exception {
        return send(http, method, url, body, null);
    }

    /** As above, with {@code authorization} (an {@code Authorization} header value, or null for none). */
    static String send(HttpClient http, String method, String url, String body, String authorization)
            throws Exception {
        return send(http, method, url, body.getBytes(StandardCharsets.UTF_8), authorization);
    }

    static String send(HttpClient http, String method, String url, byte[] body, String authorization)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json");
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        HttpRequest request = b.build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + url + " -> " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }
}
