package io.kccr.core.search.aggs;

import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.mapping.FieldMapping;
import io.kccr.core.mapping.FieldType;
import io.kccr.core.mapping.Mappings;
import java.io.IOException;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.SortedNumericDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.util.NumericUtils;

/**
 * Where an aggregation reads a field's values: the doc values the document mapper writes (sorted-set for
 * keyword, sorted-numeric for numbers, dates and booleans; doubles as sortable longs, floats as sortable ints).
 *
 * @param field   the field path
 * @param type    the mapped type, or null when the field is not mapped (every document lacks it)
 * @param mapping the field's mapping, null when unmapped
 */
public record ValuesSource(String field, FieldType type, FieldMapping mapping) {

    /** Resolves {@code field} for aggregation {@code agg} of type {@code aggType}; text and geo_point are refused. */
    public static ValuesSource of(Mappings mappings, String field, String aggType, String agg) {
        if (field == null) {
            throw InvalidRequestException.illegalArgument("Required [field] is missing in aggregation [" + agg
                    + "] of type [" + aggType + "]; name the field to aggregate on");
        }
        FieldMapping m = mappings.field(field);
        if (m == null || m.type() == FieldType.OBJECT) {
            return new ValuesSource(field, null, null);
        }
        if (m.type() == FieldType.TEXT) {
            throw InvalidRequestException.illegalArgument("Text fields are not optimised for operations that require"
                    + " per-document field data like aggregations and sorting, so these operations are disabled by"
                    + " default. Please use a keyword field instead (e.g. [" + field + ".keyword] when it has one)."
                    + " Alternatively, set fielddata=true on [" + field + "] in order to load field data by"
                    + " uninverting the inverted index. Note that this can use significant memory.");
        }
        if (m.type() == FieldType.GEO_POINT) {
            throw InvalidRequestException.illegalArgument("Field [" + field + "] of type [geo_point] is not supported"
                    + " for aggregation [" + aggType + "]");
        }
        return new ValuesSource(field, m.type(), m);
    }

    public boolean isMapped() {
        return type != null;
    }

    public boolean isKeyword() {
        return type == FieldType.KEYWORD;
    }

    public boolean isNumeric() {
        return type != null && type != FieldType.KEYWORD;
    }

    public boolean isDate() {
        return type == FieldType.DATE;
    }

    public boolean isFloatingPoint() {
        return type != null && type.isFloatingPoint();
    }

    /** The mapping's date format (dates only). */
    public String dateFormat() {
        return mapping == null ? null : mapping.format();
    }

    /** Requires a numeric source for metric {@code aggType}. */
    public ValuesSource requireNumeric(String aggType) {
        if (isKeyword()) {
            throw InvalidRequestException.illegalArgument("Field [" + field + "] of type [keyword] is not supported for"
                    + " aggregation [" + aggType + "]");
        }
        return this;
    }

    /** The keyword doc values of a leaf (empty when the leaf has none). */
    public SortedSetDocValues keywords(LeafReader reader) throws IOException {
        return DocValues.getSortedSet(reader, field);
    }

    /** The numeric doc values of a leaf, raw (see {@link #toDouble}). */
    public SortedNumericDocValues numbers(LeafReader reader) throws IOException {
        return DocValues.getSortedNumeric(reader, field);
    }

    /** Takes one value of a document, for the document's owning bucket. */
    @FunctionalInterface
    interface DoubleSink {
        void add(long bucket, double value);
    }

    /**
     * The collector of a leaf that hands each value of a document, as a number, to {@code sink}; a document without
     * a value hands it {@code missing} instead, or nothing when that is null. On an unmapped field no document has a
     * value. For numeric (or unmapped) fields.
     */
    LeafBucketCollector doubles(LeafReader reader, Double missing, DoubleSink sink) throws IOException {
        if (!isMapped()) {
            return missing == null ? LeafBucketCollector.NO_OP : (doc, bucket) -> sink.add(bucket, missing);
        }
        SortedNumericDocValues values = numbers(reader);
        return (doc, bucket) -> {
            if (values.advanceExact(doc)) {
                for (int i = 0, n = values.docValueCount(); i < n; i++) {
                    sink.add(bucket, toDouble(values.nextValue()));
                }
            } else if (missing != null) {
                sink.add(bucket, missing);
            }
        };
    }

    /** A raw doc value as the number it stands for. */
    public double toDouble(long raw) {
        if (type == FieldType.DOUBLE) {
            return NumericUtils.sortableLongToDouble(raw);
        }
        if (type != null && type.isFloatingPoint()) {
            return NumericUtils.sortableIntToFloat((int) raw);
        }
        return raw;
    }

    /** The raw doc value of a number (the inverse of {@link #toDouble}). */
    public long toRaw(double value) {
        if (type == FieldType.DOUBLE) {
            return NumericUtils.doubleToSortableLong(value);
        }
        if (type != null && type.isFloatingPoint()) {
            return NumericUtils.floatToSortableInt((float) value);
        }
        return (long) value;
    }
}
