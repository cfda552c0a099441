package io.kccr.core.settings;

/** Elasticsearch's rendering of a size or span with one decimal: {@code 1.5}, {@code 1} (not {@code 1.0}). */
final class OneDecimal {
    private OneDecimal() {
    }

    /**
     * {@code value} with its first decimal, truncated (not rounded: {@code 1.99} is {@code 1.9}), and without it
     * when it is 0. For values from 0 to 10^7, where {@link Double#toString} uses plain notation: every caller
     * picks the largest unit the value reaches, which keeps it far below that.
     */
    static String format(double value) {
        String digits = Double.toString(value);
        int dot = digits.indexOf('.');
        char tenth = digits.charAt(dot + 1);
        return tenth == '0' ? digits.substring(0, dot) : digits.substring(0, dot + 2);
    }
}
