package io.kccr.core.search.query;

import io.kccr.core.error.KccrException;
import io.kccr.core.mapping.DateFormat;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;

/**
 * Date values in queries, as Elasticsearch reads them: a date in the field's format chain, parsed by
 * {@link DateFormat} (the same parser that indexed the documents), plus what only queries need — date
 * math ({@code now-1d/d}, {@code 2020-01-01||+1M}), rounding and a {@code time_zone}.
 *
 * <p>With {@code roundUp}, fields the value leaves out are filled with their largest value
 * ({@code 2020-01} is {@code 2020-01-31T23:59:59.999}) and {@code /unit} rounds to the unit's
 * last millisecond, which is how {@code gt} and {@code lte} bounds and term queries on dates
 * cover a whole day. Failures are {@link IllegalArgumentException}s with Elasticsearch's wording.
 */
public final class DateParser {

    private DateParser() {
    }

    /**
     * Parses a date or date-math expression to epoch milliseconds.
     *
     * @param text    the value, e.g. {@code 2020-01-01}, {@code 1577836800000}, {@code now-1d/d}
     * @param format  Elasticsearch format chain; null or blank means {@link DateFormat#DEFAULT_FORMAT}
     * @param roundUp fill missing fields and round {@code /unit} up to the last millisecond
     * @param zone    zone for values without an offset and for rounding; null means UTC
     */
    public static long parse(String text, String format, boolean roundUp, ZoneId zone) {
        String fmt = format == null || format.isBlank() ? DateFormat.DEFAULT_FORMAT : format;
        ZoneId z = zone == null ? ZoneOffset.UTC : zone;
        if (text == null) {
            throw new IllegalArgumentException("cannot parse empty date");
        }
        long anchor;
        String math;
        if (text.startsWith("now")) {
            anchor = System.currentTimeMillis();
            math = text.substring(3);
        } else {
            int idx = text.indexOf("||");
            if (idx == -1) {
                return parseDate(text, fmt, roundUp, z);
            }
            anchor = parseDate(text.substring(0, idx), fmt, false, z);
            math = text.substring(idx + 2);
        }
        return applyMath(math, anchor, roundUp, z);
    }

    private static long applyMath(String math, long anchor, boolean roundUp, ZoneId zone) {
        if (math.isEmpty()) {
            return anchor;
        }
        ZonedDateTime t = Instant.ofEpochMilli(anchor).atZone(zone);
        int i = 0;
        while (i < math.length()) {
            char c = math.charAt(i++);
            boolean round;
            int sign = 1;
            if (c == '/') {
                round = true;
            } else {
                round = false;
                if (c == '+') {
                    sign = 1;
                } else if (c == '-') {
                    sign = -1;
                } else {
                    throw new IllegalArgumentException("operator not supported for date math [" + math + "]");
                }
            }
            if (i >= math.length()) {
                throw new IllegalArgumentException("truncated date math [" + math + "]");
            }
            int num;
            if (!Character.isDigit(math.charAt(i))) {
                num = 1;
            } else {
                int start = i;
                while (i < math.length() && Character.isDigit(math.charAt(i))) {
                    i++;
                }
                if (i >= math.length()) {
                    throw new IllegalArgumentException("truncated date math [" + math + "]");
                }
                num = Integer.parseInt(math.substring(start, i));
            }
            if (round && num != 1) {
                throw new IllegalArgumentException("rounding `/` can only be used on single unit types [" + math + "]");
            }
            char unit = math.charAt(i++);
            ChronoUnit u = switch (unit) {
                case 'y' -> ChronoUnit.YEARS;
                case 'M' -> ChronoUnit.MONTHS;
                case 'w' -> ChronoUnit.WEEKS;
                case 'd' -> ChronoUnit.DAYS;
                case 'h', 'H' -> ChronoUnit.HOURS;
                case 'm' -> ChronoUnit.MINUTES;
                case 's' -> ChronoUnit.SECONDS;
                default -> throw new IllegalArgumentException("unit [" + unit + "] not supported for date math [" + math + "]");
            };
            if (round) {
                ZonedDateTime start = switch (u) {
                    case YEARS -> t.withDayOfYear(1).truncatedTo(ChronoUnit.DAYS);
                    case MONTHS -> t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS);
                    case WEEKS -> t.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).truncatedTo(ChronoUnit.DAYS);
                    default -> t.truncatedTo(u);
                };
                t = roundUp ? start.plus(1, u).minus(1, ChronoUnit.MILLIS) : start;
            } else {
                t = t.plus((long) sign * num, u);
            }
        }
        return t.toInstant().toEpochMilli();
    }

    /** Parses one date (no math) with the format chain: all format parsing is {@link DateFormat}'s. */
    private static long parseDate(String text, String format, boolean roundUp, ZoneId zone) {
        try {
            return DateFormat.of(format).parseMillis(text, roundUp, zone);
        } catch (IllegalArgumentException | KccrException e) {
            // KccrException: an invalid format, which Elasticsearch reports as a value it cannot parse
            String msg = "failed to parse date field [" + text + "] with format [" + format + "]";
            throw new IllegalArgumentException(msg + ": [" + msg + "]");
        }
    }
}
