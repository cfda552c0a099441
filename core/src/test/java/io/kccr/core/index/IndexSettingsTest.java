package io.kccr.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kccr.core.error.KccrException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class IndexSettingsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static IndexSettings parse(String json) throws Exception {
        return IndexSettings.fromJson(JSON.readTree(json));
    }

    @Test
    void refreshIntervalTakesElasticsearchsTimeValues() throws Exception {
        assertThat(IndexSettings.defaults().refreshInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(parse("{\"refresh_interval\":\"500ms\"}").refreshInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(parse("{\"index\":{\"refresh_interval\":\"1d\"}}").refreshInterval()).isEqualTo(Duration.ofDays(1));
        assertThat(parse("{\"refresh_interval\":\" 2S \"}").refreshInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(parse("{\"refresh_interval\":\"-1\"}").refreshInterval()).isNull();
        assertThat(parse("{\"refresh_interval\":-1}").refreshInterval()).isNull();
    }

    @Test
    void badValuesAreA400InTheSettingsWording() {
        for (String bad : new String[] {"0s", "500micros", "-5s", "soon", "1.5s", "10"}) {
            assertThatThrownBy(() -> parse("{\"refresh_interval\":\"" + bad + "\"}")).as(bad)
                    .isInstanceOfSatisfying(KccrException.class,
                            e -> assertThat(e.type()).isEqualTo("illegal_argument_exception"))
                    .hasMessage("failed to parse value [" + bad + "] for setting [index.refresh_interval]: expected "
                            + "a time value of at least 1ms (e.g. 1s), or -1 to disable the periodic refresh");
        }
        assertThatThrownBy(() -> parse("{\"number_of_shards\":\"three\"}"))
                .hasMessage("failed to parse value [three] for setting [index.number_of_shards]: expected an integer "
                        + "that must be >= 1 and <= 1024");
        assertThatThrownBy(() -> parse("{\"number_of_shards\":1025}")).hasMessageContaining("<= 1024");
        assertThatThrownBy(() -> parse("{\"number_of_replicas\":-1}")).hasMessageContaining("must be >= 0");
    }

    @Test
    void definitionsAreIndexScopedWithDefaults() {
        assertThat(IndexSettings.DEFINITIONS).extracting(s -> s.key() + "=" + s.defaultValue().orElse(""))
                .containsExactly("index.number_of_shards=1", "index.number_of_replicas=1", "index.refresh_interval=1s",
                        "index.search.idle.after=30s",
                        "index.max_result_window=10000", "index.mapping.total_fields.limit=1000",
                        "index.mapping.depth.limit=20", "index.mapping.field_name_length.limit=2147483647",
                        "index.mapping.nested_objects.limit=10000");
        assertThat(IndexSettings.defaults().numberOfShards()).isEqualTo(1);
        assertThat(IndexSettings.defaults().numberOfReplicas()).isEqualTo(1);
    }
}
