package io.kccr.core.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.settings.Setting;
import io.kccr.core.settings.TimeValue;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An index's settings, held flat with the {@code index.} prefix as Elasticsearch does
 * ({@code index.number_of_shards}). Settings this product gives meaning to are defined below and have typed
 * accessors; other settings Elasticsearch accepts (e.g. {@code index.soft_deletes.enabled}) are kept and
 * echoed back, and mean nothing here. Immutable.
 */
public record IndexSettings(Map<String, String> flat) {

    /** Elasticsearch's limit on shards per index. */
    public static final int MAX_SHARDS = 1024;

    public static final Setting<Integer> NUMBER_OF_SHARDS = Setting.integer("index.number_of_shards", 1, MAX_SHARDS)
            .defaultValue("1")
            .accepted("an integer that must be >= 1 and <= " + MAX_SHARDS)
            .scope(Setting.Scope.INDEX)
            .doc("How many shards the index has, one partition of its ops topic each; fixed when it is created.")
            .build();
    public static final Setting<Integer> NUMBER_OF_REPLICAS = Setting.integer("index.number_of_replicas", 0,
                    Integer.MAX_VALUE)
            .defaultValue("1")
            .accepted("an integer that must be >= 0")
            .scope(Setting.Scope.INDEX)
            .doc("Accepted and shown for Elasticsearch compatibility; the Kafka topic's replicas keep the copies.")
            .build();
    // at least 1 ms: the periodic refresh is scheduled in whole milliseconds, and a period of 0 cannot be scheduled
    public static final Setting<TimeValue> REFRESH_INTERVAL = Setting.time("index.refresh_interval")
            .validator(t -> t.isMinusOne() || t.millis() >= 1)
            .defaultValue("1s")
            .accepted("a time value of at least 1ms (e.g. 1s), or -1 to disable the periodic refresh")
            .scope(Setting.Scope.INDEX)
            .doc("How often new writes become searchable.")
            .build();

    public static final Setting<TimeValue> SEARCH_IDLE_AFTER = Setting.time("index.search.idle.after")
            .validator(t -> !t.isMinusOne())
            .defaultValue("30s")
            .accepted("a time value of at least 0s (e.g. 30s)")
            .scope(Setting.Scope.INDEX)
            .doc("A follower index's shard that no one searched for this long skips scheduled refreshes until it is"
                    + " searched again (only while index.refresh_interval is not set on it); leader indices refresh"
                    + " on their interval whether searched or not.")
            .build();

    public static final Setting<Integer> MAX_RESULT_WINDOW = Setting.integer("index.max_result_window", 1,
                    Integer.MAX_VALUE)
            .defaultValue("10000")
            .accepted("an integer that must be >= 1")
            .scope(Setting.Scope.INDEX)
            .doc("The largest from + size of a search; deeper pages need search_after or a scroll.")
            .build();

    public static final Setting<Integer> MAPPING_TOTAL_FIELDS_LIMIT = Setting.integer(
                    "index.mapping.total_fields.limit", 0, Integer.MAX_VALUE)
            .defaultValue("1000")
            .accepted("an integer that must be >= 0")
            .scope(Setting.Scope.INDEX)
            .doc("Most fields (objects and multi-fields included) the mappings may hold; a write or mapping that adds"
                    + " more is a 400.")
            .build();
    public static final Setting<Integer> MAPPING_DEPTH_LIMIT = Setting.integer("index.mapping.depth.limit", 1,
                    Integer.MAX_VALUE)
            .defaultValue("20")
            .accepted("an integer that must be >= 1")
            .scope(Setting.Scope.INDEX)
            .doc("Deepest object nesting of a field (a root field has depth 1).")
            .build();
    public static final Setting<Integer> MAPPING_FIELD_NAME_LENGTH_LIMIT = Setting.integer(
                    "index.mapping.field_name_length.limit", 1, Integer.MAX_VALUE)
            .defaultValue(Integer.toString(Integer.MAX_VALUE))
            .accepted("an integer that must be >= 1")
            .scope(Setting.Scope.INDEX)
            .doc("Longest name of a field (its last path segment).")
            .build();
    public static final Setting<Integer> MAPPING_NESTED_OBJECTS_LIMIT = Setting.integer(
                    "index.mapping.nested_objects.limit", 0, Integer.MAX_VALUE)
            .defaultValue("10000")
            .accepted("an integer that must be >= 0")
            .scope(Setting.Scope.INDEX)
            .doc("Most nested objects of one document; there is no nested field type here, so no document has any.")
            .build();

    /** The index settings this product defines, in order. */
    public static final List<Setting<?>> DEFINITIONS = List.of(NUMBER_OF_SHARDS, NUMBER_OF_REPLICAS, REFRESH_INTERVAL,
            SEARCH_IDLE_AFTER, MAX_RESULT_WINDOW, MAPPING_TOTAL_FIELDS_LIMIT, MAPPING_DEPTH_LIMIT, MAPPING_FIELD_NAME_LENGTH_LIMIT,
            MAPPING_NESTED_OBJECTS_LIMIT);

    public IndexSettings {
        flat = Map.copyOf(new TreeMap<>(flat));
    }

    public static IndexSettings defaults() {
        return new IndexSettings(Map.of());
    }

    public int numberOfShards() {
        return NUMBER_OF_SHARDS.get(flat);
    }

    public int numberOfReplicas() {
        return NUMBER_OF_REPLICAS.get(flat);
    }

    /** How often new writes become searchable; null when refresh is disabled ({@code -1}). */
    public Duration refreshInterval() {
        TimeValue value = REFRESH_INTERVAL.get(flat);
        return value.isMinusOne() ? null : value.toDuration();
    }

    /** {@code index.search.idle.after} (30 s). */
    public Duration searchIdleAfter() {
        return SEARCH_IDLE_AFTER.get(flat).toDuration();
    }

    /** Whether {@code setting} is given here (not left at its default). */
    public boolean has(Setting<?> setting) {
        return flat.containsKey(setting.key());
    }

    /** {@code index.max_result_window}: the largest {@code from + size} of a search (default 10,000). */
    public int maxResultWindow() {
        return MAX_RESULT_WINDOW.get(flat);
    }

    /** {@code index.mapping.total_fields.limit} (1000). */
    public int totalFieldsLimit() {
        return MAPPING_TOTAL_FIELDS_LIMIT.get(flat);
    }

    /** {@code index.mapping.depth.limit} (20). */
    public int depthLimit() {
        return MAPPING_DEPTH_LIMIT.get(flat);
    }

    /** {@code index.mapping.field_name_length.limit} (no limit). */
    public int fieldNameLengthLimit() {
        return MAPPING_FIELD_NAME_LENGTH_LIMIT.get(flat);
    }

    /** The mapping limits these settings set (the index knows its mapping package, not the other way round). */
    public io.kccr.core.mapping.MappingLimits mappingLimits() {
        return new io.kccr.core.mapping.MappingLimits(totalFieldsLimit(), depthLimit(), fieldNameLengthLimit());
    }

    /** These settings with {@code overrides} on top (both validated). */
    public IndexSettings with(IndexSettings overrides) {
        Map<String, String> merged = new TreeMap<>(flat);
        merged.putAll(overrides.flat);
        return new IndexSettings(merged);
    }

    /**
     * Parses Elasticsearch's settings JSON: nested ({@code {"index":{"number_of_shards":3}}}),
     * dotted ({@code {"index.number_of_shards":"3"}}) or without the prefix
     * ({@code {"number_of_shards":3}}). Bad values are a 400 {@code illegal_argument_exception}.
     */
    public static IndexSettings fromJson(JsonNode node) {
        Map<String, String> flat = new TreeMap<>();
        if (node != null && !node.isNull() && !node.isMissingNode()) {
            if (!node.isObject()) {
                throw InvalidRequestException.illegalArgument("settings must be an object, got [" + node + "]");
            }
            flatten(node, "", flat);
        }
        Map<String, String> prefixed = new TreeMap<>();
        flat.forEach((k, v) -> prefixed.put(k.startsWith("index.") ? k : "index." + k, v));
        validate(prefixed);
        return new IndexSettings(prefixed);
    }

    private static void flatten(JsonNode node, String prefix, Map<String, String> out) {
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix + e.getKey();
            JsonNode value = e.getValue();
            if (value.isObject()) {
                flatten(value, key + ".", out);
            } else if (value.isArray()) {
                out.put(key, value.toString());
            } else if (!value.isNull()) {
                out.put(key, value.asText());
            }
        }
    }

    private static void validate(Map<String, String> flat) {
        for (Setting<?> setting : DEFINITIONS) {
            try {
                setting.find(flat);
            } catch (IllegalArgumentException e) {
                throw InvalidRequestException.illegalArgument(e.getMessage());
            }
        }
    }

    /** Flat JSON object, as stored in the metadata topic. */
    public ObjectNode toFlatJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        flat.forEach(node::put);
        return node;
    }

    /**
     * Elasticsearch's nested form ({@code {"index":{"number_of_shards":"3",...}}}) with the
     * given extra entries (uuid, creation date) merged in.
     */
    public ObjectNode toNestedJson(Map<String, String> extra) {
        Map<String, String> all = new TreeMap<>(flat);
        all.putIfAbsent(NUMBER_OF_SHARDS.key(), String.valueOf(numberOfShards()));
        all.putIfAbsent(NUMBER_OF_REPLICAS.key(), String.valueOf(numberOfReplicas()));
        all.putAll(extra);
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        all.forEach((key, value) -> {
            ObjectNode parent = root;
            String[] parts = key.split("\\.");
            for (int i = 0; i < parts.length - 1; i++) {
                JsonNode child = parent.get(parts[i]);
                parent = child instanceof ObjectNode o ? o : parent.putObject(parts[i]);
            }
            parent.put(parts[parts.length - 1], value);
        });
        return root;
    }
}
