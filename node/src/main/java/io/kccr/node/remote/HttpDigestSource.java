package io.kccr.node.remote;

import io.kccr.core.verify.DigestNdjson;
import io.kccr.core.verify.DigestSource;
import io.kccr.core.verify.DigestStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The digests of an index on another node, read from its {@code GET /<index>/_ccr/digest/<shard>} as they stream
 * in. Thread-safe.
 */
public final class HttpDigestSource implements DigestSource {
    private final HttpClient http;
    private final String base;
    private final String index;
    private final Duration timeout;
    private final String authorization;

    /**
     * @param base    the node's HTTP address, e.g. {@code http://leader:9200}
     * @param timeout how long to wait for a digest to begin (the node waits up to 10 s for a shard to reach the
     *                checkpoint first); the digest itself may take longer
     */
    public HttpDigestSource(HttpClient http, String base, String index, Duration timeout) {
        this(http, base, index, timeout, null);
    }

    /** As above, sending {@code authorization} (an {@code Authorization} header value, or null) with each request. */
    public HttpDigestSource(HttpClient http, String base, String index, Duration timeout, String authorization) {
        this.authorization = authorization;
        this.http = http;
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.index = index;
        this.timeout = timeout;
    }

    /** A client for digests: HTTP/1.1, connect timeout 10 s. */
    public static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    @Override
    public DigestStream open(int shard, Long maxSeqNo) throws IOException {
        URI uri = URI.create(base + "/" + URLEncoder.encode(index, StandardCharsets.UTF_8).replace("+", "%20")
                + "/_ccr/digest/" + shard + (maxSeqNo == null ? "" : "?max_seq_no=" + maxSeqNo));
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        HttpRequest request = builder.build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while calling " + uri);
        } catch (IOException e) {
            throw new IOException("could not reach [" + base + "] for the digest of shard [" + shard + "] of [" + index
                    + "]: " + e, e);
        }
        if (response.statusCode() != 200) {
            String body;
            try (InputStream in = response.body()) {
                body = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
            }
            throw new IOException("[" + base + "] answered " + response.statusCode() + " to GET " + uri.getRawPath()
                    + ": " + body);
        }
        return DigestNdjson.reader(response.body());
    }
}
