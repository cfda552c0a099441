package io.kccr.node.follow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kccr.follower.FollowParameters;
import io.kccr.follower.FollowerStatus;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.lucene.util.IOUtils;

/**
 * The follower definitions a node keeps under {@code <path.data>/followers/<name>/follow.json}, so
 * its followers come back after a restart in the state they were left in. Written crash-safe
 * (temporary file, fsync, atomic move).
 */
final class FollowerStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One follower as stored. */
    record Entry(String followerIndex, String remoteCluster, String leaderIndex, FollowParameters parameters,
                 FollowerStatus status, String fatalException) {
    }

    private final Path root;

    FollowerStore(Path dataPath) {
        this.root = dataPath.resolve("followers");
    }

    Path dir(String followerIndex) {
        return root.resolve(followerIndex);
    }

    void save(Entry entry) throws IOException {
        ObjectNode node = JSON.createObjectNode();
        node.put("follower_index", entry.followerIndex());
        node.put("remote_cluster", entry.remoteCluster());
        node.put("leader_index", entry.leaderIndex());
        node.put("status", entry.status().jsonName());
        if (entry.fatalException() != null) {
            node.put("fatal_exception", entry.fatalException());
        }
        node.set("parameters", JSON.valueToTree(entry.parameters().toJson()));
        Path dir = dir(entry.followerIndex());
        Files.createDirectories(dir);
        Path tmp = dir.resolve("follow.json.tmp");
        Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(tmp, dir.resolve("follow.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    List<Entry> loadAll() throws IOException {
        List<Entry> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.sorted().toList()) {
                Path file = dir.resolve("follow.json");
                if (Files.exists(file)) {
                    out.add(read(JSON.readTree(file.toFile())));
                }
            }
        }
        return out;
    }

    private static Entry read(JsonNode n) {
        return new Entry(n.get("follower_index").asText(), n.get("remote_cluster").asText(),
                n.get("leader_index").asText(), FollowRequests.parameters(n.get("parameters"), FollowParameters.DEFAULTS),
                FollowerStatus.valueOf(n.get("status").asText().toUpperCase(java.util.Locale.ROOT)),
                n.hasNonNull("fatal_exception") ? n.get("fatal_exception").asText() : null);
    }

    void delete(String followerIndex) throws IOException {
        IOUtils.rm(dir(followerIndex));
    }
}
