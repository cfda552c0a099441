package io.kccr.core.settings;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A span of time as Elasticsearch writes it: a whole number and a unit, {@code 500ms}, {@code 30s}, {@code 2m}.
 * Parsed as Elasticsearch's {@code TimeValue.parseTimeValue} parses a setting, and rendered as its
 * {@code toString()} ({@code 90s} is {@code 1.5m}) or, unchanged, as its {@code getStringRep()}.
 *
 * <p>Units: {@code nanos}, {@code micros}, {@code ms}, {@code s}, {@code m}, {@code h}, {@code d}, in any case except
 * {@code m} (an upper-case {@code M} would be months, which no time value takes). Without a unit only {@code 0}
 * ({@link #ZERO}) and {@code -1} ({@link #MINUS_ONE}, which settings such as {@code index.refresh_interval} read as
 * "disabled") are accepted; any other negative value, a fraction ({@code 1.5s}), a space inside ({@code 10 s}) and a
 * value beyond {@link Long#MAX_VALUE} nanoseconds (about 106751 days) are rejected. Whether a setting takes
 * {@code 0} or {@code -1} is up to its validator.
 *
 * <p>Equality is the record's: {@code 60s} and {@code 1m} are equal in {@link #compareTo} but not in
 * {@link #equals}, since they render differently.
 *
 * @param duration how many {@code unit}s; -1 only for {@link #MINUS_ONE}
 * @param unit     the unit the value was given in, which {@link #stringRep()} keeps
 */
public record TimeValue(long duration, TimeUnit unit) implements Comparable<TimeValue> {

    /** {@code -1}: "no value" or "disabled", where a setting allows it. */
    public static final TimeValue MINUS_ONE = new TimeValue(-1, TimeUnit.MILLISECONDS);

    /** {@code 0}. */
    public static final TimeValue ZERO = new TimeValue(0, TimeUnit.MILLISECONDS);

    private static final Pattern WHOLE = Pattern.compile("[+-]?[0-9]+");
    private static final Pattern FRACTION = Pattern.compile("[+-]?([0-9]+\\.[0-9]*|\\.[0-9]+)");
    private static final String UNITS = "nanos, micros, ms, s, m, h or d";

    /**
     * @throws IllegalArgumentException when {@code duration} is below -1, -1 in another unit than milliseconds, or
     *                                  more than {@link Long#MAX_VALUE} nanoseconds
     */
    public TimeValue {
        Objects.requireNonNull(unit, "unit");
        if (duration < -1) {
            throw new IllegalArgumentException("duration cannot be negative, was given [" + duration + "]");
        }
        if (duration == -1 && unit != TimeUnit.MILLISECONDS) {
            throw new IllegalArgumentException("-1 is the only negative time value; use TimeValue.MINUS_ONE");
        }
        if (duration > 0 && duration > Long.MAX_VALUE / unit.toNanos(1)) {
            throw new IllegalArgumentException("time value [" + duration + suffix(unit) + "] is larger than "
                    + Long.MAX_VALUE + "nanos");
        }
    }

    public static TimeValue ofNanos(long nanos) {
        return new TimeValue(nanos, TimeUnit.NANOSECONDS);
    }

    public static TimeValue ofMillis(long millis) {
        return new TimeValue(millis, TimeUnit.MILLISECONDS);
    }

    public static TimeValue ofSeconds(long seconds) {
        return new TimeValue(seconds, TimeUnit.SECONDS);
    }

    public static TimeValue ofMinutes(long minutes) {
        return new TimeValue(minutes, TimeUnit.MINUTES);
    }

    public static TimeValue ofHours(long hours) {
        return new TimeValue(hours, TimeUnit.HOURS);
    }

    public static TimeValue ofDays(long days) {
        return new TimeValue(days, TimeUnit.DAYS);
    }

    /**
     * {@code duration} in the largest unit that holds it whole ({@code PT60S} is {@code 1m}, {@code PT0.5S} is
     * {@code 500ms}), for a span kept as a {@link Duration} that is shown as Elasticsearch shows a time value.
     *
     * @throws IllegalArgumentException when {@code duration} is negative or longer than {@link Long#MAX_VALUE}
     *                                  nanoseconds
     */
    public static TimeValue of(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration cannot be negative, was given [" + duration + "]");
        }
        long nanos;
        try {
            nanos = duration.toNanos();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("time value [" + duration + "] is larger than " + Long.MAX_VALUE
                    + "nanos");
        }
        for (TimeUnit u : new TimeUnit[] {TimeUnit.DAYS, TimeUnit.HOURS, TimeUnit.MINUTES, TimeUnit.SECONDS,
                TimeUnit.MILLISECONDS, TimeUnit.MICROSECONDS}) {
            if (nanos % u.toNanos(1) == 0) {
                return new TimeValue(nanos / u.toNanos(1), nanos == 0 ? TimeUnit.MILLISECONDS : u);
            }
        }
        return ofNanos(nanos);
    }

    /**
     * Parses {@code value} as a time value of the setting (or parameter) {@code settingName}; surrounding
     * whitespace is ignored.
     *
     * @throws IllegalArgumentException in Elasticsearch's words, naming the setting and the value, e.g.
     *                                  {@code failed to parse setting [timeout] with value [10] as a time value: unit
     *                                  is missing or unrecognized (use nanos, micros, ms, s, m, h or d, e.g. 30s)}
     */
    public static TimeValue parse(String value, String settingName) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(settingName, "settingName");
        String trimmed = value.trim();
        String normalized = trimmed.toLowerCase(Locale.ROOT);
        if (normalized.matches("-0*1")) {
            return MINUS_ONE;
        }
        if (normalized.matches("0+")) {
            return ZERO;
        }
        NumberAndUnit split = splitUnit(trimmed);
        if (split == null) {
            throw new IllegalArgumentException("failed to parse setting [" + settingName + "] with value [" + value
                    + "] as a time value: unit is missing or unrecognized (use " + UNITS + ", e.g. 30s)");
        }
        TimeUnit unit = split.unit();
        String number = split.number();
        if (FRACTION.matcher(number).matches()) {
            throw new IllegalArgumentException("failed to parse [" + value + "], fractional time values are not "
                    + "supported: use a whole number of a smaller unit (e.g. 1500ms, not 1.5s)");
        }
        if (!WHOLE.matcher(number).matches()) {
            throw new IllegalArgumentException("failed to parse [" + value + "]: a time value is a whole number "
                    + "followed by a unit (" + UNITS + "), e.g. 30s");
        }
        long n;
        try {
            n = Long.parseLong(number);
        } catch (NumberFormatException e) { // digits only, so out of range
            if (!number.startsWith("-")) {
                throw tooLarge(value, settingName);
            }
            n = Long.MIN_VALUE;
        }
        if (n < -1) {
            throw new IllegalArgumentException("failed to parse setting [" + settingName + "] with value [" + value
                    + "] as a time value: negative durations are not supported");
        }
        if (n == -1) {
            return MINUS_ONE;
        }
        if (n > Long.MAX_VALUE / unit.toNanos(1)) {
            throw tooLarge(value, settingName);
        }
        return new TimeValue(n, unit);
    }

    /**
     * A time value cut before its unit: its number as written (lower-cased, not checked) and the unit its suffix
     * names.
     *
     * @param number what precedes the unit's suffix, lower-cased
     * @param unit   the unit the suffix names
     */
    public record NumberAndUnit(String number, TimeUnit unit) {
    }

    /**
     * Cuts {@code value} before its unit suffix ({@code nanos}, {@code micros}, {@code ms}, {@code s}, {@code m},
     * {@code h}, {@code d}): the one table of time units every parser of time values reads. Suffixes match in any
     * case except {@code m}, which must be lower-case since {@code M} would be months; a caller that takes
     * {@code M} for minutes passes a lower-cased value. The caller trims and checks the number.
     *
     * @return the number and the unit, or null when {@code value} ends in none of the suffixes
     */
    public static NumberAndUnit splitUnit(String value) {
        String normalized = value.toLowerCase(Locale.ROOT);
        TimeUnit unit;
        if (normalized.endsWith("nanos")) {
            unit = TimeUnit.NANOSECONDS;
        } else if (normalized.endsWith("micros")) {
            unit = TimeUnit.MICROSECONDS;
        } else if (normalized.endsWith("ms")) {
            unit = TimeUnit.MILLISECONDS;
        } else if (normalized.endsWith("s")) {
            unit = TimeUnit.SECONDS;
        } else if (value.endsWith("m")) { // case-sensitive: 'M' is months
            unit = TimeUnit.MINUTES;
        } else if (normalized.endsWith("h")) {
            unit = TimeUnit.HOURS;
        } else if (normalized.endsWith("d")) {
            unit = TimeUnit.DAYS;
        } else {
            return null;
        }
        return new NumberAndUnit(normalized.substring(0, normalized.length() - suffix(unit).length()), unit);
    }

    private static IllegalArgumentException tooLarge(String value, String settingName) {
        return new IllegalArgumentException("failed to parse setting [" + settingName + "] with value [" + value
                + "] as a time value: larger than " + Long.MAX_VALUE + "nanos (about 106751d)");
    }

    /** Whether this is {@link #MINUS_ONE}. */
    public boolean isMinusOne() {
        return duration == -1;
    }

    /** The span in nanoseconds; -1 for {@link #MINUS_ONE}. */
    public long nanos() {
        return duration < 0 ? duration : unit.toNanos(duration);
    }

    /** The span in whole milliseconds (rounded down); -1 for {@link #MINUS_ONE}. */
    public long millis() {
        return duration < 0 ? duration : unit.toMillis(duration);
    }

    /**
     * The span as a {@link Duration}.
     *
     * @throws IllegalStateException for {@link #MINUS_ONE}, which is not a span: check {@link #isMinusOne()} first
     */
    public Duration toDuration() {
        if (isMinusOne()) {
            throw new IllegalStateException("-1 is not a span of time; check isMinusOne() first");
        }
        return Duration.ofNanos(nanos());
    }

    /** As given, in its own unit ({@code 60000ms} stays {@code 60000ms}): Elasticsearch's {@code getStringRep()}. */
    public String stringRep() {
        return duration < 0 ? Long.toString(duration) : duration + suffix(unit);
    }

    /**
     * In the largest unit it reaches, with at most one decimal, truncated: {@code 60000ms} is {@code 1m},
     * {@code 90s} is {@code 1.5m}, {@code 0} is {@code 0s}, as Elasticsearch's {@code TimeValue.toString()}. Not
     * always parseable again ({@code 1.5m}); use {@link #stringRep()} for that.
     */
    @Override
    public String toString() {
        if (duration < 0) {
            return Long.toString(duration);
        }
        long nanos = nanos();
        if (nanos == 0) {
            return "0s";
        }
        TimeUnit largest = TimeUnit.NANOSECONDS;
        for (TimeUnit u : new TimeUnit[] {TimeUnit.DAYS, TimeUnit.HOURS, TimeUnit.MINUTES, TimeUnit.SECONDS,
                TimeUnit.MILLISECONDS, TimeUnit.MICROSECONDS}) {
            if (nanos >= u.toNanos(1)) {
                largest = u;
                break;
            }
        }
        return OneDecimal.format((double) nanos / largest.toNanos(1)) + suffix(largest);
    }

    /** By the span of time: {@code 60s} equals {@code 1m} here; {@link #MINUS_ONE} is below {@link #ZERO}. */
    @Override
    public int compareTo(TimeValue other) {
        return Long.compare(nanos(), other.nanos());
    }

    private static String suffix(TimeUnit unit) {
        return switch (unit) {
            case NANOSECONDS -> "nanos";
            case MICROSECONDS -> "micros";
            case MILLISECONDS -> "ms";
            case SECONDS -> "s";
            case MINUTES -> "m";
            case HOURS -> "h";
            case DAYS -> "d";
        };
    }
}
