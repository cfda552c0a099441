package io.kccr.core.recovery;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kccr.core.index.IndexMetadata;
import java.util.List;
import java.util.Objects;

/**
 * What a leader answers when a follower opens a restore session ({@code POST /<index>/_ccr/restore_session}):
 * the session's id, the index's metadata and, per shard, the pinned commit to copy.
 *
 * <pre>{@code
 * {"session_uuid":"5b3c...","index":"geonames",
 *  "metadata":{"aliases":{},"mappings":{...},"settings":{"index":{"number_of_shards":"3",...,
 *              "uuid":"...","history_uuid":"..."}},
 *              "history_uuid":"...","mapping_version":4,"settings_version":1},
 *  "shards":[{"shard":0,"generation":3,"files":[...],"user_data":{...}}, ...]}
 * }</pre>
 *
 * <p>Contract: {@code metadata} is the body {@code GET /<index>} shows for the index
 * ({@code aliases}, {@code mappings}, {@code settings}) plus, at its top level, the leader's
 * {@code history_uuid}, {@code mapping_version} and {@code settings_version}. The mappings were
 * read after every shard's commit was pinned, so they cover every document in the commits.
 * {@code shards} has one entry per shard, in shard order. Every file listed stays readable through
 * the session until it is released or expires.
 *
 * @param sessionUuid the session's id, to fetch files with and to release it
 * @param index       the leader index's name
 * @param metadata    the index metadata, as described above
 * @param shards      each shard's pinned commit, in shard order
 */
public record RestoreManifest(@JsonProperty("session_uuid") String sessionUuid, @JsonProperty("index") String index,
                              @JsonProperty("metadata") ObjectNode metadata,
                              @JsonProperty("shards") List<ShardSnapshot> shards) {

    public static final String HISTORY_UUID = "history_uuid";
    public static final String MAPPING_VERSION = "mapping_version";
    public static final String SETTINGS_VERSION = "settings_version";
    private static final ObjectMapper CANONICAL = new ObjectMapper();

    public RestoreManifest {
        Objects.requireNonNull(sessionUuid, "sessionUuid");
        Objects.requireNonNull(index, "index");
        metadata = canonical(Objects.requireNonNull(metadata, "metadata"));
        shards = List.copyOf(shards);
    }

    /** A copy of {@code node} as parsing its JSON gives it (so that equal JSON makes equal manifests). */
    private static ObjectNode canonical(ObjectNode node) {
        try {
            return (ObjectNode) CANONICAL.readTree(CANONICAL.writeValueAsBytes(node));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The manifest of a session over {@code shards} of the index {@code meta} describes. */
    public static RestoreManifest of(String sessionUuid, IndexMetadata meta, List<ShardSnapshot> shards) {
        ObjectNode metadata = meta.toGetIndexJson();
        metadata.put(HISTORY_UUID, meta.historyUuid());
        metadata.put(MAPPING_VERSION, meta.mappingVersion());
        metadata.put(SETTINGS_VERSION, meta.settingsVersion());
        return new RestoreManifest(sessionUuid, meta.name(), metadata, shards);
    }

    /** The leader index's history_uuid. */
    public String historyUuid() {
        return metadata.path(HISTORY_UUID).asText();
    }

    /** The mapping version of {@link #metadata}'s mappings. */
    public long mappingVersion() {
        return metadata.path(MAPPING_VERSION).asLong();
    }

    /**
     * The number of shards of the index the session is over, as its metadata has it: a session may be over some of
     * them only (a part of a follower index spread over nodes, copied by its replica).
     */
    public int numberOfShards() {
        return metadata.at("/settings/index/number_of_shards").asInt(shards.size());
    }

    /** The snapshot of shard {@code shard}; null when the session is not over it. */
    public ShardSnapshot shard(int shard) {
        for (ShardSnapshot s : shards) {
            if (s.shard() == shard) {
                return s;
            }
        }
        return null;
    }
}
