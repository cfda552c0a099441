package io.kccr.node.remote;

import io.kccr.core.error.KccrException;
import io.kccr.core.error.UnavailableException;
import io.kccr.node.settings.RemoteClusterSettings;
import static io.kccr.node.remote.RemoteClusters.DISCOVERY_PATH;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns a remote's Kafka side over HTTP: asks {@code GET /_kccr/cluster} ({@link RemoteClusters#DISCOVERY_PATH})
 * of the remote's {@code http} address, then of each seed in order, until one answers with its Kafka bootstrap
 * servers and topic prefix. Each address gets the timeout to accept the connection and to answer; redirects are not
 * followed. Caches nothing ({@link RemoteClusters} does). Thread-safe; {@link #close()} releases the HTTP client.
 */
final class RemoteDiscovery implements AutoCloseable {
    /** Logged under the registry's name, as before this class existed. */
    private static final Logger log = LoggerFactory.getLogger(RemoteClusters.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Duration timeout;
    private final HttpClient http;

    RemoteDiscovery(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * Asks {@code GET /_kccr/cluster} of each HTTP address of {@code config} in turn; returns the first answer.
     *
     * @throws KccrException 503 {@code connect_transport_exception} naming each address, what failed, and what to
     *                      check, when none answers (or the thread is interrupted)
     */
    DiscoveredRemote discover(RemoteCluster config) {
        List<String> failures = new ArrayList<>();
        for (String address : config.httpAddresses()) {
            try {
                return ask(config, address);
            } catch (DiscoveryFailure f) {
                failures.add("[" + address + "] " + f.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw UnavailableException.remote("interrupted while asking remote cluster ["
                        + config.name() + "] at [" + address + "] for its Kafka address", null);
            }
        }
        String keys = RemoteClusterSettings.PREFIX + config.name() + ".";
        throw UnavailableException.remote("cannot learn the Kafka address of remote cluster ["
                + config.name() + "]: " + String.join("; ", failures) + ". Check that " + keys
                + (config.http() != null && config.seeds().isEmpty() ? "http" : "seeds")
                + " names the HTTP address (host:port of http.port, not Kafka's or a transport port) of a running "
                + "Kafka CCR node of that cluster, reachable from this node; or set " + keys + "http and " + keys
                + "kafka.bootstrap.servers explicitly", null);
    }

    /** Why one address gave no usable answer: a message for the 503, without a stack trace. */
    private static final class DiscoveryFailure extends Exception {
        DiscoveryFailure(String message) {
            super(message, null, false, false);
        }
    }

    private DiscoveredRemote ask(RemoteCluster config, String address) throws DiscoveryFailure, InterruptedException {
        URI uri;
        try {
            uri = URI.create(address + DISCOVERY_PATH);
        } catch (IllegalArgumentException e) {
            throw new DiscoveryFailure("is not a valid address: " + e.getMessage());
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET()
                .build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpConnectTimeoutException e) {
            throw new DiscoveryFailure("did not accept a connection within " + timeout.toMillis() + "ms");
        } catch (HttpTimeoutException e) {
            throw new DiscoveryFailure("did not answer GET " + DISCOVERY_PATH + " within " + timeout.toMillis() + "ms");
        } catch (ConnectException e) {
            throw new DiscoveryFailure("refused the connection (nothing listens there?)"
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (IOException e) {
            throw new DiscoveryFailure("failed: " + e);
        }
        if (response.statusCode() != 200) {
            throw new DiscoveryFailure("answered GET " + DISCOVERY_PATH + " with HTTP " + response.statusCode()
                    + " (is it a Kafka CCR node? Elasticsearch itself has no such endpoint)");
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new DiscoveryFailure("answered GET " + DISCOVERY_PATH + " with something that is not JSON");
        }
        JsonNode kafka = body == null ? null : body.path("kafka");
        String bootstrap = kafka == null ? null : kafka.path("bootstrap_servers").textValue();
        String prefix = kafka == null ? null : kafka.path("topic_prefix").textValue();
        if (bootstrap == null || bootstrap.isBlank() || prefix == null || prefix.isBlank()) {
            throw new DiscoveryFailure("answered GET " + DISCOVERY_PATH + " without kafka.bootstrap_servers and "
                    + "kafka.topic_prefix (is it a Kafka CCR node?)");
        }
        log.info("remote cluster [{}] at [{}]: cluster [{}], Kafka [{}], topic prefix [{}]", config.name(), address,
                body.path("cluster_name").asText(""), bootstrap, prefix);
        return new DiscoveredRemote(config, address, body.path("cluster_name").textValue(),
                body.path("cluster_uuid").textValue(), bootstrap, prefix);
    }

    /** Releases the HTTP client. */
    @Override
    public void close() {
        http.close();
    }
}
