package io.kccr.core.mapping;

import static io.kccr.core.mapping.CivilCalendar.daysFromCivil;
import static io.kccr.core.mapping.CivilCalendar.daysInMonth;
import static io.kccr.core.mapping.DateDigits.digits;
import static io.kccr.core.mapping.DateDigits.isDigit;
import static io.kccr.core.mapping.DateFormat.FAIL;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Elasticsearch's {@code strict_date_optional_time} (also {@code date_optional_time},
 * {@code strict_date_optional_time_nanos} and {@code iso8601}): {@code yyyy[-MM[-dd[T[HH[:mm[:ss[.S{1,9}]][zone]]]]]]},
 * zone {@code Z}, {@code ±HH}, {@code ±HH:mm}, {@code ±HHmm} or a region id, after the minutes only. A fast
 * hand-written parser that allocates nothing for a value without a region id; precision is milliseconds (finer
 * fractions truncate). Prints {@code uuuu-MM-dd'T'HH:mm:ss.SSS'Z'} in UTC. Stateless: use {@link #INSTANCE}.
 */
final class IsoDateParser implements DateFormatParser {

    static final IsoDateParser INSTANCE = new IsoDateParser();

    private static final DateTimeFormatter PRINTER =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private IsoDateParser() {
    }

    @Override
    public long parse(String text, boolean roundUp, ZoneId zone) {
        return parseIso(text, roundUp, zone);
    }

    @Override
    public String print(long millis) {
        return PRINTER.format(Instant.ofEpochMilli(millis));
    }

    /**
     * Epoch millis of {@code s}, or {@link DateFormat#FAIL}. No zone in the text is {@code zone} (null = UTC).
     * Missing fields are their minimum, or with {@code roundUp} their maximum.
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
}
