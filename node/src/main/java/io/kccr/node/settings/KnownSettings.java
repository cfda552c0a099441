package io.kccr.node.settings;

import io.kccr.core.settings.Setting;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Every setting a node knows, and the definition of a key: an exact node setting ({@link NodeScopeSettings}), an
 * exact dynamic one ({@link ClusterScopeSettings}), a remote cluster one ({@link RemoteClusterSettings}), or a
 * {@code kafka.<client property>} passthrough, looked up in that order. Stateless.
 */
public final class KnownSettings {

    private static final Map<String, Setting<?>> EXACT = exact();

    private KnownSettings() {
    }

    private static Map<String, Setting<?>> exact() {
        Map<String, Setting<?>> out = new LinkedHashMap<>();
        Stream.concat(NodeScopeSettings.ALL.stream(), ClusterScopeSettings.ALL.stream()).forEach(s -> {
            if (out.put(s.key(), s) != null) {
                throw new IllegalStateException("setting [" + s.key() + "] is defined twice");
            }
        });
        return Map.copyOf(out);
    }

    /**
     * The definition of {@code key}, or empty for a key no node setting has.
     *
     * @throws IllegalArgumentException for a {@code cluster.remote.} key whose cluster name is malformed, saying so
     */
    public static Optional<Setting<?>> forKey(String key) {
        Setting<?> exact = EXACT.get(key);
        if (exact != null) {
            return Optional.of(exact);
        }
        Optional<Setting<?>> remote = RemoteClusterSettings.forKey(key);
        if (remote.isPresent()) {
            return remote;
        }
        return NodeScopeSettings.KAFKA_CLIENT.forKey(key).map(s -> s);
    }

    /**
     * The definition of {@code key}.
     *
     * @throws IllegalArgumentException in Elasticsearch's words for a key no node setting has: {@code unknown setting
     *                                  [x] please check that any required plugins are installed, or check the
     *                                  breaking changes documentation for removed settings}; for a malformed remote
     *                                  cluster name, saying so
     */
    public static Setting<?> require(String key) {
        return forKey(key).orElseThrow(() -> new IllegalArgumentException("unknown setting [" + key + "] please check "
                + "that any required plugins are installed, or check the breaking changes documentation for removed "
                + "settings"));
    }

    /** Whether {@code key} has an exact definition of its own (not a family's or the passthrough's). */
    public static boolean isExact(String key) {
        return EXACT.containsKey(key);
    }

    /** Whether {@code key} is a dynamic setting; a malformed remote cluster name counts as one. */
    public static boolean isDynamic(String key) {
        try {
            return forKey(key).map(Setting::isDynamic).orElse(false);
        } catch (IllegalArgumentException malformedRemoteName) {
            return true;
        }
    }
}
