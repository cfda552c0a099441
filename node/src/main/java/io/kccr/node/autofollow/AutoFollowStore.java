package io.kccr.node.autofollow;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.kccr.core.io.StateFile;
import io.kccr.follower.FollowParameters;
import io.kccr.node.follow.FollowParametersJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The auto-follow patterns a node keeps in {@code <path.data>/auto_follow_patterns.json}, so they survive a restart:
 * one {@link PatternsFile}, written whole with {@link StateFile} on every change.
 *
 * <p>Not thread-safe: the auto-follower serializes its calls.
 */
final class AutoFollowStore {
    static final String FILE = "auto_follow_patterns.json";
    static final ObjectMapper JSON = new ObjectMapper();

    /** The file's content. */
    record PatternsFile(List<StoredPattern> patterns) {
        PatternsFile {
            patterns = patterns == null ? List.of() : List.copyOf(patterns);
        }
    }

    /**
     * One {@link AutoFollowPattern} as stored; the index name sets sorted, so the file changes only when they do.
     * {@code preexisting} is null (absent) until the remote was first read; {@code settings} is absent when empty
     * (and in files of an earlier version).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record StoredPattern(String name, String remoteCluster, List<String> leaderIndexPatterns,
                         List<String> leaderIndexExclusionPatterns, String followIndexPattern, boolean active,
                         @JsonSerialize(using = FollowParametersJson.Writer.class)
                         @JsonDeserialize(using = FollowParametersJson.Reader.class) FollowParameters parameters,
                         SortedSet<String> preexisting, SortedSet<String> followed,
                         @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> settings) {
        StoredPattern {
            settings = settings == null ? Map.of() : settings;
        }

        static StoredPattern of(AutoFollowPattern p) {
            return new StoredPattern(p.name(), p.remoteCluster(), p.leaderIndexPatterns(), p.exclusionPatterns(),
                    p.followIndexPattern(), p.active(), p.parameters(),
                    p.preexisting() == null ? null : new TreeSet<>(p.preexisting()), new TreeSet<>(p.followed()),
                    p.settings());
        }

        AutoFollowPattern pattern() {
            return new AutoFollowPattern(name, remoteCluster, orEmpty(leaderIndexPatterns),
                    orEmpty(leaderIndexExclusionPatterns), followIndexPattern,
                    parameters == null ? FollowParameters.DEFAULTS : parameters, active,
                    preexisting == null ? null : Set.copyOf(preexisting),
                    followed == null ? Set.of() : Set.copyOf(followed), settings);
        }

        private static List<String> orEmpty(List<String> list) {
            return list == null ? List.of() : list;
        }
    }

    private final Path file;

    AutoFollowStore(Path dataPath) {
        this.file = dataPath.resolve(FILE);
    }

    void save(Collection<AutoFollowPattern> patterns) throws IOException {
        PatternsFile content = new PatternsFile(patterns.stream().map(StoredPattern::of).toList());
        StateFile.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(content));
    }

    List<AutoFollowPattern> load() throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        PatternsFile content;
        try {
            content = JSON.readValue(file.toFile(), PatternsFile.class);
        } catch (IOException e) {
            throw new IOException("unreadable auto-follow patterns " + file + ": " + e.getMessage() + "; fix or delete"
                    + " the file (deleting it forgets every pattern; their followers stay)", e);
        }
        return content.patterns().stream().map(StoredPattern::pattern).toList();
    }
}
