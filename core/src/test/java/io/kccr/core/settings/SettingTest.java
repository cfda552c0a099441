package io.kccr.core.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class SettingTest {

    private static final Setting<Integer> PORT = Setting.integer("http.port", 0, 65535)
            .defaultValue("9200").scope(Setting.Scope.NODE).doc("Port.").build();
    private static final Setting<TimeValue> TIMEOUT = Setting.time("write.timeout")
            .validator(t -> t.nanos() > 0)
            .accepted("a positive time value (e.g. 10s)")
            .defaultValue("10s").scope(Setting.Scope.CLUSTER).dynamic().doc("Timeout.").build();
    private static final Setting<ByteSizeValue> CHUNK = Setting.byteSize("chunk_size")
            .validator(b -> b.bytes() >= 1)
            .accepted("a byte size of at least 1b")
            .scope(Setting.Scope.INDEX).doc("Chunk.").build();

    @Test
    void theDefinitionIsWhatWasBuilt() {
        assertThat(PORT.key()).isEqualTo("http.port");
        assertThat(PORT.type()).isEqualTo(Setting.Type.INTEGER);
        assertThat(PORT.defaultValue()).contains("9200");
        assertThat(PORT.isDynamic()).isFalse();
        assertThat(PORT.scope()).isEqualTo(Setting.Scope.NODE);
        assertThat(PORT.accepted()).isEqualTo("an integer from 0 to 65535");
        assertThat(PORT.doc()).isEqualTo("Port.");
        assertThat(TIMEOUT.isDynamic()).isTrue();
        assertThat(TIMEOUT.type()).isEqualTo(Setting.Type.TIME);
        assertThat(CHUNK.defaultValue()).isEmpty();
        assertThat(CHUNK.scope()).isEqualTo(Setting.Scope.INDEX);
    }

    @Test
    void valuesAreParsedAndValidated() {
        assertThat(PORT.parse("9201")).isEqualTo(9201);
        assertThat(TIMEOUT.parse("250ms")).isEqualTo(TimeValue.ofMillis(250));
        assertThat(CHUNK.parse("8mb").bytes()).isEqualTo(8L << 20);
        assertThatThrownBy(() -> PORT.parse("65536"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("failed to parse value [65536] for setting [http.port]: expected an integer from 0 to 65535");
        assertThatThrownBy(() -> PORT.parse("banana"))
                .hasMessage("failed to parse value [banana] for setting [http.port]: expected an integer from 0 to 65535")
                .hasCauseInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> TIMEOUT.parse("0s"))
                .hasMessage("failed to parse value [0s] for setting [write.timeout]: expected a positive time value "
                        + "(e.g. 10s)");
        assertThatThrownBy(() -> TIMEOUT.parse("10"))
                .hasMessageStartingWith("failed to parse value [10] for setting [write.timeout]: expected")
                .cause().hasMessageContaining("unit is missing or unrecognized");
        assertThatThrownBy(() -> CHUNK.parse("-1"))
                .hasMessage("failed to parse value [-1] for setting [chunk_size]: expected a byte size of at least 1b");
        assertThatThrownBy(() -> PORT.parse(null)).hasMessage("setting [http.port] must not be null");
    }

    @Test
    void getTakesTheValueElseTheDefault() {
        Map<String, String> settings = new HashMap<>();
        assertThat(PORT.get(settings)).isEqualTo(9200);
        assertThat(CHUNK.find(settings)).isEmpty();
        assertThatThrownBy(() -> CHUNK.get(settings)).isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("[chunk_size] is not set and has no default");
        settings.put("http.port", null); // not set
        assertThat(PORT.get(settings)).isEqualTo(9200);
        settings.put("http.port", "0");
        settings.put("chunk_size", "1kb");
        assertThat(PORT.get(settings)).isZero();
        assertThat(CHUNK.get(settings).bytes()).isEqualTo(1024);
        settings.put("http.port", "-1");
        assertThatThrownBy(() -> PORT.get(settings)).hasMessageStartingWith("failed to parse value [-1]");
    }

    @Test
    void otherTypes() {
        Setting<Boolean> flag = Setting.bool("flag").defaultValue("false").scope(Setting.Scope.CLUSTER).doc("d")
                .build();
        assertThat(flag.parse("true")).isTrue();
        assertThat(flag.get(Map.of())).isFalse();
        assertThatThrownBy(() -> flag.parse("yes")).hasMessage("failed to parse value [yes] for setting [flag]: "
                + "expected true or false");
        Setting<List<String>> hosts = Setting.list("hosts", h -> {
            if (h.isEmpty()) {
                throw new IllegalArgumentException("empty");
            }
            return h.toUpperCase();
        }).accepted("a comma-separated list of hosts").scope(Setting.Scope.NODE).doc("d").build();
        assertThat(hosts.parse("a, b")).containsExactly("A", "B");
        assertThat(hosts.type()).isEqualTo(Setting.Type.LIST);
        assertThatThrownBy(() -> hosts.parse("a,,b")).hasMessageStartingWith("failed to parse value [a,,b]");
        Setting<java.nio.file.Path> path = Setting.path("path.data").defaultValue("./data")
                .scope(Setting.Scope.NODE).doc("d").build();
        assertThat(path.get(Map.of())).isEqualTo(java.nio.file.Path.of("./data"));
        assertThatThrownBy(() -> path.parse(" ")).hasMessageContaining("expected a file system path");
    }

    @Test
    void anIncompleteDefinitionOrABadDefaultFailsWhenBuilt() {
        assertThatThrownBy(() -> Setting.integer("n", 1, 10).defaultValue("0").scope(Setting.Scope.NODE).doc("d")
                .build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("failed to parse value [0] for setting [n]: expected an integer from 1 to 10");
        assertThatThrownBy(() -> Setting.integer("n", 1, 10).scope(Setting.Scope.NODE).build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("[n] needs a doc");
        assertThatThrownBy(() -> Setting.integer("n", 1, 10).doc("d").build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("[n] needs a scope");
        assertThatThrownBy(() -> Setting.string("s").scope(Setting.Scope.NODE).doc("d").build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("[s] needs what it accepts");
    }

    // ------------------------------------------------------------------------------------------ families

    private static final AffixSetting<String> PREFIX = AffixSetting.of("cluster.remote.", "topic_prefix",
            key -> Setting.string(key).validator(v -> !v.isEmpty()).accepted("a prefix").defaultValue("ccr")
                    .scope(Setting.Scope.CLUSTER).dynamic().doc("The remote's prefix.").build());
    private static final AffixSetting<String> KAFKA = AffixSetting.group("cluster.remote.", "kafka.",
            "<client property>", key -> Setting.string(key).accepted("anything").scope(Setting.Scope.CLUSTER)
                    .dynamic().doc("Kafka.").build());

    @Test
    void affixSettingsSplitKeysAndShareOneDefinition() {
        assertThat(PREFIX.pattern().key()).isEqualTo("cluster.remote.<name>.topic_prefix");
        assertThat(KAFKA.pattern().key()).isEqualTo("cluster.remote.<name>.kafka.<client property>");
        assertThat(PREFIX.name("cluster.remote.leader.topic_prefix")).contains("leader");
        assertThat(PREFIX.name("cluster.remote..topic_prefix")).contains("");
        assertThat(PREFIX.name("cluster.remote.leader.seeds")).isEmpty();
        assertThat(PREFIX.name("cluster.remote.leader")).isEmpty();
        assertThat(PREFIX.name("other.leader.topic_prefix")).isEmpty();
        assertThat(KAFKA.name("cluster.remote.leader.kafka.security.protocol")).contains("leader");
        assertThat(KAFKA.name("cluster.remote.leader.kafka.")).isEmpty();
        assertThat(KAFKA.matchesSuffix("kafka.acks")).isTrue();
        assertThat(KAFKA.matchesSuffix("kafka.")).isFalse();
        assertThat(PREFIX.key("dc2")).isEqualTo("cluster.remote.dc2.topic_prefix");
        assertThat(KAFKA.key("dc2")).isEqualTo("cluster.remote.dc2.kafka.");

        Setting<String> dc2 = PREFIX.forName("dc2");
        assertThat(dc2.key()).isEqualTo("cluster.remote.dc2.topic_prefix");
        assertThat(dc2.isDynamic()).isTrue();
        assertThat(dc2.get(Map.of())).isEqualTo("ccr");
        assertThat(dc2.get(Map.of("cluster.remote.dc2.topic_prefix", "prod"))).isEqualTo("prod");
        assertThatThrownBy(() -> dc2.parse("")).hasMessage("failed to parse value [] for setting "
                + "[cluster.remote.dc2.topic_prefix]: expected a prefix");
        assertThat(KAFKA.forKey("cluster.remote.dc2.kafka.acks").key()).isEqualTo("cluster.remote.dc2.kafka.acks");
        assertThatThrownBy(() -> KAFKA.forKey("cluster.remote.dc2.seeds")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KAFKA.forName("dc2")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void prefixSettingsPassAGroupThrough() {
        PrefixSetting<String> kafka = new PrefixSetting<>("kafka.", "<client property>", List.of("kafka.embedded."),
                key -> Setting.string(key).accepted("anything").scope(Setting.Scope.NODE).doc("Kafka.").build());
        assertThat(kafka.pattern().key()).isEqualTo("kafka.<client property>");
        assertThat(kafka.matches("kafka.security.protocol")).isTrue();
        assertThat(kafka.matches("kafka.")).isFalse();
        assertThat(kafka.matches("kafka.embedded.port")).isFalse();
        assertThat(kafka.matches("kafkaesque")).isFalse();
        assertThat(kafka.forKey("kafka.acks").map(Setting::key)).contains("kafka.acks");
        assertThat(kafka.forKey("http.port")).isEmpty();
        Map<String, String> settings = new HashMap<>(Map.of("kafka.acks", "all", "kafka.bootstrap.servers", "b:1",
                "kafka.embedded.port", "0", "http.port", "1"));
        settings.put("kafka.linger.ms", null);
        assertThat(kafka.values(settings, "kafka.bootstrap.servers"::equals))
                .containsExactly(Map.entry("acks", "all"));
    }
}
