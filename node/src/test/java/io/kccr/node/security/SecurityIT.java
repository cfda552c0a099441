package io.kccr.node.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import com.fasterxml.jackson.databind.JsonNode;
import io.kccr.node.Node;
import io.kccr.testkit.Http;
import io.kccr.testkit.KafkaBroker;
import io.kccr.testkit.TestNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
 * A node with security on, as it starts by default, through the unchanged official client and raw HTTP: basic auth
 * and API keys, Elasticsearch's 401 and 403 answers, the built-in {@code viewer}, index patterns in roles, expired
 * and invalidated keys, bad input that creates nothing, browser safety (content type, origin), and users that come
 * back from the log after a restart and on a second node of the cluster. Tests run in order on one node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecurityIT {
    private static final String ELASTIC = TestNode.ELASTIC_PASSWORD;

    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker();

    @TempDir
    static Path data;

    private TestNode template;
    private Node node;
    private Http anonymous;
    private Http elastic;

    @BeforeAll
    void start() throws Exception {
        template = TestNode.on(kafka).secured().dir(data.resolve("node-1")).cluster("secure").name("node-1")
                .topicPrefix("sec");
        node = template.start();
        anonymous = new Http(node.httpAddress());
        elastic = anonymous.as("elastic", ELASTIC);
    }

    @AfterAll
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    private ElasticsearchClient client(String user, String password) {
        return ElasticsearchClient.of(b -> b.host(node.httpAddress()).usernameAndPassword(user, password));
    }

    private ElasticsearchClient apiKeyClient(String encoded) {
        return ElasticsearchClient.of(b -> b.host(node.httpAddress()).apiKey(encoded));
    }

    @Test
    @Order(1)
    void theOfficialClientWorksWithBasicAuth() throws Exception {
        try (ElasticsearchClient client = client("elastic", ELASTIC)) {
            assertThat(client.info().clusterName()).isEqualTo("secure");
            client.index(i -> i.index("logs-1").id("1").document(Map.of("msg", "hello")).refresh(
                    co.elastic.clients.elasticsearch._types.Refresh.True));
            client.index(i -> i.index("metrics-1").id("1").document(Map.of("cpu", 3)).refresh(
                    co.elastic.clients.elasticsearch._types.Refresh.True));
            assertThat(client.search(s -> s.index("logs-1"), Map.class).hits().total().value()).isEqualTo(1);
        }
        JsonNode me = Http.expect(200, elastic.get("/_security/_authenticate"), "authenticate").json();
        assertThat(me.path("username").asText()).isEqualTo("elastic");
        assertThat(me.path("roles").toString()).isEqualTo("[\"superuser\"]");
        assertThat(me.path("authentication_type").asText()).isEqualTo("realm");
    }

    @Test
    @Order(2)
    void withoutCredentialsA401WithElasticsearchsChallenges() {
        Http.Response r = anonymous.get("/logs-1/_search");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.headers().allValues("WWW-Authenticate"))
                .contains("Basic realm=\"security\", charset=\"UTF-8\"", "ApiKey");
        assertThat(r.json().path("error").path("type").asText()).isEqualTo("security_exception");
        assertThat(r.json().path("error").path("reason").asText())
                .isEqualTo("missing authentication credentials for REST request [GET /logs-1/_search]");

        Http.Response wrong = anonymous.as("elastic", "not-the-password").get("/");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().path("error").path("reason").asText()).contains("unable to authenticate user [elastic]")
                .doesNotContain("not-the-password");

        ElasticsearchException e = catchThrowableOfType(ElasticsearchException.class,
                () -> client("elastic", "nope-nope").info());
        assertThat(e.status()).isEqualTo(401);
    }

    @Test
    @Order(3)
    void aViewerReadsButCannotWriteFollowPauseOrRebuild() throws Exception {
        Http.expect(200, elastic.put("/_security/user/vera", "{\"password\":\"vera-secret\",\"roles\":[\"viewer\"],"
                + "\"full_name\":\"Vera\"}"), "create user");
        try (ElasticsearchClient vera = client("vera", "vera-secret")) {
            assertThat(vera.search(s -> s.index("logs-1"), Map.class).hits().hits()).hasSize(1);
            ElasticsearchException e = catchThrowableOfType(ElasticsearchException.class, () -> vera.index(i -> i
                    .index("logs-1").id("2").document(Map.of("msg", "x"))));
            assertThat(e.status()).isEqualTo(403);
            assertThat(e.error().type()).isEqualTo("security_exception");
            assertThat(e.error().reason()).isEqualTo("action [indices:data/write/index:op_type/index] is unauthorized"
                    + " for user [vera] with effective roles [viewer] on indices [logs-1], this action is granted by"
                    + " the index privileges [create,index,write,all]");
        }
        Http vera = anonymous.as("vera", "vera-secret");
        Http.Response follow = vera.put("/logs-copy/_ccr/follow", "{\"remote_cluster\":\"x\",\"leader_index\":\"l\"}");
        assertThat(follow.status()).as("%s", follow).isEqualTo(403);
        assertThat(follow.json().path("error").path("reason").asText())
                .startsWith("action [indices:admin/xpack/ccr/put_follow] is unauthorized for user [vera]");
        Http.Response pause = vera.post("/logs-copy/_ccr/pause_follow", null);
        assertThat(pause.status()).isEqualTo(403);
        assertThat(pause.json().path("error").path("reason").asText()).contains(
                "action [cluster:admin/xpack/ccr/pause_follow]", "granted by the cluster privileges [manage_ccr,manage,all]");
        assertThat(vera.post("/logs-copy/_ccr/rebuild", null).status()).isEqualTo(403);
        assertThat(vera.bulk("/_bulk", "{\"delete\":{\"_index\":\"logs-1\",\"_id\":\"1\"}}\n").json()
                .path("items").get(0).path("delete").path("status").asInt()).isEqualTo(403);
        assertThat(Http.expect(200, vera.get("/logs-1/_count"), "count").json().path("count").asLong()).isEqualTo(1);
    }

    @Test
    @Order(4)
    void aRoleOnLogsStarDoesNotReadMetrics() throws Exception {
        Http.expect(200, elastic.put("/_security/role/logs_reader", "{\"indices\":[{\"names\":[\"logs-*\"],"
                + "\"privileges\":[\"read\"]}]}"), "create role");
        Http.expect(200, elastic.put("/_security/user/lou", "{\"password\":\"lou-secret\",\"roles\":[\"logs_reader\"]}"),
                "create user");
        try (ElasticsearchClient lou = client("lou", "lou-secret")) {
            assertThat(lou.search(s -> s.index("logs-1"), Map.class).hits().hits()).hasSize(1);
            ElasticsearchException e = catchThrowableOfType(ElasticsearchException.class,
                    () -> lou.search(s -> s.index("metrics-1"), Map.class));
            assertThat(e.status()).isEqualTo(403);
            assertThat(e.error().reason()).contains("action [indices:data/read/search] is unauthorized for user [lou]"
                    + " with effective roles [logs_reader] on indices [metrics-1]");
        }
        JsonNode has = Http.expect(200, anonymous.as("lou", "lou-secret").post("/_security/user/_has_privileges",
                "{\"cluster\":[\"monitor\"],\"index\":[{\"names\":[\"logs-1\",\"metrics-1\"],\"privileges\":"
                        + "[\"read\"]}]}"), "has privileges").json();
        assertThat(has.path("has_all_requested").asBoolean()).isFalse();
        assertThat(has.path("index").path("logs-1").path("read").asBoolean()).isTrue();
        assertThat(has.path("index").path("metrics-1").path("read").asBoolean()).isFalse();
        assertThat(has.path("cluster").path("monitor").asBoolean()).isFalse();
    }

    @Test
    @Order(5)
    void statsSettingsDanglingForgetFollowerScrollsAndPointsInTimeNeedTheirPrivileges() {
        Http vera = anonymous.as("vera", "vera-secret");
        Http lou = anonymous.as("lou", "lou-secret");
        // viewer: monitor and view_index_metadata on every index, no cluster management
        Http.expect(200, vera.get("/logs-1/_stats"), "viewer stats");
        Http.expect(200, vera.get("/logs-1/_settings"), "viewer settings");
        assertThat(reason(vera.get("/_dangling"), 403)).startsWith("action [cluster:admin/indices/dangling/list]");
        assertThat(reason(vera.request("DELETE", "/_dangling/abc?accept_data_loss=true", null, null), 403))
                .startsWith("action [cluster:admin/indices/dangling/delete]");
        assertThat(reason(vera.post("/logs-1/_ccr/forget_follower", "{\"follower_cluster\":\"c\","
                + "\"follower_index\":\"f\",\"follower_index_uuid\":\"u\",\"leader_remote_cluster\":\"l\"}"),
                403)).startsWith("action [indices:admin/xpack/ccr/forget_follower]")
                .contains("[manage_leader_index,manage,all]");
        Http.expect(200, elastic.get("/_dangling"), "superuser lists dangling indices");
        // read on logs-* only: no stats, no settings, no metrics-1 by any route
        assertThat(reason(lou.get("/logs-1/_stats"), 403)).startsWith("action [indices:monitor/stats]");
        assertThat(reason(lou.get("/_settings"), 403)).startsWith("action [indices:monitor/settings/get]");
        assertThat(reason(lou.post("/metrics-1/_pit?keep_alive=1m", null), 403))
                .startsWith("action [indices:data/read/open_point_in_time]");
        JsonNode mget = Http.expect(200, lou.post("/_mget", "{\"docs\":[{\"_index\":\"logs-1\",\"_id\":\"1\"},"
                + "{\"_index\":\"metrics-1\",\"_id\":\"1\"}]}"), "mget").json();
        assertThat(mget.path("docs").get(0).path("found").asBoolean()).isTrue();
        assertThat(mget.path("docs").get(1).path("error").path("type").asText()).isEqualTo("security_exception");
        // a point in time or scroll id opened by someone else reads nothing the caller may not read
        String pit = Http.expect(200, elastic.post("/metrics-1/_pit?keep_alive=1m", null), "pit").json().path("id")
                .asText();
        assertThat(reason(lou.post("/_search", "{\"pit\":{\"id\":\"" + pit + "\"}}"), 403))
                .startsWith("action [indices:data/read/search]").contains("on indices [metrics-1]");
        assertThat(reason(lou.request("DELETE", "/_pit", ("{\"id\":\"" + pit + "\"}").getBytes(StandardCharsets.UTF_8),
                "application/json"), 403)).startsWith("action [indices:data/read/close_point_in_time]");
        String scroll = Http.expect(200, elastic.post("/metrics-1/_search?scroll=1m", "{\"size\":1}"), "scroll")
                .json().path("_scroll_id").asText();
        assertThat(reason(lou.post("/_search/scroll", "{\"scroll_id\":\"" + scroll + "\"}"), 403))
                .startsWith("action [indices:data/read/scroll]");
        assertThat(reason(lou.request("DELETE", "/_search/scroll/_all", null, null), 403))
                .startsWith("action [cluster:admin/indices/scroll/clear_all]");
        Http.expect(200, elastic.post("/_search/scroll", "{\"scroll_id\":\"" + scroll + "\"}"), "owner scrolls on");
    }

    private static String reason(Http.Response r, int status) {
        assertThat(r.status()).as("%s", r).isEqualTo(status);
        assertThat(r.json().path("error").path("type").asText()).isEqualTo("security_exception");
        return r.json().path("error").path("reason").asText();
    }

    @Test
    @Order(6)
    void apiKeysWorkWithTheClientAndAreRefusedOnceExpiredOrInvalidated() throws Exception {
        JsonNode key = Http.expect(200, elastic.post("/_security/api_key", "{\"name\":\"reader\",\"role_descriptors\":"
                + "{\"r\":{\"indices\":[{\"names\":[\"logs-*\"],\"privileges\":[\"read\"]}]}}}"), "create key").json();
        String encoded = key.path("encoded").asText();
        try (ElasticsearchClient client = apiKeyClient(encoded)) {
            assertThat(client.search(s -> s.index("logs-1"), Map.class).hits().hits()).hasSize(1);
            ElasticsearchException e = catchThrowableOfType(ElasticsearchException.class,
                    () -> client.search(s -> s.index("metrics-1"), Map.class));
            assertThat(e.status()).isEqualTo(403);
            assertThat(e.error().reason()).contains("for API key id [" + key.path("id").asText() + "] of user [elastic]");
        }
        JsonNode me = Http.expect(200, anonymous.withAuthorization("ApiKey " + encoded).get("/_security/_authenticate"),
                "authenticate").json();
        assertThat(me.path("authentication_type").asText()).isEqualTo("api_key");
        assertThat(me.path("api_key").path("name").asText()).isEqualTo("reader");

        JsonNode list = Http.expect(200, elastic.get("/_security/api_key?name=reader"), "get keys").json();
        assertThat(list.path("api_keys").get(0).path("id").asText()).isEqualTo(key.path("id").asText());
        assertThat(list.toString()).doesNotContain(key.path("api_key").asText()).doesNotContain("key_hash");

        Http.expect(200, elastic.request("DELETE", "/_security/api_key", ("{\"ids\":[\"" + key.path("id").asText()
                + "\"]}").getBytes(StandardCharsets.UTF_8), "application/json"), "invalidate");
        Http.Response invalidated = anonymous.withAuthorization("ApiKey " + encoded).get("/logs-1/_count");
        assertThat(invalidated.status()).isEqualTo(401);
        assertThat(invalidated.json().path("error").path("reason").asText()).contains("has been invalidated");

        JsonNode shortLived = Http.expect(200, elastic.post("/_security/api_key",
                "{\"name\":\"short\",\"expiration\":\"1ms\"}"), "create key").json();
        Http.Response expired = anonymous.withAuthorization("ApiKey " + shortLived.path("encoded").asText())
                .get("/logs-1/_count");
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.json().path("error").path("reason").asText()).isEqualTo("api key is expired");
    }

    @Test
    @Order(7)
    void badInputIsAClearErrorAndCreatesNothing() {
        Http.Response weak = elastic.put("/_security/user/weak", "{\"password\":\"12345\",\"roles\":[]}");
        assertThat(weak.status()).isEqualTo(400);
        assertThat(weak.json().path("error").path("reason").asText())
                .isEqualTo("Validation Failed: 1: passwords must be at least [6] characters long;");
        assertThat(elastic.put("/_security/user/empty", "{\"password\":\"\"}").status()).isEqualTo(400);
        assertThat(elastic.get("/_security/user/weak").status()).isEqualTo(404);
        assertThat(elastic.get("/_security/user/empty").status()).isEqualTo(404);

        Http.Response unknown = elastic.put("/_security/role/bad", "{\"indices\":[{\"names\":[\"a\"],"
                + "\"privileges\":[\"reed\"]}]}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().path("error").path("reason").asText()).startsWith("unknown index privilege [reed]");
        assertThat(elastic.put("/_security/role/bad2", "{\"cluster\":[\"manage_everything\"]}").status())
                .isEqualTo(400);
        assertThat(elastic.get("/_security/role/bad").status()).isEqualTo(404);
        assertThat(elastic.get("/_security/role/bad2").status()).isEqualTo(404);

        for (String header : new String[] {"Basic !!!not-base64", "Basic " + java.util.Base64.getEncoder()
                .encodeToString("no-colon".getBytes(StandardCharsets.UTF_8)), "ApiKey xyz", "Bearer abc", "Negotiate",
                "Basic " + "A".repeat(6000)}) {
            Http.Response r = anonymous.withAuthorization(header).get("/");
            assertThat(r.status()).as(header.substring(0, Math.min(20, header.length()))).isEqualTo(401);
            assertThat(r.json().path("error").path("type").asText()).isEqualTo("security_exception");
        }
        Http.Response huge = anonymous.withAuthorization("Basic " + "A".repeat(40_000)).get("/");
        assertThat(huge.status()).isEqualTo(431);
    }

    @Test
    @Order(8)
    void aTextPlainPostAndACrossOriginPostAreRefused() {
        Http.Response plain = elastic.request("POST", "/_bulk", "{\"delete\":{\"_index\":\"logs-1\",\"_id\":\"1\"}}\n"
                .getBytes(StandardCharsets.UTF_8), "text/plain");
        assertThat(plain.status()).isEqualTo(406);
        assertThat(plain.json().path("error").path("reason").asText()).contains("Content-Type header [text/plain] is"
                + " not supported");
        Http.Response cross = elastic.request("POST", "/_bulk", "{\"delete\":{\"_index\":\"logs-1\",\"_id\":\"1\"}}\n"
                .getBytes(StandardCharsets.UTF_8), "application/x-ndjson", "Origin", "http://evil.example");
        assertThat(cross.status()).isEqualTo(403);
        assertThat(cross.json().path("error").path("reason").asText()).contains("http.cors.enabled");
        assertThat(elastic.get("/logs-1/_doc/1").status()).as("nothing deleted").isEqualTo(200);
        // the node's own origin (the console) is fine
        String own = node.httpAddress();
        assertThat(elastic.request("POST", "/logs-1/_count", "{}".getBytes(StandardCharsets.UTF_8),
                "application/json", "Origin", own).status()).isEqualTo(200);
    }

    @Test
    @Order(9)
    void usersRolesAndKeysComeBackFromTheLogOnASecondNodeAndAfterARestart() throws Exception {
        JsonNode key = Http.expect(200, elastic.post("/_security/api_key", "{\"name\":\"survivor\"}"), "key").json();
        try (Node second = template.dir(data.resolve("node-2")).name("node-2").setting("bootstrap.password",
                "another-password").start()) {
            Http other = new Http(second.httpAddress());
            assertThat(second.generatedElasticPassword()).isEmpty();
            assertThat(other.as("vera", "vera-secret").get("/_security/_authenticate").status()).isEqualTo(200);
            assertThat(other.as("elastic", ELASTIC).get("/_security/role/logs_reader").status()).isEqualTo(200);
            assertThat(other.withAuthorization("ApiKey " + key.path("encoded").asText()).get("/_security/_authenticate")
                    .status()).isEqualTo(200);
            assertThat(other.as("elastic", "another-password").get("/").status()).as("the first password stays")
                    .isEqualTo(401);
        }
        node.close();
        node = template.start();
        anonymous = new Http(node.httpAddress());
        elastic = anonymous.as("elastic", ELASTIC);
        assertThat(anonymous.as("lou", "lou-secret").get("/logs-1/_count").status()).isEqualTo(200);
        assertThat(anonymous.withAuthorization("ApiKey " + key.path("encoded").asText()).get("/_security/_authenticate")
                .status()).isEqualTo(200);
    }

    @Test
    @Order(10)
    void repeatedFailuresFromOneAddressAreRateLimited() {
        int status = 0;
        for (int i = 0; i < 30 && status != 429; i++) {
            status = anonymous.as("lou", "wrong-" + i).get("/").status();
        }
        assertThat(status).isEqualTo(429);
        assertThat(anonymous.as("lou", "lou-secret").get("/").status()).as("even the right password, for a while")
                .isEqualTo(429);
    }
}
