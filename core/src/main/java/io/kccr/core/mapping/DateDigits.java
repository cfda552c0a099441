package io.kccr.core.mapping;

/**
 * Reading ASCII digits in date text, for the hand-written date parsers ({@link IsoDateParser},
 * {@link EpochDateParser}): only {@code '0'..'9'} count, unlike {@link Character#isDigit}, which takes any Unicode
 * digit. Allocation-free.
 */
final class DateDigits {

    private DateDigits() {
    }

    /** Whether {@code c} is an ASCII digit. */
    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The value of {@code count} ASCII digits at {@code from}, or -1 when there are not that many there. */
    static int digits(String s, int from, int count) {
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
}
