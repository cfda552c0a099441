package io.kccr.core.mapping;

import static io.kccr.core.mapping.DateDigits.isDigit;
import static io.kccr.core.mapping.DateFormat.FAIL;

import java.time.ZoneId;
import java.util.Locale;

/**
 * {@code epoch_millis} and {@code epoch_second}: {@code [-]digits[.fraction]} in the unit, at most 6 (millis) or 9
 * (seconds) fraction digits; a fraction below a millisecond truncates. Round-up and time zones do not apply.
 * {@code epoch_millis} prints the whole millis, {@code epoch_second} the seconds with a 3-digit fraction when there
 * are millis. Allocation-free when parsing.
 */
enum EpochDateParser implements DateFormatParser {

    MILLIS(1L, 6) {
        @Override
        public String print(long millis) {
            return Long.toString(millis);
        }
    },

    SECOND(1000L, 9) {
        @Override
        public String print(long millis) {
            long seconds = Math.floorDiv(millis, 1000);
            long rest = Math.floorMod(millis, 1000);
            return rest == 0 ? Long.toString(seconds) : seconds + "." + String.format(Locale.ROOT, "%03d", rest);
        }
    };

    private final long unitMillis;
    private final int maxFractionDigits;

    EpochDateParser(long unitMillis, int maxFractionDigits) {
        this.unitMillis = unitMillis;
        this.maxFractionDigits = maxFractionDigits;
    }

    @Override
    public long parse(String text, boolean roundUp, ZoneId zone) {
        return parseEpoch(text, unitMillis, maxFractionDigits);
    }

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
}
