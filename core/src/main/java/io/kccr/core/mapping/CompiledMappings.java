package io.kccr.core.mapping;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;

/**
 * {@link Mappings} as the hash lookups {@link DocumentMapper} needs per field: every leaf (and its multi-fields)
 * as a {@link CompiledField} by dotted path, and every object path (the parents of the leaves, and object mappings
 * without fields yet). Immutable once built, so {@link DocumentMapper} may share it between threads; it remembers
 * its {@link #source} so a cache can check it by identity.
 */
final class CompiledMappings {
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
