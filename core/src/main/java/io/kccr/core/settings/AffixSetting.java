package io.kccr.core.settings;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A family of settings {@code <prefix><name>.<suffix>}, one per name: {@code cluster.remote.<name>.seeds} is
 * {@code cluster.remote.leader.seeds} for the remote {@code leader}. A suffix that ends with {@code .} stands for
 * every key under it ({@code cluster.remote.<name>.kafka.<client property>}). Every member shares one definition:
 * type, default, parser, validator, scope and doc, under its own key. Immutable and thread-safe.
 *
 * <p>Which names are valid is the caller's rule, not this class's: {@link #name} only splits a key.
 *
 * @param <T> the type of the parsed value
 */
public final class AffixSetting<T> {
    private final String prefix;
    private final String suffix;
    private final Function<String, Setting<T>> definition;
    private final Setting<T> pattern;

    private AffixSetting(String prefix, String suffix, String placeholder, Function<String, Setting<T>> definition) {
        if (!prefix.endsWith(".")) {
            throw new IllegalArgumentException("prefix [" + prefix + "] must end with '.'");
        }
        this.prefix = prefix;
        this.suffix = Objects.requireNonNull(suffix, "suffix");
        this.definition = definition;
        this.pattern = definition.apply(prefix + "<name>." + suffix + placeholder);
    }

    /**
     * The settings {@code <prefix><name>.<suffix>}; {@code definition} builds the setting of a concrete key (and, for
     * docs, of the key with placeholders, {@code cluster.remote.<name>.seeds}).
     */
    public static <T> AffixSetting<T> of(String prefix, String suffix, Function<String, Setting<T>> definition) {
        if (suffix.isEmpty() || suffix.endsWith(".")) {
            throw new IllegalArgumentException("suffix [" + suffix + "] must be a key; use group() for a group");
        }
        return new AffixSetting<>(prefix, suffix, "", definition);
    }

    /**
     * The settings {@code <prefix><name>.<group><anything>}, e.g. {@code cluster.remote.<name>.kafka.<client
     * property>} with group {@code kafka.} and placeholder {@code <client property>}, as shown in docs.
     */
    public static <T> AffixSetting<T> group(String prefix, String group, String placeholder,
                                            Function<String, Setting<T>> definition) {
        if (!group.endsWith(".")) {
            throw new IllegalArgumentException("group [" + group + "] must end with '.'");
        }
        return new AffixSetting<>(prefix, group, placeholder, definition);
    }

    /** The definition under the key with placeholders, e.g. {@code cluster.remote.<name>.seeds}: for docs. */
    public Setting<T> pattern() {
        return pattern;
    }

    /** Whether {@code suffix} (what follows {@code <prefix><name>.}) is this setting's. */
    public boolean matchesSuffix(String suffix) {
        return isGroup() ? suffix.startsWith(this.suffix) && suffix.length() > this.suffix.length()
                : suffix.equals(this.suffix);
    }

    private boolean isGroup() {
        return suffix.endsWith(".");
    }

    /**
     * The name in {@code key} when it is {@code <prefix><name>.<suffix>} with a name up to the first dot after the
     * prefix (possibly empty or otherwise invalid: the caller decides); else empty.
     */
    public Optional<String> name(String key) {
        if (!key.startsWith(prefix)) {
            return Optional.empty();
        }
        String rest = key.substring(prefix.length());
        int dot = rest.indexOf('.');
        if (dot < 0 || !matchesSuffix(rest.substring(dot + 1))) {
            return Optional.empty();
        }
        return Optional.of(rest.substring(0, dot));
    }

    /** The key for {@code name}: {@code cluster.remote.leader.seeds}; for a group, the group's prefix. */
    public String key(String name) {
        return prefix + name + "." + suffix;
    }

    /**
     * The setting of the concrete {@code key}.
     *
     * @throws IllegalArgumentException when {@code key} is not one of this family
     */
    public Setting<T> forKey(String key) {
        if (name(key).isEmpty()) {
            throw new IllegalArgumentException("[" + key + "] is not a " + pattern.key() + " setting");
        }
        return definition.apply(key);
    }

    /** The setting of {@code name} (not for a group: see {@link #forKey}). */
    public Setting<T> forName(String name) {
        if (isGroup()) {
            throw new IllegalStateException(pattern.key() + " is a group of settings: use forKey");
        }
        return definition.apply(key(name));
    }

    @Override
    public String toString() {
        return pattern.key();
    }
}
