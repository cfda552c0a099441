package io.kccr.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

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
        return new String(sendForBytes(http, method, url, body, authorization), StandardCharsets.UTF_8);
    }

    /** As {@link #send(HttpClient, String, String, byte[])}, the answer as it came: no text decoded that is not read. */
    static byte[] sendForBytes(HttpClient http, String method, String url, byte[] body) throws Exception {
        return sendForBytes(http, method, url, body, null);
    }

    static byte[] sendForBytes(HttpClient http, String method, String url, byte[] body, String authorization)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json");
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        HttpResponse<byte[]> response = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + url + " -> " + response.statusCode() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        return response.body();
    }

    /** The status of a request without a body, whatever it is: for polls where 404 means "not yet". */
    static int status(HttpClient http, String method, String url) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static final byte[] NO_ERRORS = "{\"errors\":false".getBytes(StandardCharsets.UTF_8);

    /**
     * Sends a {@code _bulk} body and fails unless every item succeeded: the answer starts with
     * {@code {"errors":false} (a node writes that field first), so only its first bytes are looked at.
     */
    static void bulk(HttpClient http, String url, byte[] body) throws Exception {
        bulk(http, url, body, null);
    }

    /** As above, with {@code authorization} (an {@code Authorization} header value, or null for none). */
    static void bulk(HttpClient http, String url, byte[] body, String authorization) throws Exception {
        byte[] answer = sendForBytes(http, "POST", url, body, authorization);
        if (!java.util.Arrays.equals(answer, 0, Math.min(answer.length, NO_ERRORS.length), NO_ERRORS, 0,
                NO_ERRORS.length)) {
            throw new IllegalStateException("bulk had errors: " + new String(answer, 0, Math.min(answer.length, 500),
                    StandardCharsets.UTF_8));
        }
    }

    /** The name of {@link #bulkAll}'s client threads, numbered from 1. */
    static final String CLIENT_THREAD = "bench-client-";

    /**
     * Sends {@code corpus} to {@code url} (a {@code _bulk} endpoint) in bulks of {@code bulkSize} from {@code clients}
     * concurrent clients, each building its next body as it goes (so a large corpus never sits in memory as bodies),
     * until every item is acknowledged.
     */
    static void bulkAll(HttpClient http, String url, Corpus corpus, int bulkSize, int clients, String authorization)
            throws Exception {
        int bulks = (corpus.size() + bulkSize - 1) / bulkSize;
        AtomicInteger next = new AtomicInteger();
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients, r -> new Thread(r, CLIENT_THREAD
                + n.incrementAndGet()));
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                done.add(pool.submit(() -> {
                    for (int b = next.getAndIncrement(); b < bulks; b = next.getAndIncrement()) {
                        bulk(http, url, corpus.bulkBody(b * bulkSize, Math.min(corpus.size(), (b + 1) * bulkSize)),
                                authorization);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }
}
