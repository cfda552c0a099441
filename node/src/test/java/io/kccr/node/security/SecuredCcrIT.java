package io.kccr.node.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.transport.TransportUtils;
import com.fasterxml.jackson.databind.JsonNode;
import io.kccr.node.Node;
import io.kccr.testkit.Http;
import io.kccr.testkit.KafkaBroker;
import io.kccr.testkit.TestNode;
import io.kccr.testkit.TestTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
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
 * Cross-cluster replication with security on both sides, through the unchanged official client: the leader serves
 * HTTPS with the certificates it generated, the follower trusts that CA ({@code cluster.remote.<name>.ssl
 * .certificate_authorities}) and authenticates with a cross-cluster API key made on the leader
 * ({@code cluster.remote.<name>.credentials}). The follower bootstraps and streams; without a key, or with a key for
 * another index, the follow call fails naming the setting and nothing is created.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecuredCcrIT {
    private static final String PASSWORD = TestNode.ELASTIC_PASSWORD;
    private static final Duration CATCH_UP = Duration.ofSeconds(60);

    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker();

    @TempDir
    static Path data;

    private Node leaderNode;
    private Node followerNode;
    private ElasticsearchClient leader;
    private ElasticsearchClient follower;
    private String replicationKey;

    @BeforeAll
    void start() throws Exception {
        leaderNode = TestNode.on(kafka).secured().dir(data.resolve("leader")).cluster("leader-cluster")
                .topicPrefix("lc").setting("xpack.security.http.ssl.enabled", "true").start();
        assertThat(leaderNode.httpAddress()).startsWith("https://");
        TlsIdentity tls = leaderNode.tls().orElseThrow();
        assertThat(tls.generated()).isTrue();
        TestTls.trust(tls.caCertificate());
        // as Elasticsearch's documentation connects to a node with a generated CA: by its fingerprint
        leader = ElasticsearchClient.of(b -> b.host(leaderNode.httpAddress()).usernameAndPassword("elastic", PASSWORD)
                .sslContext(TransportUtils.sslContextFromCaFingerprint(tls.caFingerprint())));
        leader.indices().create(c -> c.index("cities").settings(s -> s.numberOfShards("2")));
        leader.indices().create(c -> c.index("secrets"));
        BulkRequest.Builder bulk = new BulkRequest.Builder().refresh(Refresh.True);
        for (int i = 0; i < 500; i++) {
            int id = i;
            bulk.operations(o -> o.index(x -> x.index("cities").id("c" + id).document(Map.of("name", "city " + id))));
        }
        assertThat(leader.bulk(bulk.build()).errors()).isFalse();

        Http leaderHttp = new Http(leaderNode.httpAddress()).as("elastic", PASSWORD);
        replicationKey = crossClusterKey(leaderHttp, "cities");
        String otherKey = crossClusterKey(leaderHttp, "secrets");
        String seed = leaderNode.httpAddress();
        String ca = tls.caCertificate().toString();
        followerNode = TestNode.on(kafka).secured().dir(data.resolve("follower")).cluster("follower-cluster")
                .settings(Map.of(
                        "cluster.remote.leader.seeds", seed,
                        "cluster.remote.leader.ssl.certificate_authorities", ca,
                        "cluster.remote.leader.credentials", replicationKey,
                        "cluster.remote.nokey.seeds", seed,
                        // trusting the leader's CA by its fingerprint, as printed on the leader's first start
                        "cluster.remote.nokey.ssl.ca_trusted_fingerprint", tls.caFingerprint(),
                        "cluster.remote.otherkey.seeds", seed,
                        "cluster.remote.otherkey.ssl.certificate_authorities", ca,
                        "cluster.remote.otherkey.credentials", otherKey))
                .start();
        follower = ElasticsearchClient.of(b -> b.host(followerNode.httpAddress()).usernameAndPassword("elastic",
                PASSWORD));
    }

    private static String crossClusterKey(Http leader, String index) {
        JsonNode key = Http.expect(200, leader.post("/_security/cross_cluster/api_key", "{\"name\":\"follower-"
                + index + "\",\"access\":{\"replication\":[{\"names\":[\"" + index + "\"]}]}}"), "cross-cluster key")
                .json();
        return key.path("encoded").asText();
    }

    @AfterAll
    void stop() throws Exception {
        if (follower != null) {
            follower.close();
        }
        if (leader != null) {
            leader.close();
        }
        if (followerNode != null) {
            followerNode.followers().close();
            followerNode.close();
        }
        if (leaderNode != null) {
            leaderNode.close();
        }
    }

    @Test
    @Order(1)
    void theFollowerBootstrapsOverHttpsWithItsKeyAndStreams() throws Exception {
        follower.ccr().follow(f -> f.index("cities-copy").remoteCluster("leader").leaderIndex("cities")
                .waitForActiveShards(w -> w.count(1)));
        await("the bootstrapped follower to have the leader's documents").atMost(CATCH_UP)
                .until(() -> follower.count(c -> c.index("cities-copy")).count() == 500);
        leader.index(i -> i.index("cities").id("new").document(Map.of("name", "Newtown")));
        await("the follower to stream the leader's write").atMost(CATCH_UP)
                .until(() -> follower.count(c -> c.index("cities-copy")).count() == 501);
    }

    @Test
    @Order(2)
    void withoutAKeyTheFollowFailsNamingTheSettingAndNothingIsCreated() {
        // (the TLS handshake, trusting the CA's fingerprint, succeeded: the leader answered 401)
        ElasticsearchException e = catchThrowableOfType(ElasticsearchException.class, () -> follower.ccr()
                .follow(f -> f.index("no-key-copy").remoteCluster("nokey").leaderIndex("cities")));
        assertThat(e.status()).isEqualTo(403);
        assertThat(e.error().reason()).contains("remote cluster [nokey] refused")
                .contains("set cluster.remote.nokey.credentials").contains("POST /_security/cross_cluster/api_key");
        assertNothingCreated("no-key-copy");
    }

    @Test
    @Order(3)
    void aKeyForAnotherIndexFailsTheFollowNamingTheSettingAndNothingIsCreated() {
        ElasticsearchException e = catchThrowableOfType(ElasticsearchException.class, () -> follower.ccr()
                .follow(f -> f.index("other-key-copy").remoteCluster("otherkey").leaderIndex("cities")));
        assertThat(e.status()).isEqualTo(403);
        assertThat(e.error().reason()).contains("remote cluster [otherkey] refused access to leader index [cities]")
                .contains("cluster.remote.otherkey.credentials").contains("access.replication names [cities]");
        assertNothingCreated("other-key-copy");
    }

    private void assertNothingCreated(String index) {
        Http http = new Http(followerNode.httpAddress()).as("elastic", PASSWORD);
        assertThat(http.get("/" + index).status()).isEqualTo(404);
        assertThat(Files.exists(data.resolve("follower").resolve("followers").resolve(index))).isFalse();
    }

    @Test
    @Order(4)
    void aCrossClusterKeyIsRefusedOnOrdinaryRestCalls() {
        Http withKey = new Http(leaderNode.httpAddress()).withAuthorization("ApiKey " + replicationKey);
        Http.Response search = withKey.get("/cities/_search");
        assertThat(search.status()).isEqualTo(401);
        assertThat(search.json().path("error").path("reason").asText())
                .contains("has type [cross_cluster]");
        assertThat(withKey.get("/cities").status()).as("the leader's metadata, a replication read").isEqualTo(200);
        assertThat(withKey.get("/secrets").status()).as("not an index the key names").isEqualTo(403);
    }
}
