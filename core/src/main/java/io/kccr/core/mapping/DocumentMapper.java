package io.kccr.core.mapping;

import io.kccr.core.error.KccrException;
import io.kccr.core.error.InvalidRequestException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.FloatPoint;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.LatLonDocValuesField;
import org.apache.lucene.document.LatLonPoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.SortedNumericDocValuesField;
import org.apache.lucene.document.SortedSetDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
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
 *
 * <p>This class is the entry point; the work is shared by package-private classes, each per document or per
 * value with no allocation beyond the Lucene fields: {@code CompiledMappings} (the mappings as hash lookups,
 * cached here), {@code SourceWalker} (the streaming walk), {@code FieldIndexer} with
 * {@code NumericFieldIndexer} and {@code GeoPointIndexer} (the fields of each type), {@code DynamicMapping}
 * (unknown fields), all over one {@code ParseContext} per call.
 */
public final class DocumentMapper {

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .build();

    private static final Analyzer ANALYZER = new StandardNoStopWordsAnalyzer();

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
     * @throws KccrException 400 {@code mapper_parsing_exception}: malformed JSON, a source that is not a
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
            throw InvalidRequestException.mapperParsing("failed to parse, document is empty");
        }
        ParseContext ctx = new ParseContext(id, compiled(mappings), mappings.dynamic());
        try (JsonParser p = JSON.createParser(source)) {
            ctx.p = p;
            JsonToken token = p.nextToken();
            if (token == null) {
                throw InvalidRequestException.mapperParsing("failed to parse, document is empty");
            }
            if (token != JsonToken.START_OBJECT) {
                throw InvalidRequestException.mapperParsing("failed to parse",
                        new IllegalArgumentException("Malformed content, must start with an object"));
            }
            SourceWalker.parseObject(ctx, "");
            token = p.nextToken();
            if (token != null) {
                throw InvalidRequestException.mapperParsing("failed to parse",
                        new IllegalArgumentException("Malformed content, found extra data after parsing: " + token));
            }
        } catch (KccrException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Jackson's JsonParseException (malformed JSON, duplicate key) and anything unexpected:
            // Elasticsearch's "failed to parse" with the cause
            throw InvalidRequestException.mapperParsing("failed to parse", e);
        }
        return new ParsedDocument(id, source, ctx.fields, ctx.dynamicMappingUpdates());
    }

    /** The compiled form of {@code mappings}, from the identity cache or compiled now. */
    private CompiledMappings compiled(Mappings mappings) {
        int slot = System.identityHashCode(mappings) & (CACHE_SLOTS - 1);
        CompiledMappings c = cache.get(slot);
        if (c == null || c.source != mappings) {
            c = new CompiledMappings(mappings);
            cache.set(slot, c);
        }
        return c;
    }
}
