package io.kccr.core.search.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.kccr.core.mapping.FieldType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Turns query values into what a field type indexes, as Elasticsearch does: a JSON scalar into a
 * Java value, then that value into a string, a double or float, a boolean ({@code true}/{@code false},
 * also as strings), a whole number within an integral type's range, or inclusive integral range
 * bounds. Values a type cannot take are {@link IllegalArgumentException}s (including
 * {@link NumberFormatException}) with Elasticsearch's wording. Stateless.
 */
final class FieldValues {

    private FieldValues() {
    }

    /** A JSON scalar as a Java value: String, Long, BigInteger, Double, BigDecimal or Boolean. */
    static Object value(JsonNode n) {
        if (n.isTextual()) {
            return n.textValue();
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isIntegralNumber()) {
            return n.canConvertToLong() ? (Object) n.longValue() : n.bigIntegerValue();
        }
        if (n.isBigDecimal()) {
            return n.decimalValue();
        }
        if (n.isNumber()) {
            return n.doubleValue();
        }
        return n.asText();
    }

    static String stringValue(Object v) {
        return String.valueOf(v);
    }

    /** A date bound as text for the date parser; doubles in plain notation ({@code 1.5E9} is {@code 1500000000}). */
    static String dateString(Object v) {
        if (v instanceof Double d) {
            return BigDecimal.valueOf(d).toPlainString();
        }
        return String.valueOf(v);
    }

    static double doubleValue(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        return Double.parseDouble(String.valueOf(v));
    }

    static float floatValue(Object v) {
        if (v instanceof Number n) {
            return n.floatValue();
        }
        return Float.parseFloat(String.valueOf(v));
    }

    /** {@code true}/{@code false} (booleans or strings; {@code ""} is false), else an IllegalArgumentException. */
    static boolean booleanValue(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        String s = String.valueOf(v);
        return switch (s) {
            case "true" -> true;
            case "false", "" -> false;
            default -> throw new IllegalArgumentException("Can't parse boolean value [" + s + "], expected [true] or [false]");
        };
    }

    /** The whole number {@code v} for an integral field; null when it has a decimal part (matches nothing). */
    static Long exactLong(Object v, FieldType type) {
        BigDecimal d = decimalValue(v, type);
        if (d.signum() != 0 && d.stripTrailingZeros().scale() > 0) {
            return null;
        }
        BigInteger i = d.toBigInteger();
        if (i.compareTo(minOf(type)) < 0 || i.compareTo(maxOf(type)) > 0) {
            throw outOfRange(v, type);
        }
        return i.longValue();
    }

    /** Inclusive integral bounds for a range, clamped to the type; null when the range is empty. */
    static long[] longBounds(Object from, Object to, boolean includeLower, boolean includeUpper, FieldType type) {
        BigInteger min = minOf(type);
        BigInteger max = maxOf(type);
        BigInteger lo = min;
        BigInteger hi = max;
        if (from != null) {
            BigDecimal d = decimalValue(from, type);
            lo = includeLower ? d.setScale(0, RoundingMode.CEILING).toBigInteger()
                    : d.setScale(0, RoundingMode.FLOOR).toBigInteger().add(BigInteger.ONE);
        }
        if (to != null) {
            BigDecimal d = decimalValue(to, type);
            hi = includeUpper ? d.setScale(0, RoundingMode.FLOOR).toBigInteger()
                    : d.setScale(0, RoundingMode.CEILING).toBigInteger().subtract(BigInteger.ONE);
        }
        lo = lo.max(min);
        hi = hi.min(max);
        if (lo.compareTo(hi) > 0) {
            return null;
        }
        return new long[] {lo.longValue(), hi.longValue()};
    }

    private static BigDecimal decimalValue(Object v, FieldType type) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return BigDecimal.valueOf(((Number) v).longValue());
        }
        if (v instanceof BigInteger bi) {
            return new BigDecimal(bi);
        }
        if (v instanceof BigDecimal bd) {
            return bd;
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (!Double.isFinite(d)) {
                throw outOfRange(v, type);
            }
            return new BigDecimal(Double.toString(d));
        }
        String s = String.valueOf(v).trim();
        try {
            return BigDecimal.valueOf(Long.parseLong(s));
        } catch (NumberFormatException e) {
            // fall through to a decimal parse, whose error message Elasticsearch reports
        }
        double d = Double.parseDouble(s);
        if (!Double.isFinite(d)) {
            throw outOfRange(v, type);
        }
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            return new BigDecimal(d);
        }
    }

    private static IllegalArgumentException outOfRange(Object v, FieldType type) {
        String article = switch (type) {
            case INTEGER -> "an integer";
            case SHORT -> "a short";
            case BYTE -> "a byte";
            default -> "a long";
        };
        return new IllegalArgumentException("Value [" + v + "] is out of range for " + article);
    }

    private static BigInteger minOf(FieldType type) {
        return BigInteger.valueOf(switch (type) {
            case INTEGER -> Integer.MIN_VALUE;
            case SHORT -> Short.MIN_VALUE;
            case BYTE -> Byte.MIN_VALUE;
            default -> Long.MIN_VALUE;
        });
    }

    private static BigInteger maxOf(FieldType type) {
        return BigInteger.valueOf(switch (type) {
            case INTEGER -> Integer.MAX_VALUE;
            case SHORT -> Short.MAX_VALUE;
            case BYTE -> Byte.MAX_VALUE;
            default -> Long.MAX_VALUE;
        });
    }
}
