package io.kccr.core.search.query;

import io.kccr.core.mapping.FieldMapping;
import io.kccr.core.mapping.FieldType;
import io.kccr.core.mapping.Mappings;
import io.kccr.core.mapping.MetaFields;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Resolves the field names a query uses against an index's {@link Mappings}: a name to its
 * {@link FieldTarget} (null when unknown), {@code *} patterns to the searchable fields they match,
 * and an object field to the leaf fields below it. Immutable and thread-safe.
 */
public final class FieldResolver {

    private final Mappings mappings;

    public FieldResolver(Mappings mappings) {
        this.mappings = mappings;
    }

    /** The target of a field name, or null when the mappings do not know it (or it is an object). */
    public FieldTarget resolve(String field) {
        switch (field) {
            case MetaFields.ID:
                return new FieldTarget(field, FieldType.KEYWORD, null, FieldTarget.Kind.ID);
            case MetaFields.SEQ_NO:
                return new FieldTarget(field, FieldType.LONG, null, FieldTarget.Kind.SEQ_NO);
            case MetaFields.PRIMARY_TERM, MetaFields.VERSION:
                return new FieldTarget(field, FieldType.LONG, null, FieldTarget.Kind.DOC_VALUES_LONG);
            default:
                FieldMapping m = mappings.field(field);
                if (m == null || m.type() == FieldType.OBJECT) {
                    return null;
                }
                return new FieldTarget(field, m.type(), m.format(), FieldTarget.Kind.MAPPED);
        }
    }

    /** Leaf and multi-field paths a {@code *} query or pattern may address (not geo points). */
    public List<String> searchableFields() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, FieldMapping> e : mappings.fields().entrySet()) {
            addSearchable(e.getKey(), e.getValue(), out);
        }
        return out;
    }

    private static void addSearchable(String path, FieldMapping m, List<String> out) {
        if (m.type() != FieldType.GEO_POINT && m.type() != FieldType.OBJECT) {
            out.add(path);
        }
        m.fields().forEach((name, sub) -> addSearchable(path + "." + name, sub, out));
    }

    /** Field names matching a {@code *} pattern; a name without {@code *} as is. */
    public List<String> expandPattern(String pattern) {
        if (pattern.indexOf('*') < 0) {
            return List.of(pattern);
        }
        Pattern p = wildcardRegex(pattern);
        List<String> out = new ArrayList<>();
        for (String f : searchableFields()) {
            if (p.matcher(f).matches()) {
                out.add(f);
            }
        }
        return out;
    }

    /** Expands patterns in a field→boost map, keeping order and multiplying boosts of repeats. */
    public Map<String, Float> expandFields(Map<String, Float> fields) {
        Map<String, Float> out = new LinkedHashMap<>();
        for (Map.Entry<String, Float> e : fields.entrySet()) {
            for (String f : expandPattern(e.getKey())) {
                out.merge(f, e.getValue(), (a, b) -> a * b);
            }
        }
        return out;
    }

    /** The mapped paths below an object field, in order; empty when {@code field} is not an object. */
    public List<String> leavesUnder(String field) {
        List<String> leaves = new ArrayList<>();
        if (mappings.isObject(field)) {
            String prefix = field + ".";
            for (String path : mappings.fields().tailMap(prefix, true).keySet()) {
                if (!path.startsWith(prefix)) {
                    break;
                }
                leaves.add(path);
            }
        }
        return leaves;
    }

    /** A field-path pattern where {@code *} matches any characters (dots included) and all else is literal. */
    public static Pattern wildcardRegex(String pattern) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            re.append(c == '*' ? ".*" : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
