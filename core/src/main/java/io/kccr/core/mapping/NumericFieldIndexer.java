package io.kccr.core.mapping;

import io.kccr.core.error.KccrException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.FloatPoint;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.SortedNumericDocValuesField;
import org.apache.lucene.util.NumericUtils;

/**
 * Indexes the current token into a numeric field, coercing it as Elasticsearch does: a number or a numeric
 * string ({@code "42"} → 42), a fraction truncated in integral fields ({@code 42.7} → 42), an empty string as null
 * (nothing indexed); anything else, a value out of the type's range, or a non-finite floating value is a
 * {@code mapper_parsing_exception} naming the field and the document. Makes:
 * <ul>
 *   <li>long: {@link LongPoint}; integer/short/byte: {@link IntPoint}; both with
 *       {@link SortedNumericDocValuesField} of the value;</li>
 *   <li>double: {@link DoublePoint} + sorted-numeric doc values of {@link NumericUtils#doubleToSortableLong};</li>
 *   <li>float/half_float/scaled_float: {@link FloatPoint} + sorted-numeric doc values of
 *       {@link NumericUtils#floatToSortableInt}.</li>
 * </ul>
 * Stateless; reads numbers straight from the parser, allocating only for text that needs parsing.
 */
final class NumericFieldIndexer {

    private static final BigDecimal LONG_MAX_PLUS_ONE = BigDecimal.valueOf(Long.MAX_VALUE).add(BigDecimal.ONE);
    private static final BigDecimal LONG_MIN_MINUS_ONE = BigDecimal.valueOf(Long.MIN_VALUE).subtract(BigDecimal.ONE);

    private NumericFieldIndexer() {
    }

    /** A long, integer, short or byte field. */
    static void indexIntegral(ParseContext ctx, CompiledField f, JsonToken token) throws IOException {
        JsonParser p = ctx.p;
        long value;
        if (token == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            value = p.getLongValue();
        } else if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT
                || token == JsonToken.VALUE_STRING) {
            String text = p.getText();
            if (text.isEmpty()) {
                return; // Elasticsearch: an empty string in a numeric field is null
            }
            value = toLong(ctx, f, text, token != JsonToken.VALUE_NUMBER_FLOAT);
        } else {
            throw notNumeric(ctx, f, token);
        }
        switch (f.type) {
            case LONG -> {
                ctx.fields.add(new LongPoint(f.name, value));
                ctx.fields.add(new SortedNumericDocValuesField(f.name, value));
                return;
            }
            case INTEGER -> checkRange(ctx, f, value, Integer.MIN_VALUE, Integer.MAX_VALUE, "an integer");
            case SHORT -> checkRange(ctx, f, value, Short.MIN_VALUE, Short.MAX_VALUE, "a short");
            default -> checkRange(ctx, f, value, Byte.MIN_VALUE, Byte.MAX_VALUE, "a byte");
        }
        ctx.fields.add(new IntPoint(f.name, (int) value));
        ctx.fields.add(new SortedNumericDocValuesField(f.name, value));
    }

    /** A double field. */
    static void indexDouble(ParseContext ctx, CompiledField f, JsonToken token) throws IOException {
        JsonParser p = ctx.p;
        double value;
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            value = p.getDoubleValue();
        } else if (token == JsonToken.VALUE_STRING) {
            String text = p.getText();
            if (text.isEmpty()) {
                return;
            }
            try {
                value = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw ctx.fieldError(f, text, e);
            }
        } else {
            throw notNumeric(ctx, f, token);
        }
        if (!Double.isFinite(value)) {
            throw ctx.fieldError(f, p.getText(),
                    new IllegalArgumentException("[double] supports only finite values, but got [" + value + "]"));
        }
        ctx.fields.add(new DoublePoint(f.name, value));
        ctx.fields.add(new SortedNumericDocValuesField(f.name, NumericUtils.doubleToSortableLong(value)));
    }

    /** A float, half_float or scaled_float field. */
    static void indexFloat(ParseContext ctx, CompiledField f, JsonToken token) throws IOException {
        JsonParser p = ctx.p;
        float value;
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            value = p.getFloatValue();
        } else if (token == JsonToken.VALUE_STRING) {
            String text = p.getText();
            if (text.isEmpty()) {
                return;
            }
            try {
                value = Float.parseFloat(text);
            } catch (NumberFormatException e) {
                throw ctx.fieldError(f, text, e);
            }
        } else {
            throw notNumeric(ctx, f, token);
        }
        if (!Float.isFinite(value) || (f.type == FieldType.HALF_FLOAT && Math.abs(value) >= 65520f)) {
            throw ctx.fieldError(f, p.getText(), new IllegalArgumentException("[" + f.type.jsonName() + "] supports only finite values, but got [" + value + "]"));
        }
        ctx.fields.add(new FloatPoint(f.name, value));
        ctx.fields.add(new SortedNumericDocValuesField(f.name, NumericUtils.floatToSortableInt(value)));
    }

    private static void checkRange(ParseContext ctx, CompiledField f, long value, long min, long max, String what)
            throws IOException {
        if (value < min || value > max) {
            String text = ctx.p.getText();
            throw ctx.fieldError(f, text,
                    new IllegalArgumentException("Value [" + text + "] is out of range for " + what));
        }
    }

    /** Elasticsearch's {@code Numbers.toLong(text, coerce=true)}: decimals truncate, out of range fails. */
    private static long toLong(ParseContext ctx, CompiledField f, String text, boolean mayBeWhole) {
        if (mayBeWhole) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                // try again as a decimal
            }
        }
        BigDecimal decimal;
        try {
            if (text.length() > 1000) {
                throw new NumberFormatException();
            }
            decimal = new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw ctx.fieldError(f, text, new IllegalArgumentException("For input string: \"" + text + "\""));
        }
        if (decimal.compareTo(LONG_MAX_PLUS_ONE) >= 0 || decimal.compareTo(LONG_MIN_MINUS_ONE) <= 0) {
            String what = switch (f.type) {
                case INTEGER -> "an integer";
                case SHORT -> "a short";
                case BYTE -> "a byte";
                default -> "a long";
            };
            throw ctx.fieldError(f, text, new IllegalArgumentException("Value [" + text + "] is out of range for " + what));
        }
        return decimal.toBigInteger().longValue();
    }

    private static KccrException notNumeric(ParseContext ctx, CompiledField f, JsonToken token) throws IOException {
        return ctx.fieldError(f, ctx.p.getText(), new IllegalArgumentException("Current token (" + token + ") not numeric, can not use numeric value accessors"));
    }
}
