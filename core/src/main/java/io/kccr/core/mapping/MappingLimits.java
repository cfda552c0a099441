package io.kccr.core.mapping;

import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.index.IndexSettings;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Elasticsearch's mapping limits, checked whenever mappings grow (dynamic mapping, {@code PUT _mapping}):
 * {@code index.mapping.total_fields.limit}, {@code index.mapping.depth.limit} and
 * {@code index.mapping.field_name_length.limit}. They keep one index's mappings, which every new field republishes
 * to the metadata topic whole, from growing without bound. Each breach is Elasticsearch's 400 with its message.
 *
 * @param totalFields     most fields, counting objects and multi-fields
 * @param depth           deepest object nesting (a root field has depth 1)
 * @param fieldNameLength longest field name (last path segment)
 */
public record MappingLimits(int totalFields, int depth, int fieldNameLength) {

    public static MappingLimits of(IndexSettings settings) {
        return new MappingLimits(settings.totalFieldsLimit(), settings.depthLimit(), settings.fieldNameLengthLimit());
    }

    /**
     * Checks {@code merged}, the mappings {@code before} grew into.
     *
     * @throws InvalidRequestException 400 {@code illegal_argument_exception} with Elasticsearch's message
     */
    public void check(Mappings before, Mappings merged) {
        if (merged == before) {
            return;
        }
        for (String path : merged.fields().keySet()) {
            String name = path.substring(path.lastIndexOf('.') + 1);
            if (name.length() > fieldNameLength) {
                throw InvalidRequestException.illegalArgument("Field name [" + path + "] is longer than the limit of ["
                        + fieldNameLength + "] characters");
            }
            int dots = 0;
            for (int i = path.indexOf('.'); i >= 0; i = path.indexOf('.', i + 1)) {
                dots++;
                // the object holding the field: its depth is its dots (counted so far, less this one) plus two
                if (dots + 1 > depth) {
                    throw InvalidRequestException.illegalArgument("Limit of mapping depth [" + depth + "] has been"
                            + " exceeded due to object field [" + path.substring(0, i) + "]");
                }
            }
        }
        int count = count(merged);
        if (count > totalFields) {
            throw InvalidRequestException.illegalArgument("Limit of total fields [" + totalFields + "] has been exceeded"
                    + " while adding new fields [" + (count - count(before)) + "]");
        }
    }

    /** Fields as Elasticsearch counts them: each leaf, each of its multi-fields, and each object above leaves. */
    static int count(Mappings mappings) {
        Set<String> objects = new HashSet<>();
        int fields = 0;
        for (Map.Entry<String, FieldMapping> e : mappings.fields().entrySet()) {
            fields += 1 + e.getValue().fields().size();
            String path = e.getKey();
            for (int i = path.indexOf('.'); i >= 0; i = path.indexOf('.', i + 1)) {
                objects.add(path.substring(0, i));
            }
        }
        return fields + objects.size();
    }
}
