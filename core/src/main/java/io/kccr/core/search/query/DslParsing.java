package io.kccr.core.search.query;

import io.kccr.core.error.KccrException;
import io.kccr.core.error.InvalidRequestException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.Query;

/**
 * Reading query DSL JSON with Elasticsearch's error wording: option values ({@code boost},
 * {@code operator}, {@code time_zone}, numbers, {@code fields} lists), the single-field body of
 * {@code {"<query>":{"<field>": ...}}}, and the JSON token names error messages quote. Malformed DSL is
 * a 400 {@code parsing_exception} ({@link #parsing(String)}); a bad option value an
 * {@code illegal_argument_exception}. Stateless.
 */
public final class DslParsing {

    private DslParsing() {
    }

    /** The body of a single-field query: its field, the value or options object, and a top-level boost. */
    record FieldBody(String field, JsonNode value, float boost) {
    }

    /** The single field of a {@code {"<query>":{"<field>": ...}}} body, or null if none; top-level boost/_name allowed. */
    public static FieldBody singleField(String name, JsonNode body) {
        String field = null;
        JsonNode value = null;
        float boost = 1f;
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            JsonNode v = e.getValue();
            if (v.isValueNode() && (k.equals("boost") || k.equals("_name"))) {
                if (k.equals("boost")) {
                    boost = boostValue(name, v);
                }
                continue;
            }
            if (field != null) {
                throw parsing("[" + name + "] query doesn't support multiple fields, found [" + field + "] and ["
                        + k + "]");
            }
            field = k;
            value = v;
        }
        return field == null ? null : new FieldBody(field, value, boost);
    }

    /** A {@code fields} option (a string or an array of them, each {@code name[^boost]}) as field→boost. */
    public static Map<String, Float> fieldList(String name, JsonNode v) {
        Map<String, Float> out = new LinkedHashMap<>();
        if (v.isTextual()) {
            addField(out, v.asText());
            return out;
        }
        if (!v.isArray()) {
            throw parsing("[" + name + "] query does not support [fields] of type " + token(v));
        }
        for (JsonNode f : v) {
            if (!f.isTextual()) {
                throw parsing("[" + name + "] query does not support [fields] entries of type " + token(f));
            }
            addField(out, f.asText());
        }
        return out;
    }

    private static void addField(Map<String, Float> out, String spec) {
        int caret = spec.lastIndexOf('^');
        if (caret > 0) {
            try {
                out.put(spec.substring(0, caret), Float.parseFloat(spec.substring(caret + 1)));
                return;
            } catch (NumberFormatException e) {
                throw parsing("failed to parse boost of field [" + spec + "]");
            }
        }
        out.put(spec, 1f);
    }

    /** {@code v}, which must not be an object or array. */
    public static JsonNode scalar(String name, String key, JsonNode v) {
        if (v.isContainerNode()) {
            throw parsing("[" + name + "] unknown token [" + token(v) + "] after [" + key + "]");
        }
        return v;
    }

    /** A number, or a string holding one. */
    public static double numberValue(String name, String key, JsonNode v) {
        scalar(name, key, v);
        if (v.isNumber()) {
            return v.doubleValue();
        }
        try {
            return Double.parseDouble(v.asText());
        } catch (NumberFormatException e) {
            throw parsing("[" + name + "] failed to parse [" + key + "] value [" + v.asText() + "] as a number");
        }
    }

    public static int intValue(String name, String key, JsonNode v) {
        double d = numberValue(name, key, v);
        return (int) d;
    }

    /** A non-negative {@code boost}. */
    public static float boostValue(String name, JsonNode v) {
        float b = (float) numberValue(name, "boost", v);
        if (b < 0) {
            throw InvalidRequestException.illegalArgument("negative [boost] are not allowed.");
        }
        return b;
    }

    /** A {@code time_zone}: an id {@link ZoneId#of(String)} knows. */
    public static ZoneId zoneValue(String name, String key, JsonNode v) {
        try {
            return ZoneId.of(scalar(name, key, v).asText());
        } catch (DateTimeException ex) {
            throw InvalidRequestException.illegalArgument("Unknown time-zone ID: " + v.asText());
        }
    }

    /** {@code or} is SHOULD, {@code and} is MUST, in any case. */
    public static Occur operator(String op) {
        return switch (op.toUpperCase(Locale.ROOT)) {
            case "OR" -> Occur.SHOULD;
            case "AND" -> Occur.MUST;
            default -> throw InvalidRequestException.illegalArgument("operator needs to be either [OR, AND], but not [" + op + "]");
        };
    }

    /** {@code q} boosted; as is when {@code boost} is 1. */
    public static Query boost(Query q, float boost) {
        return boost == 1f ? q : new BoostQuery(q, boost);
    }

    /** The Jackson token name error messages use for {@code v}, e.g. {@code START_OBJECT}. */
    public static String token(JsonNode v) {
        if (v == null || v.isNull()) {
            return "VALUE_NULL";
        }
        if (v.isObject()) {
            return "START_OBJECT";
        }
        if (v.isArray()) {
            return "START_ARRAY";
        }
        if (v.isTextual()) {
            return "VALUE_STRING";
        }
        if (v.isNumber()) {
            return "VALUE_NUMBER";
        }
        if (v.isBoolean()) {
            return "VALUE_BOOLEAN";
        }
        return "VALUE_EMBEDDED_OBJECT";
    }

    /** {@code parsing_exception}, status 400: malformed DSL. */
    public static KccrException parsing(String reason) {
        return InvalidRequestException.parsing(reason);
    }
}
