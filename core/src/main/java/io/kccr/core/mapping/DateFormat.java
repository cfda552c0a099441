package io.kccr.core.mapping;

import io.kccr.core.error.ApiException;
import java.text.ParsePosition;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An Elasticsearch date {@code format} ({@code strict_date_optional_time||epoch_millis}, {@code yyyy-MM-dd},
 * {@code epoch_second}, ...) that parses strings to epoch milliseconds, UTC unless the value names a
 * zone. Alternatives separated by {@code ||} are tried in order; the first one prints. Immutable and
 * thread-safe; instances are cached by format string.
 *
 * <p>Supported: the ISO-8601 formats {@code strict_date_optional_time} / {@code date_optional_time} /
 * {@code strict_date_optional_time_nanos} / {@code iso8601} (a fast hand-written parser: {@code yyyy},
 * {@code yyyy-MM}, {@code yyyy-MM-dd}, then optionally {@code THH}, {@code :mm}, {@code :ss},
 * {@code .SSSSSSSSS}, and after the minutes a zone {@code Z}, {@code +01}, {@code +01:00}, {@code +0100}
 * or a region id); {@code epoch_millis} and {@code epoch_second} (optional sign and fraction); the
 * common named formats ({@code date}, {@code date_time}, {@code basic_date}, {@code year_month}, ...);
 * and any {@link DateTimeFormatter} pattern. Precision is milliseconds (finer fractions truncate).
 *
 * <p>This is the one place date strings are parsed: the document mapper indexes with
 * {@link #parseMillis(String)}, and queries parse their bounds with
 * {@link #parseMillis(String, boolean, ZoneId)}, which can also round a partial value up and read a
 * zone-less value in a given time zone. Date math ({@code now-1d/d}) is the query side's business.
 */
public final class DateFormat {

    /** What a date field without {@code format} uses, as in Elasticsearch. */
    public static final String DEFAULT_FORMAT = "strict_date_optional_time||epoch_millis";

    /** Returned by the internal parsers for "does not match". */
    static final long FAIL = Long.MIN_VALUE;

    private static final DateTimeFormatter ISO_PRINTER =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private static final Map<String, String> NAMED = namedFormats();
    private static final ConcurrentHashMap<String, DateFormat> CACHE = new ConcurrentHashMap<>();

    private interface Parser {
        /**
         * Epoch millis of {@code text}, or {@link #FAIL}. Fields the text leaves out take their smallest
         * value, or with {@code roundUp} their largest; a text without a zone is in {@code zone} (null = UTC).
         */
        long parse(String text, boolean roundUp, ZoneId zone);

        String print(long millis);
    }

    private final String format;
    private final Parser[] parsers;

    private DateFormat(String format, Parser[] parsers) {
        this.format = format;
        this.parsers = parsers;
    }

    /**
     * The format for a mapping's {@code format} (null = {@link #DEFAULT_FORMAT}). An unknown name or
     * an invalid pattern is a {@code mapper_parsing_exception}, so this also validates a mapping.
     */
    public static DateFormat of(String format) {
        if (format == null || format.equals(DEFAULT_FORMAT)) {
            return DEFAULT;
        }
        DateFormat cached = CACHE.get(format);
        if (cached != null) {
            return cached;
        }
        DateFormat compiled = compile(format);
        if (CACHE.size() < 1024) {
            CACHE.putIfAbsent(format, compiled);
        }
        return compiled;
    }

    /** The format string, e.g. {@code strict_date_optional_time||epoch_millis}. */
    public String format() {
        return format;
    }

    /**
     * Epoch millis of {@code text}.
     *
     * @throws IllegalArgumentException {@code failed to parse date field [text] with format [format]}
     */
    public long parseMillis(String text) {
        return parseMillis(text, false, null);
    }

    /**
     * Epoch millis of {@code text} as a query bound. With {@code roundUp}, fields the value leaves out take
     * their largest value instead of their smallest ({@code 2020-01} is {@code 2020-01-31T23:59:59.999}),
     * which is how {@code lte}/{@code gt} bounds cover a whole day; a value without a zone is in
     * {@code zone} (null = UTC). Epoch formats ignore both. {@code parseMillis(text, false, null)} is
     * {@link #parseMillis(String)}.
     *
     * @throws IllegalArgumentException {@code failed to parse date field [text] with format [format]}
     */
    public long parseMillis(String text, boolean roundUp, ZoneId zone) {
        long millis = tryParse(text, roundUp, zone);
        if (millis == FAIL) {
            throw new IllegalArgumentException("failed to parse date field [" + text + "] with format [" + format + "]");
        }
        return millis;
    }

    /** Epoch millis of {@code text}, or {@link #FAIL}: no exceptions on the hot path. */
    long tryParse(String text) {
        return tryParse(text, false, null);
    }

    private long tryParse(String text, boolean roundUp, ZoneId zone) {
        ZoneId z = zone == null || zone.normalized().equals(ZoneOffset.UTC) ? null : zone;
        for (Parser parser : parsers) {
            long millis = parser.parse(text, roundUp, z);
            if (millis != FAIL) {
                return millis;
            }
        }
        return FAIL;
    }

    /** {@code millis} printed with the first format, as Elasticsearch prints dates (sort values, aggregations). */
    public String print(long millis) {
        return parsers[0].print(millis);
    }

    /** True when {@code text} is a date in {@code strict_date_optional_time}: dynamic mapping's date detection. */
    public static boolean isStrictDateOptionalTime(String text) {
        // Elasticsearch only tries date detection on strings with '-', ':' or '/', else "1" would be a date;
        // in strict_date_optional_time anything longer than a year has '-' right after the year.
        return text.length() >= 7 && text.charAt(4) == '-' && isDigit(text.charAt(0)) && parseIso(text, false, null) != FAIL;
    }

    @Override
    public String toString() {
        return format;
    }

    private static DateFormat compile(String format) {
        String[] parts = format.split("\\|\\|");
        List<Parser> parsers = new ArrayList<>(parts.length);
        for (String raw : parts) {
            String part = raw.trim();
            if (part.isEmpty()) {
                throw invalid(format, "empty format");
            }
            String named = NAMED.getOrDefault(part.toLowerCase(Locale.ROOT), part);
            parsers.add(switch (named) {
                case "!iso" -> ISO;
                case "!epoch_millis" -> EPOCH_MILLIS;
                case "!epoch_second" -> EPOCH_SECOND;
                default -> pattern(format, named);
            });
        }
        return new DateFormat(format, parsers.toArray(new Parser[0]));
    }

    private static ApiException invalid(String format, String why) {
        return ApiException.mapperParsing("Invalid format: [" + format + "]: " + why);
    }

    private static Map<String, String> namedFormats() {
        Map<String, String> m = new HashMap<>();
        for (String iso : List.of("strict_date_optional_time", "date_optional_time", "strict_date_optional_time_nanos",
                "iso8601")) {
            m.put(iso, "!iso");
        }
        m.put("epoch_millis", "!epoch_millis");
        m.put("epoch_second", "!epoch_second");
        putStrictAndLenient(m, "date", "uuuu-MM-dd");
        putStrictAndLenient(m, "year_month_day", "uuuu-MM-dd");
        putStrictAndLenient(m, "year_month", "uuuu-MM");
        putStrictAndLenient(m, "year", "uuuu");
        putStrictAndLenient(m, "basic_date", "uuuuMMdd");
        putStrictAndLenient(m, "basic_date_time", "uuuuMMdd'T'HHmmss.SSSXX");
        putStrictAndLenient(m, "basic_date_time_no_millis", "uuuuMMdd'T'HHmmssXX");
        putStrictAndLenient(m, "date_time", "uuuu-MM-dd'T'HH:mm:ss.SSSXXX");
        putStrictAndLenient(m, "date_time_no_millis", "uuuu-MM-dd'T'HH:mm:ssXXX");
        putStrictAndLenient(m, "date_hour", "uuuu-MM-dd'T'HH");
        putStrictAndLenient(m, "date_hour_minute", "uuuu-MM-dd'T'HH:mm");
        putStrictAndLenient(m, "date_hour_minute_second", "uuuu-MM-dd'T'HH:mm:ss");
        putStrictAndLenient(m, "date_hour_minute_second_millis", "uuuu-MM-dd'T'HH:mm:ss.SSS");
        putStrictAndLenient(m, "date_hour_minute_second_fraction", "uuuu-MM-dd'T'HH:mm:ss.SSS");
        putStrictAndLenient(m, "hour", "HH");
        putStrictAndLenient(m, "hour_minute", "HH:mm");
        putStrictAndLenient(m, "hour_minute_second", "HH:mm:ss");
        putStrictAndLenient(m, "hour_minute_second_millis", "HH:mm:ss.SSS");
        return Map.copyOf(m);
    }

    private static void putStrictAndLenient(Map<String, String> m, String name, String pattern) {
        m.put(name, pattern);
        m.put("strict_" + name, pattern);
    }

    // ---------------------------------------------------------------- java.time patterns

    private static Parser pattern(String format, String pattern) {
        DateTimeFormatter formatter;
        try {
            formatter = new DateTimeFormatterBuilder().appendPattern(pattern).toFormatter(Locale.ROOT)
                    .withResolverStyle(ResolverStyle.STRICT);
        } catch (IllegalArgumentException e) {
            throw invalid(format, e.getMessage());
        }
        DateTimeFormatter printer = formatter.withZone(ZoneOffset.UTC);
        return new Parser() {
            @Override
            public long parse(String text, boolean roundUp, ZoneId zone) {
                ParsePosition pos = new ParsePosition(0);
                TemporalAccessor parsed = formatter.parseUnresolved(text, pos);
                if (parsed == null || pos.getErrorIndex() >= 0 || pos.getIndex() != text.length()) {
                    return FAIL;
                }
                try {
                    return toMillis(formatter.parse(text), roundUp ? parsed : null, zone);
                } catch (DateTimeException | ArithmeticException e) {
                    return FAIL;
                }
            }

            @Override
            public String print(long millis) {
                try {
                    return printer.format(Instant.ofEpochMilli(millis));
                } catch (DateTimeException e) {
                    return ISO.print(millis);
                }
            }
        };
    }

    /**
     * Missing fields are their minimum, or when rounding up (the unresolved fields of the text given) their
     * maximum; no parsed zone means {@code defaultZone}.
     */
    private static long toMillis(TemporalAccessor t, TemporalAccessor roundUpFrom, ZoneId defaultZone) {
        boolean roundUp = roundUpFrom != null;
        if (t.isSupported(ChronoField.INSTANT_SECONDS)) {
            long millis = t.isSupported(ChronoField.NANO_OF_SECOND) ? t.getLong(ChronoField.NANO_OF_SECOND) / 1_000_000 : 0;
            return Math.addExact(Math.multiplyExact(t.getLong(ChronoField.INSTANT_SECONDS), 1000L), millis);
        }
        LocalDate date = t.query(TemporalQueries.localDate());
        if (date == null) {
            int year = t.isSupported(ChronoField.YEAR) ? t.get(ChronoField.YEAR)
                    : t.isSupported(ChronoField.YEAR_OF_ERA) ? t.get(ChronoField.YEAR_OF_ERA) : 1970;
            int month = field(t, ChronoField.MONTH_OF_YEAR, 1, 12, roundUp);
            int day = field(t, ChronoField.DAY_OF_MONTH, 1, daysInMonth(year, month), roundUp);
            date = LocalDate.of(year, month, day);
        }
        LocalTime time = t.query(TemporalQueries.localTime());
        if (time == null) {
            time = LocalTime.of(field(t, ChronoField.HOUR_OF_DAY, 0, 23, roundUp),
                    field(t, ChronoField.MINUTE_OF_HOUR, 0, 59, roundUp),
                    field(t, ChronoField.SECOND_OF_MINUTE, 0, 59, roundUp),
                    field(t, ChronoField.NANO_OF_SECOND, 0, 999_999_999, roundUp));
        } else if (roundUp) {
            time = roundUpUnparsed(time, roundUpFrom);
        }
        ZoneId zone = t.query(TemporalQueries.zone());
        if (zone == null) {
            zone = defaultZone == null ? ZoneOffset.UTC : defaultZone;
        }
        return date.atTime(time).atZone(zone).toInstant().toEpochMilli();
    }

    /** The parts of a resolved time the text left out ({@code HH:mm} is {@code HH:mm:00}) at their maximum. */
    private static LocalTime roundUpUnparsed(LocalTime time, TemporalAccessor parsed) {
        if (parsedAny(parsed, ChronoField.NANO_OF_SECOND, ChronoField.MICRO_OF_SECOND, ChronoField.MILLI_OF_SECOND,
                ChronoField.NANO_OF_DAY, ChronoField.MICRO_OF_DAY, ChronoField.MILLI_OF_DAY)) {
            return time;
        }
        time = time.withNano(999_999_999);
        if (parsedAny(parsed, ChronoField.SECOND_OF_MINUTE, ChronoField.SECOND_OF_DAY)) {
            return time;
        }
        time = time.withSecond(59);
        return parsedAny(parsed, ChronoField.MINUTE_OF_HOUR, ChronoField.MINUTE_OF_DAY) ? time : time.withMinute(59);
    }

    private static boolean parsedAny(TemporalAccessor parsed, ChronoField... fields) {
        for (ChronoField f : fields) {
            if (parsed.isSupported(f)) {
                return true;
            }
        }
        return false;
    }

    /** The parsed value of {@code field}, else {@code min}, or with {@code roundUp} {@code max}. */
    private static int field(TemporalAccessor t, ChronoField field, int min, int max, boolean roundUp) {
        return t.isSupported(field) ? t.get(field) : roundUp ? max : min;
    }

    // ---------------------------------------------------------------- epoch_millis / epoch_second

    private static final Parser EPOCH_MILLIS = new Parser() {
        @Override
        public long parse(String text, boolean roundUp, ZoneId zone) {
            return parseEpoch(text, 1L, 6);
        }

        @Override
        public String print(long millis) {
            return Long.toString(millis);
        }
    };

    private static final Parser EPOCH_SECOND = new Parser() {
        @Override
        public long parse(String text, boolean roundUp, ZoneId zone) {
            return parseEpoch(text, 1000L, 9);
        }

        @Override
        public String print(long millis) {
            long seconds = Math.floorDiv(millis, 1000);
            long rest = Math.floorMod(millis, 1000);
            return rest == 0 ? Long.toString(seconds) : seconds + "." + String.format(Locale.ROOT, "%03d", rest);
        }
    };

    /** {@code [-]digits[.fraction]} times {@code unitMillis}; a fraction below a millisecond truncates. */
    private static long parseEpoch(String s, long unitMillis, int maxFractionDigits) {
        int n = s.length();
        int i = 0;
        boolean negative = false;
        if (n > 0 && s.charAt(0) == '-') {
            negative = true;
            i = 1;
        }
        int start = i;
        long whole = 0;
        while (i < n && isDigit(s.charAt(i))) {
            if (whole > (Long.MAX_VALUE - 9) / 10) {
                return FAIL;
            }
            whole = whole * 10 + (s.charAt(i) - '0');
            i++;
        }
        if (i == start) {
            return FAIL;
        }
        long fractionMillis = 0;
        if (i < n) {
            if (s.charAt(i) != '.' || i + 1 == n || n - i - 1 > maxFractionDigits) {
                return FAIL;
            }
            i++;
            long fraction = 0;
            int digits = 0;
            while (i < n) {
                char c = s.charAt(i++);
                if (!isDigit(c)) {
                    return FAIL;
                }
                fraction = fraction * 10 + (c - '0');
                digits++;
            }
            // fraction of a unit, in millis: fraction / 10^digits * unitMillis
            long scale = 1;
            for (int d = 0; d < digits; d++) {
                scale *= 10;
            }
            fractionMillis = fraction * unitMillis / scale;
        }
        try {
            long millis = Math.addExact(Math.multiplyExact(whole, unitMillis), fractionMillis);
            return negative ? -millis : millis;
        } catch (ArithmeticException e) {
            return FAIL;
        }
    }

    // ---------------------------------------------------------------- strict_date_optional_time

    private static final Parser ISO = new Parser() {
        @Override
        public long parse(String text, boolean roundUp, ZoneId zone) {
            return parseIso(text, roundUp, zone);
        }

        @Override
        public String print(long millis) {
            return ISO_PRINTER.format(Instant.ofEpochMilli(millis));
        }
    };

    /**
     * Elasticsearch's strict_date_optional_time: {@code yyyy[-MM[-dd[T[HH[:mm[:ss[.S{1,9}]][zone]]]]]]},
     * zone {@code Z}, {@code ±HH}, {@code ±HH:mm}, {@code ±HHmm} or a region id; no zone is {@code zone}
     * (null = UTC). Missing fields are their minimum, or with {@code roundUp} their maximum.
     */
    static long parseIso(String s, boolean roundUp, ZoneId zone) {
        int n = s.length();
        if (n < 4) {
            return FAIL;
        }
        int year = digits(s, 0, 4);
        if (year < 0) {
            return FAIL;
        }
        int month = roundUp ? 12 : 1;
        int day = 0; // 0: not given
        int hour = roundUp ? 23 : 0;
        int minute = roundUp ? 59 : 0;
        int second = roundUp ? 59 : 0;
        int nanos = roundUp ? 999_999_999 : 0;
        int i = 4;
        if (i < n) {
            if (s.charAt(i) != '-' || (month = digits(s, i + 1, 2)) < 1 || month > 12) {
                return FAIL;
            }
            i += 3;
            if (i < n) {
                if (s.charAt(i) != '-' || (day = digits(s, i + 1, 2)) < 1 || day > daysInMonth(year, month)) {
                    return FAIL;
                }
                i += 3;
            }
        }
        if (day == 0) {
            day = roundUp ? daysInMonth(year, month) : 1;
        }
        if (i < n) {
            if (s.charAt(i) != 'T') {
                return FAIL;
            }
            i++;
        }
        boolean hasMinutes = false;
        if (i < n) {
            if ((hour = digits(s, i, 2)) < 0 || hour > 23) {
                return FAIL;
            }
            i += 2;
            if (i < n && s.charAt(i) == ':') {
                if ((minute = digits(s, i + 1, 2)) < 0 || minute > 59) {
                    return FAIL;
                }
                i += 3;
                hasMinutes = true;
                if (i < n && s.charAt(i) == ':') {
                    if ((second = digits(s, i + 1, 2)) < 0 || second > 59) {
                        return FAIL;
                    }
                    i += 3;
                    if (i < n && (s.charAt(i) == '.' || s.charAt(i) == ',')) {
                        i++;
                        int start = i;
                        int scale = 100_000_000;
                        nanos = 0;
                        while (i < n && isDigit(s.charAt(i))) {
                            if (i - start == 9) {
                                return FAIL;
                            }
                            nanos += (s.charAt(i) - '0') * scale;
                            scale /= 10;
                            i++;
                        }
                        if (i == start) {
                            return FAIL;
                        }
                    }
                }
            }
        }
        long localMillis = daysFromCivil(year, month, day) * 86_400_000L + hour * 3_600_000L + minute * 60_000L
                + second * 1000L + nanos / 1_000_000;
        if (i == n) {
            return zone == null ? localMillis
                    : localMillis - offsetSeconds(zone, year, month, day, hour, minute, second, nanos) * 1000L;
        }
        if (!hasMinutes) {
            return FAIL;
        }
        char c = s.charAt(i);
        int offsetSeconds;
        if (c == 'Z' && i + 1 == n) {
            offsetSeconds = 0;
        } else if (c == '+' || c == '-') {
            int oh = digits(s, i + 1, 2);
            int om = 0;
            int rest = n - i - 3;
            if (oh < 0 || oh > 18) {
                return FAIL;
            }
            if (rest == 3 && s.charAt(i + 3) == ':') {
                om = digits(s, i + 4, 2);
            } else if (rest == 2) {
                om = digits(s, i + 3, 2);
            } else if (rest != 0) {
                return FAIL;
            }
            if (om < 0 || om > 59) {
                return FAIL;
            }
            offsetSeconds = (oh * 3600 + om * 60) * (c == '-' ? -1 : 1);
        } else if (Character.isLetter(c)) {
            try {
                offsetSeconds = offsetSeconds(ZoneId.of(s.substring(i)), year, month, day, hour, minute, second, nanos);
            } catch (DateTimeException e) {
                return FAIL;
            }
        } else {
            return FAIL;
        }
        return localMillis - offsetSeconds * 1000L;
    }

    /** The offset of {@code zone} at a local date-time (in a gap or overlap, the offset before the transition). */
    private static int offsetSeconds(ZoneId zone, int year, int month, int day, int hour, int minute, int second,
            int nanos) {
        LocalDateTime local = LocalDateTime.of(year, month, day, hour, minute, second, nanos);
        return zone.getRules().getOffset(local).getTotalSeconds();
    }

    /** The value of {@code count} ASCII digits at {@code from}, or -1. */
    private static int digits(String s, int from, int count) {
        if (from + count > s.length()) {
            return -1;
        }
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int daysInMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
    private static long daysFromCivil(int year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097 + doe - 719_468;
    }

    /** Last: compiling needs the parsers above. */
    private static final DateFormat DEFAULT = compile(DEFAULT_FORMAT);
}
