package io.kccr.core.mapping;

import io.kccr.core.error.KccrException;
import io.kccr.core.error.InvalidRequestException;
import com.fasterxml.jackson.core.JsonParser;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.lucene.index.IndexableField;

/**
 * The state of one {@link DocumentMapper#parse} call, handed to every step of it: the document id (for error
 * messages), the compiled mappings and the {@code dynamic} setting, the JSON parser positioned on the current token,
 * the Lucene fields built so far, and the fields dynamic mapping added (created on the first one, so a document
 * with mapped fields only allocates nothing for them). Lookups see mapped and dynamically added fields alike.
 * Never shared between threads.
 */
final class ParseContext {
    final String id;
    final CompiledMappings mappings;
    final Mappings.Dynamic dynamic;
    final ArrayList<IndexableField> fields = new ArrayList<>(24);
    JsonParser p;
    /** Dynamic additions, lazily created. */
    private LinkedHashMap<String, FieldMapping> updates;
    private HashMap<String, CompiledField> dynamicLeaves;
    private HashSet<String> dynamicObjects;

    ParseContext(String id, CompiledMappings mappings, Mappings.Dynamic dynamic) {
        this.id = id;
        this.mappings = mappings;
        this.dynamic = dynamic;
    }

    /** The leaf at {@code path}, mapped or added by dynamic mapping in this document; null when there is none. */
    CompiledField leaf(String path) {
        CompiledField f = mappings.leaves.get(path);
        if (f == null && dynamicLeaves != null) {
            f = dynamicLeaves.get(path);
        }
        return f;
    }

    /** Whether {@code path} is an object, mapped or implied by a dynamically added leaf below it. */
    boolean isObject(String path) {
        return mappings.objects.contains(path) || (dynamicObjects != null && dynamicObjects.contains(path));
    }

    /** Records a leaf that dynamic mapping added at {@code path}, and the objects its path implies. */
    void addDynamicLeaf(String path, FieldMapping mapping, CompiledField f) {
        if (updates == null) {
            updates = new LinkedHashMap<>();
            dynamicLeaves = new HashMap<>();
            dynamicObjects = new HashSet<>();
        }
        updates.put(path, mapping);
        dynamicLeaves.put(path, f);
        for (int dot = path.indexOf('.'); dot > 0; dot = path.indexOf('.', dot + 1)) {
            dynamicObjects.add(path.substring(0, dot));
        }
    }

    /** The mappings dynamic mapping added, in the order met ({@link ParsedDocument#dynamicMappingUpdates()}). */
    Map<String, FieldMapping> dynamicMappingUpdates() {
        return updates == null ? Map.of() : updates;
    }

    /** Elasticsearch's {@code mapper_parsing_exception} for a value field {@code f} cannot take. */
    KccrException fieldError(CompiledField f, String preview, Throwable cause) {
        return InvalidRequestException.mapperParsing("failed to parse field [" + f.name + "] of type [" + f.type.jsonName()
                + "] in document with id '" + id + "'. Preview of field's value: '" + preview + "'", cause);
    }
}
