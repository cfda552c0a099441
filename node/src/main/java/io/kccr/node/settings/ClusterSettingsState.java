package io.kccr.node.settings;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One immutable snapshot of the layers of {@link ClusterSettings}, and how an update merges into it. The effective
 * settings are the node-level ones, overridden by the persistent ones (except {@code archived.*}), overridden by
 * the transient ones. Every map is sorted and unmodifiable.
 *
 * @param persistent the persistent layer, {@code archived.*} keys included
 * @param transient_ the transient layer
 * @param effective  the merge of the node-level, persistent and transient layers
 */
record ClusterSettingsState(Map<String, String> persistent, Map<String, String> transient_,
                            Map<String, String> effective) {

    /** The snapshot of these layers. */
    static ClusterSettingsState of(Map<String, String> nodeLevel, Map<String, String> persistent,
                                   Map<String, String> transient_) {
        Map<String, String> effective = new TreeMap<>(nodeLevel);
        persistent.forEach((k, v) -> {
            if (!k.startsWith(ClusterSettings.ARCHIVED_PREFIX)) {
                effective.put(k, v);
            }
        });
        effective.putAll(transient_);
        return new ClusterSettingsState(Collections.unmodifiableMap(new TreeMap<>(persistent)),
                Collections.unmodifiableMap(new TreeMap<>(transient_)), Collections.unmodifiableMap(effective));
    }

    /**
     * This snapshot with the updates of each layer applied: a value sets its key, a {@code null} value unsets it,
     * and a {@code null} value for a key with {@code *} unsets every matching key of that layer. Not validated here.
     */
    ClusterSettingsState withUpdates(Map<String, String> nodeLevel, Map<String, String> persistentUpdates,
                                     Map<String, String> transientUpdates) {
        return of(nodeLevel, apply(persistent, persistentUpdates), apply(transient_, transientUpdates));
    }

    private static Map<String, String> apply(Map<String, String> base, Map<String, String> updates) {
        Map<String, String> out = new TreeMap<>(base);
        for (Map.Entry<String, String> e : updates.entrySet()) {
            String key = e.getKey();
            if (e.getValue() != null) {
                out.put(key, e.getValue());
            } else if (key.indexOf('*') >= 0) {
                Pattern glob = glob(key);
                out.keySet().removeIf(k -> glob.matcher(k).matches());
            } else {
                out.remove(key);
            }
        }
        return out;
    }

    private static Pattern glob(String pattern) {
        StringBuilder re = new StringBuilder();
        for (String part : pattern.split("\\*", -1)) {
            if (!re.isEmpty()) {
                re.append(".*");
            }
            re.append(Pattern.quote(part));
        }
        return Pattern.compile(re.toString());
    }

    /** The list-shaped keys of a layer after an update: a key set now takes the shape it was given in. */
    static Set<String> shapes(Set<String> before, Map<String, String> updates, Set<String> given,
                                      Map<String, String> layer) {
        Set<String> out = new TreeSet<>(before);
        updates.forEach((key, value) -> {
            if (value != null && given.contains(key)) {
                out.add(key);
            } else {
                out.remove(key);
            }
        });
        out.retainAll(layer.keySet());
        return Set.copyOf(out);
    }
}
