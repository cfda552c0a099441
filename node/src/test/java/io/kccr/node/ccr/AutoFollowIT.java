package io.kccr.node.ccr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch.ccr.CcrStatsResponse;
import co.elastic.clients.elasticsearch.ccr.GetAutoFollowPatternResponse;
import co.elastic.clients.elasticsearch.ccr.get_auto_follow_pattern.AutoFollowPatternSummary;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import io.kccr.node.Node;
import io.kccr.testkit.Http;
import io.kccr.testkit.KafkaBroker;
import io.kccr.testkit.TestNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Auto-follow patterns through the official client: one node follows itself (remote "self"). Only leader indices
 * created after the pattern (or its resume) that match it and none of its exclusions get a follower, named by the
 * follow index pattern, holding the leader's documents; a paused pattern follows nothing; a deleted one is gone;
 * bad input gets Elasticsearch's errors; patterns survive a restart.
 */
class AutoFollowIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker();

    @TempDir
    Path data;

    @Test
    void followsNewMatchingLeaderIndices() throws Exception {
        TestNode settings = TestNode.on(kafka).dir(data).cluster("auto-follow-cluster");
        Node node = settings.start();
        try {
            Http http = new Http(node.httpAddress());
            Http.expect(200, http.put("/_cluster/settings", "{\"persistent\":{\"cluster.remote.self.seeds\":\""
                    + http.hostPort() + "\"}}"), "remote self");
            try (Rest5ClientTransport transport = new Rest5ClientTransport(
                    Rest5Client.builder(URI.create(node.httpAddress())).build(), new JacksonJsonpMapper())) {
                ElasticsearchClient client = new ElasticsearchClient(transport);
                run(http, client);
            }
        } finally {
            node.close();
        }
        // the patterns come back after a restart, in the state they were left in
        Node again = settings.start();
        try (again) {
            Http http = new Http(again.httpAddress());
            Http.Response r = Http.expect(200, http.get("/_ccr/auto_follow/other"), "pattern after restart");
            assertThat(r.json().at("/patterns/0/pattern/active").asBoolean()).isTrue();
            assertThat(r.json().at("/patterns/0/pattern/follow_index_pattern").asText()).isEqualTo("o-{{leader_index}}");
            assertThat(r.json().at("/patterns/0/pattern/settings/index/refresh_interval").asText()).isEqualTo("-1");
            Http.expect(404, http.get("/_ccr/auto_follow/logs"), "deleted pattern after restart");
            // the follower's own settings too, once its remote (this node, on a new port) is reachable again
            Http.expect(200, http.put("/_cluster/settings", "{\"persistent\":{\"cluster.remote.self.seeds\":\""
                    + http.hostPort() + "\"}}"), "remote self on the new port");
            await("o-other-1 reopened").atMost(TIMEOUT).until(() -> http.get("/o-other-1/_settings").status() == 200);
            assertThat(http.get("/o-other-1/_settings?flat_settings=true").json()
                    .at("/o-other-1/settings/index.refresh_interval").asText()).isEqualTo("300ms");
        }
    }

    private void run(Http http, ElasticsearchClient client) throws Exception {
        createWithDocs(http, "logs-old", 3);
        client.ccr().putAutoFollowPattern(p -> p.name("logs").remoteCluster("self").leaderIndexPatterns("logs-*")
                .leaderIndexExclusionPatterns("logs-skip*").followIndexPattern("copy-{{leader_index}}")
                .maxReadRequestOperationCount(1000));
        client.ccr().putAutoFollowPattern(p -> p.name("other").remoteCluster("self").leaderIndexPatterns("other-*")
                .followIndexPattern("o-{{leader_index}}").settings(java.util.Map.of("index.refresh_interval",
                        co.elastic.clients.json.JsonData.of("-1"))));

        GetAutoFollowPatternResponse got = client.ccr().getAutoFollowPattern(g -> g.name("logs"));
        assertThat(got.patterns()).hasSize(1);
        AutoFollowPatternSummary summary = got.patterns().get(0).pattern();
        assertThat(got.patterns().get(0).name()).isEqualTo("logs");
        assertThat(summary.active()).isTrue();
        assertThat(summary.remoteCluster()).isEqualTo("self");
        assertThat(summary.leaderIndexPatterns()).containsExactly("logs-*");
        assertThat(summary.leaderIndexExclusionPatterns()).containsExactly("logs-skip*");
        assertThat(summary.followIndexPattern()).isEqualTo("copy-{{leader_index}}");
        assertThat(client.ccr().getAutoFollowPattern().patterns()).extracting(p -> p.name())
                .containsExactly("logs", "other");

        // a new matching index is followed and its documents arrive; an excluded one and an older one are not
        createWithDocs(http, "logs-skip1", 2);
        createWithDocs(http, "logs-new", 5);
        awaitIndex(http, "copy-logs-new");
        Ccr.awaitSameDocuments(http, "logs-new", http, "copy-logs-new", TIMEOUT);
        assertThat(Ccr.info(http, "copy-logs-new").path("leader_index").asText()).isEqualTo("logs-new");
        assertThat(exists(http, "copy-logs-skip1")).isFalse();
        assertThat(exists(http, "copy-logs-old")).isFalse();

        // paused: nothing new is followed (the active "other" pattern's follow marks a later round)
        client.ccr().pauseAutoFollowPattern(p -> p.name("logs"));
        assertThat(client.ccr().getAutoFollowPattern(g -> g.name("logs")).patterns().get(0).pattern().active())
                .isFalse();
        createWithDocs(http, "logs-paused", 1);
        createWithDocs(http, "other-1", 1);
        awaitIndex(http, "o-other-1");
        assertThat(exists(http, "copy-logs-paused")).isFalse();
        // the pattern's settings are its followers': no scheduled refresh, until one is set on the follower
        assertThat(client.indices().getSettings(g -> g.index("o-other-1")).get("o-other-1").settings().index()
                .refreshInterval().time()).isEqualTo("-1");
        Ccr.awaitCaughtUp(http, "o-other-1", TIMEOUT);
        long copied = client.count(c -> c.index("o-other-1")).count(); // what its bootstrap copied is searchable
        Http.expect(201, http.put("/other-1/_doc/later", "{\"n\":9}"), "index into other-1");
        Ccr.awaitCaughtUp(http, "o-other-1", TIMEOUT);
        assertThat(client.count(c -> c.index("o-other-1")).count()).as("applied, not refreshed").isEqualTo(copied);
        client.indices().putSettings(p -> p.index("o-other-1").settings(s -> s.refreshInterval(t -> t.time("300ms"))));
        await("refreshed at its own interval").atMost(TIMEOUT)
                .until(() -> client.count(c -> c.index("o-other-1")).count() == copied + 1);

        // resumed: indices created from now on are followed, not those created while it was paused
        client.ccr().resumeAutoFollowPattern(p -> p.name("logs"));
        createWithDocs(http, "logs-resumed", 4);
        awaitIndex(http, "copy-logs-resumed");
        Ccr.awaitSameDocuments(http, "logs-resumed", http, "copy-logs-resumed", TIMEOUT);
        assertThat(exists(http, "copy-logs-paused")).isFalse();

        CcrStatsResponse stats = client.ccr().stats();
        assertThat(stats.autoFollowStats().numberOfSuccessfulFollowIndices()).isEqualTo(3);
        assertThat(stats.autoFollowStats().autoFollowedClusters()).extracting(c -> c.clusterName())
                .containsExactly("self");

        // deleted: gone, Elasticsearch's 404
        client.ccr().deleteAutoFollowPattern(d -> d.name("logs"));
        ElasticsearchException missing = catchThrowableOfType(ElasticsearchException.class,
                () -> client.ccr().getAutoFollowPattern(g -> g.name("logs")));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.error().type()).isEqualTo("resource_not_found_exception");
        assertThat(missing.error().reason()).isEqualTo("auto-follow pattern [logs] is missing");
        assertThat(client.ccr().getAutoFollowPattern().patterns()).extracting(p -> p.name()).containsExactly("other");

        badInput(http, client);
    }

    private static void badInput(Http http, ElasticsearchClient client) {
        ElasticsearchException noRemote = catchThrowableOfType(ElasticsearchException.class, () -> client.ccr()
                .putAutoFollowPattern(p -> p.name("x").remoteCluster("nowhere").leaderIndexPatterns("a-*")));
        assertThat(noRemote.status()).isEqualTo(404);
        assertThat(noRemote.error().type()).isEqualTo("no_such_remote_cluster_exception");
        ElasticsearchException badFollow = catchThrowableOfType(ElasticsearchException.class, () -> client.ccr()
                .putAutoFollowPattern(p -> p.name("x").remoteCluster("self").leaderIndexPatterns("a-*")
                        .followIndexPattern("Copy-{{leader_index}}")));
        assertThat(badFollow.status()).isEqualTo(400);
        assertThat(badFollow.error().type()).isEqualTo("illegal_argument_exception");
        assertThat(badFollow.error().reason()).contains("follow_index_pattern").contains("lowercase");
        ElasticsearchException badName = catchThrowableOfType(ElasticsearchException.class, () -> client.ccr()
                .putAutoFollowPattern(p -> p.name("_x").remoteCluster("self").leaderIndexPatterns("a-*")));
        assertThat(badName.status()).isEqualTo(400);
        assertThat(badName.error().type()).isEqualTo("action_request_validation_exception");
        ElasticsearchException emptyPattern = catchThrowableOfType(ElasticsearchException.class, () -> client.ccr()
                .putAutoFollowPattern(p -> p.name("x").remoteCluster("self").leaderIndexPatterns("")));
        assertThat(emptyPattern.status()).isEqualTo(400);
        assertThat(emptyPattern.error().type()).isEqualTo("illegal_argument_exception");
        Http.Response noPatterns = http.put("/_ccr/auto_follow/x", "{\"remote_cluster\":\"self\"}");
        assertThat(noPatterns.status()).isEqualTo(400);
        assertThat(noPatterns.json().at("/error/type").asText()).isEqualTo("action_request_validation_exception");
        assertThat(noPatterns.json().at("/error/reason").asText()).contains("[leader_index_patterns] is missing");
        Http.Response unknown = http.put("/_ccr/auto_follow/x", "{\"remote_cluster\":\"self\","
                + "\"leader_index_patterns\":[\"a-*\"],\"leader_index\":\"a\"}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().at("/error/type").asText()).isEqualTo("x_content_parse_exception");
        Http.Response replicated = http.put("/_ccr/auto_follow/x", "{\"remote_cluster\":\"self\","
                + "\"leader_index_patterns\":[\"a-*\"],\"settings\":{\"index.number_of_shards\":2}}");
        assertThat(replicated.status()).isEqualTo(400);
        assertThat(replicated.json().at("/error/reason").asText())
                .isEqualTo("can not put follower index that could override leader settings {\"index.number_of_shards\":\"2\"}");
        Http.Response pauseMissing = http.post("/_ccr/auto_follow/nope/pause", null);
        assertThat(pauseMissing.status()).isEqualTo(404);
        assertThat(pauseMissing.json().at("/error/type").asText()).isEqualTo("resource_not_found_exception");
        assertThat(http.get("/_ccr/auto_follow/x").status()).isEqualTo(404);
    }

    private static void createWithDocs(Http http, String index, int docs) {
        Http.expect(200, http.put("/" + index, "{\"settings\":{\"number_of_shards\":1}}"), "create " + index);
        for (int i = 0; i < docs; i++) {
            Http.expect(201, http.put("/" + index + "/_doc/" + i, "{\"n\":" + i + ",\"index\":\"" + index + "\"}"),
                    "index into " + index);
        }
    }

    private static boolean exists(Http http, String index) {
        return http.get("/" + index).status() == 200;
    }

    private static void awaitIndex(Http http, String index) {
        await("auto-followed index [" + index + "]").atMost(TIMEOUT).until(() -> exists(http, index));
    }

}
