package io.kccr.node.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kccr.core.settings.ByteSizeValue;
import io.kccr.core.settings.Setting;
import io.kccr.core.settings.TimeValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeSettingsTest {

    @TempDir
    Path dir;

    private Path yml(String text) throws Exception {
        Path file = dir.resolve("kccr.yml");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void defaults() {
        NodeSettings s = NodeSettings.of(Map.of());
        assertThat(s.clusterName()).isEqualTo("kccr");
        assertThat(s.nodeName()).isEqualTo("node-1");
        assertThat(s.httpHost()).isEqualTo("127.0.0.1");
        assertThat(s.httpPort()).isEqualTo(9200);
        assertThat(s.httpMaxContentLength()).isEqualTo(100L * 1024 * 1024);
        assertThat(s.dataPath()).isEqualTo(Path.of("./data"));
        assertThat(s.kafkaBootstrapServers()).isEmpty();
        assertThat(s.kafkaEmbeddedPort()).isEqualTo(9092);
        assertThat(s.topicPrefix()).isEqualTo("ccr");
        assertThat(s.opsCleanupPolicy()).isEqualTo("compact");
        assertThat(s.writeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.kafkaClientProperties()).isEmpty();
        assertThat(s.asMap()).isEmpty();
        assertThat(NodeSettings.load(null, null)).isEqualTo(s);
        assertThat(NodeSettings.defaults()).isEqualTo(s);
    }

    @Test
    void everyDefinitionHasAParseableDefaultAndADoc() {
        assertThat(NodeSettings.definitions()).isNotEmpty();
        for (Setting<?> d : NodeSettings.definitions()) {
            assertThat(d.doc()).as(d.key()).isNotBlank();
            assertThat(d.accepted()).as(d.key()).isNotBlank();
            d.defaultValue().ifPresent(d::parse);
        }
        assertThat(NodeSettings.definitions()).extracting(Setting::key).contains(
                "cluster.name", "node.name", "http.host", "http.port", "http.max_content_length", "path.data",
                "kafka.bootstrap.servers", "kafka.embedded.port", "ccr.topic.prefix", "ccr.ops.cleanup_policy",
                "ccr.write.timeout");
    }

    @Test
    void explicitValues() {
        NodeSettings s = NodeSettings.of(Map.of(
                "cluster.name", "leader",
                "http.port", "0",
                "http.max_content_length", "1.5kb",
                "kafka.bootstrap.servers", "broker-1:9092, broker-2:9093",
                "ccr.ops.cleanup_policy", "compact,delete",
                "ccr.write.timeout", "250ms",
                "path.data", "/var/lib/kccr"));
        assertThat(s.clusterName()).isEqualTo("leader");
        assertThat(s.httpPort()).isZero();
        assertThat(s.httpMaxContentLength()).isEqualTo(1536);
        assertThat(s.kafkaBootstrapServers()).contains("broker-1:9092, broker-2:9093");
        assertThat(s.opsCleanupPolicy()).isEqualTo("compact,delete");
        assertThat(s.writeTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(s.dataPath()).isEqualTo(Path.of("/var/lib/kccr"));
        assertThat(s.asMap()).hasSize(7).containsEntry("http.port", "0");
        // bootstrap servers are not a passthrough client property
        assertThat(s.kafkaClientProperties()).isEmpty();
    }

    @Test
    void byteSizesAndTimeValues() {
        assertThat(ByteSizeValue.parse("512b", "s").bytes()).isEqualTo(512);
        assertThat(ByteSizeValue.parse("64KB", "s").bytes()).isEqualTo(64 * 1024);
        assertThat(ByteSizeValue.parse("2gb", "s").bytes()).isEqualTo(2L << 30);
        assertThat(TimeValue.parse("2m", "s").toDuration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(TimeValue.parse("1h", "s").toDuration()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void ymlNested() throws Exception {
        NodeSettings s = NodeSettings.load(yml("""
                cluster:
                  name: leader
                http:
                  port: 9201
                  max_content_length: 10mb
                kafka:
                  bootstrap:
                    servers: [a:9092, b:9092]
                  security.protocol: SASL_SSL
                ccr:
                  ops:
                    cleanup_policy: delete
                """), Map.of());
        assertThat(s.clusterName()).isEqualTo("leader");
        assertThat(s.httpPort()).isEqualTo(9201);
        assertThat(s.httpMaxContentLength()).isEqualTo(10L << 20);
        assertThat(s.kafkaBootstrapServers()).contains("a:9092,b:9092");
        assertThat(s.kafkaClientProperties()).containsExactly(Map.entry("security.protocol", "SASL_SSL"));
        assertThat(s.opsCleanupPolicy()).isEqualTo("delete");
    }

    @Test
    void ymlFlat() throws Exception {
        NodeSettings s = NodeSettings.load(yml("""
                cluster.name: leader
                http.port: 9201
                ccr.write.timeout: 30s
                kafka.embedded.port: 19092
                """), null);
        assertThat(s.clusterName()).isEqualTo("leader");
        assertThat(s.httpPort()).isEqualTo(9201);
        assertThat(s.writeTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.kafkaEmbeddedPort()).isEqualTo(19092);
        assertThat(s.asMap()).containsOnlyKeys("cluster.name", "http.port", "ccr.write.timeout", "kafka.embedded.port");
    }

    @Test
    void emptyYmlHasNoSettings() throws Exception {
        assertThat(NodeSettings.load(yml("# nothing here\n"), Map.of()).asMap()).isEmpty();
    }

    @Test
    void overridesWinOverYml() throws Exception {
        Path file = yml("""
                http:
                  port: 9201
                node.name: from-yml
                kafka.bootstrap.servers: a:9092
                """);
        Map<String, String> overrides = new HashMap<>();
        overrides.put("http.port", "9300");
        overrides.put("kafka.bootstrap.servers", null); // unset: back to the embedded broker
        NodeSettings s = NodeSettings.load(file, overrides);
        assertThat(s.httpPort()).isEqualTo(9300);
        assertThat(s.nodeName()).isEqualTo("from-yml");
        assertThat(s.kafkaBootstrapServers()).isEmpty();
    }

    @Test
    void kafkaPassthrough() {
        NodeSettings s = NodeSettings.of(Map.of(
                "kafka.security.protocol", "SASL_SSL",
                "kafka.sasl.mechanism", "PLAIN",
                "kafka.sasl.jaas.config", "secret-stuff",
                "kafka.bootstrap.servers", "b:9092",
                "kafka.embedded.port", "0"));
        assertThat(s.kafkaClientProperties()).containsExactly(
                Map.entry("sasl.jaas.config", "secret-stuff"),
                Map.entry("sasl.mechanism", "PLAIN"),
                Map.entry("security.protocol", "SASL_SSL"));
        assertThat(s.kafkaEmbeddedPort()).isZero();
        assertThat(s.toString()).doesNotContain("secret-stuff").contains("security.protocol=SASL_SSL");
    }

    @Test
    void unknownKeyIsRejectedWithTheElasticsearchMessage() {
        String expected = "unknown setting [nonsense] please check that any required plugins are installed, "
                + "or check the breaking changes documentation for removed settings";
        assertThatThrownBy(() -> NodeSettings.of(Map.of("nonsense", "1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(expected);
        assertThatThrownBy(() -> NodeSettings.load(null, Map.of("nonsense", "1"))).hasMessage(expected);
        assertThatThrownBy(() -> NodeSettings.defaults().with("nonsense", "1")).hasMessage(expected);
        assertThatThrownBy(() -> NodeSettings.of(Map.of("kafka.embedded.nope", "1")))
                .hasMessageStartingWith("unknown setting [kafka.embedded.nope] please check");
        assertThatThrownBy(() -> NodeSettings.of(Map.of("kafka.", "1")))
                .hasMessageStartingWith("unknown setting [kafka.] please check");
    }

    @Test
    void unknownKeyInYmlIsRejected() throws Exception {
        Path file = yml("http:\n  prot: 9201\n");
        assertThatThrownBy(() -> NodeSettings.load(file, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown setting [http.prot] please check");
    }

    @Test
    void badByteSizeIsRejected() {
        for (String bad : new String[] {"100", "100tb", "mb", "-1mb", "0b", "3gb", "100 mb"}) {
            assertThatThrownBy(() -> NodeSettings.of(Map.of("http.max_content_length", bad)))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("[" + bad + "]")
                    .hasMessageContaining("[http.max_content_length]")
                    .hasMessageContaining("b, kb, mb or gb");
        }
    }

    @Test
    void badTimeValueIsRejected() {
        for (String bad : new String[] {"10", "10sec", "0s", "-5s", "1.5s", "s"}) {
            assertThatThrownBy(() -> NodeSettings.of(Map.of("ccr.write.timeout", bad)))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("failed to parse value [" + bad + "] for setting [ccr.write.timeout]: expected "
                            + "a positive time value with unit ms, s, m or h (e.g. 10s)");
        }
    }

    @Test
    void otherBadValuesAreRejected() {
        assertThatThrownBy(() -> NodeSettings.of(Map.of("http.port", "65536")))
                .hasMessage("failed to parse value [65536] for setting [http.port]: expected an integer from 0 to 65535");
        assertThatThrownBy(() -> NodeSettings.of(Map.of("ccr.ops.cleanup_policy", "keep")))
                .hasMessageContaining("[keep]").hasMessageContaining("compact, delete, compact,delete");
        assertThatThrownBy(() -> NodeSettings.of(Map.of("ccr.topic.prefix", "bad/prefix")))
                .hasMessageContaining("[ccr.topic.prefix]");
        assertThatThrownBy(() -> NodeSettings.of(Map.of("kafka.bootstrap.servers", "localhost")))
                .hasMessageContaining("host:port");
        assertThatThrownBy(() -> NodeSettings.of(Map.of("cluster.name", "")))
                .hasMessageContaining("[cluster.name]");
    }

    @Test
    void badYmlIsRejected() throws Exception {
        assertThatThrownBy(() -> NodeSettings.load(dir.resolve("missing.yml"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not exist");
        Path list = yml("- a\n- b\n");
        assertThatThrownBy(() -> NodeSettings.load(list, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mapping");
        Path dup = yml("http.port: 1\nhttp:\n  port: 2\n");
        assertThatThrownBy(() -> NodeSettings.load(dup, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate setting [http.port]");
        Path broken = yml("http: [unclosed\n");
        assertThatThrownBy(() -> NodeSettings.load(broken, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid YAML");
    }

    @Test
    void withIsAValidatedCopy() {
        NodeSettings base = NodeSettings.of(Map.of("http.port", "9201"));
        NodeSettings changed = base.with("http.port", "0").with("kafka.acks", "all");
        assertThat(base.httpPort()).isEqualTo(9201);
        assertThat(changed.httpPort()).isZero();
        assertThat(changed.kafkaClientProperties()).containsEntry("acks", "all");
        assertThat(changed.with("http.port", null).httpPort()).isEqualTo(9200);
        assertThat(changed.get("http.port")).contains("0");
        assertThat(changed.get("node.name")).contains("node-1");
        assertThat(changed.get("kafka.bootstrap.servers")).isEqualTo(Optional.empty());
        assertThatThrownBy(() -> base.with("http.port", "x"))
                .hasMessageStartingWith("failed to parse value [x] for setting [http.port]");
        assertThatThrownBy(() -> base.asMap().put("a", "b")).isInstanceOf(UnsupportedOperationException.class);
    }
}
