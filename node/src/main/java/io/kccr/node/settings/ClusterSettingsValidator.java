package io.kccr.node.settings;

import io.kccr.core.settings.Setting;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rules an update of {@link ClusterSettings} must pass, in Elasticsearch's words: each key must be a dynamic
 * setting (a static node setting is "not dynamically updateable", anything else "not recognized")
 * whose value parses; and a remote's other settings need the remote enabled. Stateless.
 */
final class ClusterSettingsValidator {

    private ClusterSettingsValidator() {
    }

    /**
     * Throws unless {@code key = value} may be written to {@code scope}. A {@code null} value (unset) is allowed for
     * a key with {@code *} and an {@code archived.*} key; for a known setting; for nothing else.
     *
     * @throws IllegalArgumentException naming the scope and key, or the value and what is expected
     */
    static void checkUpdate(ClusterSettings.Scope scope, String key, String value) {
        Objects.requireNonNull(key, "key");
        if (value == null && (key.indexOf('*') >= 0 || key.startsWith(ClusterSettings.ARCHIVED_PREFIX))) {
            return;
        }
        Optional<Setting<?>> def = KnownSettings.forKey(key); // throws on a malformed remote name
        if (value != null && scope == ClusterSettings.Scope.PERSISTENT && RemoteClusterSettings.CREDENTIALS.name(key)
                .isPresent()) {
            throw new IllegalArgumentException("persistent setting [" + key + "] holds a secret and is never written to"
                    + " disk: give it at start-up (-E or the config file) or as a transient setting");
        }
        if (def.isPresent() && def.get().isDynamic()) {
            if (value != null) {
                def.get().parse(value);
            }
            return;
        }
        if (def.isPresent()) {
            throw new IllegalArgumentException(scope.label() + " setting [" + key + "], not dynamically updateable");
        }
        throw new IllegalArgumentException(scope.label() + " setting [" + key + "], not recognized");
    }

    /**
     * Elasticsearch's rule: a remote's other settings need the remote to be enabled (here: seeds, http or
     * kafka.bootstrap.servers set). Checked for the remotes this update changed, on the keys set through the API
     * (node-level ones, e.g. a TLS truststore given at start-up for a remote added later, are allowed alone).
     *
     * @throws IllegalArgumentException {@code Cannot configure setting [x] if remote cluster is not enabled.}
     */
    static void checkRemotesEnabled(ClusterSettingsState before, ClusterSettingsState after) {
        Set<String> touched = new ClusterSettingsChange(before.effective(), after.effective()).changedRemotes();
        for (String name : touched) {
            if (RemoteClusterSettings.isRemoteEnabled(name, after.effective())) {
                continue;
            }
            Set<String> dynamicKeys = new TreeSet<>(after.persistent().keySet());
            dynamicKeys.addAll(after.transient_().keySet());
            for (String k : dynamicKeys) {
                if (RemoteClusterSettings.remoteName(k).filter(name::equals).isPresent()) {
                    throw new IllegalArgumentException("Cannot configure setting [" + k
                            + "] if remote cluster is not enabled.");
                }
            }
        }
    }

    /** Checks each key and value of an update on its own (the remotes they enable are checked with the result). */
    static void checkUpdates(Map<String, String> persistentUpdates, Map<String, String> transientUpdates) {
        persistentUpdates.forEach((k, v) -> checkUpdate(ClusterSettings.Scope.PERSISTENT, k, v));
        transientUpdates.forEach((k, v) -> checkUpdate(ClusterSettings.Scope.TRANSIENT, k, v));
    }
}
