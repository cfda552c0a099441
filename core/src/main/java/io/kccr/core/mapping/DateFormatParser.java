package io.kccr.core.mapping;

import java.time.ZoneId;

/**
 * One alternative of a {@link DateFormat} (the parts between {@code ||}): parses a string to epoch milliseconds and
 * prints epoch milliseconds back. Implementations are immutable and thread-safe, and report "does not match" with
 * {@link DateFormat#FAIL} rather than an exception, since {@link DateFormat} tries the alternatives in order on the
 * indexing hot path.
 */
interface DateFormatParser {

    /**
     * Epoch millis of {@code text}, or {@link DateFormat#FAIL}. Fields the text leaves out take their smallest
     * value, or with {@code roundUp} their largest; a text without a zone is in {@code zone} (null = UTC).
     */
    long parse(String text, boolean roundUp, ZoneId zone);

    /** {@code millis} in this alternative's form. */
    String print(long millis);
}
