package io.kccr.node.autofollow;

import io.kccr.core.index.Wildcards;
import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.index.IndexNames;
import io.kccr.follower.FollowParameters;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * One auto-follow pattern ({@code PUT /_ccr/auto_follow/<name>}): the leader indices of {@code remoteCluster} whose
 * names match one of {@code leaderIndexPatterns} and none of {@code exclusionPatterns} are followed as
 * {@code followIndexPattern} with {@code {{leader_index}}} replaced by the leader's name.
 *
 * @param active    false while paused: nothing new is followed
 * @param preexisting the remote's index names when the pattern was created or last resumed, which it never
 *                  follows (as in Elasticsearch, only indices created afterwards are); null until first read
 * @param followed  the leader indices this pattern has followed, never followed again by it
 * @param settings  the flat settings its followers set themselves ({@code index.refresh_interval}, ...), checked
 */
public record AutoFollowPattern(String name, String remoteCluster, List<String> leaderIndexPatterns,
                                List<String> exclusionPatterns, String followIndexPattern,
                                FollowParameters parameters, boolean active, Set<String> preexisting,
                                Set<String> followed, Map<String, String> settings) {
    /** The placeholder {@link #followIndexPattern} replaces with the leader index name. */
    public static final String LEADER_INDEX = "{{leader_index}}";
    public static final String DEFAULT_FOLLOW_INDEX_PATTERN = LEADER_INDEX;

    public AutoFollowPattern {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(remoteCluster, "remoteCluster");
        leaderIndexPatterns = List.copyOf(leaderIndexPatterns);
        exclusionPatterns = List.copyOf(exclusionPatterns);
        followIndexPattern = followIndexPattern == null ? DEFAULT_FOLLOW_INDEX_PATTERN : followIndexPattern;
        Objects.requireNonNull(parameters, "parameters");
        preexisting = preexisting == null ? null : Set.copyOf(preexisting);
        followed = Set.copyOf(followed);
        settings = settings == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(settings));
    }

    /** A pattern whose followers set no settings of their own. */
    public AutoFollowPattern(String name, String remoteCluster, List<String> leaderIndexPatterns,
                             List<String> exclusionPatterns, String followIndexPattern, FollowParameters parameters,
                             boolean active, Set<String> preexisting, Set<String> followed) {
        this(name, remoteCluster, leaderIndexPatterns, exclusionPatterns, followIndexPattern, parameters, active,
                preexisting, followed, Map.of());
    }

    /** Whether this pattern would follow leader index {@code index} (ignoring {@link #active}, history). */
    public boolean matches(String index) {
        return leaderIndexPatterns.stream().anyMatch(p -> Wildcards.simpleMatch(p, index))
                && exclusionPatterns.stream().noneMatch(p -> Wildcards.simpleMatch(p, index));
    }

    /** The name of the follower of leader index {@code leaderIndex}. */
    public String followerName(String leaderIndex) {
        return followIndexPattern.replace(LEADER_INDEX, leaderIndex);
    }

    AutoFollowPattern withActive(boolean value, Set<String> newPreexisting) {
        return new AutoFollowPattern(name, remoteCluster, leaderIndexPatterns, exclusionPatterns, followIndexPattern,
                parameters, value, newPreexisting, followed, settings);
    }

    AutoFollowPattern withPreexisting(Set<String> value) {
        return new AutoFollowPattern(name, remoteCluster, leaderIndexPatterns, exclusionPatterns, followIndexPattern,
                parameters, active, value, followed, settings);
    }

    AutoFollowPattern withFollowed(String leaderIndex) {
        Set<String> more = new java.util.HashSet<>(followed);
        more.add(leaderIndex);
        return new AutoFollowPattern(name, remoteCluster, leaderIndexPatterns, exclusionPatterns, followIndexPattern,
                parameters, active, preexisting, more, settings);
    }

    /**
     * Checks a pattern's name as Elasticsearch does; 400 {@code action_request_validation_exception} saying what to
     * change.
     */
    static void validateName(String name) {
        String problem = null;
        if (name == null || name.isEmpty()) {
            problem = "[name] is missing";
        } else if (name.contains(",")) {
            problem = "name [" + name + "] must not contain a ','; give the pattern a name without commas";
        } else if (name.startsWith("_")) {
            problem = "name [" + name + "] must not start with '_'";
        } else if (name.getBytes(StandardCharsets.UTF_8).length > 255) {
            problem = "name [" + name + "] is too long (" + name.getBytes(StandardCharsets.UTF_8).length + " > 255)";
        } else if (name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")) {
            problem = "name [" + name + "] must not contain '/' or '\\' nor be '.' or '..'";
        }
        if (problem != null) {
            throw InvalidRequestException.validation("Validation Failed: 1: " + problem + ";");
        }
    }

    /**
     * Checks that this pattern's fields make sense: non-empty patterns, and a follow index pattern giving valid index
     * names (400 {@code illegal_argument_exception} otherwise).
     */
    void validate() {
        validateName(name);
        if (leaderIndexPatterns.isEmpty()) {
            throw InvalidRequestException.validation("Validation Failed: 1: [leader_index_patterns] is missing;");
        }
        for (String p : leaderIndexPatterns) {
            if (p == null || p.isBlank()) {
                throw InvalidRequestException.illegalArgument("[leader_index_patterns] must not contain empty patterns");
            }
        }
        for (String p : exclusionPatterns) {
            if (p == null || p.isBlank()) {
                throw InvalidRequestException.illegalArgument("[leader_index_exclusion_patterns] must not contain empty patterns");
            }
        }
        String sample = followerName("leader");
        String problem = IndexNames.problem(sample);
        if (problem != null) {
            throw InvalidRequestException.illegalArgument("[follow_index_pattern] [" + followIndexPattern
                    + "] would give invalid index names such as [" + sample + "]: " + problem
                    + "; use e.g. [" + LEADER_INDEX + "] or [" + LEADER_INDEX + "-copy]");
        }
    }
}
