package io.kccr.core.mapping;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.kccr.core.error.ApiException;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FloatPoint;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.LatLonDocValuesField;
import org.apache.lucene.document.LatLonPoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.SortedNumericDocValuesField;
import org.apache.lucene.document.SortedSetDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.NumericUtils;

/**
 * The one place that turns {@code _source} JSON into Lucene fields, used by leader and follower
 * alike so both build identical documents. Stateless and thread-safe: share one instance (it keeps
 * a small identity cache of compiled {@link Mappings}, nothing else).
 *
 * <p>One streaming pass over the JSON (Jackson {@link JsonParser}, no tree). Objects flatten to dotted
 * paths ({@code address.city}), every array element is indexed, nulls are skipped. How each type is
 * indexed:
 * <ul>
 *   <li>text: {@link TextField} (not stored), analyzed by {@link #analyzer()};</li>
 *   <li>keyword: {@link StringField} + {@link SortedSetDocValuesField}; values longer than
 *       {@code ignore_above} characters are skipped;</li>
 *   <li>long: {@link LongPoint}; integer/short/byte: {@link IntPoint} (range-checked); both with
 *       {@link SortedNumericDocValuesField} of the value;</li>
 *   <li>double: {@link DoublePoint} + sorted-numeric doc values of {@link NumericUtils#doubleToSortableLong};</li>
 *   <li>float/half_float/scaled_float: {@link FloatPoint} + sorted-numeric doc values of
 *       {@link NumericUtils#floatToSortableInt};</li>
 *   <li>boolean: {@link StringField} {@code "T"}/{@code "F"} + sorted-numeric doc values 1/0;</li>
 *   <li>date: {@link LongPoint} of epoch millis + sorted-numeric doc values ({@link DateFormat});</li>
 *   <li>geo_point: {@link LatLonPoint} + {@link LatLonDocValuesField}.</li>
 * </ul>
 * Multi-fields ({@code name.keyword}) index the same raw value under the dotted name. Numbers are
 * coerced as Elasticsearch does ({@code "42"} → 42, {@code 42.7} → 42 in integral fields; an empty
 * string in a numeric field is null); text and keyword accept numbers and booleans as their text.
 *
 * <p>Unknown fields follow {@link Mappings#dynamic()}: see {@link #parse}.
 */
public final class DocumentMapper {

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .build();

    private static final Analyzer ANALYZER = new StandardNoStopWordsAnalyzer();

    /** Elasticsearch's metadata field names; a source document may not use them at its root. */
    private static final Set<String> ES_METADATA_FIELDS = Set.of("_id", "_index", "_routing", "_source", "_seq_no",
            "_primary_term", "_version", "_ignored", "_field_names", "_doc_count", "_tier", "_nested_path",
            "_data_stream_timestamp", "_tsid", "_ignored_source");

    /** Lucene's limit on the UTF-8 length of one term (and one sorted doc value). */
    private static final int MAX_TERM_LENGTH = IndexWriter.MAX_TERM_LENGTH;

    private static final FieldMapping DYNAMIC_TEXT = FieldMapping.dynamicText();
    private static final FieldMapping DYNAMIC_DATE = FieldMapping.of(FieldType.DATE);
    private static final FieldMapping DYNAMIC_LONG = FieldMapping.of(FieldType.LONG);
    private static final FieldMapping DYNAMIC_FLOAT = FieldMapping.of(FieldType.FLOAT);
    private static final FieldMapping DYNAMIC_BOOLEAN = FieldMapping.of(FieldType.BOOLEAN);

    private static final BigDecimal LONG_MAX_PLUS_ONE = BigDecimal.valueOf(Long.MAX_VALUE).add(BigDecimal.ONE);
    private static final BigDecimal LONG_MIN_MINUS_ONE = BigDecimal.valueOf(Long.MIN_VALUE).subtract(BigDecimal.ONE);

    private static final int CACHE_SLOTS = 32;

    /** Compiled mappings by identity: a direct-mapped cache, racy but safe (entries are immutable). */
    private final AtomicReferenceArray<CompiledMappings> cache = new AtomicReferenceArray<>(CACHE_SLOTS);

    public DocumentMapper() {
    }

    /**
     * The analyzer every IndexWriter and every query parser must use: Elasticsearch's
     * {@code standard} analyzer, i.e. Lucene's {@code StandardAnalyzer} without stop words
     * ({@link StandardTokenizer}, max token length 255, lower-casing) with Elasticsearch's
     * position increment gap of 100 between the values of a multi-valued text field (so a phrase
     * never matches across two values). One shared, thread-safe instance; {@code close()} does
     * nothing.
     */
    public static Analyzer analyzer() {
        return ANALYZER;
    }

    /**
     * Parses and validates {@code source} against {@code mappings}.
     *
     * <p>Fields the mappings do not know, when {@code mappings.dynamic()} is:
     * <ul>
     *   <li>{@code TRUE}: mapped as Elasticsearch's dynamic mapping does (string → text with a
     *       {@code keyword} sub-field, ignore_above 256, or date when it is a
     *       {@code strict_date_optional_time} date; whole number → long; fraction → float;
     *       boolean → boolean; object → its fields; array → its first non-null element; nothing for
     *       null or an empty array). The new fields are indexed with those types AND listed in
     *       {@link ParsedDocument#dynamicMappingUpdates()};</li>
     *   <li>{@code FALSE}: kept in {@code _source} only;</li>
     *   <li>{@code STRICT}: 400 {@code strict_dynamic_mapping_exception}.</li>
     * </ul>
     *
     * @param id the document id, only used in error messages here (and kept in the result)
     * @throws ApiException 400 {@code mapper_parsing_exception}: malformed JSON, a source that is not a
     *                      JSON object, duplicate keys, a metadata field name, an empty field name, a
     *                      value its field's type cannot take, an object where a value is mapped or
     *                      the reverse; 400 {@code strict_dynamic_mapping_exception}; 400
     *                      {@code illegal_argument_exception} for a keyword longer than Lucene's 32766
     *                      bytes
     */
    public ParsedDocument parse(String id, byte[] source, Mappings mappings) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(mappings, "mappings");
        if (source.length == 0) {
            throw ApiException.mapperParsing("failed to parse, document is empty");
        }
        Ctx ctx = new Ctx(id, compiled(mappings), mappings.dynamic());
        try (JsonParser p = JSON.createParser(source)) {
            ctx.p = p;
            JsonToken token = p.nextToken();
            if (token == null) {
                throw ApiException.mapperParsing("failed to parse, document is empty");
            }
            if (token != JsonToken.START_OBJECT) {
                throw ApiException.mapperParsing("failed to parse",
                        new IllegalArgumentException("Malformed content, must start with an object"));
            }
            parseObject(ctx, "");
            token = p.nextToken();
            if (token != null) {
                throw ApiException.mapperParsing("failed to parse",
                        new IllegalArgumentException("Malformed content, found extra data after parsing: " + token));
            }
        } catch (ApiException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Jackson's JsonParseException (malformed JSON, duplicate key) and anything unexpected:
            // Elasticsearch's "failed to parse" with the cause
            throw ApiException.mapperParsing("failed to parse", e);
        }
        return new ParsedDocument(id, source, ctx.fields, ctx.updates == null ? Map.of() : ctx.updates);
    }

    // ------------------------------------------------------------------------------------ parsing

    /** Per-parse state; never shared between threads. */
    private static final class Ctx {
        final String id;
        final CompiledMappings mappings;
        final Mappings.Dynamic dynamic;
        final ArrayList<IndexableField> fields = new ArrayList<>(24);
        JsonParser p;
        /** Dynamic additions, lazily created. */
        LinkedHashMap<String, FieldMapping> updates;
        HashMap<String, CompiledField> dynamicLeaves;
        HashSet<String> dynamicObjects;

        Ctx(String id, CompiledMappings mappings, Mappings.Dynamic dynamic) {
            this.id = id;
            this.mappings = mappings;
            this.dynamic = dynamic;
        }

        CompiledField leaf(String path) {
            CompiledField f = mappings.leaves.get(path);
            if (f == null && dynamicLeaves != null) {
                f = dynamicLeaves.get(path);
            }
            return f;
        }

        boolean isObject(String path) {
            return mappings.objects.contains(path) || (dynamicObjects != null && dynamicObjects.contains(path));
        }
    }

    /** Parses the fields of the object whose START_OBJECT is the current token; {@code prefix} is "" or ends with '.'. */
    private static void parseObject(Ctx ctx, String prefix) throws IOException {
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
            throw ApiException.mapperParsing("field name cannot be an empty string");
        }
        char first = name.charAt(0);
        if (root && first == '_' && (MetaFields.isMetaField(name) || ES_METADATA_FIELDS.contains(name))) {
            throw ApiException.mapperParsing("Field [" + name
                    + "] is a metadata field and cannot be added inside a document. Use the index API request parameters.");
        }
        if (first == '.' || name.charAt(length - 1) == '.' || name.indexOf("..") >= 0) {
            if (name.chars().allMatch(c -> c == '.')) {
                throw ApiException.mapperParsing("field name cannot contain only dots: [" + path + "]");
            }
            throw ApiException.mapperParsing(
                    "field name starting or ending with a [.] makes object resolution ambiguous: [" + path + "]");
        }
        if (Character.isWhitespace(first) && name.isBlank()) {
            throw ApiException.mapperParsing("field name cannot contain only whitespace: ['" + path + "']");
        }
    }

    private static void parseValue(Ctx ctx, String path, String name, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT -> parseObjectValue(ctx, path, name);
            case START_ARRAY -> parseArray(ctx, path, name);
            case VALUE_NULL -> parseNull(ctx, path);
            default -> parseScalar(ctx, path, name, token);
        }
    }

    private static void parseObjectValue(Ctx ctx, String path, String name) throws IOException {
        CompiledField f = ctx.leaf(path);
        if (f != null) {
            if (f.type == FieldType.GEO_POINT) {
                indexGeo(ctx, f, readValue(ctx.p, JsonToken.START_OBJECT));
                return;
            }
            JsonLocation at = ctx.p.currentTokenLocation();
            Object value = readValue(ctx.p, JsonToken.START_OBJECT);
            throw fieldError(ctx, f, String.valueOf(value), new IllegalArgumentException(
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
            case STRICT -> {
                checkNoLeafAbove(ctx, path);
                throw strict(ctx, path);
            }
        }
    }

    private static void parseArray(Ctx ctx, String path, String name) throws IOException {
        JsonParser p = ctx.p;
        CompiledField f = ctx.leaf(path);
        if (f == null && !ctx.isObject(path)) {
            if (ctx.dynamic == Mappings.Dynamic.FALSE) {
                p.skipChildren();
                return;
            }
            if (ctx.dynamic == Mappings.Dynamic.STRICT) {
                checkNoLeafAbove(ctx, path);
                throw strict(ctx, path);
            }
        } else if (f != null && f.type == FieldType.GEO_POINT) {
            parseGeoArray(ctx, f);
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

    private static void parseNull(Ctx ctx, String path) {
        if (ctx.dynamic == Mappings.Dynamic.STRICT && ctx.leaf(path) == null && !ctx.isObject(path)) {
            checkNoLeafAbove(ctx, path);
            throw strict(ctx, path);
        }
    }

    private static void parseScalar(Ctx ctx, String path, String name, JsonToken token) throws IOException {
        CompiledField f = ctx.leaf(path);
        if (f == null) {
            if (ctx.isObject(path)) {
                throw ApiException.mapperParsing("object mapping for [" + path + "] tried to parse field [" + name
                        + "] as object, but found a concrete value");
            }
            f = dynamicLeaf(ctx, path, token);
            if (f == null) {
                return;
            }
        }
        indexField(ctx, f, token);
    }

    // ------------------------------------------------------------------------------------ dynamic

    /** The dynamic mapping of a new leaf at {@code path}, registered in {@code ctx}; null when not indexed. */
    private static CompiledField dynamicLeaf(Ctx ctx, String path, JsonToken token) throws IOException {
        switch (ctx.dynamic) {
            case FALSE -> {
                return null;
            }
            case STRICT -> {
                checkNoLeafAbove(ctx, path);
                throw strict(ctx, path);
            }
            default -> {
            }
        }
        FieldMapping mapping = switch (token) {
            case VALUE_STRING -> DateFormat.isStrictDateOptionalTime(ctx.p.getText()) ? DYNAMIC_DATE : DYNAMIC_TEXT;
            case VALUE_NUMBER_INT -> DYNAMIC_LONG;
            case VALUE_NUMBER_FLOAT -> DYNAMIC_FLOAT;
            case VALUE_TRUE, VALUE_FALSE -> DYNAMIC_BOOLEAN;
            default -> null; // embedded objects: not from JSON
        };
        if (mapping == null) {
            return null;
        }
        checkNoLeafAbove(ctx, path);
        CompiledField f = new CompiledField(path, mapping);
        if (ctx.updates == null) {
            ctx.updates = new LinkedHashMap<>();
            ctx.dynamicLeaves = new HashMap<>();
            ctx.dynamicObjects = new HashSet<>();
        }
        ctx.updates.put(path, mapping);
        ctx.dynamicLeaves.put(path, f);
        for (int dot = path.indexOf('.'); dot > 0; dot = path.indexOf('.', dot + 1)) {
            ctx.dynamicObjects.add(path.substring(0, dot));
        }
        return f;
    }

    /** A new field below a leaf ({@code name.first} where {@code name} is text) is a conflict. */
    private static void checkNoLeafAbove(Ctx ctx, String path) {
        for (int dot = path.indexOf('.'); dot > 0; dot = path.indexOf('.', dot + 1)) {
            String parent = path.substring(0, dot);
            CompiledField leaf = ctx.leaf(parent);
            if (leaf != null) {
                throw ApiException.mapperParsing("Could not dynamically add mapping for field [" + path
                        + "]. Existing mapping for [" + parent + "] must be of type object but found ["
                        + leaf.type.jsonName() + "].");
            }
        }
    }

    private static ApiException strict(Ctx ctx, String path) {
        String parent = "_doc";
        int start = 0;
        for (int dot = path.indexOf('.'); dot > 0; dot = path.indexOf('.', dot + 1)) {
            String prefix = path.substring(0, dot);
            if (!ctx.isObject(prefix)) {
                break;
            }
            parent = prefix;
            start = dot + 1;
        }
        int end = path.indexOf('.', start);
        String child = end < 0 ? path.substring(start) : path.substring(start, end);
        return new ApiException(400, "strict_dynamic_mapping_exception",
                "mapping set to strict, dynamic introduction of [" + child + "] within [" + parent + "] is not allowed");
    }

    // ------------------------------------------------------------------------------------ indexing

    /** Indexes the current scalar token into {@code f} and its multi-fields. */
    private static void indexField(Ctx ctx, CompiledField f, JsonToken token) throws IOException {
        index(ctx, f, token);
        for (CompiledField sub : f.multiFields) {
            indexField(ctx, sub, token);
        }
    }

    private static void index(Ctx ctx, CompiledField f, JsonToken token) throws IOException {
        JsonParser p = ctx.p;
        List<IndexableField> out = ctx.fields;
        switch (f.type) {
            case TEXT -> out.add(new TextField(f.name, p.getText(), Field.Store.NO));
            case KEYWORD -> {
                String value = p.getText();
                if (value.length() > f.ignoreAbove) {
                    return;
                }
                BytesRef bytes = new BytesRef(value);
                if (bytes.length > MAX_TERM_LENGTH) {
                    throw immenseTerm(f, bytes);
                }
                out.add(new StringField(f.name, bytes, Field.Store.NO));
                out.add(new SortedSetDocValuesField(f.name, bytes));
            }
            case LONG, INTEGER, SHORT, BYTE -> indexIntegral(ctx, f, token);
            case DOUBLE -> {
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
                        throw fieldError(ctx, f, text, e);
                    }
                } else {
                    throw notNumeric(ctx, f, token);
                }
                if (!Double.isFinite(value)) {
                    throw fieldError(ctx, f, p.getText(),
                            new IllegalArgumentException("[double] supports only finite values, but got [" + value + "]"));
                }
                out.add(new DoublePoint(f.name, value));
                out.add(new SortedNumericDocValuesField(f.name, NumericUtils.doubleToSortableLong(value)));
            }
            case FLOAT, HALF_FLOAT, SCALED_FLOAT -> {
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
                        throw fieldError(ctx, f, text, e);
                    }
                } else {
                    throw notNumeric(ctx, f, token);
                }
                if (!Float.isFinite(value) || (f.type == FieldType.HALF_FLOAT && Math.abs(value) >= 65520f)) {
                    throw fieldError(ctx, f, p.getText(), new IllegalArgumentException(
                            "[" + f.type.jsonName() + "] supports only finite values, but got [" + value + "]"));
                }
                out.add(new FloatPoint(f.name, value));
                out.add(new SortedNumericDocValuesField(f.name, NumericUtils.floatToSortableInt(value)));
            }
            case BOOLEAN -> {
                boolean value;
                if (token == JsonToken.VALUE_TRUE) {
                    value = true;
                } else if (token == JsonToken.VALUE_FALSE) {
                    value = false;
                } else if (token == JsonToken.VALUE_STRING) {
                    String text = p.getText();
                    if (text.equals("true")) {
                        value = true;
                    } else if (text.equals("false") || text.isEmpty()) {
                        value = false;
                    } else {
                        throw fieldError(ctx, f, text, new IllegalArgumentException(
                                "Failed to parse value [" + text + "] as only [true] or [false] are allowed."));
                    }
                } else {
                    throw fieldError(ctx, f, p.getText(), new IllegalArgumentException(
                            "Current token (" + token + ") not of boolean type"));
                }
                out.add(new StringField(f.name, value ? "T" : "F", Field.Store.NO));
                out.add(new SortedNumericDocValuesField(f.name, value ? 1 : 0));
            }
            case DATE -> {
                String text = p.getText();
                DateFormat format = f.dateFormat();
                long millis = format.tryParse(text);
                if (millis == DateFormat.FAIL) {
                    throw fieldError(ctx, f, text, new IllegalArgumentException(
                            "failed to parse date field [" + text + "] with format [" + format.format() + "]"));
                }
                out.add(new LongPoint(f.name, millis));
                out.add(new SortedNumericDocValuesField(f.name, millis));
            }
            case GEO_POINT -> {
                if (token != JsonToken.VALUE_STRING) {
                    throw fieldError(ctx, f, p.getText(), new IllegalArgumentException("geo_point expected"));
                }
                indexGeo(ctx, f, p.getText());
            }
            case OBJECT -> throw new IllegalStateException("object mappings are not leaves");
        }
    }

    private static void indexIntegral(Ctx ctx, CompiledField f, JsonToken token) throws IOException {
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

    private static void checkRange(Ctx ctx, CompiledField f, long value, long min, long max, String what)
            throws IOException {
        if (value < min || value > max) {
            String text = ctx.p.getText();
            throw fieldError(ctx, f, text,
                    new IllegalArgumentException("Value [" + text + "] is out of range for " + what));
        }
    }

    /** Elasticsearch's {@code Numbers.toLong(text, coerce=true)}: decimals truncate, out of range fails. */
    private static long toLong(Ctx ctx, CompiledField f, String text, boolean mayBeWhole) {
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
            throw fieldError(ctx, f, text, new IllegalArgumentException("For input string: \"" + text + "\""));
        }
        if (decimal.compareTo(LONG_MAX_PLUS_ONE) >= 0 || decimal.compareTo(LONG_MIN_MINUS_ONE) <= 0) {
            String what = switch (f.type) {
                case INTEGER -> "an integer";
                case SHORT -> "a short";
                case BYTE -> "a byte";
                default -> "a long";
            };
            throw fieldError(ctx, f, text, new IllegalArgumentException("Value [" + text + "] is out of range for " + what));
        }
        return decimal.toBigInteger().longValue();
    }

    private static ApiException notNumeric(Ctx ctx, CompiledField f, JsonToken token) throws IOException {
        return fieldError(ctx, f, ctx.p.getText(), new IllegalArgumentException(
                "Current token (" + token + ") not numeric, can not use numeric value accessors"));
    }

    private static ApiException fieldError(Ctx ctx, CompiledField f, String preview, Throwable cause) {
        return ApiException.mapperParsing("failed to parse field [" + f.name + "] of type [" + f.type.jsonName()
                + "] in document with id '" + ctx.id + "'. Preview of field's value: '" + preview + "'", cause);
    }

    private static ApiException immenseTerm(CompiledField f, BytesRef bytes) {
        BytesRef prefix = new BytesRef(bytes.bytes, bytes.offset, 30);
        return ApiException.illegalArgument("Document contains at least one immense term in field=\"" + f.name
                + "\" (whose UTF8 encoding is longer than the max length " + MAX_TERM_LENGTH
                + "), all of which were skipped. Please correct the analyzer to not produce such terms. The prefix of"
                + " the first immense term is: '" + prefix + "...', original message: bytes can be at most "
                + MAX_TERM_LENGTH + " in length; got " + bytes.length);
    }

    // ------------------------------------------------------------------------------------ geo_point

    /** An array in a geo_point field: one point {@code [lon, lat]} or several points of any form. */
    private static void parseGeoArray(Ctx ctx, CompiledField f) throws IOException {
        JsonParser p = ctx.p;
        JsonToken token = p.nextToken();
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            List<Object> coordinates = new ArrayList<>(3);
            for (; token != JsonToken.END_ARRAY; token = p.nextToken()) {
                if (token == null) {
                    throw new IOException("unexpected end of input inside an array");
                }
                coordinates.add(readValue(p, token));
            }
            indexGeo(ctx, f, coordinates);
            return;
        }
        for (; token != JsonToken.END_ARRAY; token = p.nextToken()) {
            if (token == null) {
                throw new IOException("unexpected end of input inside an array");
            }
            if (token == JsonToken.VALUE_STRING) {
                indexField(ctx, f, token); // a string point, with the multi-fields
            } else if (token != JsonToken.VALUE_NULL) {
                indexGeo(ctx, f, readValue(p, token));
            }
        }
    }

    /** Indexes one point given as a map, a list or a string (multi-fields are not indexed from here). */
    private static void indexGeo(Ctx ctx, CompiledField f, Object value) {
        double lat;
        double lon;
        try {
            double[] latLon = GeoPoints.parse(value);
            lat = latLon[0];
            lon = latLon[1];
        } catch (IllegalArgumentException e) {
            throw fieldError(ctx, f, String.valueOf(value), e);
        }
        if (!(lat >= -90 && lat <= 90)) {
            throw fieldError(ctx, f, String.valueOf(value),
                    new IllegalArgumentException("illegal latitude value [" + lat + "] for " + f.name));
        }
        if (!(lon >= -180 && lon <= 180)) {
            throw fieldError(ctx, f, String.valueOf(value),
                    new IllegalArgumentException("illegal longitude value [" + lon + "] for " + f.name));
        }
        ctx.fields.add(new LatLonPoint(f.name, lat, lon));
        ctx.fields.add(new LatLonDocValuesField(f.name, lat, lon));
    }

    /** The JSON value at the current token as Map / List / String / Number / Boolean / null. */
    private static Object readValue(JsonParser p, JsonToken token) throws IOException {
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

    // ------------------------------------------------------------------------------------ compiled mappings

    private CompiledMappings compiled(Mappings mappings) {
        int slot = System.identityHashCode(mappings) & (CACHE_SLOTS - 1);
        CompiledMappings c = cache.get(slot);
        if (c == null || c.source != mappings) {
            c = new CompiledMappings(mappings);
            cache.set(slot, c);
        }
        return c;
    }

    /** Mappings as hash lookups: leaves by path and every object path. */
    private static final class CompiledMappings {
        final Mappings source;
        final HashMap<String, CompiledField> leaves = new HashMap<>();
        final HashSet<String> objects = new HashSet<>();

        CompiledMappings(Mappings source) {
            this.source = source;
            for (Map.Entry<String, FieldMapping> e : source.fields().entrySet()) {
                String path = e.getKey();
                for (int dot = path.indexOf('.'); dot > 0; dot = path.indexOf('.', dot + 1)) {
                    objects.add(path.substring(0, dot));
                }
                if (e.getValue().type() == FieldType.OBJECT) {
                    objects.add(path); // an object mapping without fields yet
                } else {
                    leaves.put(path, new CompiledField(path, e.getValue()));
                }
            }
        }
    }

    /** One leaf or multi-field with its full name and what indexing needs precomputed. */
    private static final class CompiledField {
        final String name;
        final FieldType type;
        final int ignoreAbove;
        final CompiledField[] multiFields;
        private final DateFormat dateFormat;
        private final ApiException dateFormatError;

        CompiledField(String name, FieldMapping mapping) {
            this.name = name;
            this.type = mapping.type();
            this.ignoreAbove = mapping.ignoreAbove() == null ? Integer.MAX_VALUE : mapping.ignoreAbove();
            List<CompiledField> multi = new ArrayList<>(mapping.fields().size());
            mapping.fields().forEach((sub, subMapping) -> {
                if (subMapping.type() != FieldType.OBJECT) {
                    multi.add(new CompiledField(name + "." + sub, subMapping));
                }
            });
            multi.sort((a, b) -> a.name.compareTo(b.name)); // a stable order, whatever the map's
            this.multiFields = multi.toArray(new CompiledField[0]);
            DateFormat format = null;
            ApiException error = null;
            if (type == FieldType.DATE) {
                try {
                    format = DateFormat.of(mapping.format());
                } catch (ApiException e) {
                    error = e; // reported when a value meets it: the mappings may already be in use
                }
            }
            this.dateFormat = format;
            this.dateFormatError = error;
        }

        DateFormat dateFormat() {
            if (dateFormatError != null) {
                throw ApiException.mapperParsing("failed to parse field [" + name + "]: " + dateFormatError.reason());
            }
            return dateFormat;
        }
    }

    // ------------------------------------------------------------------------------------ analyzer

    /**
     * Lucene's StandardAnalyzer without stop words, plus Elasticsearch's position increment gap; shared,
     * so closing it is a no-op.
     */
    private static final class StandardNoStopWordsAnalyzer extends Analyzer {
        @Override
        protected TokenStreamComponents createComponents(String fieldName) {
            StandardTokenizer source = new StandardTokenizer();
            source.setMaxTokenLength(StandardAnalyzer.DEFAULT_MAX_TOKEN_LENGTH);
            return new TokenStreamComponents(source, new LowerCaseFilter(source));
        }

        @Override
        protected TokenStream normalize(String fieldName, TokenStream in) {
            return new LowerCaseFilter(in);
        }

        @Override
        public int getPositionIncrementGap(String fieldName) {
            return 100;
        }

        @Override
        public void close() {
            // shared by every writer and query parser
        }

        @Override
        public String toString() {
            return "standard";
        }
    }
}
