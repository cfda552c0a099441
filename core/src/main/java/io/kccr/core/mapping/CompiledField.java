package io.kccr.core.mapping;

import io.kccr.core.error.KccrException;
import io.kccr.core.error.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;

/**
 * One leaf or multi-field with its full dotted name and what indexing a value needs, computed once per
 * {@link Mappings}: the type, {@code ignore_above} ({@link Integer#MAX_VALUE} when unset), the multi-fields in name
 * order, and for a date its {@link DateFormat}. Immutable.
 *
 * <p>An invalid date {@code format} does not fail compiling (the mappings may already be in use): it fails, as a
 * {@code mapper_parsing_exception}, when a value meets it ({@link #dateFormat()}).
 */
final class CompiledField {
    final String name;
    final FieldType type;
    final int ignoreAbove;
    final CompiledField[] multiFields;
    private final DateFormat dateFormat;
    private final KccrException dateFormatError;

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
        KccrException error = null;
        if (type == FieldType.DATE) {
            try {
                format = DateFormat.of(mapping.format());
            } catch (KccrException e) {
                error = e; // reported when a value meets it: the mappings may already be in use
            }
        }
        this.dateFormat = format;
        this.dateFormatError = error;
    }

    /**
     * The date field's format.
     *
     * @throws KccrException {@code mapper_parsing_exception} when the mapping's {@code format} is invalid
     */
    DateFormat dateFormat() {
        if (dateFormatError != null) {
            throw InvalidRequestException.mapperParsing("failed to parse field [" + name + "]: " + dateFormatError.reason());
        }
        return dateFormat;
    }
}
