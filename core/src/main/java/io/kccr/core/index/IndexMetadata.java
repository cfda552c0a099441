package io.kccr.core.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kccr.core.mapping.Mappings;
import java.util.Map;
import java.util.Objects;

/**
 * Everything that defines an index besides its documents: what the leader publishes to
 * {@code <prefix>.<index>.meta} and what a follower creates its index from.
 *
 * @param name            the index name
 * @param uuid            the index's identity, new at each creation
 * @param historyUuid     the identity of the operation history (invariant 7: a follower stops if it changes)
 * @param creationDate    epoch millis of creation
 * @param settings        the index settings
 * @param mappings        the mappings
 * @param mappingVersion  increases by one whenever the mappings change
 * @param settingsVersion increases by one whenever the settings change
 */
public record IndexMetadata(String name, String uuid, String historyUuid, long creationDate, IndexSettings settings,
                            Mappings mappings, long mappingVersion, long settingsVersion) {

    public IndexMetadata {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(historyUuid, "historyUuid");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(mappings, "mappings");
    }

    public int numberOfShards() {
        return settings.numberOfShards();
    }

    /** The same index with new mappings and the next mapping version; this one if nothing changed. */
    public IndexMetadata withMappings(Mappings newMappings) {
        if (newMappings.equals(mappings)) {
            return this;
        }
        return new IndexMetadata(name, uuid, historyUuid, creationDate, settings, newMappings, mappingVersion + 1,
                settingsVersion);
    }

    /** The wire form stored in the metadata topic; {@link #fromJson} reads it back. */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("name", name);
        node.put("uuid", uuid);
        node.put("history_uuid", historyUuid);
        node.put("creation_date", creationDate);
        node.set("settings", settings.toFlatJson());
        node.set("mappings", mappings.toJson());
        node.put("mapping_version", mappingVersion);
        node.put("settings_version", settingsVersion);
        return node;
    }

    public static IndexMetadata fromJson(JsonNode node) {
        return new IndexMetadata(node.get("name").asText(), node.get("uuid").asText(),
                node.get("history_uuid").asText(), node.get("creation_date").asLong(),
                IndexSettings.fromJson(node.get("settings")), Mappings.fromJson(node.get("mappings")),
                node.get("mapping_version").asLong(), node.get("settings_version").asLong());
    }

    /** The body of {@code GET /<index>} for this index, in Elasticsearch's shape. */
    public ObjectNode toGetIndexJson() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putObject("aliases");
        body.set("mappings", mappings.toJson());
        body.set("settings", settings.toNestedJson(Map.of(
                "index.uuid", uuid,
                "index.provided_name", name,
                "index.creation_date", String.valueOf(creationDate),
                "index.version.created", "9000000",
                "index.history_uuid", historyUuid)));
        return body;
    }
}
