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
    private final java.util.function.Function<RemoteCluster, RemoteHttp> clients;

    /** {@code clients}: the HTTP client and credentials of a remote. */
    RemoteDiscovery(Duration timeout, java.util.function.Function<RemoteCluster, RemoteHttp> clients) {
        this.timeout = timeout;
        this.clients = clients;
    }

    /**
     * Asks {@code GET /_kccr/cluster} of each HTTP address of {@code config} in turn; returns the first answer.
     *
     * @throws KccrException 503 {@code connect_transport_exception} naming each address, what failed, and what to
     *                      check, when none answers (or the thread is interrupted)
     */
    DiscoveredRemote discover(RemoteCluster config) {
        List<String> failures = new ArrayList<>();
        RemoteHttp http = clients.apply(config);
        for (String address : config.httpAddresses()) {
            try {
                return ask(http, config, address);
            } catch (Refused r) {
                throw http.refused(r.status, "GET " + DISCOVERY_PATH + " at [" + address + "]", null, r.answer);
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

    /** The remote refused this node's credentials (401) or their privileges (403). */
    private static final class Refused extends Exception {
        final int status;
        final String answer;

        Refused(int status, String answer) {
            super(null, null, false, false);
            this.status = status;
            this.answer = answer;
        }
    }

    private DiscoveredRemote ask(RemoteHttp remote, RemoteCluster config, String address)
            throws DiscoveryFailure, Refused, InterruptedException {
        URI uri;
        try {
            uri = URI.create(address + DISCOVERY_PATH);
        } catch (IllegalArgumentException e) {
            throw new DiscoveryFailure("is not a valid address: " + e.getMessage());
        }
        HttpRequest request = remote.authorize(HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Accept", "application/json")).GET().build();
        HttpResponse<byte[]> response;
        try {
            response = remote.client().send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpConnectTimeoutException e) {
            throw new DiscoveryFailure("did not accept a connection within " + timeout.toMillis() + "ms");
        } catch (HttpTimeoutException e) {
            throw new DiscoveryFailure("did not answer GET " + DISCOVERY_PATH + " within " + timeout.toMillis() + "ms");
        } catch (ConnectException e) {
            throw new DiscoveryFailure("refused the connection (nothing listens there?)"
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (javax.net.ssl.SSLException e) {
            throw new DiscoveryFailure("failed the TLS handshake (" + e.getMessage() + "); if it uses a certificate of"
                    + " its own CA, set " + RemoteClusterSettings.SSL_CERTIFICATE_AUTHORITIES.key(config.name())
                    + " to that CA's PEM file");
        } catch (IOException e) {
            throw new DiscoveryFailure("failed: " + e);
        }
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw new Refused(response.statusCode(), new String(response.body(),
                    java.nio.charset.StandardCharsets.UTF_8));
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

    /** Nothing to release: the clients belong to {@link RemoteClusters}. */
    @Override
    public void close() {
    }
}
