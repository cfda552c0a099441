package io.kccr.core.mapping;

import io.kccr.core.error.KccrException;
import io.kccr.core.error.InvalidRequestException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Elasticsearch's dynamic mapping of a field the mappings do not know, by {@link Mappings#dynamic()}:
 * <ul>
 *   <li>{@code TRUE}: the type is inferred from the JSON value (string → text with a {@code keyword} sub-field,
 *       ignore_above 256, or date when it is a {@code strict_date_optional_time} date; whole number → long;
 *       fraction → float; boolean → boolean) and the new leaf is recorded in the {@link ParseContext};</li>
 *   <li>{@code FALSE}: not indexed;</li>
 *   <li>{@code STRICT}: refused with {@code strict_dynamic_mapping_exception}.</li>
 * </ul>
 * A new field below an existing leaf ({@code name.first} where {@code name} is text) is a
 * {@code mapper_parsing_exception} under any setting that would add it. Stateless.
 */
final class DynamicMapping {

    private static final FieldMapping DYNAMIC_TEXT = FieldMapping.dynamicText();
    private static final FieldMapping DYNAMIC_DATE = FieldMapping.of(FieldType.DATE);
    private static final FieldMapping DYNAMIC_LONG = FieldMapping.of(FieldType.LONG);
    private static final FieldMapping DYNAMIC_FLOAT = FieldMapping.of(FieldType.FLOAT);
    private static final FieldMapping DYNAMIC_BOOLEAN = FieldMapping.of(FieldType.BOOLEAN);

    private DynamicMapping() {
    }

    /**
     * The dynamic mapping of a new leaf at {@code path} holding the current scalar {@code token}, registered in
     * {@code ctx}; null when it is not indexed.
     */
    static CompiledField leaf(ParseContext ctx, String path, JsonToken token) throws IOException {
        switch (ctx.dynamic) {
            case FALSE -> {
                return null;
            }
            case STRICT -> throw refuse(ctx, path);
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
        ctx.addDynamicLeaf(path, mapping, f);
        return f;
    }

    /**
     * The error for a new field at {@code path} under {@code dynamic: strict}: the conflict with a leaf above it if
     * there is one (thrown), else the {@code strict_dynamic_mapping_exception} (returned, for the caller to throw).
     */
    static KccrException refuse(ParseContext ctx, String path) {
        checkNoLeafAbove(ctx, path);
        return strict(ctx, path);
    }

    /** A new field below a leaf ({@code name.first} where {@code name} is text) is a conflict. */
    private static void checkNoLeafAbove(ParseContext ctx, String path) {
        for (int dot = path.indexOf('.'); dot > 0; dot = path.indexOf('.', dot + 1)) {
            String parent = path.substring(0, dot);
            CompiledField leaf = ctx.leaf(parent);
            if (leaf != null) {
                throw InvalidRequestException.mapperParsing("Could not dynamically add mapping for field [" + path
                        + "]. Existing mapping for [" + parent + "] must be of type object but found ["
                        + leaf.type.jsonName() + "].");
            }
        }
    }

    private static KccrException strict(ParseContext ctx, String path) {
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
        return InvalidRequestException.strictDynamicMapping("mapping set to strict, dynamic introduction of [" + child + "] within [" + parent + "] is not allowed");
    }
}
