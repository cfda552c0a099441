package io.kccr.core.index;

import io.kccr.core.error.InvalidRequestException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * An index's settings, held flat with the {@code index.} prefix as Elasticsearch does
 * ({@code index.number_of_shards}). Settings this product gives meaning to have typed accessors;
 * other settings Elasticsearch accepts (e.g. {@code index.soft_deletes.enabled}) are kept and
 * echoed back, and mean nothing here. Immutable.
 */
public record IndexSettings(Map<String, String> flat) {

    public static final String NUMBER_OF_SHARDS = "index.number_of_shards";
    public static final String NUMBER_OF_REPLICAS = "index.number_of_replicas";
    public static final String REFRESH_INTERVAL = "index.refresh_interval";
    public static final String MAX_RESULT_WINDOW = "index.max_result_window";
    /** Elasticsearch's limit on shards per index. */
    public static final int MAX_SHARDS = 1024;

    public IndexSettings {
        flat = Map.copyOf(new TreeMap<>(flat));
    }

    public static IndexSettings defaults() {
        return new IndexSettings(Map.of());
    }

    public int numberOfShards() {
        return Integer.parseInt(flat.getOrDefault(NUMBER_OF_SHARDS, "1"));
    }

    public int numberOfReplicas() {
        return Integer.parseInt(flat.getOrDefault(NUMBER_OF_REPLICAS, "1"));
    }

    /** How often new writes become searchable; null when refresh is disabled ({@code -1}). */
    public Duration refreshInterval() {
        String value = flat.getOrDefault(REFRESH_INTERVAL, "1s");
        return value.equals("-1") ? null : TimeValues.parse(value, REFRESH_INTERVAL);
    }

    /** {@code index.max_result_window}: the largest {@code from + size} of a search (default 10,000). */
    public int maxResultWindow() {
        return Integer.parseInt(flat.getOrDefault(MAX_RESULT_WINDOW, "10000"));
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
        String shards = flat.get(NUMBER_OF_SHARDS);
        if (shards != null) {
            int n = parseInt(NUMBER_OF_SHARDS, shards);
            if (n < 1 || n > MAX_SHARDS) {
                throw InvalidRequestException.illegalArgument("Failed to parse value [" + shards + "] for setting ["
                        + NUMBER_OF_SHARDS + "] must be >= 1 and <= " + MAX_SHARDS);
            }
        }
        String replicas = flat.get(NUMBER_OF_REPLICAS);
        if (replicas != null && parseInt(NUMBER_OF_REPLICAS, replicas) < 0) {
            throw InvalidRequestException.illegalArgument("Failed to parse value [" + replicas + "] for setting ["
                    + NUMBER_OF_REPLICAS + "] must be >= 0");
        }
        String window = flat.get(MAX_RESULT_WINDOW);
        if (window != null && parseInt(MAX_RESULT_WINDOW, window) < 1) {
            throw InvalidRequestException.illegalArgument("Failed to parse value [" + window + "] for setting ["
                    + MAX_RESULT_WINDOW + "] must be >= 1");
        }
        String refresh = flat.get(REFRESH_INTERVAL);
        if (refresh != null && !refresh.equals("-1")) {
            TimeValues.parse(refresh, REFRESH_INTERVAL);
        }
    }

    private static int parseInt(String key, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw InvalidRequestException.illegalArgument("Failed to parse value [" + value + "] for setting [" + key
                    + "]: expected a whole number");
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
        all.putIfAbsent(NUMBER_OF_SHARDS, String.valueOf(numberOfShards()));
        all.putIfAbsent(NUMBER_OF_REPLICAS, String.valueOf(numberOfReplicas()));
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
