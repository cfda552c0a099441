package io.kccr.node.settings;

import static io.kccr.node.settings.ClusterSettings.ARCHIVED_PREFIX;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kccr.core.io.StateFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file that keeps the persistent layer of {@link ClusterSettings} ({@value ClusterSettings#FILE_NAME} under
 * {@code path.data}): {@code {"version": 1, "persistent": {flat key: string value, or list of strings}}}, sorted.
 * A setting given as a list is kept as one, so it is shown as a list again; a string stays a string.
 *
 * <ul>
 *   <li>{@link #write} is crash-safe and owner-only, since remote Kafka credentials may be in it: it goes through
 *       {@link StateFile}; on failure nothing changed. A temp file left by a crash is removed by
 *       {@link #deleteLeftoverTmp()}; the real file is intact then.</li>
 *   <li>{@link #read} refuses a file that is not such a settings file (this class never half-writes it, so someone
 *       edited it), naming it; a setting that is no longer valid (renamed, removed, or a value the new version
 *       rejects) is kept as {@code archived.<key>} with a warning, as Elasticsearch does.</li>
 * </ul>
 * Not synchronized: {@link ClusterSettings} serializes writes.
 */
final class ClusterSettingsFile {
    /** The warnings are about the cluster settings: logged under their name, as before this class existed. */
    private static final Logger log = LoggerFactory.getLogger(ClusterSettings.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What the file holds: the settings, a list's items joined with {@code ,} as {@link ClusterSettings} keeps
     * them, and which of them were given as lists.
     */
    record Stored(Map<String, String> settings, Set<String> lists) {
    }

    private final Path path;

    ClusterSettingsFile(Path path) {
        this.path = path;
    }

    /**
     * Removes the temp file a crash mid-write may have left ({@link StateFile}'s {@code <name>.tmp}).
     *
     * @throws UncheckedIOException when it cannot be deleted
     */
    void deleteLeftoverTmp() {
        try {
            Files.deleteIfExists(tmpFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete [" + tmpFile() + "]: " + e, e);
        }
    }

    private Path tmpFile() {
        return path.resolveSibling(path.getFileName() + ".tmp");
    }

    /**
     * The persistent settings in the file (none when it does not exist), invalid ones archived; sorted.
     *
     * @throws IllegalStateException when the file is not a settings file
     * @throws UncheckedIOException  when it cannot be read
     */
    Stored read() {
        if (!Files.exists(path)) {
            return new Stored(Map.of(), Set.of());
        }
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(path));
        } catch (JacksonException e) {
            throw new IllegalStateException("cluster settings file [" + path + "] is not valid JSON ("
                    + e.getOriginalMessage() + "); fix it, or delete it to start without persistent cluster settings");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read cluster settings file [" + path + "]: " + e, e);
        }
        JsonNode persistent = root == null ? null : root.get("persistent");
        if (persistent == null || !persistent.isObject()) {
            throw new IllegalStateException("cluster settings file [" + path + "] has no \"persistent\" object; fix it, "
                    + "or delete it to start without persistent cluster settings");
        }
        Map<String, String> out = new TreeMap<>();
        Set<String> lists = new TreeSet<>();
        List<String> archived = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : persistent.properties()) {
            String key = e.getKey();
            String value = text(key, e.getValue());
            if (e.getValue().isArray()) {
                lists.add(key);
            }
            if (key.startsWith(ARCHIVED_PREFIX)) {
                out.put(key, value);
                continue;
            }
            try {
                ClusterSettingsValidator.checkUpdate(ClusterSettings.Scope.PERSISTENT, key, value);
                out.put(key, value);
            } catch (IllegalArgumentException invalid) {
                out.put(ARCHIVED_PREFIX + key, value);
                lists.remove(key);
                archived.add(key + " (" + invalid.getMessage() + ")");
            }
        }
        if (!archived.isEmpty()) {
            log.warn("persistent cluster settings in [{}] that are no longer valid were archived (no effect; remove "
                    + "them with PUT /_cluster/settings {{\"persistent\":{{\"archived.*\":null}}}}): {}", path, archived);
        }
        return new Stored(out, lists);
    }

    /** A setting's value: a string, or a list of strings joined with {@code ,}. */
    private String text(String key, JsonNode value) {
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            for (JsonNode item : value) {
                if (!item.isTextual()) {
                    break;
                }
                items.add(item.asText());
            }
            if (items.size() == value.size()) {
                return String.join(",", items);
            }
        }
        throw new IllegalStateException("cluster settings file [" + path + "]: setting [" + key + "] is neither a"
                + " string nor a list of strings; fix it, or delete the file to start without persistent cluster"
                + " settings");
    }

    /**
     * Replaces the file's settings with {@code persistent}, those in {@code lists} as lists, crash-safe.
     *
     * @throws UncheckedIOException when it cannot be written; the file is unchanged then
     */
    void write(Map<String, String> persistent, Set<String> lists) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", 1);
        ObjectNode settings = root.putObject("persistent");
        new TreeMap<>(persistent).forEach((key, value) -> {
            if (lists.contains(key)) {
                ArrayNode items = settings.putArray(key);
                for (String item : value.split(",", -1)) {
                    items.add(item);
                }
            } else {
                settings.put(key, value);
            }
        });
        try {
            StateFile.write(path, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the persistent cluster settings to [" + path + "]: " + e
                    + "; nothing was changed", e);
        }
    }
}
