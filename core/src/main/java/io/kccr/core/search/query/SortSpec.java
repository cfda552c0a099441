package io.kccr.core.search.query;

import io.kccr.core.error.InvalidRequestException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One sort criterion of a search, as Elasticsearch's {@code sort} element.
 *
 * @param field        a field path, {@code _score} or {@code _doc}
 * @param order        the direction ({@code _score} defaults to descending, everything else ascending)
 * @param missing      where documents without a value go: {@code _last} (default), {@code _first},
 *                     or a value to sort them as; null = {@code _last}
 * @param mode         for multi-valued fields: {@code min} or {@code max}; null = min ascending, max descending
 * @param unmappedType the type to sort an unmapped field as (every document then lacks it); null =
 *                     sorting on an unmapped field is an error
 */
public record SortSpec(String field, Order order, String missing, String mode, String unmappedType) {

    /** The sort direction. */
    public enum Order {
        ASC, DESC;

        static Order parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "asc" -> ASC;
                case "desc" -> DESC;
                default -> throw InvalidRequestException.illegalArgument("Unknown SortOrder [" + s + "]");
            };
        }
    }

    public static final String SCORE = "_score";
    public static final String DOC = "_doc";
    public static final String SHARD_DOC = "_shard_doc";

    public SortSpec {
        if (field == null || field.isEmpty()) {
            throw InvalidRequestException.illegalArgument("fieldName must not be null");
        }
        if (order == null) {
            order = field.equals(SCORE) ? Order.DESC : Order.ASC;
        }
    }

    /** A plain criterion on {@code field}; a null order means the field's default. */
    public static SortSpec of(String field, Order order) {
        return new SortSpec(field, order, null, null, null);
    }

    public boolean isScore() {
        return field.equals(SCORE);
    }

    /** {@code _doc}, or {@code _shard_doc} (the tiebreaker of point-in-time searches): index order. */
    public boolean isDoc() {
        return field.equals(DOC) || field.equals(SHARD_DOC);
    }

    /**
     * {@code sort} (the score when empty) with {@code tiebreaker} ascending appended unless it already sorts by
     * {@code _doc} or {@code _shard_doc}: how a point in time or a scroll makes every hit's sort values unique.
     */
    public static List<SortSpec> withTiebreaker(List<SortSpec> sort, String tiebreaker) {
        List<SortSpec> out = new java.util.ArrayList<>(sort.isEmpty() ? List.of(of(SCORE, null)) : sort);
        if (out.stream().noneMatch(SortSpec::isDoc)) {
            out.add(of(tiebreaker, Order.ASC));
        }
        return out;
    }

    /**
     * Parses the body's {@code sort}: {@code "f"}, {@code {"f":"desc"}}, {@code {"f":{"order":"desc"}}},
     * or an array of those.
     */
    public static List<SortSpec> fromJson(JsonNode node) {
        List<SortSpec> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                parseElement(element, out);
            }
        } else {
            parseElement(node, out);
        }
        return List.copyOf(out);
    }

    private static void parseElement(JsonNode element, List<SortSpec> out) {
        if (element.isTextual()) {
            out.add(of(element.textValue(), null));
            return;
        }
        if (!element.isObject()) {
            throw InvalidRequestException.parsing("malformed sort format, within the sort array, an object, or an actual"
                    + " string are allowed");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = element.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String field = e.getKey();
            JsonNode v = e.getValue();
            if (field.equals("_geo_distance") || field.equals("_script")) {
                throw InvalidRequestException.illegalArgument("[" + field + "] sorting is not supported");
            }
            if (v.isTextual()) {
                out.add(of(field, Order.parse(v.textValue())));
            } else if (v.isObject()) {
                Order order = null;
                String missing = null;
                String mode = null;
                String unmappedType = null;
                for (Iterator<Map.Entry<String, JsonNode>> opts = v.fields(); opts.hasNext(); ) {
                    Map.Entry<String, JsonNode> o = opts.next();
                    JsonNode ov = o.getValue();
                    if (ov.isContainerNode()) {
                        throw InvalidRequestException.parsing("[field_sort] unknown field [" + o.getKey() + "]");
                    }
                    switch (o.getKey()) {
                        case "order" -> order = Order.parse(ov.asText());
                        case "missing" -> missing = ov.isNull() ? null : ov.asText();
                        case "mode" -> mode = ov.asText().toLowerCase(Locale.ROOT);
                        case "unmapped_type" -> unmappedType = ov.asText();
                        case "format", "numeric_type" -> {
                            // accepted: sort values are rendered raw
                        }
                        default -> throw InvalidRequestException.parsing("[field_sort] unknown field [" + o.getKey() + "]");
                    }
                }
                out.add(new SortSpec(field, order, missing, mode, unmappedType));
            } else {
                throw InvalidRequestException.parsing("[field_sort] unknown token [" + DslParsing.token(v) + "] for field ["
                        + field + "]");
            }
        }
    }

    /** Parses the URL's {@code sort}: {@code f:desc,g,_score}. */
    public static List<SortSpec> fromUrl(String param) {
        List<SortSpec> out = new ArrayList<>();
        for (String s : param.split(",")) {
            s = s.trim();
            if (s.isEmpty()) {
                continue;
            }
            int colon = s.lastIndexOf(':');
            if (colon > 0) {
                out.add(of(s.substring(0, colon), Order.parse(s.substring(colon + 1))));
            } else {
                out.add(of(s, null));
            }
        }
        return List.copyOf(out);
    }
}
