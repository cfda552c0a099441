package io.kccr.node.settings;

import io.kccr.core.error.NotFoundException;
import io.kccr.core.error.UnavailableException;
import io.kccr.core.error.KccrException;
import io.kccr.node.remote.RemoteCluster;
import io.kccr.node.remote.RemoteClusters;
import io.kccr.node.remote.RemoteStatus;
import io.kccr.node.remote.ResolvedRemote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code cluster.remote.*} and other dynamic settings: parsing, validation, layers, persistence, resolving. */
class RemoteClusterSettingsTest {

    @TempDir
    Path dir;

    private static Map<String, String> map(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    // ------------------------------------------------------------------------------------------ node settings

    @Test
    void nodeSettingsAcceptRemoteAndRecoverySettings() {
        NodeSettings s = NodeSettings.of(map(
                "cluster.remote.leader.seeds", "127.0.0.1:9200, http://leader-2:9201",
                "cluster.remote.leader.skip_unavailable", "true",
                "cluster.remote.leader.kafka.security.protocol", "SASL_SSL",
                "cluster.remote.leader.kafka.sasl.jaas.config", "secret-stuff",
                "cluster.remote.dc-2.http", "https://dc2.example.com:9243",
                "cluster.remote.dc-2.kafka.bootstrap.servers", "k1:9092,k2:9092",
                "cluster.remote.dc-2.topic_prefix", "prod.ccr",
                "ccr.indices.recovery.max_bytes_per_sec", "20mb",
                "ccr.indices.recovery.chunk_size", "512kb",
                "ccr.indices.recovery.max_concurrent_file_chunks", "10"));
        assertThat(s.asMap()).hasSize(10);
        // the remote's Kafka properties are not this node's Kafka client properties
        assertThat(s.kafkaClientProperties()).isEmpty();
        assertThat(s.toString()).doesNotContain("secret-stuff");
    }

    @Test
    void nestedYamlRemoteSettings() throws Exception {
        Path yml = Files.writeString(dir.resolve("kccr.yml"), """
                cluster:
                  name: follower
                  remote:
                    leader:
                      seeds: [127.0.0.1:9200, "http://127.0.0.1:9201"]
                      kafka:
                        security.protocol: SSL
                """);
        NodeSettings s = NodeSettings.load(yml, Map.of());
        assertThat(s.asMap()).containsEntry("cluster.remote.leader.seeds", "127.0.0.1:9200,http://127.0.0.1:9201")
                .containsEntry("cluster.remote.leader.kafka.security.protocol", "SSL");
        RemoteCluster r = RemoteCluster.fromSettings("leader", s.asMap());
        assertThat(r.seeds()).containsExactly("http://127.0.0.1:9200", "http://127.0.0.1:9201");
        assertThat(r.kafkaClientProperties()).containsExactly(Map.entry("security.protocol", "SSL"));
        assertThat(r.needsDiscovery()).isTrue();
    }

    @Test
    void malformedRemoteNamesAreRejected() {
        for (String key : List.of("cluster.remote..seeds", "cluster.remote.a.b.seeds", "cluster.remote.a:b.seeds",
                "cluster.remote.x.y.kafka.acks", "cluster.remote.*.http")) {
            assertThatThrownBy(() -> NodeSettings.of(map(key, "127.0.0.1:9200"))).as(key)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("invalid remote cluster name [")
                    .hasMessageContaining("[" + key + "]")
                    .hasMessageContaining("must be non-empty and must not contain '.'");
        }
        assertThatThrownBy(() -> NodeSettings.of(map("cluster.remote.a.b.seeds", "x:1")))
                .hasMessageStartingWith("invalid remote cluster name [a.b]");
    }

    @Test
    void unknownRemoteKeysAreUnknownSettings() {
        for (String key : List.of("cluster.remote.leader", "cluster.remote.leader.nonsense", "cluster.remote.x.kafka.",
                "ccr.indices.recovery.nonsense")) {
            assertThatThrownBy(() -> NodeSettings.of(map(key, "1"))).as(key)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("unknown setting [" + key + "] please check that any required plugins are installed, "
                            + "or check the breaking changes documentation for removed settings");
        }
    }

    @Test
    void badRemoteAndRecoveryValuesAreRejected() {
        String[][] bad = {
            {"cluster.remote.r.seeds", "localhost"},
            {"cluster.remote.r.seeds", "ftp://a:1"},
            {"cluster.remote.r.seeds", "a:0"},
            {"cluster.remote.r.seeds", "a:1,,b:2"},
            {"cluster.remote.r.seeds", "http://a:1/path"},
            {"cluster.remote.r.http", "a:1,b:2"},
            {"cluster.remote.r.kafka.bootstrap.servers", "kafka"},
            {"cluster.remote.r.topic_prefix", "bad/prefix"},
            {"cluster.remote.r.skip_unavailable", "yes"},
            {"ccr.indices.recovery.max_bytes_per_sec", "fast"},
            {"ccr.indices.recovery.chunk_size", "0b"},
            {"ccr.indices.recovery.chunk_size", "3gb"},
            {"ccr.indices.recovery.max_concurrent_file_chunks", "0"},
            {"ccr.indices.recovery.max_concurrent_file_chunks", "11"},
            {"ccr.indices.recovery.max_concurrent_file_chunks", "two"},
        };
        for (String[] kv : bad) {
            assertThatThrownBy(() -> NodeSettings.of(map(kv[0], kv[1]))).as(kv[0] + "=" + kv[1])
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("failed to parse value [" + kv[1] + "] for setting [" + kv[0]
                            + "]: expected ");
        }
    }

    @Test
    void httpAddressesAreNormalized() {
        assertThat(RemoteClusterSettings.normalizeHttpAddress("127.0.0.1:9200")).isEqualTo("http://127.0.0.1:9200");
        assertThat(RemoteClusterSettings.normalizeHttpAddress(" HTTP://host:1/ ")).isEqualTo("http://host:1");
        assertThat(RemoteClusterSettings.normalizeHttpAddress("https://h.example.com:9243"))
                .isEqualTo("https://h.example.com:9243");
        assertThat(RemoteClusterSettings.normalizeHttpAddress("[::1]:9200")).isEqualTo("http://[::1]:9200");
    }

    // ------------------------------------------------------------------------------------------ cluster settings

    @Test
    void onlyDynamicSettingsCanBeUpdatedWithElasticsearchMessages() {
        ClusterSettings cs = ClusterSettings.load(dir, NodeSettings.defaults());
        assertThatThrownBy(() -> cs.update(map("cluster.name", "x"), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("persistent setting [cluster.name], not dynamically updateable");
        assertThatThrownBy(() -> cs.update(null, map("kafka.security.protocol", "SSL")))
                .hasMessage("transient setting [kafka.security.protocol], not dynamically updateable");
        assertThatThrownBy(() -> cs.update(map("foo.bar", "1"), null))
                .hasMessage("persistent setting [foo.bar], not recognized");
        assertThatThrownBy(() -> cs.update(null, map("cluster.remote.x.nonsense", "1")))
                .hasMessage("transient setting [cluster.remote.x.nonsense], not recognized");
        assertThatThrownBy(() -> cs.update(map("ccr.indices.recovery.max_concurrent_file_chunks", "11"), null))
                .hasMessageStartingWith("failed to parse value [11] for setting "
                        + "[ccr.indices.recovery.max_concurrent_file_chunks]: expected an integer from 1 to 10");
        // all or nothing: a bad key next to a good one changes nothing
        assertThatThrownBy(() -> cs.update(map("cluster.remote.ok.seeds", "a:1", "nope", "1"), null))
                .hasMessage("persistent setting [nope], not recognized");
        assertThat(cs.persistent()).isEmpty();
        assertThat(Files.exists(dir.resolve(ClusterSettings.FILE_NAME))).isFalse();
    }

    @Test
    void layersTransientOverPersistentOverNodeLevel() {
        ClusterSettings cs = ClusterSettings.load(dir, NodeSettings.of(map(
                "ccr.indices.recovery.max_bytes_per_sec", "10mb", "http.port", "0")));
        assertThat(cs.nodeLevel()).containsOnlyKeys("ccr.indices.recovery.max_bytes_per_sec");
        assertThat(cs.recoveryMaxBytesPerSec()).isEqualTo(10L << 20);
        assertThat(cs.recoveryChunkSize()).isEqualTo(8L << 20);
        assertThat(cs.recoveryMaxConcurrentFileChunks()).isEqualTo(5);
        cs.update(map("ccr.indices.recovery.max_bytes_per_sec", "20mb"), null);
        assertThat(cs.recoveryMaxBytesPerSec()).isEqualTo(20L << 20);
        cs.update(null, map("ccr.indices.recovery.max_bytes_per_sec", "30mb"));
        assertThat(cs.recoveryMaxBytesPerSec()).isEqualTo(30L << 20);
        cs.update(null, map("ccr.indices.recovery.max_bytes_per_sec", null));
        assertThat(cs.recoveryMaxBytesPerSec()).isEqualTo(20L << 20);
        cs.update(map("ccr.indices.recovery.max_bytes_per_sec", null), null);
        assertThat(cs.recoveryMaxBytesPerSec()).isEqualTo(10L << 20);
        assertThat(cs.get("ccr.indices.recovery.chunk_size")).contains("8mb");
    }

    @Test
    void persistentSettingsSurviveReloadTransientOnesDoNot() throws Exception {
        ClusterSettings cs = ClusterSettings.load(dir, NodeSettings.defaults());
        cs.update(map("cluster.remote.leader.seeds", "127.0.0.1:9200", "cluster.remote.leader.kafka.acks", "all"),
                map("cluster.remote.temp.seeds", "127.0.0.1:9201"));
        Path file = dir.resolve(ClusterSettings.FILE_NAME);
        assertThat(file).exists();
        assertThat(dir.resolve(ClusterSettings.FILE_NAME + ".tmp")).doesNotExist();
        Files.writeString(dir.resolve(ClusterSettings.FILE_NAME + ".tmp"), "{half a write"); // a crash mid-write

        ClusterSettings reloaded = ClusterSettings.load(dir, NodeSettings.defaults());
        assertThat(reloaded.persistent()).containsOnly(
                Map.entry("cluster.remote.leader.seeds", "127.0.0.1:9200"),
                Map.entry("cluster.remote.leader.kafka.acks", "all"));
        assertThat(reloaded.transientSettings()).isEmpty();
        assertThat(new RemoteClusters(reloaded).names()).containsExactly("leader");
        assertThat(dir.resolve(ClusterSettings.FILE_NAME + ".tmp")).doesNotExist();
    }

    @Test
    void nullUnsetsAndWildcardUnsetsAll() {
        ClusterSettings cs = ClusterSettings.inMemory(NodeSettings.defaults());
        cs.update(map("cluster.remote.a.seeds", "h:1", "cluster.remote.a.skip_unavailable", "true",
                "cluster.remote.b.seeds", "h:2"), null);
        assertThatThrownBy(() -> cs.update(map("cluster.remote.a.seeds", null), null))
                .hasMessage("Cannot configure setting [cluster.remote.a.skip_unavailable] if remote cluster is not "
                        + "enabled.");
        cs.update(map("cluster.remote.a.*", null), null);
        assertThat(cs.persistent()).containsOnlyKeys("cluster.remote.b.seeds");
        cs.update(map("cluster.remote.b.seeds", null), null);
        assertThat(cs.persistent()).isEmpty();
        assertThatThrownBy(() -> cs.update(null, map("cluster.remote.c.skip_unavailable", "true")))
                .hasMessage("Cannot configure setting [cluster.remote.c.skip_unavailable] if remote cluster is not "
                        + "enabled.");
    }

    @Test
    void invalidPersistedSettingsAreArchivedAndCorruptFilesNamed() throws Exception {
        Path file = dir.resolve(ClusterSettings.FILE_NAME);
        Files.writeString(file, """
                {"persistent": {"cluster.remote.ok.seeds": "h:1", "ccr.gone.setting": "x",
                                "ccr.indices.recovery.chunk_size": "-1"}}""");
        ClusterSettings cs = ClusterSettings.load(dir, NodeSettings.defaults());
        assertThat(cs.persistent()).containsOnly(
                Map.entry("cluster.remote.ok.seeds", "h:1"),
                Map.entry("archived.ccr.gone.setting", "x"),
                Map.entry("archived.ccr.indices.recovery.chunk_size", "-1"));
        assertThat(cs.current()).containsOnlyKeys("cluster.remote.ok.seeds");
        cs.update(map("archived.*", null), null);
        assertThat(cs.persistent()).containsOnlyKeys("cluster.remote.ok.seeds");
        assertThat(Files.readString(file)).doesNotContain("archived");

        Files.writeString(file, "{not json");
        assertThatThrownBy(() -> ClusterSettings.load(dir, NodeSettings.defaults()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("not valid JSON");
    }

    @Test
    void listenersSeeEffectiveChanges() {
        ClusterSettings cs = ClusterSettings.inMemory(NodeSettings.of(map("cluster.remote.n.seeds", "h:1")));
        List<ClusterSettingsChange> seen = new ArrayList<>();
        cs.addListener(seen::add);
        cs.update(map("cluster.remote.n.seeds", "h:1"), null); // same effective value: no notification
        assertThat(seen).isEmpty();
        cs.update(map("ccr.indices.recovery.chunk_size", "2mb", "cluster.remote.p.http", "h:2",
                "cluster.remote.p.kafka.bootstrap.servers", "k:9092"), null);
        assertThat(seen).hasSize(1);
        ClusterSettingsChange change = seen.get(0);
        assertThat(change.changedKeys()).containsExactly("ccr.indices.recovery.chunk_size", "cluster.remote.p.http",
                "cluster.remote.p.kafka.bootstrap.servers");
        assertThat(change.changedRemotes()).containsExactly("p");
        assertThat(change.changed("ccr.indices.recovery.")).isTrue();
        assertThat(change.after()).containsEntry("cluster.remote.n.seeds", "h:1");
    }

    // ------------------------------------------------------------------------------------------ remote clusters

    @Test
    void explicitRemoteResolvesWithoutNetwork() {
        ClusterSettings cs = ClusterSettings.inMemory(NodeSettings.of(map(
                "cluster.remote.dc2.http", "dc2:9200",
                "cluster.remote.dc2.kafka.bootstrap.servers", "k1:9092,k2:9092",
                "cluster.remote.dc2.kafka.security.protocol", "SSL",
                "cluster.remote.dc3.kafka.bootstrap.servers", "k3:9092",
                "cluster.remote.dc3.topic_prefix", "other")));
        try (RemoteClusters remotes = new RemoteClusters(cs)) {
            assertThat(remotes.names()).containsExactly("dc2", "dc3");
            ResolvedRemote dc2 = remotes.resolve("dc2");
            assertThat(dc2.httpAddress()).isEqualTo("http://dc2:9200");
            assertThat(dc2.topicPrefix()).isEqualTo("ccr");
            assertThat(dc2.topics().indices()).isEqualTo("ccr.indices");
            assertThat(dc2.bootstrapServers()).isEqualTo("k1:9092,k2:9092");
            assertThat(dc2.kafkaClientProperties()).containsOnly(Map.entry("bootstrap.servers", "k1:9092,k2:9092"),
                    Map.entry("security.protocol", "SSL"));
            ResolvedRemote dc3 = remotes.resolve("dc3");
            assertThat(dc3.httpAddress()).isNull();
            assertThat(dc3.topicPrefix()).isEqualTo("other");
            assertThat(remotes.skipUnavailable("dc3")).isFalse();
        }
    }

    @Test
    void unknownRemoteIsNoSuchRemoteCluster() {
        try (RemoteClusters remotes = new RemoteClusters(ClusterSettings.inMemory(NodeSettings.defaults()))) {
            KccrException e = catchThrowableOfType(KccrException.class, () -> remotes.resolve("nope"));
            assertThat(e.type()).isEqualTo("no_such_remote_cluster_exception");
            assertThat(e.reason()).isEqualTo("no such remote cluster: [nope]");
            assertThat(e).isInstanceOf(NotFoundException.class);
            assertThat(remotes.get("nope")).isEmpty();
        }
    }

    @Test
    void seedsAreAskedInOrderAndTheAnswerIsCached() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        AtomicInteger asked = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(RemoteClusters.DISCOVERY_PATH, exchange -> {
            asked.incrementAndGet();
            byte[] body = """
                    {"cluster_name":"leader","cluster_uuid":"u1","kafka":{"bootstrap_servers":"kafka-l:9092",
                     "topic_prefix":"lead"}}""".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        String good = "127.0.0.1:" + server.getAddress().getPort();
        ClusterSettings cs = ClusterSettings.inMemory(NodeSettings.defaults());
        try (RemoteClusters remotes = new RemoteClusters(cs)) {
            cs.update(map("cluster.remote.l.seeds", "127.0.0.1:" + closedPort + "," + good,
                    "cluster.remote.l.kafka.ssl.truststore.type", "PEM"), null);
            ResolvedRemote l = remotes.resolve("l");
            assertThat(l.httpAddress()).isEqualTo("http://" + good);
            assertThat(l.topicPrefix()).isEqualTo("lead");
            assertThat(l.kafkaClientProperties()).containsOnly(Map.entry("bootstrap.servers", "kafka-l:9092"),
                    Map.entry("ssl.truststore.type", "PEM"));
            remotes.resolve("l");
            assertThat(asked).hasValue(1);
            remotes.resolveFresh("l");
            assertThat(asked).hasValue(2);

            // a changed setting drops the cached answer; an explicit topic_prefix wins over the answer
            cs.update(map("cluster.remote.l.topic_prefix", "mine"), null);
            assertThat(remotes.resolve("l").topicPrefix()).isEqualTo("mine");
            assertThat(asked).hasValue(3);

            cs.update(map("cluster.remote.gone.seeds", "127.0.0.1:" + closedPort), null);
            KccrException e = catchThrowableOfType(KccrException.class, () -> remotes.resolve("gone"));
            assertThat(e).isInstanceOf(UnavailableException.class);
            assertThat(e.type()).isEqualTo("connect_transport_exception");
            assertThat(e.reason()).contains("[http://127.0.0.1:" + closedPort + "]")
                    .contains("remote cluster [gone]").contains("cluster.remote.gone.seeds");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aSeedThatIsNotAKccrNodeIsNamed() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
        String address = "127.0.0.1:" + server.getAddress().getPort();
        try (RemoteClusters remotes = new RemoteClusters(ClusterSettings.inMemory(
                NodeSettings.of(map("cluster.remote.es.seeds", address))))) {
            KccrException e = catchThrowableOfType(KccrException.class, () -> remotes.resolve("es"));
            assertThat(e.reason()).contains("[http://" + address + "] answered GET /_kccr/cluster with HTTP 404");
            RemoteStatus status = remotes.status("es");
            assertThat(status.connected()).isFalse();
            assertThat(status.reason()).contains("HTTP 404");
        } finally {
            server.stop(0);
        }
    }
}
