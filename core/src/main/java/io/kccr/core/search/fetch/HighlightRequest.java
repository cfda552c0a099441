package io.kccr.core.search.fetch;

import io.kccr.core.error.InvalidRequestException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed {@code highlight}: the fields (names or wildcard patterns) with their options, over the top-level
 * defaults. Only the {@code unified} highlighter (Lucene's) is available; other highlighter types and options
 * this product does not implement are refused, never silently ignored. Immutable.
 *
 * @param fields          options per field pattern, in request order
 * @param highlightQuery  {@code highlight_query} (query DSL), or null to highlight the search's query
 */
public record HighlightRequest(Map<String, Options> fields, JsonNode highlightQuery) {

    /** One field's options. */
    public record Options(List<String> preTags, List<String> postTags, int fragmentSize, int numberOfFragments,
                          boolean requireFieldMatch, boolean scoreOrder, boolean htmlEncoder, int noMatchSize) {
        static final Options DEFAULTS = new Options(List.of("<em>"), List.of("</em>"), 100, 5, true, false, false, 0);
    }

    /** Parses the body's {@code highlight} object. */
    public static HighlightRequest parse(JsonNode node) {
        if (!node.isObject()) {
            throw InvalidRequestException.parsing("[highlight] must be an object");
        }
        Options defaults = options(node, Options.DEFAULTS, true);
        JsonNode highlightQuery = node.has("highlight_query") ? node.get("highlight_query") : null;
        Map<String, Options> fields = new LinkedHashMap<>();
        JsonNode f = node.get("fields");
        if (f == null) {
            throw InvalidRequestException.parsing("[highlight] requires [fields]: the fields to highlight");
        }
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
        if (f.isObject()) {
            f.fields().forEachRemaining(entries::add);
        } else if (f.isArray()) {
            for (JsonNode one : f) {
                if (!one.isObject() || one.size() != 1) {
                    throw InvalidRequestException.parsing("[highlight] field array elements must be objects with one"
                            + " field each");
                }
                one.fields().forEachRemaining(entries::add);
            }
        } else {
            throw InvalidRequestException.parsing("[highlight] [fields] must be an object or an array");
        }
        for (Map.Entry<String, JsonNode> e : entries) {
            fields.put(e.getKey(), options(e.getValue(), defaults, false));
        }
        return new HighlightRequest(fields, highlightQuery);
    }

    private static Options options(JsonNode node, Options base, boolean topLevel) {
        if (!node.isObject()) {
            throw InvalidRequestException.parsing("[highlight] field options must be an object");
        }
        List<String> pre = base.preTags();
        List<String> post = base.postTags();
        int fragmentSize = base.fragmentSize();
        int fragments = base.numberOfFragments();
        boolean requireFieldMatch = base.requireFieldMatch();
        boolean scoreOrder = base.scoreOrder();
        boolean html = base.htmlEncoder();
        int noMatchSize = base.noMatchSize();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            switch (e.getKey()) {
                case "fields", "highlight_query" -> {
                    if (!topLevel) {
                        throw unknown(e.getKey());
                    }
                }
                case "pre_tags" -> pre = strings(e.getKey(), v);
                case "post_tags" -> post = strings(e.getKey(), v);
                case "fragment_size" -> fragmentSize = v.asInt();
                case "number_of_fragments" -> fragments = v.asInt();
                case "require_field_match" -> requireFieldMatch = v.asBoolean();
                case "order" -> scoreOrder = v.asText().equals("score");
                case "encoder" -> html = v.asText().equals("html");
                case "no_match_size" -> noMatchSize = v.asInt();
                case "type" -> {
                    if (!v.asText().equals("unified")) {
                        throw InvalidRequestException.illegalArgument("highlighter type [" + v.asText() + "] is not"
                                + " supported; Kafka CCR highlights with the unified highlighter: use \"type\":"
                                + " \"unified\" or leave type out");
                    }
                }
                case "tags_schema" -> {
                    if (v.asText().equals("styled")) {
                        pre = List.of("<em class=\"hlt\">");
                        post = List.of("</em>");
                    }
                }
                case "boundary_scanner", "fragmenter", "phrase_limit", "boundary_chars", "boundary_max_scan",
                     "boundary_scanner_locale", "matched_fields", "fragment_offset", "max_analyzed_offset",
                     "highlight_filter", "force_source" -> throw InvalidRequestException.illegalArgument("highlight"
                        + " option [" + e.getKey() + "] is not supported by Kafka CCR's unified highlighter; remove it");
                default -> throw unknown(e.getKey());
            }
        }
        if (fragmentSize <= 0) {
            throw InvalidRequestException.illegalArgument("[fragment_size] must be positive");
        }
        if (fragments < 0) {
            throw InvalidRequestException.illegalArgument("[number_of_fragments] must be 0 or more");
        }
        return new Options(pre, post, fragmentSize, fragments, requireFieldMatch, scoreOrder, html, noMatchSize);
    }

    private static List<String> strings(String key, JsonNode v) {
        List<String> out = new ArrayList<>();
        if (v.isTextual()) {
            out.add(v.textValue());
        } else if (v.isArray() && !v.isEmpty()) {
            v.forEach(x -> out.add(x.asText()));
        } else {
            throw InvalidRequestException.parsing("[highlight] [" + key + "] must be a non-empty array of strings");
        }
        return out;
    }

    private static InvalidRequestException unknown(String key) {
        return InvalidRequestException.parsing("[highlight] unknown field [" + key + "]");
    }
}
