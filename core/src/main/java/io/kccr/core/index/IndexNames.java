package io.kccr.core.index;

import io.kccr.core.error.KccrException;
import io.kccr.core.error.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Elasticsearch's rules for index names; a bad name is a 400 {@code invalid_index_name_exception}. */
public final class IndexNames {
    private static final String INVALID_CHARS = "\\/*?\"<>| ,#:";

    /**
     * Separates a follower index's name from the shard in the key of one of its parts, {@code <index>#<shard>}: a
     * follower index spread over the nodes of a cluster is placed, moved and taken over part by part, each part under
     * its key. No index can be named like a part, as {@code #} is invalid in index names.
     */
    public static final char PART = '#';

    private IndexNames() {
    }

    /** The key of the part of follower index {@code index} that holds shard {@code shard}. */
    public static String partKey(String index, int shard) {
        return index + PART + shard;
    }

    /** The index a part's key names; {@code name} itself when it is no part's key. */
    public static String indexOfPart(String name) {
        int at = name.indexOf(PART);
        return at < 0 ? name : name.substring(0, at);
    }

    /** The shard a part's key names; -1 when {@code name} is no part's key. */
    public static int shardOfPart(String name) {
        int at = name.indexOf(PART);
        if (at < 0) {
            return -1;
        }
        try {
            return Integer.parseInt(name.substring(at + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Throws {@link KccrException} unless {@code name} is a valid index name. */
    public static void validate(String name) {
        String problem = problem(name);
        if (problem != null) {
            throw InvalidRequestException.invalidIndexName(name, problem);
        }
    }

    /** Why {@code name} is not a valid index name, or null when it is. */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "must not be empty";
        }
        if (!name.toLowerCase(Locale.ROOT).equals(name)) {
            return "must be lowercase";
        }
        if (name.equals(".") || name.equals("..")) {
            return "must not be '.' or '..'";
        }
        char first = name.charAt(0);
        if (first == '_' || first == '-' || first == '+') {
            return "must not start with '_', '-', or '+'";
        }
        for (char c : INVALID_CHARS.toCharArray()) {
            if (name.indexOf(c) >= 0) {
                return "must not contain the following characters [' ','\"','*',',','/','<','>','?','\\','|',':','#']";
            }
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > 255) {
            return "index name is too long, (" + name.getBytes(StandardCharsets.UTF_8).length + " > 255)";
        }
        return null;
    }
}
