package io.kccr.core.search.aggs;

import io.kccr.core.error.InvalidRequestException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

/**
 * The parameters object of one aggregation, read key by key: every key must be read by the parser of its type,
 * so an unknown or unsupported one is a 400 {@code parsing_exception} naming it (never silently ignored).
 */
final class AggParams {
    private final String type;
    private final String name;
    private final JsonNode node;
    private final Set<String> read = new HashSet<>();

    AggParams(String type, String name, JsonNode node) {
        if (!node.isObject()) {
            throw InvalidRequestException.parsing("[" + type + "] aggregation [" + name + "] must be an object");
        }
        this.type = type;
        this.name = name;
        this.node = node;
    }

    String type() {
        return type;
    }

    String name() {
        return name;
    }

    /** The whole object, every key taken as read (a filter aggregation's body is its query). */
    JsonNode whole() {
        node.fieldNames().forEachRemaining(read::add);
        return node;
    }

    boolean has(String key) {
        return node.has(key) && !node.get(key).isNull();
    }

    JsonNode get(String key) {
        read.add(key);
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? null : v;
    }

    String string(String key, String def) {
        JsonNode v = get(key);
        if (v == null) {
            return def;
        }
        if (!v.isValueNode()) {
            throw bad(key, "a string");
        }
        return v.asText();
    }

    int integer(String key, int def) {
        JsonNode v = get(key);
        if (v == null) {
            return def;
        }
        if (v.isNumber()) {
            return v.intValue();
        }
        try {
            return Integer.parseInt(v.asText());
        } catch (NumberFormatException e) {
            throw bad(key, "an integer");
        }
    }

    double number(String key, double def) {
        JsonNode v = get(key);
        if (v == null) {
            return def;
        }
        if (v.isNumber()) {
            return v.doubleValue();
        }
        try {
            return Double.parseDouble(v.asText());
        } catch (NumberFormatException e) {
            throw bad(key, "a number");
        }
    }

    boolean bool(String key, boolean def) {
        JsonNode v = get(key);
        if (v == null) {
            return def;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.asText().equals("true") || v.asText().equals("false")) {
            return Boolean.parseBoolean(v.asText());
        }
        throw bad(key, "true or false");
    }

    /** Refuses keys no parser read. */
    void checkAllRead() {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!read.contains(k)) {
                throw InvalidRequestException.parsing("[" + type + "] unknown field [" + k + "] in aggregation [" + name
                        + "]; remove it (Kafka CCR does not support it)");
            }
        }
    }

    InvalidRequestException bad(String key, String expected) {
        return InvalidRequestException.parsing("[" + type + "] aggregation [" + name + "]: [" + key + "] must be "
                + expected + ", got [" + node.get(key) + "]");
    }
}
