package io.kccr.core.mapping;

import java.util.Map;
import java.util.Objects;

/**
 * How one leaf field is indexed.
 *
 * @param type        the field's type
 * @param fields      multi-fields by their short name (e.g. {@code keyword} for {@code name.keyword})
 * @param ignoreAbove for keyword fields: longer values are not indexed (null = no limit)
 * @param format      for date fields: the Elasticsearch format string (null = strict_date_optional_time||epoch_millis)
 */
public record FieldMapping(FieldType type, Map<String, FieldMapping> fields, Integer ignoreAbove, String format) {

    public FieldMapping {
        Objects.requireNonNull(type, "type");
        fields = fields == null ? Map.of() : Map.copyOf(fields);
    }

    public static FieldMapping of(FieldType type) {
        return new FieldMapping(type, Map.of(), null, null);
    }

    /** What Elasticsearch's dynamic mapping makes of a string: text with a {@code keyword} sub-field. */
    public static FieldMapping dynamicText() {
        return new FieldMapping(FieldType.TEXT, Map.of("keyword", new FieldMapping(FieldType.KEYWORD, Map.of(), 256, null)),
                null, null);
    }
}
