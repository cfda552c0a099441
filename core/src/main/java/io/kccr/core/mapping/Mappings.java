package io.kccr.core.mapping;

import io.kccr.core.error.InvalidRequestException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * An index's mappings: every leaf field by its dotted path ({@code address.city}), as
 * Elasticsearch flattens objects. Immutable; {@link #merge} returns a new instance.
 *
 * <p>The JSON form is Elasticsearch's: {@code {"dynamic": ..., "properties": {"f": {"type": ...,
 * "fields": {...}}, "obj": {"properties": {...}}}}}.
 */
public final class Mappings {

    /** What happens to a field the mappings do not name, as Elasticsearch's {@code dynamic}. */
    public enum Dynamic {
        /** Add it to the mappings (the default). */
        TRUE,
        /** Keep it in {@code _source} but do not index it. */
        FALSE,
        /** Reject the document. */
        STRICT
    }

    private static final Mappings EMPTY = new Mappings(Dynamic.TRUE, Map.of());

    private final Dynamic dynamic;
    private final NavigableMap<String, FieldMapping> fields;

    private Mappings(Dynamic dynamic, Map<String, FieldMapping> fields) {
        this.dynamic = dynamic;
        this.fields = Collections.unmodifiableNavigableMap(new TreeMap<>(fields));
    }

    public static Mappings empty() {
        return EMPTY;
    }

    public static Mappings of(Map<String, FieldMapping> fields) {
        return new Mappings(Dynamic.TRUE, fields);
    }

    public Dynamic dynamic() {
        return dynamic;
    }

    /** Leaf fields by dotted path, sorted; multi-fields stay inside their parent's mapping. */
    public NavigableMap<String, FieldMapping> fields() {
        return fields;
    }

    public boolean isEmpty() {
        return fields.isEmpty();
    }

    /**
     * The mapping of a leaf field or of a multi-field ({@code name.keyword}); null when the
     * mappings do not know the path.
     */
    public FieldMapping field(String path) {
        FieldMapping direct = fields.get(path);
        if (direct != null) {
            return direct;
        }
        int dot = path.lastIndexOf('.');
        if (dot > 0) {
            FieldMapping parent = fields.get(path.substring(0, dot));
            if (parent != null) {
                return parent.fields().get(path.substring(dot + 1));
            }
        }
        return null;
    }

    /** True when {@code path} is an object (some leaf lies below it). */
    public boolean isObject(String path) {
        String prefix = path + ".";
        String next = fields.ceilingKey(prefix);
        return next != null && next.startsWith(prefix);
    }

    /**
     * These mappings with {@code additions} added. Adding a field that exists with the same
     * mapping is a no-op; with another type it is a conflict ({@code illegal_argument_exception}),
     * as is a leaf where an object is, or the reverse ({@code mapper_parsing_exception}).
     */
    public Mappings merge(Map<String, FieldMapping> additions) {
        return merge(dynamic, additions);
    }

    /** Merges another mappings document (e.g. from {@code PUT /index/_mapping}); its dynamic setting wins. */
    public Mappings merge(Mappings other) {
        return merge(other.dynamic, other.fields);
    }

    private Mappings merge(Dynamic newDynamic, Map<String, FieldMapping> additions) {
        TreeMap<String, FieldMapping> merged = new TreeMap<>(fields);
        boolean changed = newDynamic != dynamic;
        for (Map.Entry<String, FieldMapping> e : additions.entrySet()) {
            String path = e.getKey();
            FieldMapping add = e.getValue();
            FieldMapping existing = merged.get(path);
            if (existing != null) {
                if (existing.type() != add.type()) {
                    throw InvalidRequestException.illegalArgument("mapper [" + path + "] cannot be changed from type ["
                            + existing.type().jsonName() + "] to [" + add.type().jsonName() + "]");
                }
                if (!existing.equals(add)) {
                    Map<String, FieldMapping> sub = new LinkedHashMap<>(existing.fields());
                    sub.putAll(add.fields());
                    merged.put(path, new FieldMapping(existing.type(), sub,
                            add.ignoreAbove() != null ? add.ignoreAbove() : existing.ignoreAbove(),
                            add.format() != null ? add.format() : existing.format()));
                    changed = true;
                }
                continue;
            }
            if (add.type() == FieldType.OBJECT && isObjectIn(merged, path)) {
                continue; // the object exists already, with fields below it
            }
            checkNoObjectConflict(merged, path);
            merged.put(path, add);
            changed = true;
        }
        return changed ? new Mappings(newDynamic, merged) : this;
    }

    private static boolean isObjectIn(TreeMap<String, FieldMapping> fields, String path) {
        String below = fields.ceilingKey(path + ".");
        return below != null && below.startsWith(path + ".");
    }

    private static void checkNoObjectConflict(TreeMap<String, FieldMapping> fields, String path) {
        String prefix = path + ".";
        String below = fields.ceilingKey(prefix);
        if (below != null && below.startsWith(prefix)) {
            throw InvalidRequestException.mapperParsing("can't merge a non object mapping [" + path
                    + "] with an object mapping; field [" + below + "] already maps [" + path + "] as an object");
        }
        for (int dot = path.indexOf('.'); dot > 0; dot = path.indexOf('.', dot + 1)) {
            String parent = path.substring(0, dot);
            FieldMapping parentMapping = fields.get(parent);
            if (parentMapping != null && parentMapping.type() != FieldType.OBJECT) {
                throw InvalidRequestException.mapperParsing("can't merge a non object mapping [" + parent
                        + "] with an object mapping [" + path + "]");
            }
        }
    }

    /** Parses Elasticsearch's mappings JSON; a missing or null node is empty mappings. */
    public static Mappings fromJson(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return EMPTY;
        }
        if (!node.isObject()) {
            throw InvalidRequestException.mapperParsing("Failed to parse mapping: mappings must be an object, got [" + node + "]");
        }
        if (node.size() == 1 && node.has("_doc") && node.get("_doc").isObject()) {
            node = node.get("_doc");
        }
        Dynamic dynamic = parseDynamic(node.get("dynamic"));
        Map<String, FieldMapping> fields = new TreeMap<>();
        parseProperties(node.get("properties"), "", fields);
        return new Mappings(dynamic, fields);
    }

    private static Dynamic parseDynamic(JsonNode node) {
        if (node == null || node.isNull()) {
            return Dynamic.TRUE;
        }
        String value = node.asText().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "true" -> Dynamic.TRUE;
            case "false" -> Dynamic.FALSE;
            case "strict" -> Dynamic.STRICT;
            case "runtime" -> Dynamic.FALSE;
            default -> throw InvalidRequestException.mapperParsing("Failed to parse mapping: dynamic must be one of [true, false, strict], got [" + value + "]");
        };
    }

    private static void parseProperties(JsonNode properties, String prefix, Map<String, FieldMapping> out) {
        if (properties == null || properties.isNull()) {
            return;
        }
        if (!properties.isObject()) {
            throw InvalidRequestException.mapperParsing("Failed to parse mapping: [properties] must be an object");
        }
        Iterator<Map.Entry<String, JsonNode>> it = properties.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String path = prefix + e.getKey();
            JsonNode def = e.getValue();
            if (!def.isObject()) {
                throw InvalidRequestException.mapperParsing("Failed to parse mapping: Expected map for property [" + path
                        + "] but got a " + def.getNodeType().name().toLowerCase(Locale.ROOT));
            }
            JsonNode typeNode = def.get("type");
            if (typeNode == null || "object".equals(typeNode.asText()) || "nested".equals(typeNode.asText())) {
                JsonNode below = def.get("properties");
                if (below == null || below.isEmpty()) {
                    out.put(path, FieldMapping.of(FieldType.OBJECT)); // an object with nothing below it yet
                } else {
                    parseProperties(below, path + ".", out);
                }
                continue;
            }
            out.put(path, parseField(path, def));
        }
    }

    private static FieldMapping parseField(String path, JsonNode def) {
        FieldType type = FieldType.fromJson(def.get("type").asText(), path);
        Map<String, FieldMapping> multi = new LinkedHashMap<>();
        JsonNode sub = def.get("fields");
        if (sub != null && sub.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = sub.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().has("type")) {
                    throw InvalidRequestException.mapperParsing("Failed to parse mapping: no type specified for field ["
                            + path + "." + e.getKey() + "]");
                }
                multi.put(e.getKey(), parseField(path + "." + e.getKey(), e.getValue()));
            }
        }
        Integer ignoreAbove = def.has("ignore_above") ? def.get("ignore_above").asInt() : null;
        String format = def.has("format") ? def.get("format").asText() : null;
        return new FieldMapping(type, multi, ignoreAbove, format);
    }

    /** Elasticsearch's JSON form, objects nested under {@code properties}. */
    public ObjectNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        if (dynamic != Dynamic.TRUE) {
            root.put("dynamic", dynamic.name().toLowerCase(Locale.ROOT));
        }
        ObjectNode properties = root.putObject("properties");
        for (Map.Entry<String, FieldMapping> e : fields.entrySet()) {
            ObjectNode parent = properties;
            String[] parts = e.getKey().split("\\.");
            for (int i = 0; i < parts.length - 1; i++) {
                ObjectNode obj = parent.has(parts[i]) ? (ObjectNode) parent.get(parts[i]) : parent.putObject(parts[i]);
                parent = obj.has("properties") ? (ObjectNode) obj.get("properties") : obj.putObject("properties");
            }
            parent.set(parts[parts.length - 1], fieldJson(e.getValue()));
        }
        if (fields.isEmpty()) {
            root.remove("properties");
        }
        return root;
    }

    private static ObjectNode fieldJson(FieldMapping m) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("type", m.type().jsonName());
        if (m.format() != null) {
            node.put("format", m.format());
        }
        if (m.ignoreAbove() != null) {
            node.put("ignore_above", m.ignoreAbove());
        }
        if (!m.fields().isEmpty()) {
            ObjectNode sub = node.putObject("fields");
            m.fields().forEach((name, f) -> sub.set(name, fieldJson(f)));
        }
        return node;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mappings m && m.dynamic == dynamic && m.fields.equals(fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode() * 31 + dynamic.hashCode();
    }

    @Override
    public String toString() {
        return toJson().toString();
    }
}
