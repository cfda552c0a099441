package io.kccr.core.index;

import io.kccr.core.error.KccrException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kccr.core.mapping.FieldMapping;
import io.kccr.core.mapping.FieldType;
import io.kccr.core.mapping.Mappings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IndexMetadataTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void metadataRoundTripsThroughItsWireForm() throws Exception {
        IndexSettings settings = IndexSettings.fromJson(JSON.readTree(
                "{\"index\":{\"number_of_shards\":3,\"refresh_interval\":\"2s\",\"soft_deletes\":{\"enabled\":true}}}"));
        Mappings mappings = Mappings.fromJson(JSON.readTree(
                "{\"properties\":{\"name\":{\"type\":\"text\",\"fields\":{\"keyword\":{\"type\":\"keyword\"}}},"
                        + "\"loc\":{\"properties\":{\"lat\":{\"type\":\"double\"}}}}}"));
        IndexMetadata meta = new IndexMetadata("geonames", "uuid-1", "hist-1", 1234L, settings, mappings, 7, 2);

        byte[] wire = JSON.writeValueAsBytes(meta.toJson());
        assertThat(IndexMetadata.fromJson(JSON.readTree(wire))).isEqualTo(meta);
        assertThat(meta.numberOfShards()).isEqualTo(3);
        assertThat(settings.refreshInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.flat()).containsEntry("index.soft_deletes.enabled", "true");
    }

    @Test
    void newMappingsBumpTheMappingVersionOnlyWhenTheyChange() {
        IndexMetadata meta = new IndexMetadata("i", "u", "h", 0, IndexSettings.defaults(), Mappings.empty(), 1, 1);
        assertThat(meta.withMappings(Mappings.empty())).isSameAs(meta);
        IndexMetadata next = meta.withMappings(Mappings.of(Map.of("f", FieldMapping.of(FieldType.LONG))));
        assertThat(next.mappingVersion()).isEqualTo(2);
        assertThat(next.mappings().field("f").type()).isEqualTo(FieldType.LONG);
    }

    @Test
    void getIndexJsonHasElasticsearchsShape() {
        IndexMetadata meta = new IndexMetadata("i", "u", "h", 5, IndexSettings.defaults(), Mappings.empty(), 1, 1);
        var json = meta.toGetIndexJson();
        assertThat(json.path("settings").path("index").path("number_of_shards").asText()).isEqualTo("1");
        assertThat(json.path("settings").path("index").path("uuid").asText()).isEqualTo("u");
        assertThat(json.has("aliases")).isTrue();
    }

    @Test
    void badSettingsAreA400() throws Exception {
        assertThatThrownBy(() -> IndexSettings.fromJson(JSON.readTree("{\"number_of_shards\":0}")))
                .isInstanceOf(KccrException.class).hasMessageContaining("must be >= 1");
        assertThatThrownBy(() -> IndexSettings.fromJson(JSON.readTree("{\"refresh_interval\":\"soon\"}")))
                .isInstanceOf(KccrException.class).hasMessageContaining("time value");
    }

    @Test
    void commitDataRoundTrips() {
        ShardCommitData data = new ShardCommitData(41, 97, "h", 3);
        assertThat(ShardCommitData.fromUserData(data.toUserData())).isEqualTo(data);
        assertThat(ShardCommitData.fromUserData(Map.of())).isNull();
    }
}
