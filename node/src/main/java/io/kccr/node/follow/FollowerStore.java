package io.kccr.node.follow;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.kccr.core.index.IndexNames;
import io.kccr.core.io.StateFile;
import io.kccr.follower.FatalError;
import io.kccr.follower.FollowParameters;
import io.kccr.follower.FollowerDefinition;
import io.kccr.follower.FollowerIndex;
import io.kccr.follower.FollowerStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.lucene.util.IOUtils;

/**
 * The follower definitions a node keeps under {@code <path.data>/followers/<name>/follow.json}, so
 * its followers come back after a restart in the state they were left in. Each file is one
 * {@link Entry}, written with {@link StateFile}.
 *
 * <p>Not thread-safe: the catalog serializes its calls.
 */
final class FollowerStore {
    static final String FILE = "follow.json";
    /** Reads and writes {@link Entry} as its file holds it. */
    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One follower as stored. {@code fatalException} is null unless the follower failed; files of an
     * earlier version hold it as a string, which {@link FatalError#fromString} reads. {@code settings}: the flat
     * settings the follower sets itself ({@code index.refresh_interval}, ...); files of an earlier version have none.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Entry(String followerIndex, String remoteCluster, String leaderIndex, FollowerStatus status,
                 FatalError fatalException,
                 @JsonSerialize(using = FollowParametersJson.Writer.class)
                 @JsonDeserialize(using = FollowParametersJson.Reader.class) FollowParameters parameters,
                 @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> settings) {
        Entry {
            Objects.requireNonNull(followerIndex, "follower_index");
            Objects.requireNonNull(remoteCluster, "remote_cluster");
            Objects.requireNonNull(leaderIndex, "leader_index");
            Objects.requireNonNull(status, "status");
            parameters = parameters == null ? FollowParameters.DEFAULTS : parameters;
            settings = settings == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(settings));
        }

        /**
         * What is kept of follower {@code f} in {@code status}: its definition, parameters and own settings, under its
         * name, or, for a part of a follower index spread over nodes, under the part's key ({@link #index}).
         */
        static Entry of(FollowerIndex f, FollowerStatus status) {
            FollowerDefinition d = f.definition();
            return new Entry(f.key(), d.remoteCluster(), d.leaderIndex(), status,
                    status == FollowerStatus.FAILED ? f.fatalError() : null, f.parameters(), f.settings().own().flat());
        }

        /**
         * The follower index this entry defines, or is a part of: {@link #followerIndex} is the key the entry is kept,
         * placed and recorded under, a part's key ({@link IndexNames#partKey}) for a part of a follower index spread
         * over nodes.
         */
        String index() {
            return IndexNames.indexOfPart(followerIndex);
        }

        /** Whether this entry is a part of a follower index spread over nodes. */
        boolean isPart() {
            return IndexNames.shardOfPart(followerIndex) >= 0;
        }

        /** Puts {@code follower}, just opened, in this entry's state: following, failed (with its error) or paused. */
        void restoreOn(FollowerIndex follower) {
            if (status == FollowerStatus.ACTIVE) {
                follower.start();
            } else if (status == FollowerStatus.FAILED) {
                follower.restoreFailed(fatalException != null ? fatalException
                        : new FatalError("exception", "failed before the node restarted (no reason was kept);"
                        + " resume it with POST /" + index() + "/_ccr/resume_follow", null));
            } else {
                follower.pause();
            }
        }

        Entry(String followerIndex, String remoteCluster, String leaderIndex, FollowerStatus status,
              FatalError fatalException, FollowParameters parameters) {
            this(followerIndex, remoteCluster, leaderIndex, status, fatalException, parameters, Map.of());
        }
    }

    private final Path root;

    FollowerStore(Path dataPath) {
        this.root = dataPath.resolve("followers");
    }

    Path dir(String followerIndex) {
        return root.resolve(followerIndex);
    }

    void save(Entry entry) throws IOException {
        StateFile.write(dir(entry.followerIndex()).resolve(FILE),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(entry));
    }

    List<Entry> loadAll() throws IOException {
        List<Entry> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.sorted().toList()) {
                Path file = dir.resolve(FILE);
                if (Files.exists(file)) {
                    out.add(read(file));
                }
            }
        }
        return out;
    }

    static Entry read(Path file) throws IOException {
        try {
            return JSON.readValue(file.toFile(), Entry.class);
        } catch (IOException e) {
            throw new IOException("unreadable follower definition " + file + ": " + e.getMessage() + "; fix or delete"
                    + " the file (deleting it forgets the follower, its shards stay in " + file.getParent() + ")", e);
        }
    }

    /** The names of the followers with a directory here (a definition in it or not). */
    List<String> names() throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList();
        }
    }

    /** Marks a follower whose conversion began: a restart completes it before anything else can touch it. */
    private static final String UNFOLLOW_MARKER = "unfollow.json";

    /** Records that follower {@code name}'s conversion into a leader index begins ({@value #UNFOLLOW_MARKER}). */
    void markConversion(String name) throws IOException {
        StateFile.write(dir(name).resolve(UNFOLLOW_MARKER),
                "{\"unfollow\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Whether follower {@code name}'s conversion began ({@link #markConversion}) and did not finish. */
    boolean conversionPending(String name) {
        return Files.exists(dir(name).resolve(UNFOLLOW_MARKER));
    }

    void delete(String followerIndex) throws IOException {
        IOUtils.rm(dir(followerIndex));
    }
}
