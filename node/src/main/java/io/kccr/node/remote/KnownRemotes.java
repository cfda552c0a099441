package io.kccr.node.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kccr.core.io.StateFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each remote cluster's HTTP addresses last answered ({@link RemoteDiscovery}: its Kafka's bootstrap servers, its
 * topic prefix, its HTTP address), kept in {@code known_remotes.json} of the node's data path, so that a node that
 * starts while a remote cluster does not answer over HTTP (the leader's cluster is down: the reason a follower index
 * exists) still knows where its followers' logs are. Only what the remote answered is kept, with the addresses asked,
 * never credentials; an answer is used only for a remote whose addresses are still those. Thread-safe.
 */
final class KnownRemotes {
    private static final Logger log = LoggerFactory.getLogger(KnownRemotes.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    /** The answers kept in {@code file} (none when it does not exist yet). */
    KnownRemotes(Path file) {
        this.file = file;
    }

    /**
     * Keeps {@code answer}, replacing the one kept for its remote (and a file that cannot be read); a failure to write
     * is logged, not thrown.
     */
    synchronized void remember(DiscoveredRemote answer) {
        try {
            ObjectNode all = readOrEmpty();
            JsonNode before = all.get(answer.config().name());
            ObjectNode o = toJson(answer);
            if (!o.equals(before)) {
                all.set(answer.config().name(), o);
                StateFile.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(all));
            }
        } catch (IOException | RuntimeException e) {
            log.warn("could not keep what remote cluster [{}] answered in {}", answer.config().name(), file, e);
        }
    }

    /** {@code answer} as kept: the addresses asked and what they answered, no credentials. */
    static ObjectNode toJson(DiscoveredRemote answer) {
        ObjectNode o = JSON.createObjectNode();
        answer.config().httpAddresses().forEach(o.putArray("addresses")::add);
        o.put("http_address", answer.httpAddress());
        o.put("cluster_name", answer.clusterName());
        o.put("cluster_uuid", answer.clusterUuid());
        o.put("bootstrap_servers", answer.bootstrapServers());
        o.put("topic_prefix", answer.topicPrefix());
        return o;
    }

    /** The answer {@code o} keeps for {@code config}'s remote, if it was asked of {@code config}'s addresses. */
    static Optional<DiscoveredRemote> fromJson(RemoteCluster config, JsonNode o) {
        if (o == null || !o.isObject() || !addresses(o).equals(config.httpAddresses())
                || o.path("bootstrap_servers").asText("").isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new DiscoveredRemote(config, o.path("http_address").asText(null),
                o.path("cluster_name").asText(null), o.path("cluster_uuid").asText(null),
                o.path("bootstrap_servers").asText(), o.path("topic_prefix").asText()));
    }

    /** The last answer kept for {@code config}'s remote, if its addresses are still {@code config}'s. */
    synchronized Optional<DiscoveredRemote> last(RemoteCluster config) {
        try {
            return fromJson(config, read().get(config.name()));
        } catch (IOException | RuntimeException e) {
            log.warn("could not read what remote cluster [{}] last answered from {}", config.name(), file, e);
            return Optional.empty();
        }
    }

    private static List<String> addresses(JsonNode o) {
        List<String> out = new ArrayList<>();
        o.path("addresses").forEach(a -> out.add(a.asText()));
        return out;
    }

    private ObjectNode readOrEmpty() {
        try {
            return read();
        } catch (IOException | RuntimeException e) {
            log.warn("{} cannot be read; it is written anew: {}", file, e.toString());
            return JSON.createObjectNode();
        }
    }

    private ObjectNode read() throws IOException {
        return Files.exists(file) ? (ObjectNode) JSON.readTree(file.toFile()) : JSON.createObjectNode();
    }
}
