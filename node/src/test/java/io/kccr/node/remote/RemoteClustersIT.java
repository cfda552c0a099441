package io.kccr.node.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch.cluster.GetClusterSettingsResponse;
import co.elastic.clients.elasticsearch.cluster.PutClusterSettingsResponse;
import co.elastic.clients.elasticsearch.cluster.RemoteInfoResponse;
import co.elastic.clients.elasticsearch.cluster.remote_info.ClusterRemoteInfo;
import co.elastic.clients.json.JsonData;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kccr.core.error.KccrException;
import io.kccr.core.error.UnavailableException;
import io.kccr.node.Node;
import io.kccr.node.settings.ClusterSettings;
import io.kccr.testkit.Http.Response;
import io.kccr.testkit.Http;
import io.kccr.testkit.KafkaBroker;
import io.kccr.testkit.TestNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote clusters and cluster settings end to end: two nodes on one real Kafka broker with different topic prefixes
 * ({@code lead} and {@code follow}); the follower names the leader as a remote through {@code PUT /_cluster/settings},
 * by its HTTP address only, and learns its Kafka side from it. Raw HTTP (java.net.http) so the exact JSON shapes
 * are checked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RemoteClustersIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker();

    @TempDir
    static Path dataDir;

    private Node leader;
    private Node follower;

    @BeforeAll
    void startNodes() throws Exception {
        leader = node("leader", "lead").start();
        follower = startFollower();
    }

    @AfterAll
    void stopNodes() {
        if (follower != null) {
            follower.close();
        }
        if (leader != null) {
            leader.close();
        }
    }

    private TestNode node(String name, String prefix) {
        return TestNode.on(kafka).dir(dataDir.resolve(name)).cluster(name).topicPrefix(prefix);
    }

    private Node startFollower() throws Exception {
        return node("follower", "follow").start();
    }

    private static String hostPort(Node node) {
        return node.httpAddress().substring("http://".length());
    }

    private static Response send(Node node, String method, String path, String body) {
        return new Http(node.httpAddress()).request(method, path,
                body == null ? null : body.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    private static Response ok(Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r;
    }

    /** Polls {@code GET /_remote/info} until remote {@code name}'s entry satisfies {@code condition}. */
    private static JsonNode awaitRemote(Node node, String name, Predicate<JsonNode> condition) {
        return await("remote [" + name + "] to reach the expected state").atMost(DEADLINE)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> ok(send(node, "GET", "/_remote/info", null)).json().get(name),
                        remote -> remote != null && condition.test(remote));
    }

    private static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void assertError(Response r, int status, String type, String reasonStart) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        JsonNode error = r.json().path("error");
        assertThat(error.path("type").asText()).as(r.toString()).isEqualTo(type);
        assertThat(error.path("reason").asText()).as(r.toString()).startsWith(reasonStart);
        assertThat(error.path("root_cause")).hasSize(1);
        assertThat(error.path("root_cause").get(0).path("type").asText()).isEqualTo(type);
        assertThat(error.path("root_cause").get(0).path("reason").asText()).isEqualTo(error.path("reason").asText());
        assertThat(r.json().path("status").asInt()).isEqualTo(status);
    }

    // ------------------------------------------------------------------------------------------ tests

    @Test
    @Order(1)
    void everyNodeTellsItsKafkaSide() throws Exception {
        JsonNode me = ok(send(leader, "GET", "/_kccr/cluster", null)).json();
        assertThat(me.path("cluster_name").asText()).isEqualTo("leader");
        assertThat(me.path("cluster_uuid").asText()).isEqualTo(ok(send(leader, "GET", "/", null)).json()
                .path("cluster_uuid").asText());
        assertThat(me.path("kafka").path("bootstrap_servers").asText()).isEqualTo(kafka.bootstrapServers());
        assertThat(me.path("kafka").path("topic_prefix").asText()).isEqualTo("lead");
        assertThat(ok(send(follower, "GET", "/_remote/info", null)).json()).isEqualTo(json("{}"));
        assertThat(ok(send(follower, "GET", "/_cluster/settings", null)).json())
                .isEqualTo(json("{\"persistent\":{},\"transient\":{}}"));
    }

    @Test
    @Order(2)
    void remoteConfiguredBySeedsIsConnected() throws Exception {
        String seed = hostPort(leader);
        Response put = ok(send(follower, "PUT", "/_cluster/settings",
                "{\"persistent\":{\"cluster\":{\"remote\":{\"leader\":{\"seeds\":[\"" + seed + "\"]}}}}}"));
        assertThat(put.json()).isEqualTo(json("{\"acknowledged\":true,\"persistent\":{\"cluster\":{\"remote\":"
                + "{\"leader\":{\"seeds\":[\"" + seed + "\"]}}}},\"transient\":{}}"));

        JsonNode info = awaitRemote(follower, "leader", r -> r.path("connected").asBoolean());
        assertThat(info.path("mode").asText()).isEqualTo("sniff");
        assertThat(info.path("seeds")).hasSize(1);
        assertThat(info.path("seeds").get(0).asText()).isEqualTo(seed);
        assertThat(info.path("num_nodes_connected").asInt()).isEqualTo(1);
        assertThat(info.path("max_connections_per_cluster").asInt()).isEqualTo(3);
        assertThat(info.path("max_connections_per_node").asInt()).isEqualTo(3);
        assertThat(info.path("initial_connect_timeout").asText()).isEqualTo("30s");
        assertThat(info.path("skip_unavailable").isBoolean()).isTrue();
        assertThat(info.path("skip_unavailable").asBoolean()).isFalse();
        assertThat(info.path("kafka_bootstrap_servers").asText()).isEqualTo(kafka.bootstrapServers());
        assertThat(info.path("http_address").asText()).isEqualTo(leader.httpAddress());
        assertThat(info.path("topic_prefix").asText()).isEqualTo("lead");
        assertThat(info.path("cluster_name").asText()).isEqualTo("leader");
        assertThat(info.has("reason")).isFalse();

        ResolvedRemote resolved = follower.remoteClusters().resolve("leader");
        assertThat(resolved.topicPrefix()).isEqualTo("lead");
        assertThat(resolved.topics().indices()).isEqualTo("lead.indices");
        assertThat(resolved.httpAddress()).isEqualTo(leader.httpAddress());
        assertThat(resolved.kafkaClientProperties()).containsEntry("bootstrap.servers", kafka.bootstrapServers());

        JsonNode settings = ok(send(follower, "GET", "/_cluster/settings", null)).json();
        assertThat(settings.path("persistent").path("cluster").path("remote").path("leader").path("seeds").get(0)
                .asText()).isEqualTo(seed);
        assertThat(Files.readString(dataDir.resolve("follower").resolve(ClusterSettings.FILE_NAME)))
                .contains("cluster.remote.leader.seeds");
    }

    @Test
    @Order(3)
    void transientSettingsAndFlatSettingsEcho() throws Exception {
        String seed = hostPort(leader);
        Response put = ok(send(follower, "PUT", "/_cluster/settings?flat_settings=true", """
                {"transient": {"cluster.remote.temp.seeds": "%s",
                               "ccr": {"indices.recovery": {"max_bytes_per_sec": "20mb"}}}}""".formatted(seed)));
        assertThat(put.json()).as("a string echoed as a string").isEqualTo(json("""
                {"acknowledged": true, "persistent": {},
                 "transient": {"ccr.indices.recovery.max_bytes_per_sec": "20mb",
                               "cluster.remote.temp.seeds": "%s"}}""".formatted(seed)));
        assertThat(follower.clusterSettings().recoveryMaxBytesPerSec()).isEqualTo(20L << 20);

        JsonNode flat = ok(send(follower, "GET", "/_cluster/settings?flat_settings=true", null)).json();
        assertThat(flat).isEqualTo(json("""
                {"persistent": {"cluster.remote.leader.seeds": ["%s"]},
                 "transient": {"ccr.indices.recovery.max_bytes_per_sec": "20mb",
                               "cluster.remote.temp.seeds": "%s"}}""".formatted(seed, seed)));
        JsonNode nested = ok(send(follower, "GET", "/_cluster/settings", null)).json();
        assertThat(nested.at("/transient/cluster/remote/temp/seeds").asText()).isEqualTo(seed);
        assertThat(nested.at("/persistent/cluster/remote/leader/seeds").isArray()).as("a list stays a list").isTrue();
        assertThat(nested.path("transient").path("ccr").path("indices").path("recovery").path("max_bytes_per_sec")
                .asText()).isEqualTo("20mb");

        awaitRemote(follower, "temp", r -> r.path("connected").asBoolean());
    }

    @Test
    @Order(4)
    void restartKeepsPersistentSettingsOnly() throws Exception {
        follower.close();
        follower = null;
        follower = startFollower();

        JsonNode flat = ok(send(follower, "GET", "/_cluster/settings?flat_settings=true", null)).json();
        assertThat(flat).isEqualTo(json("""
                {"persistent": {"cluster.remote.leader.seeds": ["%s"]}, "transient": {}}""".formatted(hostPort(leader))));
        assertThat(follower.clusterSettings().recoveryMaxBytesPerSec()).isEqualTo(40L << 20);
        JsonNode info = awaitRemote(follower, "leader", r -> r.path("connected").asBoolean());
        assertThat(info.path("kafka_bootstrap_servers").asText()).isEqualTo(kafka.bootstrapServers());
        assertThat(ok(send(follower, "GET", "/_remote/info", null)).json().has("temp")).isFalse();
    }

    @Test
    @Order(5)
    void nullUnsetsASetting() throws Exception {
        Response set = ok(send(follower, "PUT", "/_cluster/settings",
                "{\"persistent\":{\"cluster.remote.other.seeds\":\"" + hostPort(leader) + "\"}}"));
        assertThat(set.json().at("/persistent/cluster/remote/other/seeds").asText()).isEqualTo(hostPort(leader));
        assertThat(follower.remoteClusters().names()).containsExactly("leader", "other");
        follower.close();
        follower = null;
        follower = startFollower();
        assertThat(ok(send(follower, "GET", "/_cluster/settings?flat_settings=true", null)).json())
                .as("each value in its shape after a restart too").isEqualTo(json("""
                        {"persistent": {"cluster.remote.leader.seeds": ["%s"], "cluster.remote.other.seeds": "%s"},
                         "transient": {}}""".formatted(hostPort(leader), hostPort(leader))));
        Response unset = ok(send(follower, "PUT", "/_cluster/settings",
                "{\"persistent\":{\"cluster\":{\"remote\":{\"other\":{\"seeds\":null}}}}}"));
        assertThat(unset.json()).isEqualTo(json("{\"acknowledged\":true,\"persistent\":{},\"transient\":{}}"));
        JsonNode flat = ok(send(follower, "GET", "/_cluster/settings?flat_settings=true", null)).json();
        assertThat(flat.path("persistent").has("cluster.remote.other.seeds")).isFalse();
        assertThat(flat.path("persistent").has("cluster.remote.leader.seeds")).isTrue();
        assertThat(ok(send(follower, "GET", "/_remote/info", null)).json().has("other")).isFalse();
        assertThat(follower.remoteClusters().names()).containsExactly("leader");
    }

    @Test
    @Order(6)
    void unreachableRemotesAreNotConnectedAndSayWhy() throws Exception {
        int closed = closedPort();
        ok(send(follower, "PUT", "/_cluster/settings", """
                {"persistent": {
                   "cluster.remote.badkafka.http": "%s",
                   "cluster.remote.badkafka.kafka.bootstrap.servers": "127.0.0.1:%d",
                   "cluster.remote.notopic.kafka.bootstrap.servers": "%s",
                   "cluster.remote.notopic.topic_prefix": "nope",
                   "cluster.remote.noseed.seeds": "127.0.0.1:%d",
                   "cluster.remote.noseed.skip_unavailable": true}}"""
                .formatted(hostPort(leader), closed, kafka.bootstrapServers(), closed)));
        long t0 = System.nanoTime();
        JsonNode all = ok(send(follower, "GET", "/_remote/info", null)).json();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));

        JsonNode badKafka = all.path("badkafka");
        assertThat(badKafka.path("connected").asBoolean()).as(badKafka.toString()).isFalse();
        assertThat(badKafka.path("num_nodes_connected").asInt()).isZero();
        assertThat(badKafka.path("kafka_bootstrap_servers").asText()).isEqualTo("127.0.0.1:" + closed);
        assertThat(badKafka.path("http_address").asText()).isEqualTo(leader.httpAddress());
        assertThat(badKafka.path("reason").asText()).contains("Kafka at [127.0.0.1:" + closed + "] did not answer")
                .contains("cluster.remote.badkafka.kafka.bootstrap.servers");

        JsonNode noTopic = all.path("notopic");
        assertThat(noTopic.path("connected").asBoolean()).as(noTopic.toString()).isFalse();
        assertThat(noTopic.path("reason").asText()).contains("topic [nope.indices] does not exist")
                .contains("cluster.remote.notopic.topic_prefix");
        assertThat(noTopic.path("seeds")).isEmpty();

        JsonNode noSeed = all.path("noseed");
        assertThat(noSeed.path("connected").asBoolean()).as(noSeed.toString()).isFalse();
        assertThat(noSeed.path("skip_unavailable").asBoolean()).isTrue();
        assertThat(noSeed.path("seeds").get(0).asText()).isEqualTo("127.0.0.1:" + closed);
        assertThat(noSeed.path("reason").asText()).contains("[http://127.0.0.1:" + closed + "]")
                .contains("cluster.remote.noseed.seeds");
        assertThat(noSeed.has("kafka_bootstrap_servers")).isFalse();

        KccrException e = catchThrowableOfType(KccrException.class, () -> follower.remoteClusters().resolve("noseed"));
        assertThat(e).isInstanceOf(UnavailableException.class);
        assertThat(e.type()).isEqualTo("connect_transport_exception");
        assertThat(e.reason()).contains("127.0.0.1:" + closed);

        // the leader is unaffected; then a wildcard null removes whole remotes
        assertThat(all.path("leader").path("connected").asBoolean()).isTrue();
        ok(send(follower, "PUT", "/_cluster/settings", """
                {"persistent": {"cluster.remote.badkafka.*": null, "cluster.remote.notopic.*": null,
                                "cluster.remote.noseed.*": null}}"""));
        assertThat(follower.remoteClusters().names()).containsExactly("leader");
    }

    @Test
    @Order(7)
    void aClusterCanNameItselfAsARemote() throws Exception {
        ok(send(follower, "PUT", "/_cluster/settings",
                "{\"transient\":{\"cluster.remote.self.seeds\":\"" + hostPort(follower) + "\"}}"));
        JsonNode self = awaitRemote(follower, "self", r -> r.path("connected").asBoolean());
        assertThat(self.path("topic_prefix").asText()).isEqualTo("follow");
        assertThat(self.path("cluster_name").asText()).isEqualTo("follower");
        assertThat(self.path("http_address").asText()).isEqualTo(follower.httpAddress());
        ResolvedRemote resolved = follower.remoteClusters().resolve("self");
        assertThat(resolved.topicPrefix()).isEqualTo("follow");
        assertThat(resolved.bootstrapServers()).isEqualTo(kafka.bootstrapServers());
        ok(send(follower, "PUT", "/_cluster/settings", "{\"transient\":{\"cluster.remote.self.seeds\":null}}"));
    }

    @Test
    @Order(8)
    void badRequestsAreRejectedInElasticsearchsShape() throws Exception {
        JsonNode before = ok(send(follower, "GET", "/_cluster/settings?flat_settings=true", null)).json();
        assertError(send(follower, "PUT", "/_cluster/settings", "{\"persistent\":{\"cluster.name\":\"x\"}}"),
                400, "illegal_argument_exception", "persistent setting [cluster.name], not dynamically updateable");
        assertError(send(follower, "PUT", "/_cluster/settings", "{\"transient\":{\"http\":{\"port\":9201}}}"),
                400, "illegal_argument_exception", "transient setting [http.port], not dynamically updateable");
        assertError(send(follower, "PUT", "/_cluster/settings", "{\"persistent\":{\"foo.bar\":1}}"),
                400, "illegal_argument_exception", "persistent setting [foo.bar], not recognized");
        assertError(send(follower, "PUT", "/_cluster/settings", "{\"transient\":{\"cluster.remote.x.nope\":1}}"),
                400, "illegal_argument_exception", "transient setting [cluster.remote.x.nope], not recognized");
        assertError(send(follower, "PUT", "/_cluster/settings",
                        "{\"persistent\":{\"ccr.indices.recovery.max_concurrent_file_chunks\":11}}"),
                400, "illegal_argument_exception", "failed to parse value [11] for setting "
                        + "[ccr.indices.recovery.max_concurrent_file_chunks]: expected an integer from 1 to 10");
        assertError(send(follower, "PUT", "/_cluster/settings",
                        "{\"persistent\":{\"ccr.indices.recovery.chunk_size\":\"big\"}}"),
                400, "illegal_argument_exception", "failed to parse value [big] for setting "
                        + "[ccr.indices.recovery.chunk_size]");
        assertError(send(follower, "PUT", "/_cluster/settings", "{\"persistent\":{\"cluster.remote..seeds\":\"a:1\"}}"),
                400, "illegal_argument_exception", "invalid remote cluster name []");
        assertError(send(follower, "PUT", "/_cluster/settings",
                        "{\"persistent\":{\"cluster.remote.x.seeds\":\"no-port\"}}"),
                400, "illegal_argument_exception", "failed to parse value [no-port] for setting "
                        + "[cluster.remote.x.seeds]");
        assertError(send(follower, "PUT", "/_cluster/settings",
                        "{\"persistent\":{\"cluster.remote.x.skip_unavailable\":true}}"),
                400, "illegal_argument_exception",
                "Cannot configure setting [cluster.remote.x.skip_unavailable] if remote cluster is not enabled.");
        assertError(send(follower, "PUT", "/_cluster/settings", "{\"persistent\":{\"search.max_buckets\":[5]}}"),
                400, "illegal_argument_exception", "Found list type value for setting [search.max_buckets]");
        assertError(send(follower, "PUT", "/_cluster/settings", "{\"settings\":{}}"),
                400, "x_content_parse_exception", "[cluster_update_settings_request] unknown field [settings]");
        assertError(send(follower, "PUT", "/_cluster/settings", "{}"),
                400, "action_request_validation_exception", "Validation Failed: 1: no settings to update;");
        assertError(send(follower, "PUT", "/_cluster/settings", "{\"persistent\":"),
                400, "parse_exception", "request body is not valid JSON");
        assertThat(send(follower, "POST", "/_cluster/settings", "{}").status()).isEqualTo(405);
        assertThat(ok(send(follower, "GET", "/_cluster/settings?flat_settings=true", null)).json()).isEqualTo(before);

        KccrException e = catchThrowableOfType(KccrException.class, () -> follower.remoteClusters().resolve("nope"));
        assertThat(e.type()).isEqualTo("no_such_remote_cluster_exception");
        assertThat(e.reason()).isEqualTo("no such remote cluster: [nope]");
    }

    @Test
    @Order(9)
    void remoteGivenAtStartUp() throws Exception {
        try (Node boot = node("boot", "boot").remote("leader", leader.httpAddress())
                .setting("cluster.remote.leader.kafka.client.dns.lookup", "use_all_dns_ips").start()) {
            JsonNode info = awaitRemote(boot, "leader", r -> r.path("connected").asBoolean());
            assertThat(info.path("kafka_bootstrap_servers").asText()).isEqualTo(kafka.bootstrapServers());
            assertThat(boot.remoteClusters().resolve("leader").kafkaClientProperties())
                    .containsEntry("client.dns.lookup", "use_all_dns_ips");
            JsonNode settings = ok(send(boot, "GET", "/_cluster/settings?include_defaults=true&flat_settings=true",
                    null)).json();
            assertThat(settings.path("persistent")).isEmpty();
            assertThat(settings.path("defaults").path("cluster.remote.leader.seeds").get(0).asText())
                    .isEqualTo(leader.httpAddress());
            assertThat(settings.path("defaults").path("ccr.indices.recovery.chunk_size").asText()).isEqualTo("8mb");
            assertThat(settings.path("defaults").path("ccr.topic.prefix").asText()).isEqualTo("boot");

            // a persistent setting overrides the node-level one of the same key
            ok(send(boot, "PUT", "/_cluster/settings",
                    "{\"persistent\":{\"cluster.remote.leader.skip_unavailable\":\"true\"}}"));
            JsonNode after = awaitRemote(boot, "leader", r -> r.path("skip_unavailable").asBoolean());
            assertThat(after.path("connected").asBoolean()).isTrue();
            assertThat(boot.remoteClusters().names()).containsExactly("leader");
        }
    }

    @Test
    @Order(10)
    void theOfficialClientReadsTheResponses() throws Exception {
        try (Rest5ClientTransport transport = new Rest5ClientTransport(
                Rest5Client.builder(URI.create(follower.httpAddress())).build(), new JacksonJsonpMapper())) {
            ElasticsearchClient client = new ElasticsearchClient(transport);
            PutClusterSettingsResponse put = client.cluster().putSettings(p -> p
                    .persistent("ccr.indices.recovery.chunk_size", JsonData.of("2mb")));
            assertThat(put.acknowledged()).isTrue();
            assertThat(put.persistent()).containsKey("ccr");
            GetClusterSettingsResponse get = client.cluster().getSettings(g -> g.flatSettings(true));
            assertThat(get.persistent()).containsKeys("ccr.indices.recovery.chunk_size", "cluster.remote.leader.seeds");
            awaitRemote(follower, "leader", r -> r.path("connected").asBoolean());
            RemoteInfoResponse info = client.cluster().remoteInfo();
            ClusterRemoteInfo leaderInfo = info.get("leader");
            assertThat(leaderInfo.isSniff()).isTrue();
            assertThat(leaderInfo.sniff().connected()).isTrue();
            assertThat(leaderInfo.sniff().seeds()).containsExactly(hostPort(leader));
            assertThat(follower.clusterSettings().recoveryChunkSize()).isEqualTo(2L << 20);

            // an Elasticsearch user's proxy-mode configuration loads; proxy_address is the remote's HTTP address
            client.cluster().putSettings(p -> p.transient_("cluster.remote.viaproxy.mode", JsonData.of("proxy"))
                    .transient_("cluster.remote.viaproxy.proxy_address", JsonData.of(hostPort(leader)))
                    .transient_("cluster.remote.viaproxy.server_name", JsonData.of("leader.example.com"))
                    .transient_("cluster.remote.viaproxy.proxy_socket_connections", JsonData.of(6))
                    .transient_("cluster.remote.viaproxy.skip_unavailable", JsonData.of(true)));
            client.cluster().putSettings(p -> p.transient_("cluster.remote.sniffer.seeds", JsonData.of(hostPort(leader)))
                    .transient_("cluster.remote.sniffer.node_connections", JsonData.of(5)));
            awaitRemote(follower, "viaproxy", r -> r.path("connected").asBoolean());
            ClusterRemoteInfo proxy = client.cluster().remoteInfo().get("viaproxy");
            assertThat(proxy.isProxy()).as("mode as configured").isTrue();
            assertThat(proxy.proxy().connected()).isTrue();
            assertThat(proxy.proxy().proxyAddress()).isEqualTo(hostPort(leader));
            assertThat(proxy.proxy().serverName()).isEqualTo("leader.example.com");
            assertThat(proxy.proxy().maxProxySocketConnections()).isEqualTo(6);
            assertThat(proxy.proxy().skipUnavailable()).isTrue();
            awaitRemote(follower, "sniffer", r -> r.path("connected").asBoolean());
            assertThat(client.cluster().remoteInfo().get("sniffer").sniff().maxConnectionsPerCluster()).isEqualTo(5);
            ElasticsearchException badMode = catchThrowableOfType(ElasticsearchException.class, () -> client.cluster()
                    .putSettings(p -> p.transient_("cluster.remote.viaproxy.mode", JsonData.of("direct"))));
            assertThat(badMode.status()).isEqualTo(400);
            assertThat(badMode.error().reason()).contains("cluster.remote.viaproxy.mode");
            ok(send(follower, "PUT", "/_cluster/settings",
                    "{\"transient\":{\"cluster.remote.viaproxy.*\":null,\"cluster.remote.sniffer.*\":null}}"));
        }
    }
}
