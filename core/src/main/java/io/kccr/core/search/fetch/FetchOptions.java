package io.kccr.core.search.fetch;

import io.kccr.core.error.InvalidRequestException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What each hit carries besides its id and score: {@code _source} (filtered), {@code _version},
 * {@code _seq_no}/{@code _primary_term}, {@code docvalue_fields} and {@code fields} (as {@code fields}), and
 * {@code highlight}. Immutable.
 *
 * @param source           what of {@code _source} to return
 * @param version          return {@code _version}
 * @param seqNoPrimaryTerm return {@code _seq_no} and {@code _primary_term}
 * @param docValueFields   {@code docvalue_fields}: values read from doc values
 * @param fields           {@code fields}: values read from {@code _source} by the mapping
 * @param highlight        the highlight request, or null
 * @param noStoredFields   {@code stored_fields: "_none_"}: no {@code _id} and no {@code _source}
 */
public record FetchOptions(SourceFilter source, boolean version, boolean seqNoPrimaryTerm,
                           List<FieldAndFormat> docValueFields, List<FieldAndFormat> fields, HighlightRequest highlight,
                           boolean noStoredFields) {

    public static final FetchOptions DEFAULT = new FetchOptions(SourceFilter.FETCH_ALL, false, false, List.of(),
            List.of(), null, false);

    public FetchOptions {
        docValueFields = List.copyOf(docValueFields);
        fields = List.copyOf(fields);
    }

    /** A field pattern (wildcards allowed) with an optional {@code format} (dates). */
    public record FieldAndFormat(String field, String format) {

        /** Parses {@code ["f", {"field": "g", "format": "yyyy"}]}. */
        public static List<FieldAndFormat> parseList(String key, JsonNode node) {
            List<FieldAndFormat> out = new ArrayList<>();
            if (!node.isArray()) {
                throw InvalidRequestException.parsing("[" + key + "] must be an array of field names or {\"field\":...}"
                        + " objects");
            }
            for (JsonNode n : node) {
                if (n.isTextual()) {
                    out.add(new FieldAndFormat(n.textValue(), null));
                } else if (n.isObject() && n.has("field")) {
                    n.fieldNames().forEachRemaining(k -> {
                        if (!k.equals("field") && !k.equals("format") && !k.equals("include_unmapped")) {
                            throw InvalidRequestException.parsing("[" + key + "] unknown field [" + k + "]");
                        }
                    });
                    out.add(new FieldAndFormat(n.get("field").asText(), n.has("format") ? n.get("format").asText() : null));
                } else {
                    throw InvalidRequestException.parsing("[" + key + "] entries must be field names or objects with a"
                            + " [field]");
                }
            }
            return out;
        }
    }
}
