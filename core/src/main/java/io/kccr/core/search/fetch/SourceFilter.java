package io.kccr.core.search.fetch;

import io.kccr.core.search.query.DslParsing;
import io.kccr.core.search.query.FieldResolver;
import io.kccr.core.error.InvalidRequestException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What of {@code _source} a hit returns, as Elasticsearch's {@code _source} option: nothing, all of
 * it, or the parts whose dotted paths match {@code includes} and not {@code excludes}. Patterns may
 * use {@code *} (which also matches dots); a pattern naming an object takes the whole object.
 */
public record SourceFilter(boolean fetch, List<String> includes, List<String> excludes) {

    /** The whole source (the default). */
    public static final SourceFilter FETCH_ALL = new SourceFilter(true, List.of(), List.of());
    /** No source ({@code "_source": false}). */
    public static final SourceFilter NO_SOURCE = new SourceFilter(false, List.of(), List.of());

    public SourceFilter {
        includes = includes == null ? List.of() : List.copyOf(includes);
        excludes = excludes == null ? List.of() : List.copyOf(excludes);
    }

    /** True when some of the source is left out. */
    public boolean isFiltering() {
        return !includes.isEmpty() || !excludes.isEmpty();
    }

    /**
     * Parses the body's {@code _source}: {@code true}/{@code false}, {@code "pattern"},
     * {@code ["p1","p2"]} or {@code {"includes":[...],"excludes":[...]}}.
     */
    public static SourceFilter fromJson(JsonNode node) {
        if (node == null || node.isNull()) {
            return FETCH_ALL;
        }
        if (node.isBoolean()) {
            return node.booleanValue() ? FETCH_ALL : NO_SOURCE;
        }
        if (node.isTextual()) {
            return new SourceFilter(true, List.of(node.textValue()), List.of());
        }
        if (node.isArray()) {
            return new SourceFilter(true, strings(node, "_source"), List.of());
        }
        if (node.isObject()) {
            List<String> includes = List.of();
            List<String> excludes = List.of();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                switch (e.getKey()) {
                    case "includes", "include" -> includes = strings(e.getValue(), e.getKey());
                    case "excludes", "exclude" -> excludes = strings(e.getValue(), e.getKey());
                    default -> throw InvalidRequestException.parsing("Unknown key for a " + DslParsing.token(e.getValue())
                            + " in [" + e.getKey() + "].");
                }
            }
            return new SourceFilter(true, includes, excludes);
        }
        throw InvalidRequestException.parsing("Expected one of [VALUE_BOOLEAN, VALUE_STRING, START_ARRAY, START_OBJECT] but found ["
                + DslParsing.token(node) + "]");
    }

    /**
     * Applies the URL parameters {@code _source}, {@code _source_includes} and {@code _source_excludes}
     * (any may be null) over {@code base}; they win over the body, as in Elasticsearch.
     */
    public static SourceFilter fromUrl(SourceFilter base, String source, String includes, String excludes) {
        if (source == null && includes == null && excludes == null) {
            return base;
        }
        Boolean fetch = null;
        List<String> inc = null;
        List<String> exc = null;
        if (source != null) {
            if (source.equals("true") || source.isEmpty()) {
                fetch = true;
            } else if (source.equals("false")) {
                fetch = false;
            } else {
                inc = split(source);
            }
        }
        if (includes != null) {
            inc = split(includes);
        }
        if (excludes != null) {
            exc = split(excludes);
        }
        return new SourceFilter(fetch == null || fetch, inc, exc);
    }

    private static List<String> split(String csv) {
        List<String> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    private static List<String> strings(JsonNode node, String key) {
        List<String> out = new ArrayList<>();
        if (node.isTextual()) {
            out.add(node.textValue());
            return out;
        }
        if (!node.isArray()) {
            throw InvalidRequestException.parsing("Unknown key for a " + DslParsing.token(node) + " in [" + key + "].");
        }
        for (JsonNode n : node) {
            if (!n.isTextual()) {
                throw InvalidRequestException.parsing("Unknown key for a " + DslParsing.token(n) + " in [" + key + "].");
            }
            out.add(n.textValue());
        }
        return out;
    }

    /** The source as this filter returns it: a filtered copy, the source itself, or null when not fetched. */
    public JsonNode apply(JsonNode source) {
        if (!fetch) {
            return null;
        }
        if (!isFiltering() || source == null || !source.isObject()) {
            return source;
        }
        List<Pattern> inc = includes.stream().map(FieldResolver::wildcardRegex).toList();
        List<Pattern> exc = excludes.stream().map(FieldResolver::wildcardRegex).toList();
        return filterObject((ObjectNode) source, "", inc.isEmpty(), inc, exc);
    }

    private static ObjectNode filterObject(ObjectNode obj, String prefix, boolean includeAll, List<Pattern> inc,
            List<Pattern> exc) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String path = prefix + e.getKey();
            if (matchesAny(exc, path)) {
                continue;
            }
            JsonNode v = e.getValue();
            boolean included = includeAll || matchesAny(inc, path);
            boolean below = !included && mayMatchBelow(inc, path);
            if (!included && !below) {
                continue;
            }
            if (v.isObject()) {
                ObjectNode sub = filterObject((ObjectNode) v, path + ".", included, inc, exc);
                if (included || !sub.isEmpty()) {
                    out.set(e.getKey(), sub);
                }
            } else if (v.isArray()) {
                ArrayNode sub = filterArray((ArrayNode) v, path, included, inc, exc);
                if (included || !sub.isEmpty()) {
                    out.set(e.getKey(), sub);
                }
            } else if (included) {
                out.set(e.getKey(), v);
            }
        }
        return out;
    }

    private static ArrayNode filterArray(ArrayNode arr, String path, boolean includeAll, List<Pattern> inc,
            List<Pattern> exc) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (JsonNode v : arr) {
            if (v.isObject()) {
                ObjectNode sub = filterObject((ObjectNode) v, path + ".", includeAll, inc, exc);
                if (includeAll || !sub.isEmpty()) {
                    out.add(sub);
                }
            } else if (v.isArray()) {
                ArrayNode sub = filterArray((ArrayNode) v, path, includeAll, inc, exc);
                if (includeAll || !sub.isEmpty()) {
                    out.add(sub);
                }
            } else if (includeAll) {
                out.add(v);
            }
        }
        return out;
    }

    private static boolean matchesAny(List<Pattern> patterns, String path) {
        for (Pattern p : patterns) {
            if (p.matcher(path).matches()) {
                return true;
            }
        }
        return false;
    }

    /** True when some pattern could match a path below {@code path}. */
    private static boolean mayMatchBelow(List<Pattern> patterns, String path) {
        String prefix = path + ".";
        for (Pattern p : patterns) {
            Matcher m = p.matcher(prefix);
            if (m.matches() || m.hitEnd()) {
                return true;
            }
        }
        return false;
    }
}
