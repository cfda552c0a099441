package io.kccr.core.search.fetch;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.lucene.util.BytesRef;

/**
 * One hit.
 *
 * @param index       the index name
 * @param id          the document id
 * @param score       the score, or null when not computed (sorted on fields)
 * @param source      the (filtered) source, or null when not requested
 * @param sort        sort values (numbers, strings or nulls) when the search was sorted, else null
 * @param seqNo       {@code _seq_no}, or null when not requested
 * @param primaryTerm {@code _primary_term}, or null when not requested
 * @param version     {@code _version}, or null when not requested
 * @param fields      {@code fields} ({@code docvalue_fields} and {@code fields} values by field), or null
 * @param highlight   {@code highlight} fragments by field, or null
 * @param storedSource the whole stored {@code _source}, when it is answered unfiltered: it is then copied into the
 *                     response as it was stored, never parsed (Elasticsearch's raw copy); null otherwise, and
 *                     always null when {@code source} is given
 */
public record SearchHit(String index, String id, Float score, JsonNode source, List<Object> sort, Long seqNo,
        Long primaryTerm, Long version, ObjectNode fields, ObjectNode highlight, BytesRef storedSource) {

    public SearchHit {
        sort = sort == null ? null : Collections.unmodifiableList(new ArrayList<>(sort));
        if (source != null && storedSource != null) {
            throw new IllegalArgumentException("a hit has either a parsed or a stored source, not both");
        }
    }

    public SearchHit(String index, String id, Float score, JsonNode source, List<Object> sort, Long seqNo,
               Long primaryTerm, Long version, ObjectNode fields, ObjectNode highlight) {
        this(index, id, score, source, sort, seqNo, primaryTerm, version, fields, highlight, null);
    }

    public SearchHit(String index, String id, Float score, JsonNode source, List<Object> sort, Long seqNo,
               Long primaryTerm, Long version) {
        this(index, id, score, source, sort, seqNo, primaryTerm, version, null, null, null);
    }

    public SearchHit withHighlight(ObjectNode newHighlight) {
        return new SearchHit(index, id, score, source, sort, seqNo, primaryTerm, version, fields, newHighlight,
                storedSource);
    }

    /** The same hit without sort values (a scroll that was not sorted by the user shows none). */
    public SearchHit withoutSort() {
        return new SearchHit(index, id, score, source, null, seqNo, primaryTerm, version, fields, highlight,
                storedSource);
    }

    /**
     * Writes the hit, Elasticsearch's hit JSON with keys in its order, straight to {@code json}; a stored source is copied token by
     * token (numbers as their text), so it comes out exactly as stored, minus insignificant whitespace, without
     * building a tree. (Copying the bytes themselves would skip the tokenizer too, but would pass on anything a
     * stored source carries after its object, and would ignore {@code ?pretty}.)
     */
    public void writeTo(JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeStringField("_index", index);
        if (id != null) {
            json.writeStringField("_id", id);
        }
        if (version != null) {
            json.writeNumberField("_version", version);
        }
        if (seqNo != null) {
            json.writeNumberField("_seq_no", seqNo);
            json.writeNumberField("_primary_term", primaryTerm == null ? 0L : primaryTerm);
        }
        writeScore(json, "_score", score);
        if (source != null) {
            json.writeFieldName("_source");
            json.writeTree(source);
        } else if (storedSource != null) {
            json.writeFieldName("_source");
            copySource(json);
        }
        if (fields != null) {
            json.writeFieldName("fields");
            json.writeTree(fields);
        }
        if (highlight != null) {
            json.writeFieldName("highlight");
            json.writeTree(highlight);
        }
        if (sort != null) {
            json.writeArrayFieldStart("sort");
            for (Object v : sort) {
                writeValue(json, v);
            }
            json.writeEndArray();
        }
        json.writeEndObject();
    }

    private void copySource(JsonGenerator out) throws IOException {
        try (JsonParser in = HitFetcher.JSON.createParser(storedSource.bytes, storedSource.offset,
                storedSource.length)) {
            int depth = 0;
            JsonToken t = in.nextToken();
            do {
                switch (t) {
                    case START_OBJECT -> {
                        out.writeStartObject();
                        depth++;
                    }
                    case END_OBJECT -> {
                        out.writeEndObject();
                        depth--;
                    }
                    case START_ARRAY -> {
                        out.writeStartArray();
                        depth++;
                    }
                    case END_ARRAY -> {
                        out.writeEndArray();
                        depth--;
                    }
                    case FIELD_NAME -> out.writeFieldName(in.currentName());
                    case VALUE_STRING -> out.writeString(in.getTextCharacters(), in.getTextOffset(), in.getTextLength());
                    // the number's own text: 4.0 stays 4.0, 1e5 stays 1e5, as the document was written
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> out.writeNumber(in.getTextCharacters(),
                            in.getTextOffset(), in.getTextLength());
                    case VALUE_TRUE -> out.writeBoolean(true);
                    case VALUE_FALSE -> out.writeBoolean(false);
                    case VALUE_NULL -> out.writeNull();
                    default -> throw new IOException("unexpected token " + t + " in a stored _source");
                }
            } while (depth > 0 && (t = in.nextToken()) != null);
        }
    }

    /** {@code key}: the score, or null for none (no relevance computed). */
    public static void writeScore(JsonGenerator json, String key, Float score) throws IOException {
        if (score == null || score.isNaN()) {
            json.writeNullField(key);
        } else {
            json.writeNumberField(key, score);
        }
    }

    private static void writeValue(JsonGenerator json, Object v) throws IOException {
        switch (v) {
            case null -> json.writeNull();
            case Long l -> json.writeNumber(l);
            case Integer i -> json.writeNumber(i);
            case Double d -> json.writeNumber(d);
            case Float fl -> json.writeNumber(fl);
            case BigInteger bi -> json.writeNumber(bi);
            case BigDecimal bd -> json.writeNumber(bd);
            case Boolean b -> json.writeBoolean(b);
            case JsonNode j -> json.writeTree(j);
            default -> json.writeString(v.toString());
        }
    }

    /** Elasticsearch's hit JSON, keys in its order: the tree of {@link #writeTo}. */
    public ObjectNode toJson() {
        return JsonTree.of(this::writeTo);
    }
}
