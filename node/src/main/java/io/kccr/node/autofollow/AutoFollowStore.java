package io.kccr.node.autofollow;

import io.kccr.node.follow.FollowRequests;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kccr.follower.FollowParameters;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The auto-follow patterns a node keeps in {@code <path.data>/auto_follow_patterns.json}, so they survive a restart.
 * The whole file is written crash-safe (temporary file, fsync, atomic move) on every change.
 */
final class AutoFollowStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    AutoFollowStore(Path dataPath) {
        this.file = dataPath.resolve("auto_follow_patterns.json");
    }

    void save(Collection<AutoFollowPattern> patterns) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("patterns");
        for (AutoFollowPattern p : patterns) {
            ObjectNode n = list.addObject();
            n.put("name", p.name());
            n.put("remote_cluster", p.remoteCluster());
            p.leaderIndexPatterns().forEach(n.putArray("leader_index_patterns")::add);
            p.exclusionPatterns().forEach(n.putArray("leader_index_exclusion_patterns")::add);
            n.put("follow_index_pattern", p.followIndexPattern());
            n.put("active", p.active());
            n.set("parameters", JSON.valueToTree(p.parameters().toJson()));
            if (p.preexisting() != null) {
                new TreeSet<>(p.preexisting()).forEach(n.putArray("preexisting")::add);
            }
            new TreeSet<>(p.followed()).forEach(n.putArray("followed")::add);
        }
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    List<AutoFollowPattern> load() throws IOException {
        List<AutoFollowPattern> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        for (JsonNode n : JSON.readTree(file.toFile()).path("patterns")) {
            out.add(new AutoFollowPattern(n.get("name").asText(), n.get("remote_cluster").asText(),
                    strings(n.get("leader_index_patterns")), strings(n.get("leader_index_exclusion_patterns")),
                    n.get("follow_index_pattern").asText(),
                    FollowRequests.parameters(n.get("parameters"), FollowParameters.DEFAULTS),
                    n.get("active").asBoolean(), n.has("preexisting") ? Set.copyOf(strings(n.get("preexisting"))) : null,
                    Set.copyOf(strings(n.get("followed")))));
        }
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(v -> out.add(v.asText()));
        }
        return out;
    }
}
