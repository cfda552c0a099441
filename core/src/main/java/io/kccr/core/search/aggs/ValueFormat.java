package io.kccr.core.search.aggs;

import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.mapping.DateFormat;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How an aggregation prints keys and values as strings ({@code key_as_string}, {@code value_as_string}): raw
 * numbers print nothing extra, dates print with the field's (or the request's) date format in the request's
 * time zone, booleans as {@code true}/{@code false}, and a {@code format} on a number is a
 * {@link DecimalFormat} pattern, as in Elasticsearch. Immutable.
 */
public sealed interface ValueFormat {

    /** The string form of {@code value}, or null when this format adds none (raw numbers). */
    String format(double value);

    ValueFormat RAW = new Raw();
    ValueFormat BOOLEAN = new Bool();

    /** The format of values of {@code source} given the request's {@code format} and {@code zone} (null = UTC). */
    static ValueFormat of(ValuesSource source, String format, ZoneId zone) {
        if (source != null && source.isDate()) {
            return new Date(format != null ? format : source.dateFormat(), zone == null ? ZoneOffset.UTC : zone);
        }
        if (source != null && source.type() == io.kccr.core.mapping.FieldType.BOOLEAN && format == null) {
            return BOOLEAN;
        }
        if (format != null) {
            try {
                DecimalFormat df = new DecimalFormat(format, DecimalFormatSymbols.getInstance(Locale.ROOT));
                return new Decimal(format, df);
            } catch (IllegalArgumentException e) {
                throw InvalidRequestException.illegalArgument("Invalid format: [" + format + "] for a numeric field: "
                        + e.getMessage() + "; use a java.text.DecimalFormat pattern such as 0.00");
            }
        }
        return RAW;
    }

    /** Numbers without a string form. */
    record Raw() implements ValueFormat {
        @Override
        public String format(double value) {
            return null;
        }
    }

    /** 0/1 as false/true. */
    record Bool() implements ValueFormat {
        @Override
        public String format(double value) {
            return value != 0 ? "true" : "false";
        }
    }

    /** A DecimalFormat pattern; DecimalFormat is not thread-safe, so each use clones it. */
    record Decimal(String pattern, DecimalFormat compiled) implements ValueFormat {
        @Override
        public String format(double value) {
            return ((DecimalFormat) compiled.clone()).format(value);
        }
    }

    /**
     * Epoch millis printed with an Elasticsearch date format in {@code zone}: the ISO default prints
     * {@code 2024-01-31T00:00:00.000Z} in UTC and {@code ...+01:00} elsewhere.
     */
    record Date(String format, ZoneId zone) implements ValueFormat {
        private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX",
                Locale.ROOT);

        public Date {
            DateFormat.of(format); // validates
        }

        @Override
        public String format(double value) {
            long millis = (long) value;
            String first = format == null ? "strict_date_optional_time" : format.split("\\|\\|")[0];
            boolean utc = zone.normalized().equals(ZoneOffset.UTC);
            if (utc) {
                return DateFormat.of(format).print(millis);
            }
            if (first.contains("date_optional_time") || first.equals("iso8601") || first.equals("date_time")) {
                return ISO.format(Instant.ofEpochMilli(millis).atZone(zone));
            }
            if (first.startsWith("epoch_")) {
                return DateFormat.of(format).print(millis);
            }
            try {
                return DateTimeFormatter.ofPattern(first, Locale.ROOT).format(Instant.ofEpochMilli(millis).atZone(zone));
            } catch (IllegalArgumentException | java.time.DateTimeException e) {
                return DateFormat.of(format).print(millis);
            }
        }

        /** Parses a bound given as a date string (or epoch millis) in this format and zone. */
        public long parse(String text) {
            try {
                return DateFormat.of(format).parseMillis(text, false, zone);
            } catch (IllegalArgumentException e) {
                throw InvalidRequestException.parse("failed to parse date field [" + text + "] with format ["
                        + (format == null ? DateFormat.DEFAULT_FORMAT : format) + "]: " + e.getMessage());
            }
        }
    }
}
