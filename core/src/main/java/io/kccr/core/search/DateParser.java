package io.kccr.core.search;

import io.kccr.core.error.ApiException;
import io.kccr.core.mapping.DateFormat;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses date values as Elasticsearch does in queries: a chain of formats separated by {@code ||}
 * (default {@value #DEFAULT_FORMAT}) and date math ({@code now-1d/d}, {@code 2020-01-01||+1M}).
 *
 * <p>With {@code roundUp}, fields the value leaves out are filled with their largest value
 * ({@code 2020-01} is {@code 2020-01-31T23:59:59.999}) and {@code /unit} rounds to the unit's
 * last millisecond, which is how {@code gt} and {@code lte} bounds and term queries on dates
 * cover a whole day. Failures are {@link IllegalArgumentException}s with Elasticsearch's wording.
 */
final class DateParser {

    /** Elasticsearch's default date format. */
    public static final String DEFAULT_FORMAT = "strict_date_optional_time||epoch_millis";

    private static final Pattern ISO = Pattern.compile(
            "(\\d{4})(?:-(\\d{2})(?:-(\\d{2})(?:T(\\d{2})(?::?(\\d{2})(?::?(\\d{2})(?:[.,](\\d{1,9}))?)?)?"
                    + "(Z|z|[+-]\\d{2}(?::?\\d{2})?)?)?)?)?");
    private static final Pattern EPOCH = Pattern.compile("-?\\d+(\\.\\d+)?");

    private static final Map<String, String> NAMED_PATTERNS = Map.of(
            "basic_date", "yyyyMMdd",
            "basic_date_time", "yyyyMMdd'T'HHmmss.SSSXX",
            "basic_date_time_no_millis", "yyyyMMdd'T'HHmmssXX",
            "hour_minute", "HH:mm",
            "hour_minute_second", "HH:mm:ss");

    private DateParser() {
    }

    /** Parses {@code text} with the default format, rounding down, in UTC. */
    public static long parseMillis(String text) {
        return parse(text, null, false, null);
    }

    /** Parses {@code text} with {@code format} (null = default), rounding down, in UTC. */
    public static long parseMillis(String text, String format) {
        return parse(text, format, false, null);
    }

    /**
     * Parses a date or date-math expression to epoch milliseconds.
     *
     * @param text    the value, e.g. {@code 2020-01-01}, {@code 1577836800000}, {@code now-1d/d}
     * @param format  Elasticsearch format chain; null means {@value #DEFAULT_FORMAT}
     * @param roundUp fill missing fields and round {@code /unit} up to the last millisecond
     * @param zone    zone for values without an offset and for rounding; null means UTC
     */
    public static long parse(String text, String format, boolean roundUp, ZoneId zone) {
        String fmt = format == null || format.isBlank() ? DEFAULT_FORMAT : format;
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
                default -> throw new IllegalArgumentException(
                        "unit [" + unit + "] not supported for date math [" + math + "]");
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

    private static long parseDate(String text, String format, boolean roundUp, ZoneId zone) {
        boolean utc = zone.equals(ZoneOffset.UTC);
        if (!roundUp && utc) {
            // exactly as the document mapper indexed it
            Long millis = indexParse(text, format);
            if (millis != null) {
                return millis;
            }
        }
        for (String f : format.split("\\|\\|")) {
            Long millis = tryFormat(text, f.trim(), roundUp, zone);
            if (millis != null) {
                return millis;
            }
        }
        if (utc && roundUp) {
            Long millis = indexParse(text, format);
            if (millis != null) {
                return millis;
            }
        }
        String msg = "failed to parse date field [" + text + "] with format [" + format + "]";
        throw new IllegalArgumentException(msg + ": [" + msg + "]");
    }

    private static Long indexParse(String text, String format) {
        try {
            return DateFormat.of(format).parseMillis(text);
        } catch (IllegalArgumentException | ApiException e) {
            return null;
        }
    }

    private static Long tryFormat(String text, String format, boolean roundUp, ZoneId zone) {
        String name = format.startsWith("strict_") ? format.substring("strict_".length()) : format;
        try {
            switch (name) {
                case "epoch_millis":
                    return epoch(text, 1);
                case "epoch_second":
                    return epoch(text, 1000);
                case "date_optional_time", "date_optional_time_nanos", "date_time", "date_time_no_millis", "date",
                        "year_month_day", "year_month", "year", "date_hour", "date_hour_minute",
                        "date_hour_minute_second", "date_hour_minute_second_millis",
                        "date_hour_minute_second_fraction", "iso8601":
                    return iso(text, roundUp, zone);
                default:
                    String pattern = NAMED_PATTERNS.getOrDefault(name, format);
                    TemporalAccessor t = DateTimeFormatter.ofPattern(pattern, Locale.ROOT).parse(text);
                    return fill(t, roundUp, zone);
            }
        } catch (DateTimeException | IllegalArgumentException | ArithmeticException e) {
            return null;
        }
    }

    private static Long epoch(String text, long factor) {
        if (!EPOCH.matcher(text).matches()) {
            return null;
        }
        return new BigDecimal(text).multiply(BigDecimal.valueOf(factor)).setScale(0, RoundingMode.FLOOR)
                .longValueExact();
    }

    private static Long iso(String text, boolean roundUp, ZoneId zone) {
        Matcher m = ISO.matcher(text);
        if (!m.matches()) {
            return null;
        }
        int year = Integer.parseInt(m.group(1));
        int month = m.group(2) != null ? Integer.parseInt(m.group(2)) : (roundUp ? 12 : 1);
        int day = m.group(3) != null ? Integer.parseInt(m.group(3))
                : (roundUp ? YearMonth.of(year, month).lengthOfMonth() : 1);
        int hour = m.group(4) != null ? Integer.parseInt(m.group(4)) : (roundUp ? 23 : 0);
        int minute = m.group(5) != null ? Integer.parseInt(m.group(5)) : (roundUp ? 59 : 0);
        int second = m.group(6) != null ? Integer.parseInt(m.group(6)) : (roundUp ? 59 : 0);
        int nano;
        if (m.group(7) != null) {
            String frac = (m.group(7) + "000000000").substring(0, 9);
            nano = Integer.parseInt(frac);
        } else {
            nano = roundUp ? 999_999_999 : 0;
        }
        LocalDateTime ldt = LocalDateTime.of(year, month, day, hour, minute, second, nano);
        ZoneId z = zone;
        String offset = m.group(8);
        if (offset != null) {
            z = offset.equalsIgnoreCase("Z") ? ZoneOffset.UTC : ZoneOffset.of(normalizeOffset(offset));
        }
        return ldt.atZone(z).toInstant().toEpochMilli();
    }

    private static String normalizeOffset(String offset) {
        if (offset.length() == 5 && offset.indexOf(':') < 0) {
            return offset.substring(0, 3) + ":" + offset.substring(3);
        }
        return offset;
    }

    private static long fill(TemporalAccessor t, boolean roundUp, ZoneId zone) {
        if (t.isSupported(ChronoField.INSTANT_SECONDS)) {
            return Instant.from(t).toEpochMilli();
        }
        int year = t.isSupported(ChronoField.YEAR) ? t.get(ChronoField.YEAR) : 1970;
        int month = t.isSupported(ChronoField.MONTH_OF_YEAR) ? t.get(ChronoField.MONTH_OF_YEAR) : (roundUp ? 12 : 1);
        int day = t.isSupported(ChronoField.DAY_OF_MONTH) ? t.get(ChronoField.DAY_OF_MONTH)
                : (roundUp ? YearMonth.of(year, month).lengthOfMonth() : 1);
        int hour = t.isSupported(ChronoField.HOUR_OF_DAY) ? t.get(ChronoField.HOUR_OF_DAY) : (roundUp ? 23 : 0);
        int minute = t.isSupported(ChronoField.MINUTE_OF_HOUR) ? t.get(ChronoField.MINUTE_OF_HOUR) : (roundUp ? 59 : 0);
        int second = t.isSupported(ChronoField.SECOND_OF_MINUTE) ? t.get(ChronoField.SECOND_OF_MINUTE)
                : (roundUp ? 59 : 0);
        int nano = t.isSupported(ChronoField.NANO_OF_SECOND) ? t.get(ChronoField.NANO_OF_SECOND)
                : (roundUp ? 999_999_999 : 0);
        ZoneId z = t.isSupported(ChronoField.OFFSET_SECONDS)
                ? ZoneOffset.ofTotalSeconds(t.get(ChronoField.OFFSET_SECONDS)) : zone;
        return LocalDateTime.of(year, month, day, hour, minute, second, nano).atZone(z).toInstant().toEpochMilli();
    }
}
