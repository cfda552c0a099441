package io.kccr.node.follow;

import io.kccr.core.error.UnavailableException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The followers a node keeps on disk but could not open (their remote cluster, or the remote's Kafka, away at
 * start-up), each with the reason: named, answering 503 with it, and retried until they open, so a follower never
 * silently disappears from the node. Thread-safe.
 */
final class UnopenedFollowers {
    private static final Logger log = LoggerFactory.getLogger(UnopenedFollowers.class);

    private final Map<String, FollowerStore.Entry> entries = new ConcurrentHashMap<>();
    private final Map<String, String> reasons = new ConcurrentHashMap<>();

    /** Keeps {@code entry} as not opened, because of {@code failure}; logged the first time only. */
    void add(FollowerStore.Entry entry, RuntimeException failure) {
        String name = entry.followerIndex();
        String reason = "follower index [" + name + "] could not be opened: " + failure.getMessage()
                + " (retried every few seconds)";
        if (entries.put(name, entry) == null) {
            log.warn("{}", reason);
        }
        reasons.put(name, reason);
    }

    /** Forgets follower {@code name} (opened, or removed). */
    void remove(String name) {
        entries.remove(name);
        reasons.remove(name);
    }

    boolean contains(String name) {
        return entries.containsKey(name);
    }

    /** The followers to try opening again. */
    List<FollowerStore.Entry> entries() {
        return List.copyOf(entries.values());
    }

    /** Why follower {@code name} is kept but not open; null when it is not such. */
    String reason(String name) {
        return reasons.get(name);
    }

    /** A 503 with the reason when {@code name} is a follower kept on disk that could not be opened. */
    void checkOpened(String name) {
        String reason = reasons.get(name);
        if (reason != null) {
            throw new UnavailableException(reason, null);
        }
    }
}
