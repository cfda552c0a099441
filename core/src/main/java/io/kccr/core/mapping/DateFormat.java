package io.kccr.core.mapping;

import io.kccr.core.error.KccrException;
import io.kccr.core.error.InvalidRequestException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
 *
 * <p>This class resolves names and {@code ||} alternatives and caches the result; each alternative is a
 * package-private {@code DateFormatParser}: {@code IsoDateParser}, {@code EpochDateParser} or
 * {@code PatternDateParser}.
 */
public final class DateFormat {

    /** What a date field without {@code format} uses, as in Elasticsearch. */
    public static final String DEFAULT_FORMAT = "strict_date_optional_time||epoch_millis";

    /** Returned by the internal parsers for "does not match". */
    static final long FAIL = Long.MIN_VALUE;

    private static final Map<String, String> NAMED = namedFormats();
    private static final ConcurrentHashMap<String, DateFormat> CACHE = new ConcurrentHashMap<>();

    private final String format;
    private final DateFormatParser[] parsers;

    private DateFormat(String format, DateFormatParser[] parsers) {
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
        for (DateFormatParser parser : parsers) {
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
        return text.length() >= 7 && text.charAt(4) == '-' && DateDigits.isDigit(text.charAt(0))
                && IsoDateParser.parseIso(text, false, null) != FAIL;
    }

    @Override
    public String toString() {
        return format;
    }

    private static DateFormat compile(String format) {
        String[] parts = format.split("\\|\\|");
        List<DateFormatParser> parsers = new ArrayList<>(parts.length);
        for (String raw : parts) {
            String part = raw.trim();
            if (part.isEmpty()) {
                throw invalid(format, "empty format");
            }
            String named = NAMED.getOrDefault(part.toLowerCase(Locale.ROOT), part);
            parsers.add(switch (named) {
                case "!iso" -> IsoDateParser.INSTANCE;
                case "!epoch_millis" -> EpochDateParser.MILLIS;
                case "!epoch_second" -> EpochDateParser.SECOND;
                default -> pattern(format, named);
            });
        }
        return new DateFormat(format, parsers.toArray(new DateFormatParser[0]));
    }

    private static KccrException invalid(String format, String why) {
        return InvalidRequestException.mapperParsing("Invalid format: [" + format + "]: " + why);
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

    private static DateFormatParser pattern(String format, String pattern) {
        try {
            return new PatternDateParser(pattern);
        } catch (IllegalArgumentException e) {
            throw invalid(format, e.getMessage());
        }
    }

    /** Last: compiling needs {@link #NAMED}. */
    private static final DateFormat DEFAULT = compile(DEFAULT_FORMAT);
}
