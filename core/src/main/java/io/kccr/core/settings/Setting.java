package io.kccr.core.settings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The definition of one setting: key, type, default, parser, validator, whether it can change at run time, scope and
 * a one-line doc. Node settings ({@code -E}, the config file), dynamic cluster settings ({@code PUT
 * /_cluster/settings}) and index settings are all defined this way, and help output and documentation are generated
 * from the definitions, as from Kafka's {@code ConfigDef}.
 *
 * <p>Values are strings, as given ({@code -E http.port=9200}); {@link #parse} turns one into a {@code T}, or throws an
 * {@link IllegalArgumentException} in one wording for every setting: {@code failed to parse value [v] for setting
 * [k]: expected <accepted>}. A value fails when the parser throws or the validator says no. Time values and byte
 * sizes go through the one {@link TimeValue} and {@link ByteSizeValue} parser.
 *
 * <p>Definitions are built with the factories ({@link #integer}, {@link #time}, ...) and {@link Builder}; the default,
 * when there is one, is parsed and validated when the definition is built, so a bad default fails at once.
 * Immutable and thread-safe.
 *
 * @param <T> the type of the parsed value
 */
public final class Setting<T> {

    /** Where a setting is given and applies. */
    public enum Scope {
        /** To one node, at start-up ({@code -E}, the config file). */
        NODE,
        /** To the cluster: at start-up, and with {@code PUT /_cluster/settings} when dynamic. */
        CLUSTER,
        /** To one index, in its settings. */
        INDEX
    }

    /** What kind of value a setting takes (a list is rendered as a JSON array). */
    public enum Type {
        STRING, BOOLEAN, INTEGER, TIME, BYTE_SIZE, LIST, PATH
    }

    private final String key;
    private final Type type;
    private final String defaultValue;
    private final T parsedDefault;
    private final Function<String, ? extends T> parser;
    private final Predicate<? super T> validator;
    private final boolean dynamic;
    private final Scope scope;
    private final String accepted;
    private final String doc;

    private Setting(Builder<T> b) {
        this.key = b.key;
        this.type = b.type;
        this.defaultValue = b.defaultValue;
        this.parser = b.parser;
        this.validator = b.validator;
        this.dynamic = b.dynamic;
        this.scope = Objects.requireNonNull(b.scope, () -> "setting [" + b.key + "] needs a scope");
        this.accepted = Objects.requireNonNull(b.accepted, () -> "setting [" + b.key + "] needs what it accepts");
        this.doc = Objects.requireNonNull(b.doc, () -> "setting [" + b.key + "] needs a doc");
        this.parsedDefault = defaultValue == null ? null : parse(defaultValue);
    }

    // ------------------------------------------------------------------------------------------ factories

    /** A setting of type {@code type} whose values {@code parser} reads (throwing anything on a bad one). */
    public static <T> Builder<T> of(String key, Type type, Function<String, ? extends T> parser) {
        return new Builder<>(key, type, parser);
    }

    /** A text setting; give what it accepts and, if only some texts are valid, a validator. */
    public static Builder<String> string(String key) {
        return of(key, Type.STRING, v -> v);
    }

    /** {@code true} or {@code false}, exactly. */
    public static Builder<Boolean> bool(String key) {
        return Setting.<Boolean>of(key, Type.BOOLEAN, v -> switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        }).accepted("true or false");
    }

    /** A whole number from {@code min} to {@code max}, both included. */
    public static Builder<Integer> integer(String key, int min, int max) {
        return of(key, Type.INTEGER, Integer::parseInt)
                .validator(n -> n >= min && n <= max)
                .accepted("an integer from " + min + " to " + max);
    }

    /** A {@link TimeValue}; add a validator for the range the setting takes (e.g. positive). */
    public static Builder<TimeValue> time(String key) {
        return of(key, Type.TIME, v -> TimeValue.parse(v, key));
    }

    /** A {@link ByteSizeValue}; add a validator for the range the setting takes. */
    public static Builder<ByteSizeValue> byteSize(String key) {
        return of(key, Type.BYTE_SIZE, v -> ByteSizeValue.parse(v, key));
    }

    /** A non-blank file system path. */
    public static Builder<Path> path(String key) {
        return of(key, Type.PATH, v -> {
            if (v.isBlank()) {
                throw new IllegalArgumentException("blank path");
            }
            return Path.of(v);
        }).accepted("a file system path");
    }

    /** A comma-separated list; each item, without surrounding whitespace, goes through {@code item}. */
    public static Builder<List<String>> list(String key, UnaryOperator<String> item) {
        return of(key, Type.LIST, v -> {
            List<String> out = new ArrayList<>();
            for (String s : v.split(",", -1)) {
                out.add(item.apply(s.strip()));
            }
            return List.copyOf(out);
        });
    }

    // ------------------------------------------------------------------------------------------ the definition

    /** The flat dotted key, e.g. {@code http.port}. */
    public String key() {
        return key;
    }

    public Type type() {
        return type;
    }

    /** The default as it would be given ({@code 100mb}), or empty when the setting is unset by default. */
    public Optional<String> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** Whether the value can change at run time ({@code PUT /_cluster/settings}). */
    public boolean isDynamic() {
        return dynamic;
    }

    public Scope scope() {
        return scope;
    }

    /** What values are accepted, e.g. {@code an integer from 0 to 65535}: the end of every error message. */
    public String accepted() {
        return accepted;
    }

    /** One-line documentation. */
    public String doc() {
        return doc;
    }

    // ------------------------------------------------------------------------------------------ values

    /**
     * The typed value of {@code value}.
     *
     * @throws IllegalArgumentException {@code failed to parse value [v] for setting [k]: expected <accepted>}, the
     *                                  parser's own error as its cause; {@code setting [k] must not be null} for null
     */
    public T parse(String value) {
        if (value == null) {
            throw new IllegalArgumentException("setting [" + key + "] must not be null");
        }
        T parsed;
        try {
            parsed = parser.apply(value);
            if (validator.test(parsed)) {
                return parsed;
            }
        } catch (RuntimeException e) {
            throw failure(value, e);
        }
        throw failure(value, null);
    }

    private IllegalArgumentException failure(String value, Throwable cause) {
        return new IllegalArgumentException("failed to parse value [" + value + "] for setting [" + key + "]: expected "
                + accepted, cause);
    }

    /**
     * The value {@code settings} (flat keys, a {@code null} value is not set) give this setting, parsed, else the
     * default, else empty.
     *
     * @throws IllegalArgumentException when the value is bad (see {@link #parse})
     */
    public Optional<T> find(Map<String, String> settings) {
        String value = settings.get(key);
        return value != null ? Optional.of(parse(value)) : Optional.ofNullable(parsedDefault);
    }

    /**
     * As {@link #find}, for a setting that is set or has a default.
     *
     * @throws IllegalArgumentException when the value is bad (see {@link #parse})
     * @throws NoSuchElementException   when the setting is not set and has no default
     */
    public T get(Map<String, String> settings) {
        return find(settings).orElseThrow(() -> new NoSuchElementException("setting [" + key
                + "] is not set and has no default"));
    }

    @Override
    public String toString() {
        return key;
    }

    /**
     * Collects the parts of a {@link Setting}; {@link #build()} needs a scope, a doc and what it accepts (the
     * factories give the last for integers, booleans and paths). Not thread-safe; use once.
     */
    public static final class Builder<T> {
        private final String key;
        private final Type type;
        private final Function<String, ? extends T> parser;
        private Predicate<? super T> validator = v -> true;
        private String defaultValue;
        private boolean dynamic;
        private Scope scope;
        private String accepted;
        private String doc;

        private Builder(String key, Type type, Function<String, ? extends T> parser) {
            this.key = Objects.requireNonNull(key, "key");
            this.type = Objects.requireNonNull(type, "type");
            this.parser = Objects.requireNonNull(parser, "parser");
        }

        /** The default, as it would be given; none (the default) means unset by default. */
        public Builder<T> defaultValue(String value) {
            this.defaultValue = value;
            return this;
        }

        /** A further check of a parsed value, on top of any the factory set. */
        public Builder<T> validator(Predicate<? super T> valid) {
            Predicate<? super T> before = this.validator;
            this.validator = v -> before.test(v) && valid.test(v);
            return this;
        }

        /** What values are accepted, as the end of {@code expected ...} in the error message. */
        public Builder<T> accepted(String text) {
            this.accepted = text;
            return this;
        }

        public Builder<T> doc(String text) {
            this.doc = text;
            return this;
        }

        /** The setting can change at run time. */
        public Builder<T> dynamic() {
            this.dynamic = true;
            return this;
        }

        public Builder<T> scope(Scope value) {
            this.scope = value;
            return this;
        }

        /**
         * The definition.
         *
         * @throws NullPointerException     when the scope, the doc or what it accepts is missing
         * @throws IllegalArgumentException when the default is not a valid value
         */
        public Setting<T> build() {
            return new Setting<>(this);
        }
    }
}
