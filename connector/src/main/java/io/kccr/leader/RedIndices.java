package io.kccr.leader;

import io.kccr.core.error.KccrException;
import io.kccr.core.error.UnavailableException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The indices the log lists that failed to open at start-up: red, kept with the reason rather than stopping the
 * node, until they are deleted. Thread-safe.
 */
final class RedIndices {
    private static final Logger log = LoggerFactory.getLogger(RedIndices.class);

    private final Map<String, FailedIndex> failed = new ConcurrentHashMap<>();

    /** Records index {@code name} as red: {@code reason} says why and what to do. */
    void add(String name, String uuid, int shards, String reason, Throwable cause) {
        log.error("index [{}] is red: {}", name, reason, cause);
        failed.put(name, new FailedIndex(name, uuid, shards, "index [" + name + "] is red: " + reason));
    }

    /** The message of {@code t}'s root cause, or of the first {@link KccrException} on the way there. */
    static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root && !(root instanceof KccrException)) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }

    Map<String, FailedIndex> all() {
        return Map.copyOf(failed);
    }

    /** The red index {@code name}; null when it is not red. */
    FailedIndex get(String name) {
        return failed.get(name);
    }

    void remove(String name) {
        failed.remove(name);
    }

    /** A 503 naming why, when {@code name} is a red index. */
    void checkNotRed(String name) {
        FailedIndex red = failed.get(name);
        if (red != null) {
            throw new UnavailableException(red.reason(), null);
        }
    }
}
