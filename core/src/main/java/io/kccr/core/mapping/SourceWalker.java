package io.kccr.core.mapping;

import io.kccr.core.error.InvalidRequestException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The streaming walk over a {@code _source} object, token by token with the {@link ParseContext}'s parser (no
 * tree): objects flatten to dotted paths ({@code address.city}), every array element is walked, nulls are skipped,
 * and each scalar goes to {@link FieldIndexer} for its mapped field, or to {@link DynamicMapping} for a field the
 * mappings do not know. Field names are checked on the way (empty, dots only, whitespace only, ambiguous dots,
 * Elasticsearch metadata names at the root). An unknown object or array follows the {@code dynamic} setting:
 * walked, skipped, or refused.
 *
 * <p>Stateless; all state is in the {@link ParseContext}.
 */
final class SourceWalker {

    /** Elasticsearch's metadata field names; a source document may not use them at its root. */
    private static final Set<String> ES_METADATA_FIELDS = Set.of("_id", "_index", "_routing", "_source", "_seq_no",
            "_primary_term", "_version", "_ignored", "_field_names", "_doc_count", "_tier", "_nested_path",
            "_data_stream_timestamp", "_tsid", "_ignored_source");

    private SourceWalker() {
    }

    /**
     * Walks the fields of the object whose START_OBJECT is the current token, up to its END_OBJECT; {@code prefix} is
     * "" at the root, else the object's path and '.'.
     */
    static void parseObject(ParseContext ctx, String prefix) throws IOException {
        JsonParser p = ctx.p;
        String name;
        while ((name = p.nextFieldName()) != null) {
            String path = prefix.isEmpty() ? name : prefix.concat(name);
            checkFieldName(name, path, prefix.isEmpty());
            parseValue(ctx, path, name, p.nextToken());
        }
    }

    private static void checkFieldName(String name, String path, boolean root) {
        int length = name.length();
        if (length == 0) {
            throw InvalidRequestException.mapperParsing("field name cannot be an empty string");
        }
        char first = name.charAt(0);
        if (root && first == '_' && (MetaFields.isMetaField(name) || ES_METADATA_FIELDS.contains(name))) {
            throw InvalidRequestException.mapperParsing("Field [" + name
                    + "] is a metadata field and cannot be added inside a document. Use the index API request parameters.");
        }
        if (first == '.' || name.charAt(length - 1) == '.' || name.indexOf("..") >= 0) {
            if (name.chars().allMatch(c -> c == '.')) {
                throw InvalidRequestException.mapperParsing("field name cannot contain only dots: [" + path + "]");
            }
            throw InvalidRequestException.mapperParsing("field name starting or ending with a [.] makes object resolution ambiguous: [" + path + "]");
        }
        if (Character.isWhitespace(first) && name.isBlank()) {
            throw InvalidRequestException.mapperParsing("field name cannot contain only whitespace: ['" + path + "']");
        }
    }

    private static void parseValue(ParseContext ctx, String path, String name, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT -> parseObjectValue(ctx, path, name);
            case START_ARRAY -> parseArray(ctx, path, name);
            case VALUE_NULL -> parseNull(ctx, path);
            default -> parseScalar(ctx, path, name, token);
        }
    }

    private static void parseObjectValue(ParseContext ctx, String path, String name) throws IOException {
        CompiledField f = ctx.leaf(path);
        if (f != null) {
            if (f.type == FieldType.GEO_POINT) {
                GeoPointIndexer.index(ctx, f, readValue(ctx.p, JsonToken.START_OBJECT));
                return;
            }
            JsonLocation at = ctx.p.currentTokenLocation();
            Object value = readValue(ctx.p, JsonToken.START_OBJECT);
            throw ctx.fieldError(f, String.valueOf(value), new IllegalArgumentException(
                    (f.type.isNumeric() ? "Current token (START_OBJECT) not numeric, can not use numeric value accessors"
                            : "Can't get text on a START_OBJECT") + " at " + at.getLineNr() + ":" + at.getColumnNr()));
        }
        if (ctx.isObject(path)) {
            parseObject(ctx, path + ".");
            return;
        }
        switch (ctx.dynamic) {
            case TRUE -> parseObject(ctx, path + ".");
            case FALSE -> ctx.p.skipChildren();
            case STRICT -> throw DynamicMapping.refuse(ctx, path);
        }
    }

    private static void parseArray(ParseContext ctx, String path, String name) throws IOException {
        JsonParser p = ctx.p;
        CompiledField f = ctx.leaf(path);
        if (f == null && !ctx.isObject(path)) {
            if (ctx.dynamic == Mappings.Dynamic.FALSE) {
                p.skipChildren();
                return;
            }
            if (ctx.dynamic == Mappings.Dynamic.STRICT) {
                throw DynamicMapping.refuse(ctx, path);
            }
        } else if (f != null && f.type == FieldType.GEO_POINT) {
            GeoPointIndexer.parseArray(ctx, f);
            return;
        }
        JsonToken token;
        while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
            if (token == null) {
                throw new IOException("unexpected end of input inside an array");
            }
            parseValue(ctx, path, name, token);
        }
    }

    private static void parseNull(ParseContext ctx, String path) {
        if (ctx.dynamic == Mappings.Dynamic.STRICT && ctx.leaf(path) == null && !ctx.isObject(path)) {
            throw DynamicMapping.refuse(ctx, path);
        }
    }

    private static void parseScalar(ParseContext ctx, String path, String name, JsonToken token) throws IOException {
        CompiledField f = ctx.leaf(path);
        if (f == null) {
            if (ctx.isObject(path)) {
                throw InvalidRequestException.mapperParsing("object mapping for [" + path + "] tried to parse field [" + name
                        + "] as object, but found a concrete value");
            }
            f = DynamicMapping.leaf(ctx, path, token);
            if (f == null) {
                return;
            }
        }
        FieldIndexer.indexField(ctx, f, token);
    }

    /** The JSON value at the current token as Map / List / String / Number / Boolean / null. */
    static Object readValue(JsonParser p, JsonToken token) throws IOException {
        if (token == null) {
            throw new IOException("unexpected end of input");
        }
        switch (token) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                String name;
                while ((name = p.nextFieldName()) != null) {
                    map.put(name, readValue(p, p.nextToken()));
                }
                return map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                JsonToken t;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    list.add(readValue(p, t));
                }
                return list;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return p.getNumberValue();
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> {
                return p.getText();
            }
        }
    }
}
