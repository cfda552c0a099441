package io.kccr.core.mapping;

import io.kccr.core.error.KccrException;
import io.kccr.core.error.InvalidRequestException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.SortedNumericDocValuesField;
import org.apache.lucene.document.SortedSetDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.util.BytesRef;

/**
 * Turns the current scalar token into the Lucene fields of one mapped field and its multi-fields (which index the
 * same raw value under their dotted names), appending them to the {@link ParseContext}. Dispatches by type: text,
 * keyword, boolean and date here; numbers to {@link NumericFieldIndexer}; geo_point strings to
 * {@link GeoPointIndexer}. See {@link DocumentMapper} for the fields each type makes. Text and keyword take numbers
 * and booleans as their text; a keyword longer than {@code ignore_above} characters is skipped.
 *
 * <p>Stateless; adds nothing but the Lucene fields themselves per value.
 */
final class FieldIndexer {

    /** Lucene's limit on the UTF-8 length of one term (and one sorted doc value). */
    private static final int MAX_TERM_LENGTH = IndexWriter.MAX_TERM_LENGTH;

    private FieldIndexer() {
    }

    /** Indexes the current scalar token into {@code f} and its multi-fields. */
    static void indexField(ParseContext ctx, CompiledField f, JsonToken token) throws IOException {
        index(ctx, f, token);
        for (CompiledField sub : f.multiFields) {
            indexField(ctx, sub, token);
        }
    }

    private static void index(ParseContext ctx, CompiledField f, JsonToken token) throws IOException {
        JsonParser p = ctx.p;
        switch (f.type) {
            case TEXT -> ctx.fields.add(new TextField(f.name, p.getText(), Field.Store.NO));
            case KEYWORD -> indexKeyword(ctx, f);
            case LONG, INTEGER, SHORT, BYTE -> NumericFieldIndexer.indexIntegral(ctx, f, token);
            case DOUBLE -> NumericFieldIndexer.indexDouble(ctx, f, token);
            case FLOAT, HALF_FLOAT, SCALED_FLOAT -> NumericFieldIndexer.indexFloat(ctx, f, token);
            case BOOLEAN -> indexBoolean(ctx, f, token);
            case DATE -> indexDate(ctx, f);
            case GEO_POINT -> {
                if (token != JsonToken.VALUE_STRING) {
                    throw ctx.fieldError(f, p.getText(), new IllegalArgumentException("geo_point expected"));
                }
                GeoPointIndexer.index(ctx, f, p.getText());
            }
            case OBJECT -> throw new IllegalStateException("object mappings are not leaves");
        }
    }

    private static void indexKeyword(ParseContext ctx, CompiledField f) throws IOException {
        String value = ctx.p.getText();
        if (value.length() > f.ignoreAbove) {
            return;
        }
        BytesRef bytes = new BytesRef(value);
        if (bytes.length > MAX_TERM_LENGTH) {
            throw immenseTerm(f, bytes);
        }
        ctx.fields.add(new StringField(f.name, bytes, Field.Store.NO));
        ctx.fields.add(new SortedSetDocValuesField(f.name, bytes));
    }

    private static void indexBoolean(ParseContext ctx, CompiledField f, JsonToken token) throws IOException {
        boolean value;
        if (token == JsonToken.VALUE_TRUE) {
            value = true;
        } else if (token == JsonToken.VALUE_FALSE) {
            value = false;
        } else if (token == JsonToken.VALUE_STRING) {
            String text = ctx.p.getText();
            if (text.equals("true")) {
                value = true;
            } else if (text.equals("false") || text.isEmpty()) {
                value = false;
            } else {
                throw ctx.fieldError(f, text, new IllegalArgumentException("Failed to parse value [" + text + "] as only [true] or [false] are allowed."));
            }
        } else {
            throw ctx.fieldError(f, ctx.p.getText(), new IllegalArgumentException("Current token (" + token + ") not of boolean type"));
        }
        ctx.fields.add(new StringField(f.name, value ? "T" : "F", Field.Store.NO));
        ctx.fields.add(new SortedNumericDocValuesField(f.name, value ? 1 : 0));
    }

    private static void indexDate(ParseContext ctx, CompiledField f) throws IOException {
        String text = ctx.p.getText();
        DateFormat format = f.dateFormat();
        long millis = format.tryParse(text);
        if (millis == DateFormat.FAIL) {
            throw ctx.fieldError(f, text, new IllegalArgumentException("failed to parse date field [" + text + "] with format [" + format.format() + "]"));
        }
        ctx.fields.add(new LongPoint(f.name, millis));
        ctx.fields.add(new SortedNumericDocValuesField(f.name, millis));
    }

    private static KccrException immenseTerm(CompiledField f, BytesRef bytes) {
        BytesRef prefix = new BytesRef(bytes.bytes, bytes.offset, 30);
        return InvalidRequestException.illegalArgument("Document contains at least one immense term in field=\"" + f.name
                + "\" (whose UTF8 encoding is longer than the max length " + MAX_TERM_LENGTH
                + "), all of which were skipped. Please correct the analyzer to not produce such terms. The prefix of"
                + " the first immense term is: '" + prefix + "...', original message: bytes can be at most "
                + MAX_TERM_LENGTH + " in length; got " + bytes.length);
    }
}
