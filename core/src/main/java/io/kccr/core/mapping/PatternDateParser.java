package io.kccr.core.mapping;

import static io.kccr.core.mapping.CivilCalendar.daysInMonth;
import static io.kccr.core.mapping.DateFormat.FAIL;

import java.text.ParsePosition;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.Locale;

/**
 * A {@link DateTimeFormatter} pattern ({@code yyyy/MM/dd HH:mm}, or the pattern behind a named format such as
 * {@code date_time}), resolved strictly. Fields the pattern leaves out are their minimum (the year 1970 when there is
 * none), or when rounding up their maximum; a value without a zone is in the given zone (null = UTC). Prints with
 * the same pattern in UTC, or as {@code strict_date_optional_time} when the pattern cannot print an instant (e.g. it
 * has no year). Immutable and thread-safe.
 */
final class PatternDateParser implements DateFormatParser {

    private final DateTimeFormatter formatter;
    private final DateTimeFormatter printer;

    /**
     * Compiles {@code pattern}.
     *
     * @throws IllegalArgumentException when it is not a valid {@link DateTimeFormatter} pattern
     */
    PatternDateParser(String pattern) {
        this.formatter = new DateTimeFormatterBuilder().appendPattern(pattern).toFormatter(Locale.ROOT)
                .withResolverStyle(ResolverStyle.STRICT);
        this.printer = formatter.withZone(ZoneOffset.UTC);
    }

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
            return IsoDateParser.INSTANCE.print(millis);
        }
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
}
