package io.kccr.core.settings;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Every key under a prefix, passed through as one group: {@code kafka.<client property>} is any {@code kafka.X}, whose
 * {@code X} goes to the Kafka clients unchecked. Keys under an excluded prefix ({@code kafka.embedded.}) are not part
 * of it; an exact setting with the same prefix ({@code kafka.bootstrap.servers}) is the caller's to look up first.
 * Immutable and thread-safe.
 *
 * @param <T> the type of the parsed value
 */
public final class PrefixSetting<T> {
    private final String prefix;
    private final List<String> excluded;
    private final Function<String, Setting<T>> definition;
    private final Setting<T> pattern;

    /**
     * @param prefix      the prefix, ending with {@code .}
     * @param placeholder what stands for the rest in docs, e.g. {@code <client property>}
     * @param excluded    prefixes of keys that are not part of the group
     * @param definition  the setting of a concrete key (and, for docs, of the key with the placeholder)
     */
    public PrefixSetting(String prefix, String placeholder, List<String> excluded,
                         Function<String, Setting<T>> definition) {
        if (!prefix.endsWith(".")) {
            throw new IllegalArgumentException("prefix [" + prefix + "] must end with '.'");
        }
        this.prefix = prefix;
        this.excluded = List.copyOf(excluded);
        this.definition = definition;
        this.pattern = definition.apply(prefix + placeholder);
    }

    /** The definition under the key with the placeholder, e.g. {@code kafka.<client property>}: for docs. */
    public Setting<T> pattern() {
        return pattern;
    }

    /** Whether {@code key} is in the group: under the prefix, something after it, not excluded. */
    public boolean matches(String key) {
        return key.startsWith(prefix) && key.length() > prefix.length() && excluded.stream().noneMatch(key::startsWith);
    }

    /** The setting of a key in the group, or empty for any other key. */
    public Optional<Setting<T>> forKey(String key) {
        return matches(key) ? Optional.of(definition.apply(key)) : Optional.empty();
    }

    /**
     * The values of the keys in the group among {@code settings}, the prefix stripped, parsed, sorted by key; keys
     * for which {@code skip} is true (exact settings of their own) and {@code null} values are left out.
     */
    public Map<String, T> values(Map<String, String> settings, Predicate<String> skip) {
        Map<String, T> out = new TreeMap<>();
        settings.forEach((key, value) -> {
            if (value != null && matches(key) && !skip.test(key)) {
                out.put(key.substring(prefix.length()), definition.apply(key).parse(value));
            }
        });
        return out;
    }

    @Override
    public String toString() {
        return pattern.key();
    }
}
