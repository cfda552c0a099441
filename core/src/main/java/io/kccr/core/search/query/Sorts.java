package io.kccr.core.search.query;

import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.mapping.FieldMapping;
import io.kccr.core.mapping.FieldType;
import io.kccr.core.mapping.Mappings;
import io.kccr.core.mapping.MetaFields;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.SortedNumericSelector;
import org.apache.lucene.search.SortedNumericSortField;
import org.apache.lucene.search.SortedSetSelector;
import org.apache.lucene.search.SortedSetSortField;

/** The Lucene {@link Sort} of a request's sort criteria ({@link SortSpec}s), for hits and {@code top_hits}. */
public final class Sorts {
    private Sorts() {
    }

    /**
     * The Lucene sort of the criteria, or null for none (relevance order without sort values).
     * Keywords sort by their sorted-set doc values, numbers, dates and booleans by their sorted-numeric
     * doc values; missing values go last unless {@code missing} says otherwise.
     */
    public static Sort toSort(Mappings mappings, List<SortSpec> specs) {
        if (specs == null || specs.isEmpty()) {
            return null;
        }
        List<SortField> fields = new ArrayList<>();
        for (SortSpec s : specs) {
            fields.add(toSortField(mappings, s));
        }
        return new Sort(fields.toArray(SortField[]::new));
    }

    private static SortField toSortField(Mappings mappings, SortSpec s) {
        boolean desc = s.order() == SortSpec.Order.DESC;
        if (s.isScore()) {
            return new SortField(null, SortField.Type.SCORE, !desc);
        }
        if (s.isDoc()) {
            return new SortField(null, SortField.Type.DOC, desc);
        }
        String field = s.field();
        boolean missingFirst = "_first".equals(s.missing());
        String missingValue = s.missing() == null || s.missing().equals("_last") || missingFirst ? null : s.missing();
        switch (field) {
            case MetaFields.ID -> {
                SortField sf = new SortField(field, SortField.Type.STRING, desc);
                sf.setMissingValue(missingFirst ^ desc ? SortField.STRING_FIRST : SortField.STRING_LAST);
                return sf;
            }
            case MetaFields.SEQ_NO, MetaFields.PRIMARY_TERM, MetaFields.VERSION -> {
                SortField sf = new SortField(field, SortField.Type.LONG, desc);
                sf.setMissingValue(longMissing(missingValue, missingFirst, desc));
                return sf;
            }
            default -> {
            }
        }
        FieldMapping m = mappings.field(field);
        FieldType type;
        if (m == null || m.type() == FieldType.OBJECT) {
            if (s.unmappedType() == null) {
                throw QueryDsl.queryShardException("No mapping found for [" + field + "] in order to sort on", null);
            }
            type = FieldType.fromJson(s.unmappedType(), field);
        } else {
            type = m.type();
        }
        boolean max = s.mode() == null ? desc : switch (s.mode()) {
            case "min" -> false;
            case "max" -> true;
            default -> throw InvalidRequestException.illegalArgument("sort mode [" + s.mode() + "] is not supported for ["
                    + field + "]; use min or max");
        };
        SortedNumericSelector.Type numSel = max ? SortedNumericSelector.Type.MAX : SortedNumericSelector.Type.MIN;
        switch (type) {
            case KEYWORD -> {
                if (missingValue != null) {
                    throw InvalidRequestException.illegalArgument("[missing] on keyword field [" + field
                            + "] must be _first or _last");
                }
                SortField sf = new SortedSetSortField(field, desc,
                        max ? SortedSetSelector.Type.MAX : SortedSetSelector.Type.MIN);
                sf.setMissingValue(missingFirst ^ desc ? SortField.STRING_FIRST : SortField.STRING_LAST);
                return sf;
            }
            case TEXT -> throw InvalidRequestException.illegalArgument("Text fields are not optimised for operations that require"
                    + " per-document field data like aggregations and sorting, so these operations are disabled by"
                    + " default. Please use a keyword field instead. Alternatively, set fielddata=true on [" + field
                    + "] in order to load field data by uninverting the inverted index. Note that this can use"
                    + " significant memory.");
            case INTEGER, SHORT, BYTE -> {
                // int-typed to match the 4-byte IntPoint Lucene uses to skip non-competitive documents
                SortField sf = new SortedNumericSortField(field, SortField.Type.INT, desc, numSel);
                sf.setMissingValue(missingValue != null ? Integer.parseInt(missingValue)
                        : (missingFirst ^ desc ? Integer.MIN_VALUE : Integer.MAX_VALUE));
                return sf;
            }
            case LONG, BOOLEAN -> {
                SortField sf = new SortedNumericSortField(field, SortField.Type.LONG, desc, numSel);
                Long missing = missingValue != null && type == FieldType.BOOLEAN
                        ? (FieldValues.booleanValue(missingValue) ? 1L : 0L)
                        : longMissing(missingValue, missingFirst, desc);
                sf.setMissingValue(missing);
                return sf;
            }
            case DATE -> {
                SortField sf = new SortedNumericSortField(field, SortField.Type.LONG, desc, numSel);
                sf.setMissingValue(missingValue != null ? DateParser.parse(missingValue, m == null ? null : m.format(),
                        false, null) : longMissing(null, missingFirst, desc));
                return sf;
            }
            case DOUBLE -> {
                SortField sf = new SortedNumericSortField(field, SortField.Type.DOUBLE, desc, numSel);
                sf.setMissingValue(missingValue != null ? Double.parseDouble(missingValue)
                        : (missingFirst ^ desc ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY));
                return sf;
            }
            case FLOAT, HALF_FLOAT, SCALED_FLOAT -> {
                SortField sf = new SortedNumericSortField(field, SortField.Type.FLOAT, desc, numSel);
                sf.setMissingValue(missingValue != null ? Float.parseFloat(missingValue)
                        : (missingFirst ^ desc ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY));
                return sf;
            }
            case GEO_POINT -> throw InvalidRequestException.illegalArgument("can't sort on geo_point field without using specific"
                    + " sorting feature, like geo_distance");
            default -> throw QueryDsl.queryShardException("No mapping found for [" + field + "] in order to sort on",
                    null);
        }
    }

    private static Long longMissing(String missingValue, boolean missingFirst, boolean desc) {
        if (missingValue != null) {
            return Long.parseLong(missingValue);
        }
        return missingFirst ^ desc ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
}
