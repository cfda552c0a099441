package io.kccr.core.search.aggs;

import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.settings.TimeValue;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.concurrent.TimeUnit;

/**
 * How {@code date_histogram} (and composite's {@code date_histogram} source) turns a time into its bucket's key:
 * the start of the calendar unit ({@code calendar_interval}) or of the fixed-length interval
 * ({@code fixed_interval}) containing it, in the request's time zone, shifted by {@code offset}. Immutable.
 */
public sealed interface Rounding {

    /** The key (UTC epoch millis) of the bucket holding {@code utcMillis}. */
    long round(long utcMillis);

    /** The key of the bucket after the one whose key is {@code key}. */
    long next(long key);

    /** Parses a {@code calendar_interval}: {@code minute}/{@code 1m}, hour, day, week, month, quarter, year. */
    static Rounding calendar(String interval, ZoneId zone, long offset) {
        ChronoUnit unit = switch (interval) {
            case "minute", "1m" -> ChronoUnit.MINUTES;
            case "hour", "1h" -> ChronoUnit.HOURS;
            case "day", "1d" -> ChronoUnit.DAYS;
            case "week", "1w" -> ChronoUnit.WEEKS;
            case "month", "1M" -> ChronoUnit.MONTHS;
            case "quarter", "1q" -> null;
            case "year", "1y" -> ChronoUnit.YEARS;
            default -> throw InvalidRequestException.illegalArgument("The supplied interval [" + interval + "] could"
                    + " not be parsed as a calendar interval; use one of minute (1m), hour (1h), day (1d), week (1w),"
                    + " month (1M), quarter (1q), year (1y), or a fixed_interval such as 30d");
        };
        return new Calendar(unit, zone, offset);
    }

    /** Parses a {@code fixed_interval}: a whole number of {@code ms}, {@code s}, {@code m}, {@code h} or {@code d}. */
    static Rounding fixed(String interval, ZoneId zone, long offset) {
        return new Fixed(parseDuration(interval, "date_histogram.fixedInterval"), zone, offset);
    }

    /** A time value such as {@code 30s}, {@code -6h}, {@code 1d} in milliseconds. */
    static long parseDuration(String value, String setting) {
        TimeValue.NumberAndUnit split = TimeValue.splitUnit(value.trim());
        if (split == null || split.unit() == TimeUnit.NANOSECONDS || split.unit() == TimeUnit.MICROSECONDS) {
            throw badDuration(value, setting);
        }
        String digits = split.number();
        boolean negative = digits.startsWith("-");
        if (negative || digits.startsWith("+")) {
            digits = digits.substring(1);
        }
        try {
            long n = Long.parseLong(digits);
            if (n <= 0 && !setting.endsWith("offset")) {
                throw badDuration(value, setting);
            }
            return (negative ? -n : n) * split.unit().toMillis(1);
        } catch (NumberFormatException e) {
            throw badDuration(value, setting);
        }
    }

    private static InvalidRequestException badDuration(String value, String setting) {
        return InvalidRequestException.illegalArgument("failed to parse setting [" + setting + "] with value [" + value
                + "] as a time value: unit is missing or unrecognized; use a whole number of ms, s, m, h or d (e.g."
                + " 30m; months and years are calendar_interval units)");
    }

    /** Calendar units, in local time of {@code zone}; {@code unit} null means quarters. */
    record Calendar(ChronoUnit unit, ZoneId zone, long offset, long fixedLength, long shift) implements Rounding {

        Calendar(ChronoUnit unit, ZoneId zone, long offset) {
            this(unit, zone, offset, fixedLength(unit, zone), shift(unit, zone));
        }

        /**
         * The unit's length when it is the same everywhere in time: minutes to weeks in a zone without daylight
         * saving (UTC or a fixed offset), so a bucket is plain arithmetic; 0 otherwise (calendar arithmetic).
         */
        private static long fixedLength(ChronoUnit unit, ZoneId zone) {
            if (unit == null || unit.compareTo(ChronoUnit.WEEKS) > 0 || !zone.getRules().isFixedOffset()) {
                return 0;
            }
            return unit.getDuration().toMillis();
        }

        /** What to add to UTC millis so that a multiple of the length is a local unit start (weeks start Monday). */
        private static long shift(ChronoUnit unit, ZoneId zone) {
            if (!zone.getRules().isFixedOffset()) {
                return 0;
            }
            long local = zone.getRules().getOffset(Instant.EPOCH).getTotalSeconds() * 1000L;
            // 1970-01-01 was a Thursday: Monday-based weeks start 3 days before multiples of 7 days
            return unit == ChronoUnit.WEEKS ? local + 3 * 86_400_000L : local;
        }

        @Override
        public long round(long utcMillis) {
            long t = utcMillis - offset;
            if (fixedLength > 0) {
                return Math.floorDiv(t + shift, fixedLength) * fixedLength - shift + offset;
            }
            ZonedDateTime z = Instant.ofEpochMilli(t).atZone(zone);
            LocalDateTime local = z.toLocalDateTime();
            LocalDateTime start = truncate(local);
            return start.atZone(zone).toInstant().toEpochMilli() + offset;
        }

        private LocalDateTime truncate(LocalDateTime local) {
            if (unit == null) {
                int month = ((local.getMonthValue() - 1) / 3) * 3 + 1;
                return local.toLocalDate().withMonth(month).withDayOfMonth(1).atStartOfDay();
            }
            return switch (unit) {
                case MINUTES, HOURS -> local.truncatedTo(unit);
                case DAYS -> local.toLocalDate().atStartOfDay();
                case WEEKS -> local.toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).atStartOfDay();
                case MONTHS -> local.toLocalDate().withDayOfMonth(1).atStartOfDay();
                default -> local.toLocalDate().withDayOfYear(1).atStartOfDay();
            };
        }

        @Override
        public long next(long key) {
            if (fixedLength > 0) {
                return key + fixedLength;
            }
            LocalDateTime local = Instant.ofEpochMilli(key - offset).atZone(zone).toLocalDateTime();
            LocalDateTime later = unit == null ? local.plusMonths(3) : local.plus(1, unit);
            long candidate = later.atZone(zone).toInstant().toEpochMilli() + offset;
            long rounded = round(candidate);
            return rounded > key ? rounded : round(candidate + unitMillisHint());
        }

        private long unitMillisHint() {
            return unit == null ? 86_400_000L * 31 : Math.min(unit.getDuration().toMillis(), 86_400_000L * 31);
        }
    }

    /** A fixed interval in milliseconds, counted in local time of {@code zone} as Elasticsearch does. */
    record Fixed(long interval, ZoneId zone, long offset) implements Rounding {
        @Override
        public long round(long utcMillis) {
            long t = utcMillis - offset;
            if (zone.equals(ZoneOffset.UTC)) {
                return Math.floorDiv(t, interval) * interval + offset;
            }
            Instant instant = Instant.ofEpochMilli(t);
            long localOffset = zone.getRules().getOffset(instant).getTotalSeconds() * 1000L;
            long local = Math.floorDiv(t + localOffset, interval) * interval;
            LocalDateTime ldt = LocalDateTime.ofEpochSecond(Math.floorDiv(local, 1000), (int) Math.floorMod(local, 1000) * 1_000_000,
                    ZoneOffset.UTC);
            return ldt.atZone(zone).toInstant().toEpochMilli() + offset;
        }

        @Override
        public long next(long key) {
            long candidate = round(key + interval);
            return candidate > key ? candidate : round(key + 2 * interval);
        }
    }
}
