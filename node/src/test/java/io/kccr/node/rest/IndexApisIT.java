package io.kccr.node.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ExpandWildcard;
import co.elastic.clients.elasticsearch.indices.GetIndicesSettingsResponse;
import co.elastic.clients.elasticsearch.indices.IndicesStatsResponse;
import co.elastic.clients.elasticsearch.indices.stats.IndicesStats;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import com.fasterxml.jackson.databind.JsonNode;
import io.kccr.node.Node;
import io.kccr.testkit.Http;
import io.kccr.testkit.KafkaBroker;
import io.kccr.testkit.TestNode;
import java.net.URI;
import java.nio.file.Path;
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
 * The index stats and settings APIs through the official client, multi-target paths with Elasticsearch's
 * indices options, and closed indices: persistent across a restart, forgotten by delete, shown the same everywhere.
 * One node; tests run in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IndexApisIT {
    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker();

    @TempDir
    static Path data;

    private Node node;
    private Http http;
    private Rest5ClientTransport transport;
    private ElasticsearchClient client;

    @BeforeAll
    void start() throws Exception {
        startNode();
        for (String index : new String[] {"logs-a", "logs-b", "other"}) {
            Http.expect(200, http.put("/" + index, "{\"settings\":{\"number_of_shards\":2}}"), "create " + index);
        }
        Http.expect(201, http.put("/logs-a/_doc/1?refresh=true", "{\"m\":\"x\"}"), "index");
        Http.expect(201, http.put("/logs-a/_doc/2?refresh=true", "{\"m\":\"y\"}"), "index");
        Http.expect(200, http.delete("/logs-a/_doc/2?refresh=true"), "delete");
        Http.expect(201, http.put("/logs-b/_doc/1?refresh=true", "{\"m\":\"z\"}"), "index");
    }

    private void startNode() throws Exception {
        node = TestNode.on(kafka).dir(data).topicPrefix("indexapis").start();
        http = new Http(node.httpAddress());
        transport = new Rest5ClientTransport(Rest5Client.builder(URI.create(node.httpAddress())).build(),
                new JacksonJsonpMapper());
        client = new ElasticsearchClient(transport);
    }

    private void stopNode() throws Exception {
        transport.close();
        node.close();
    }

    @AfterAll
    void stop() throws Exception {
        stopNode();
    }

    @Test
    @Order(1)
    void statsInElasticsearchsShapeThroughTheClient() throws Exception {
        IndicesStatsResponse all = client.indices().stats();
        assertThat(all.shards().total().intValue()).isEqualTo(6);
        assertThat(all.indices()).containsOnlyKeys("logs-a", "logs-b", "other");
        IndicesStats a = all.indices().get("logs-a");
        assertThat(a.uuid()).isEqualTo(http.get("/logs-a").json().at("/logs-a/settings/index/uuid").asText());
        assertThat(a.primaries().docs().count()).isEqualTo(1);
        assertThat(a.primaries().indexing().indexTotal()).isEqualTo(2);
        assertThat(a.primaries().indexing().deleteTotal()).isEqualTo(1);
        assertThat(a.primaries().store().sizeInBytes()).isPositive();
        assertThat(all.all().primaries().docs().count()).isEqualTo(2);

        IndicesStatsResponse logs = client.indices().stats(s -> s.index("logs-*"));
        assertThat(logs.indices()).containsOnlyKeys("logs-a", "logs-b");
        assertThat(client.indices().stats(s -> s.index("logs-b", "other")).indices()).containsOnlyKeys("logs-b",
                "other");

        ElasticsearchException missing = catchThrowableOfType(ElasticsearchException.class,
                () -> client.indices().stats(s -> s.index("logs-a", "nope")));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.error().type()).isEqualTo("index_not_found_exception");
        assertThat(http.get("/logs-a,nope/_stats?ignore_unavailable=true").json().path("indices").has("logs-a"))
                .isTrue();
        assertThat(client.indices().stats(s -> s.index("foo*")).indices()).as("a wildcard matching none").isEmpty();
        Http.Response none = http.get("/foo*/_stats?allow_no_indices=false");
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.json().at("/error/type").asText()).isEqualTo("index_not_found_exception");
        Http.Response badOption = http.get("/logs-*/_stats?expand_wildcards=sideways");
        assertThat(badOption.status()).isEqualTo(400);
    }

    @Test
    @Order(2)
    void settingsThroughTheClient() throws Exception {
        GetIndicesSettingsResponse settings = client.indices().getSettings(g -> g.index("logs-*"));
        assertThat(settings.settings()).containsOnlyKeys("logs-a", "logs-b");
        assertThat(settings.get("logs-a").settings().index().numberOfShards()).isEqualTo("2");
        JsonNode flat = Http.expect(200, http.get("/other/_settings?flat_settings=true"), "settings").json();
        assertThat(flat.at("/other/settings").has("index.number_of_shards")).isTrue();
        assertThat(Http.expect(200, http.get("/_settings"), "all").json().size()).isEqualTo(3);
    }

    @Test
    @Order(3)
    void closedIndicesAreShownAlikeEverywhereAndSurviveARestart() throws Exception {
        assertThat(client.indices().close(c -> c.index("logs-b")).acknowledged()).isTrue();
        JsonNode again = Http.expect(200, http.post("/logs-b/_close", null), "close again").json();
        assertThat(again.path("acknowledged").asBoolean()).isTrue();
        assertThat(again.path("shards_acknowledged").asBoolean()).isFalse();
        assertThat(again.path("indices").size()).isZero();
        assertClosed("logs-b");

        stopNode();
        startNode();
        assertClosed("logs-b");

        assertThat(client.indices().open(o -> o.index("logs-b")).acknowledged()).isTrue();
        assertThat(client.count(c -> c.index("logs-b")).count()).isEqualTo(1);
        assertThat(client.indices().close(c -> c.index("logs-b")).acknowledged()).isTrue();
        Http.expect(200, http.delete("/logs-b"), "delete the closed index");
        Http.expect(200, http.put("/logs-b", "{}"), "create it again");
        assertThat(client.count(c -> c.index("logs-b")).count()).as("created again: open").isZero();
        assertThat(catIndex("logs-b").path("status").asText()).isEqualTo("open");
    }

    private void assertClosed(String index) throws Exception {
        ElasticsearchException search = catchThrowableOfType(ElasticsearchException.class,
                () -> client.count(c -> c.index(index)));
        assertThat(search.status()).isEqualTo(400);
        assertThat(search.error().type()).isEqualTo("index_closed_exception");
        assertThat(catIndex(index).path("status").asText()).isEqualTo("close");
        JsonNode get = Http.expect(200, http.get("/" + index), "get a closed index").json();
        assertThat(get.at("/" + index + "/settings/index/verified_before_close").asText()).isEqualTo("true");
        Http.Response stats = http.get("/" + index + "/_stats");
        assertThat(stats.status()).isEqualTo(400);
        assertThat(stats.json().at("/error/type").asText()).isEqualTo("index_closed_exception");
        assertThat(client.indices().stats(s -> s.index("logs-*")).indices()).doesNotContainKey(index);
        assertThat(client.indices().getSettings(g -> g.index("logs-*").expandWildcards(ExpandWildcard.All))
                .settings()).containsKey(index);
    }

    private JsonNode catIndex(String index) {
        JsonNode rows = Http.expect(200, http.get("/_cat/indices?format=json"), "cat").json();
        for (JsonNode row : rows) {
            if (row.path("index").asText().equals(index)) {
                return row;
            }
        }
        throw new AssertionError(index + " not in _cat/indices: " + rows);
    }

    @Test
    @Order(4)
    void ccrInfoAndStatsTakeMultiTargetPaths() throws Exception {
        assertThat(client.ccr().followInfo(f -> f.index("logs-*")).followerIndices()).as("no followers here")
                .isEmpty();
        assertThat(client.ccr().followInfo(f -> f.index("_all")).followerIndices()).isEmpty();
        Http.Response unknown = http.get("/nope/_ccr/info");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(http.get("/nope/_ccr/info?ignore_unavailable=true").json().path("follower_indices").size())
                .isZero();
        Http.Response notFollowers = http.get("/logs-a,other/_ccr/stats");
        assertThat(notFollowers.status()).isEqualTo(404);
        assertThat(notFollowers.json().at("/error/type").asText()).isEqualTo("resource_not_found_exception");
        JsonNode recovery = Http.expect(200, http.get("/logs-*/_recovery"), "recovery").json();
        assertThat(recovery.has("logs-a") && recovery.has("logs-b") && !recovery.has("other")).as("%s", recovery)
                .isTrue();
    }
}
