package io.kccr.node.settings;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One applied change of the dynamic cluster settings, as {@link ClusterSettings} listeners receive it: the effective
 * settings (node-level, overridden by persistent, overridden by transient; defaults not included) before and after.
 *
 * @param before the effective settings before the change (flat keys, unmodifiable)
 * @param after  the effective settings after the change (flat keys, unmodifiable)
 */
public record ClusterSettingsChange(Map<String, String> before, Map<String, String> after) {

    public ClusterSettingsChange {
        before = Map.copyOf(before);
        after = Map.copyOf(after);
    }

    /** Keys whose effective value was added, changed or removed, sorted. */
    public Set<String> changedKeys() {
        Set<String> keys = new TreeSet<>();
        keys.addAll(before.keySet());
        keys.addAll(after.keySet());
        keys.removeIf(k -> Objects.equals(before.get(k), after.get(k)));
        return Collections.unmodifiableSet(keys);
    }

    /** Whether any changed key is {@code keyOrPrefix} or starts with it (e.g. {@code "ccr.indices.recovery."}). */
    public boolean changed(String keyOrPrefix) {
        return changedKeys().stream().anyMatch(k -> k.equals(keyOrPrefix) || k.startsWith(keyOrPrefix));
    }

    /** Names of the remote clusters with a changed {@code cluster.remote.<name>.*} setting, sorted. */
    public Set<String> changedRemotes() {
        Set<String> names = new TreeSet<>();
        for (String k : changedKeys()) {
            RemoteClusterSettings.remoteName(k).ifPresent(names::add);
        }
        return Collections.unmodifiableSet(names);
    }
}
