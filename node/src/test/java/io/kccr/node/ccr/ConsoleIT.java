package io.kccr.node.ccr;

import io.kccr.testkit.Browser;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.InfoResponse;
import com.fasterxml.jackson.databind.JsonNode;
import io.kccr.node.sample.SampleData;
import io.kccr.testkit.Http;
import io.kccr.testkit.KafkaBroker;
import io.kccr.testkit.TwoClusters;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web console against a running leader node and follower node (remote {@code leader}), in headless Chromium:
 * the remote clusters view, the create-follower form (suggested leader indices, a bad name refused as the API
 * would, an API error at its field), the new row going Bootstrapping (with progress) to Active, the detail view's
 * lag chart drawing, pause and resume, a narrow window, auto-follow patterns, and unfollow; with security on, as
 * nodes run by default: the login form, a viewer who sees the followers but no action to take, logout. Each step is
 * saved as a
 * screenshot in {@code target/console-screenshots}. Without Chromium the browser test is skipped, saying how to
 * install it; the HTTP checks of {@code /} (JSON for clients, the page for browsers) run anyway.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {
    private static final String LEADER = "cities";
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots").toAbsolutePath();

    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker();

    @TempDir
    static Path data;

    private TwoClusters clusters;
    private Http leader;
    private Http follower;
    private Ccr.Traffic traffic;

    @BeforeAll
    void startClusters() throws Exception {
        clusters = TwoClusters.startSecured(kafka, data);
        leader = clusters.leader();
        follower = clusters.follower();
        // a slow copy, so that the console shows the follower bootstrapping for a few seconds
        Http.expect(200, follower.put("/_cluster/settings", "{\"persistent\":{"
                + "\"ccr.indices.recovery.max_bytes_per_sec\":\"128kb\","
                + "\"ccr.indices.recovery.chunk_size\":\"16kb\","
                + "\"cluster.remote.gone.seeds\":\"127.0.0.1:1\"}}"), "throttle the bootstrap; a remote that is down");
        Http.expect(200, leader.put("/" + LEADER, "{\"settings\":{\"number_of_shards\":3},\"mappings\":"
                + SampleData.MAPPINGS + "}"), "create leader index");
        traffic = new Ccr.Traffic(leader, LEADER, SampleData.documents().subList(0, 20_000), 7, "c", 5_000);
        for (int i = 0; i < 4; i++) {
            traffic.bulk(500);
        }
        Http.expect(200, leader.post("/" + LEADER + "/_flush", null), "flush");
    }

    @AfterAll
    void stop() {
        if (clusters != null) {
            clusters.close();
        }
    }

    // ------------------------------------------------------------------------------------------ HTTP

    @Test
    @Order(1)
    void rootIsJsonForClientsAndTheConsoleForBrowsers() throws Exception {
        String base = follower.base();
        for (String accept : new String[] {null, "*/*", "application/json",
            "application/vnd.elasticsearch+json; compatible-with=9", "text/html;q=0.5, application/json"}) {
            Http.Response r = get("/", accept, null);
            assertThat(r.status()).as("GET / with Accept %s", accept).isEqualTo(200);
            assertThat(r.header("Content-Type")).as("Accept %s", accept).contains("json");
            assertThat(r.json().path("tagline").asText()).isEqualTo("You Know, for Search");
        }
        try (ElasticsearchClient client = ElasticsearchClient.of(b -> b.host(base).usernameAndPassword("elastic",
                io.kccr.testkit.TestNode.ELASTIC_PASSWORD))) {
            InfoResponse info = client.info();
            assertThat(info.clusterName()).isEqualTo("follower-cluster");
            assertThat(client.ping().value()).isTrue();
        }

        String browser = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8";
        Http.Response page = get("/", browser, null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html").containsIgnoringCase("utf-8");
        assertThat(page.header("Content-Security-Policy")).contains("default-src 'self'");
        assertThat(page.header("Vary")).isEqualTo("Accept");
        assertThat(page.text()).contains("<title>Cross-Cluster Replication</title>")
                .doesNotContain("http://", "https://");

        Http.Response js = get("/_console/app.js", null, null);
        assertThat(js.status()).isEqualTo(200);
        assertThat(js.header("Content-Type")).startsWith("text/javascript");
        assertThat(js.header("Cache-Control")).isEqualTo("no-cache");
        String etag = js.header("ETag");
        assertThat(etag).isNotBlank();
        assertThat(get("/_console/app.js", null, etag).status()).as("revalidated").isEqualTo(304);
        assertThat(get("/_console/console.css", null, null).header("Content-Type")).startsWith("text/css");
        Http.Response uplot = get("/_console/lib/uPlot.esm.js", null, null);
        assertThat(uplot.status()).isEqualTo(200);
        assertThat(uplot.text()).contains("export { uPlot as default }");
        Http.Response missing = get("/_console/nope.js", null, null);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().at("/error/type").asText()).isEqualTo("resource_not_found_exception");

        // the leader's indices as the console suggests them: Elasticsearch's resolve index API on remote names
        JsonNode resolved = Http.expect(200, follower.get("/_resolve/index/leader:*"), "resolve remote").json();
        assertThat(resolved.at("/indices/0/name").asText()).isEqualTo("leader:" + LEADER);
        assertThat(Http.expect(200, follower.get("/_resolve/index/leader:x*"), "resolve none").json()
                .path("indices")).isEmpty();
        assertThat(Http.expect(404, follower.get("/_resolve/index/nowhere:*"), "unknown remote").json()
                .at("/error/type").asText()).isEqualTo("no_such_remote_cluster_exception");
        assertThat(Http.expect(200, leader.get("/_resolve/index/cit*"), "resolve local").json()
                .at("/indices/0/attributes/0").asText()).isEqualTo("open");
    }

    /** {@code GET path} on the follower with these {@code Accept} and {@code If-None-Match} headers (null: none). */
    private Http.Response get(String path, String accept, String ifNoneMatch) {
        List<String> headers = new ArrayList<>();
        if (accept != null) {
            headers.addAll(List.of("Accept", accept));
        }
        if (ifNoneMatch != null) {
            headers.addAll(List.of("If-None-Match", ifNoneMatch));
        }
        return follower.get(path, headers.toArray(String[]::new));
    }

    // ------------------------------------------------------------------------------------------ browser

    @Test
    @Order(2)
    void followThroughTheConsole() throws Exception {
        String missing = Browser.missing();
        Assumptions.assumeTrue(missing == null, () -> "skipping the browser tests: " + missing);
        try (Browser b = new Browser(SCREENSHOTS, 1280, 800)) {
            try {
                new ConsoleFlow(b, follower.base(), leader, follower, traffic).run();
            } catch (Throwable t) {
                b.screenshot("failure");
                System.out.println("browser console:\n" + String.join("\n", b.consoleLog()));
                throw t;
            }
            // script errors only: the API's error answers the flow provokes (a 404 follow) are logged as well
            assertThat(b.consoleLog()).as("errors the page logged")
                    .noneMatch(l -> l.contains("SEVERE") && !l.contains("Failed to load resource"));
        }
    }
}
