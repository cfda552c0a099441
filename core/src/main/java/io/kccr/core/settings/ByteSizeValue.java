package io.kccr.core.settings;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A number of bytes as Elasticsearch writes it: {@code 512b}, {@code 64kb}, {@code 100mb}, {@code 1.5gb}. Parsed as
 * Elasticsearch's {@code ByteSizeValue.parseBytesSizeValue} parses a setting, and rendered as its {@code toString()}
 * ({@code 1536kb} is {@code 1.5mb}) or, in the unit it was given in, as its {@code getStringRep()}.
 *
 * <p>Units {@code b}, {@code kb}, {@code mb}, {@code gb}, {@code tb}, {@code pb}, or {@code k} ... {@code p} alone,
 * in any case; binary multiples ({@code 1kb} = 1024 bytes). A fraction is accepted for units above bytes and rounded
 * up to a whole byte ({@code 1.1kb} is 1127 bytes). Without a unit only {@code 0} and {@code -1} ({@link #MINUS_ONE},
 * "unlimited" or "unset" where a setting allows it) are accepted; any other negative value, a space inside
 * ({@code 100 mb}) and more than {@link Long#MAX_VALUE} bytes are rejected. Whether a setting takes {@code 0} or
 * {@code -1} is up to its validator.
 *
 * @param bytes the size in bytes; -1 only for {@link #MINUS_ONE}
 * @param unit  the unit the value was given in, which {@link #stringRep()} keeps where it divides {@code bytes}
 */
public record ByteSizeValue(long bytes, ByteSizeUnit unit) implements Comparable<ByteSizeValue> {

    public static final ByteSizeValue ZERO = new ByteSizeValue(0, ByteSizeUnit.BYTES);

    /** {@code -1}: "unlimited" or "unset", where a setting allows it. */
    public static final ByteSizeValue MINUS_ONE = new ByteSizeValue(-1, ByteSizeUnit.BYTES);

    private static final Pattern SIZE = Pattern.compile("([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))([kmgtp]?b|[kmgtp])");
    private static final String UNITS = "b, kb, mb, gb, tb or pb";

    /** @throws IllegalArgumentException when {@code bytes} is below -1, or -1 in another unit than bytes */
    public ByteSizeValue {
        Objects.requireNonNull(unit, "unit");
        if (bytes < -1 || bytes == -1 && unit != ByteSizeUnit.BYTES) {
            throw new IllegalArgumentException("Values less than -1 bytes are not supported: " + bytes + "b");
        }
    }

    public static ByteSizeValue ofBytes(long bytes) {
        return new ByteSizeValue(bytes, ByteSizeUnit.BYTES);
    }

    /**
     * {@code size} {@code unit}s, e.g. {@code of(512, MB)}.
     *
     * @throws IllegalArgumentException when negative or more than {@link Long#MAX_VALUE} bytes
     */
    public static ByteSizeValue of(long size, ByteSizeUnit unit) {
        if (size < 0) {
            throw new IllegalArgumentException("Values less than -1 bytes are not supported: " + size + unit.suffix());
        }
        if (size > Long.MAX_VALUE / unit.bytes()) {
            throw new IllegalArgumentException("Values greater than " + Long.MAX_VALUE + " bytes are not supported: "
                    + size + unit.suffix());
        }
        return new ByteSizeValue(size * unit.bytes(), unit);
    }

    /**
     * Parses {@code value} as a byte size of the setting (or parameter) {@code settingName}; surrounding whitespace
     * is ignored.
     *
     * @throws IllegalArgumentException in Elasticsearch's words, naming the setting and the value, e.g.
     *                                  {@code failed to parse setting [chunk_size] with value [100] as a size in
     *                                  bytes: unit is missing or unrecognized (use b, kb, mb, gb, tb or pb, e.g. 512mb)}
     */
    public static ByteSizeValue parse(String value, String settingName) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(settingName, "settingName");
        String normalized = value.trim().toLowerCase(Locale.ROOT);
        if (normalized.equals("0")) {
            return ZERO;
        }
        if (normalized.equals("-1")) {
            return MINUS_ONE;
        }
        Matcher m = SIZE.matcher(normalized);
        if (!m.matches()) {
            String why = !normalized.matches(".*[0-9].*") ? "expected a number and a unit"
                    : normalized.matches("[+-]?[0-9.]+\\s+\\S+") ? "expected no space between the number and the unit"
                    : "unit is missing or unrecognized";
            throw new IllegalArgumentException("failed to parse setting [" + settingName + "] with value [" + value
                    + "] as a size in bytes: " + why + " (use " + UNITS + ", e.g. 512mb)");
        }
        ByteSizeUnit unit = unit(m.group(2));
        BigDecimal number = new BigDecimal(m.group(1));
        if (number.signum() < 0) {
            if (number.compareTo(BigDecimal.ONE.negate()) == 0 && unit == ByteSizeUnit.BYTES) {
                return MINUS_ONE;
            }
            throw new IllegalArgumentException("failed to parse setting [" + settingName + "] with value [" + value
                    + "] as a size in bytes: negative sizes are not supported (only -1, where a setting allows it)");
        }
        if (unit == ByteSizeUnit.BYTES && number.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("failed to parse setting [" + settingName + "] with value [" + value
                    + "]: a number of bytes is a whole number; use a larger unit for a fraction (e.g. 1.5kb)");
        }
        BigDecimal bytes = number.multiply(BigDecimal.valueOf(unit.bytes())).setScale(0, RoundingMode.UP);
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("failed to parse setting [" + settingName + "] with value [" + value
                    + "] as a size in bytes: Values greater than " + Long.MAX_VALUE + " bytes are not supported");
        }
        return new ByteSizeValue(bytes.longValueExact(), unit);
    }

    private static ByteSizeUnit unit(String suffix) {
        return switch (suffix.charAt(0)) {
            case 'k' -> ByteSizeUnit.KB;
            case 'm' -> ByteSizeUnit.MB;
            case 'g' -> ByteSizeUnit.GB;
            case 't' -> ByteSizeUnit.TB;
            case 'p' -> ByteSizeUnit.PB;
            default -> ByteSizeUnit.BYTES;
        };
    }

    /**
     * In the unit it was given in when that divides it, else in bytes ({@code 512mb} stays {@code 512mb},
     * {@code 1.5kb} becomes {@code 1536b}); {@code 0} and {@code -1} without a unit. Always parseable again, as
     * Elasticsearch's {@code getStringRep()}.
     */
    public String stringRep() {
        if (bytes <= 0) {
            return Long.toString(bytes);
        }
        return bytes % unit.bytes() == 0 ? bytes / unit.bytes() + unit.suffix() : bytes + ByteSizeUnit.BYTES.suffix();
    }

    /**
     * In the largest unit it reaches, with at most one decimal, truncated: {@code 1536kb} is {@code 1.5mb},
     * {@code 512mb} is {@code 512mb}, as Elasticsearch's {@code ByteSizeValue.toString()}.
     */
    @Override
    public String toString() {
        ByteSizeUnit largest = ByteSizeUnit.BYTES;
        for (ByteSizeUnit u : ByteSizeUnit.values()) {
            if (bytes >= u.bytes()) {
                largest = u;
            }
        }
        return OneDecimal.format((double) bytes / largest.bytes()) + largest.suffix();
    }

    /** By size: {@code 1kb} equals {@code 1024b} here. */
    @Override
    public int compareTo(ByteSizeValue other) {
        return Long.compare(bytes, other.bytes);
    }

    /**
     * Elasticsearch's memory size: a percentage of the maximum heap ({@code 10%}) or a byte size ({@code 64mb}), in
     * bytes, above 0.
     *
     * @throws IllegalArgumentException for anything else, naming {@code settingName}
     */
    public static long parseBytesOrHeapRatio(String value, String settingName) {
        String t = value.trim();
        if (t.endsWith("%")) {
            double percent = Double.parseDouble(t.substring(0, t.length() - 1));
            if (!(percent > 0 && percent <= 100)) {
                throw new IllegalArgumentException("a percentage must be above 0 and at most 100");
            }
            return (long) (Runtime.getRuntime().maxMemory() * percent / 100);
        }
        long bytes = parse(t, settingName).bytes();
        if (bytes <= 0) {
            throw new IllegalArgumentException("a byte size must be above 0");
        }
        return bytes;
    }
}
