package io.kccr.node.settings;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a node's YAML config file into flat dotted keys, as Elasticsearch reads {@code elasticsearch.yml}: nested,
 * flat, or a mix ({@code http: {port: 9201}}, {@code http.port: 9201}); a key given twice, in any shape, is an error.
 * Scalars become their text, a list of scalars its elements joined with {@code ,}, {@code null} means not set. The
 * keys are not checked here. Stateless.
 */
final class YamlSettings {

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private YamlSettings() {
    }

    /**
     * The settings in {@code file}, sorted; none for an empty file.
     *
     * @throws IllegalArgumentException when the file does not exist or is not valid YAML of the shape above
     * @throws UncheckedIOException     when the file exists but cannot be read
     */
    static Map<String, String> read(Path file) {
        JsonNode root;
        try {
            String text = Files.readString(file);
            root = text.isBlank() ? null : YAML.readTree(text);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("config file [" + file + "] does not exist");
        } catch (JacksonException e) {
            throw new IllegalArgumentException("config file [" + file + "] is not valid YAML: "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read config file [" + file + "]: " + e, e);
        }
        Map<String, String> flat = new TreeMap<>();
        if (root == null || root.isNull() || root.isMissingNode()) {
            return flat;
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException("config file [" + file + "] must be a YAML mapping of settings, "
                    + "e.g. 'http.port: 9201' or 'http: {port: 9201}'");
        }
        flatten(file, "", root, flat);
        return flat;
    }

    private static void flatten(Path file, String prefix, JsonNode node, Map<String, String> out) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String key = prefix + field.getKey();
            JsonNode value = field.getValue();
            if (value.isObject()) {
                flatten(file, key + ".", value, out);
                continue;
            }
            String text;
            if (value.isNull()) {
                text = null;
            } else if (value.isArray()) {
                List<String> items = new ArrayList<>();
                for (JsonNode item : value) {
                    if (!item.isValueNode() || item.isNull()) {
                        throw new IllegalArgumentException("config file [" + file + "]: setting [" + key
                                + "] must be a scalar or a list of scalars");
                    }
                    items.add(item.asText());
                }
                text = String.join(",", items);
            } else {
                text = value.asText();
            }
            if (out.containsKey(key)) {
                throw new IllegalArgumentException("config file [" + file + "]: duplicate setting [" + key + "]");
            }
            out.put(key, text);
        }
    }
}
