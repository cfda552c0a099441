package io.kccr.core.index;

import io.kccr.core.error.InvalidRequestException;
import java.time.Duration;
import java.util.Locale;

/** Elasticsearch's time values: {@code 500ms}, {@code 1s}, {@code 2m}, {@code 1h}, {@code 1d}. */
public final class TimeValues {
    private TimeValues() {
    }

    /** Parses a time value; a bad one is a 400 naming the setting. */
    public static Duration parse(String value, String setting) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.endsWith("nanos")) {
                return Duration.ofNanos(Long.parseLong(v.substring(0, v.length() - 5)));
            } else if (v.endsWith("micros")) {
                return Duration.ofNanos(1000 * Long.parseLong(v.substring(0, v.length() - 6)));
            } else if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            } else if (v.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
            } else if (v.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            } else if (v.endsWith("h")) {
                return Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
            } else if (v.endsWith("d")) {
                return Duration.ofDays(Long.parseLong(v.substring(0, v.length() - 1)));
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw InvalidRequestException.illegalArgument("failed to parse setting [" + setting + "] with value [" + value
                + "] as a time value: use a number and a unit such as 500ms, 1s, 2m or 1h");
    }
}
