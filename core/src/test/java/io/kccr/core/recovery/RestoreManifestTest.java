package io.kccr.core.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kccr.core.index.IndexMetadata;
import io.kccr.core.index.IndexSettings;
import io.kccr.core.index.ShardCommitData;
import io.kccr.core.mapping.FieldMapping;
import io.kccr.core.mapping.FieldType;
import io.kccr.core.mapping.Mappings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RestoreManifestTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static RestoreManifest manifest() {
        IndexMetadata meta = new IndexMetadata("geonames", "uuid-1", "hist-1", 1234L, IndexSettings.defaults(),
                Mappings.of(Map.of("name", FieldMapping.of(FieldType.KEYWORD))), 4, 2);
        ShardSnapshot s0 = new ShardSnapshot(0, 3, List.of(new StoreFile("_0.cfs", 1000, 4_000_000_000L),
                new StoreFile("segments_3", 356, 17)), new ShardCommitData(41, 42, "hist-1", 4).toUserData());
        ShardSnapshot s1 = new ShardSnapshot(1, 2, List.of(new StoreFile("segments_2", 120, 5)),
                ShardCommitData.empty("hist-1").toUserData());
        return RestoreManifest.of("session-1", meta, List.of(s0, s1));
    }

    @Test
    void aSessionOverSomeShardsNamesThemByIdAndTellsTheIndexsNumberOfShards() {
        IndexMetadata meta = new IndexMetadata("geonames", "uuid-1", "hist-1", 1234L, IndexSettings.fromJson(
                JSON.createObjectNode().put("number_of_shards", 4)), Mappings.of(Map.of()), 1, 1);
        ShardSnapshot s3 = new ShardSnapshot(3, 2, List.of(new StoreFile("segments_2", 120, 5)),
                ShardCommitData.empty("hist-1").toUserData());
        RestoreManifest part = RestoreManifest.of("session-2", meta, List.of(s3));
        assertThat(part.numberOfShards()).isEqualTo(4);
        assertThat(part.shard(3)).isEqualTo(s3);
        assertThat(part.shard(0)).as("not in the session").isNull();
        assertThat(manifest().shard(1).generation()).isEqualTo(2);
    }

    @Test
    void manifestRoundTripsThroughJson() throws Exception {
        RestoreManifest manifest = manifest();
        byte[] wire = JSON.writeValueAsBytes(manifest);
        assertThat(JSON.readValue(wire, RestoreManifest.class)).isEqualTo(manifest);
    }

    @Test
    void jsonIsSnakeCaseWithTheLeaderHistoryAndMappingVersionInTheMetadata() throws Exception {
        JsonNode json = JSON.valueToTree(manifest());
        assertThat(json.properties()).extracting(Map.Entry::getKey)
                .containsExactly("session_uuid", "index", "metadata", "shards");
        assertThat(json.get("session_uuid").asText()).isEqualTo("session-1");
        assertThat(json.get("index").asText()).isEqualTo("geonames");
        JsonNode metadata = json.get("metadata");
        assertThat(metadata.get("history_uuid").asText()).isEqualTo("hist-1");
        assertThat(metadata.get("mapping_version").asLong()).isEqualTo(4);
        assertThat(metadata.get("settings_version").asLong()).isEqualTo(2);
        assertThat(metadata.at("/mappings/properties/name/type").asText()).isEqualTo("keyword");
        assertThat(metadata.at("/settings/index/history_uuid").asText()).isEqualTo("hist-1");
        assertThat(metadata.at("/settings/index/uuid").asText()).isEqualTo("uuid-1");
        assertThat(metadata.has("aliases")).isTrue();

        JsonNode shard = json.at("/shards/0");
        assertThat(shard.properties()).extracting(Map.Entry::getKey)
                .containsExactly("shard", "generation", "files", "user_data");
        assertThat(shard.at("/files/0").toString()).isEqualTo("{\"name\":\"_0.cfs\",\"length\":1000,\"checksum\":4000000000}");
        assertThat(shard.at("/user_data/max_seq_no").asText()).isEqualTo("41");
        assertThat(shard.at("/user_data/kafka_next_offset").asText()).isEqualTo("42");

        RestoreManifest back = JSON.treeToValue(json, RestoreManifest.class);
        assertThat(back.historyUuid()).isEqualTo("hist-1");
        assertThat(back.mappingVersion()).isEqualTo(4);
        assertThat(back.shard(0).commitData()).isEqualTo(new ShardCommitData(41, 42, "hist-1", 4));
        assertThat(back.shard(0).segmentsFile().name()).isEqualTo("segments_3");
        assertThat(back.shard(0).file("_0.cfs").length()).isEqualTo(1000);
        assertThat(back.shard(0).file("_1.cfs")).isNull();
        assertThat(back.shard(0).totalBytes()).isEqualTo(1356);
    }

    @Test
    void storeFileAndShardSnapshotRoundTripAlone() throws Exception {
        StoreFile file = new StoreFile("_a.si", 7, 0xFFFFFFFFL);
        assertThat(JSON.readValue(JSON.writeValueAsBytes(file), StoreFile.class)).isEqualTo(file);
        ShardSnapshot snapshot = manifest().shard(0);
        assertThat(JSON.readValue(JSON.writeValueAsBytes(snapshot), ShardSnapshot.class)).isEqualTo(snapshot);
    }
}
