package io.kccr.node.ccr;

import io.kccr.testkit.Browser;

import io.kccr.testkit.Http;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kccr.core.index.IndexNames;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The steps {@link ConsoleIT} drives in the browser, one screenshot each, against a follower node whose remote
 * {@code leader} holds index {@code cities}.
 */
final class ConsoleFlow {
    private static final String LEADER = "cities";
    private static final String FOLLOWER = "cities-copy";
    private static final String ROW = "tr[data-follower='" + FOLLOWER + "']";
    private static final Duration UI = Duration.ofSeconds(20);
    private static final Duration BOOTSTRAP = Duration.ofSeconds(120);

    private final Browser b;
    private final String console;
    private final Http leader;
    private final Http follower;
    private final Ccr.Traffic traffic;

    ConsoleFlow(Browser b, String console, Http leader, Http follower, Ccr.Traffic traffic) {
        this.b = b;
        this.console = console;
        this.leader = leader;
        this.follower = follower;
        this.traffic = traffic;
    }

    void run() throws Exception {
        b.open(console + "/");
        login();
        b.awaitVisible("#followers-empty", UI);
        assertThat(b.find("#node-identity").getText()).contains("follower-1");
        b.screenshot("no-followers");

        remoteClusters();
        createFormChecksNames();
        followAndWatchBootstrap();
        detailChartDraws();
        pauseAndResume();
        narrowWindow();
        autoFollowPatterns();
        aViewerSeesButCannotAct();
        unfollow();
    }

    /** The login form: a wrong password is refused in words, elastic's gets in. */
    private void login() {
        b.awaitVisible("#login-form", UI);
        assertThat(b.find("#app").isDisplayed()).isFalse();
        logIn("elastic", "wrong-password");
        b.await("the wrong password to be refused", UI, d -> b.find("#login-error").getText()
                .equals("Wrong username or password."));
        b.screenshot("login-refused");
        logIn("elastic", io.kccr.testkit.TestNode.ELASTIC_PASSWORD);
        b.awaitVisible("#app", UI);
        assertThat(b.find("#user-name").getText()).isEqualTo("Logged in as elastic");
        assertThat(b.cookieFlags("kccr_session")).as("session cookie").contains("httpOnly", "sameSite=Strict");
    }

    private void logIn(String user, String password) {
        WebElement name = b.find("#login-user");
        name.clear();
        name.sendKeys(user);
        WebElement pass = b.find("#login-password");
        pass.clear();
        pass.sendKeys(password);
        b.find("#login-submit").click();
    }

    /**
     * A viewer sees the follower but no button to change it, and the auto-follow tab says which privilege it needs;
     * logging out shows the form again, and the API refuses the old session.
     */
    private void aViewerSeesButCannotAct() {
        Http.expect(200, follower.put("/_security/user/vic", "{\"password\":\"vic-password\",\"roles\":"
                + "[\"viewer\"]}"), "create a viewer");
        b.find("#logout").click();
        b.awaitVisible("#login-form", UI);
        logIn("vic", "vic-password");
        WebElement row = b.awaitVisible(ROW, UI);
        b.await("the viewer's row to show no actions", UI, d -> !row.findElements(By.cssSelector("[data-no-actions]"))
                .isEmpty());
        assertThat(row.findElements(By.cssSelector("button[data-action='pause']"))).isEmpty();
        assertThat(row.findElements(By.cssSelector("button[data-action='unfollow']"))).isEmpty();
        assertThat(row.getText()).contains("View only (changes need manage_ccr)");
        assertThat(b.find("#create-follower").isDisplayed()).isFalse();
        b.screenshot("viewer");
        b.find("#tab-auto-follow").click();
        b.await("the auto-follow tab to name the missing privilege", UI, d -> b.find("#patterns-error").getText()
                .contains("needs the cluster privilege manage_ccr"));
        b.screenshot("viewer-auto-follow");
        b.find("#tab-followers").click();
        b.find("#logout").click();
        b.awaitVisible("#login-form", UI);
        assertThat(b.script("return fetch('/_ccr/stats', {headers: {'X-Requested-With': 'XMLHttpRequest'}})"
                + ".then(r => r.status)")).as("the API after logout").isEqualTo(401L);
        b.screenshot("logged-out");
        logIn("elastic", io.kccr.testkit.TestNode.ELASTIC_PASSWORD);
        b.awaitVisible(ROW + " button[data-action='unfollow']", UI);
    }

    private void remoteClusters() {
        b.find("#tab-remotes").click();
        WebElement row = b.awaitVisible("tr[data-remote='leader']", UI);
        b.await("the remote to show connected", UI, d -> row.findElement(By.cssSelector(".badge"))
                .getAttribute("data-status").equals("connected"));
        assertThat(row.getText()).contains(kafkaOf(follower)).contains(leader.hostPort());
        WebElement gone = b.awaitVisible("tr[data-remote='gone']", UI);
        assertThat(gone.findElement(By.cssSelector(".badge")).getText()).isEqualTo("Not connected");
        assertThat(gone.findElement(By.cssSelector(".reason")).getText()).as("why not").contains("127.0.0.1:1");
        b.screenshot("remote-clusters");
        // keyboard: arrows move between the tabs; the nodes tab of a node alone says it joins no cluster
        b.find("#tab-remotes").sendKeys(Keys.ARROW_RIGHT);
        b.awaitVisible("#nodes-alone", UI);
        assertThat(b.script("return document.activeElement.id")).isEqualTo("tab-nodes");
        b.find("#tab-nodes").sendKeys(Keys.ARROW_RIGHT);
        b.await("arrow right to wrap to the first tab", UI, d -> b.find("#panel-followers").isDisplayed());
        assertThat(b.script("return document.activeElement.id")).isEqualTo("tab-followers");
    }

    private static String kafkaOf(Http follower) {
        return Http.expect(200, follower.get("/_remote/info"), "remote info").json()
                .at("/leader/kafka_bootstrap_servers").asText();
    }

    private void createFormChecksNames() {
        b.find("#create-follower").click();
        b.awaitVisible("#follow-dialog", UI);
        b.awaitVisible("#f-leader-info button.chip[data-index='" + LEADER + "']", UI);
        assertThat(b.find("#f-remote option[value='leader']").getText()).isEqualTo("leader (connected)");
        assertThat(b.find("#f-remote option[value='gone']").getText()).isEqualTo("gone (not connected)");
        assertThat(b.find("#f-remote").getAttribute("value")).as("a connected remote first").isEqualTo("leader");
        assertThat(b.find("#f-remote-info").getText()).startsWith("Connected");
        b.screenshot("create-form");

        // every rule of the API, as the API words it, while typing
        WebElement name = b.find("#f-name");
        for (String bad : List.of("Cities", "_cities", "-c", "a,b", "a b", "a:b", "..", "x".repeat(256), "c#1")) {
            name.clear();
            name.sendKeys(bad);
            String expected = "Invalid index name [" + bad + "], " + IndexNames.problem(bad);
            b.await("the name error for [" + bad + "]", UI, d -> b.find("#f-name-error").getText().equals(expected));
            assertThat(name.getAttribute("aria-invalid")).isEqualTo("true");
        }
        name.clear();
        name.sendKeys("Cities Copy");
        b.await("the lowercase error", UI, d -> b.find("#f-name-error").getText()
                .equals("Invalid index name [Cities Copy], must be lowercase"));
        b.screenshot("bad-follower-name");
        name.clear();
        name.sendKeys(FOLLOWER);
        b.await("the name error to clear", UI, d -> b.find("#f-name-error").getText().isEmpty());

        // an error of the API, at the field it concerns
        b.find("#f-leader").sendKeys("no-such-index");
        b.find("#f-submit").click();
        b.await("the API's error at the leader index field", UI, d -> b.find("#f-leader-error").getText()
                .equals("no such index [no-such-index] on remote cluster [leader]: pick one of its indices above"));
        assertThat(b.script("return document.activeElement.id")).isEqualTo("f-leader");
        b.screenshot("leader-not-found");
    }

    private void followAndWatchBootstrap() {
        b.find("#f-leader").clear();
        b.find("#f-leader-info button.chip[data-index='" + LEADER + "']").sendKeys(Keys.ENTER);
        assertThat(b.find("#f-leader").getAttribute("value")).isEqualTo(LEADER);
        assertThat(b.script("return document.activeElement.id")).isEqualTo("f-name");
        b.find("#f-name").sendKeys(Keys.ENTER);
        b.await("the dialog to close", UI, d -> !b.find("#follow-dialog").isDisplayed());
        WebElement row = b.awaitVisible(ROW, UI);
        assertThat(row.getText()).contains("leader", LEADER);
        b.await("the row to show Bootstrapping with its progress", UI, d -> status().equals("bootstrapping")
                && !b.findAll(ROW + " progress").isEmpty());
        b.await("the bootstrap to make progress", BOOTSTRAP, d -> progress() > 0 || !status().equals("bootstrapping"));
        if (status().equals("bootstrapping")) {
            b.screenshot("bootstrapping");
        }
        b.await("the follower to become Active", BOOTSTRAP, d -> status().equals("active"));
        assertThat(b.findAll(ROW + " progress")).isEmpty();
        Http.expect(200, leader.post("/" + LEADER + "/_refresh", null), "refresh");
        long docs = Http.expect(200, leader.get("/" + LEADER + "/_count"), "count").json().path("count").asLong();
        String shown = String.format(Locale.US, "%,d", docs);
        b.await("the document count " + shown, BOOTSTRAP, d -> b.find(ROW + " .docs").getText().equals(shown));
        b.screenshot("active");
    }

    private String status() {
        List<WebElement> badge = b.findAll(ROW + " .badge");
        return badge.isEmpty() ? "" : badge.get(0).getAttribute("data-status");
    }

    private double progress() {
        List<WebElement> bar = b.findAll(ROW + " progress");
        return bar.isEmpty() ? 0 : Double.parseDouble(bar.get(0).getAttribute("value"));
    }

    private void detailChartDraws() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Void> writes = CompletableFuture.runAsync(() -> {
            while (!stop.get()) {
                traffic.bulk(200);
            }
        });
        try {
            b.find(ROW + " button[data-action='details']").click();
            b.awaitVisible("#detail", UI);
            assertThat(b.script("return document.activeElement.id")).isEqualTo("detail-title");
            assertThat(b.findAll("#shards tbody tr")).hasSize(3);
            // the apply rate line (blue) drawn on the canvas, over several samples
            b.await("the chart to hold samples", UI, d -> Integer.parseInt(b.find("#lag-chart")
                    .getAttribute("data-points")) >= 5);
            b.await("the apply rate to be drawn", UI, d -> ((Number) b.script("""
                    const c = document.querySelector('#lag-chart canvas');
                    if (!c || c.width === 0) return 0;
                    const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                    let n = 0;
                    for (let i = 0; i < px.length; i += 4) {
                      if (px[i + 3] > 200 && px[i] < 80 && px[i + 1] < 120 && px[i + 2] > 180) n++;
                    }
                    return n;""")).intValue() > 20);
            assertThat(b.find("#lag-chart").getText()).contains("Ops lag", "Apply rate", "Lag (s)");
            b.screenshot("detail-chart");
        } finally {
            stop.set(true);
            writes.get();
        }
    }

    private void pauseAndResume() {
        b.find(ROW + " button[data-action='pause']").click();
        b.await("Paused", UI, d -> status().equals("paused"));
        assertThat(Ccr.info(follower, FOLLOWER).path("detailed_status").asText()).isEqualTo("paused");
        b.screenshot("paused");
        WebElement resume = b.find(ROW + " button[data-action='resume']");
        resume.sendKeys(Keys.ENTER); // by keyboard
        b.await("Active again", UI, d -> status().equals("active"));
        assertThat(Ccr.info(follower, FOLLOWER).path("detailed_status").asText()).isEqualTo("active");
        b.screenshot("resumed");
    }

    private void narrowWindow() {
        b.resize(420, 800);
        b.await("the table rows to become cards", UI, d -> "block".equals(b.script(
                "return getComputedStyle(document.querySelector(arguments[0])).display", ROW)));
        assertThat(b.find(ROW + " button[data-action='pause']").isDisplayed()).isTrue();
        b.script("window.scrollTo(0, 0)");
        b.screenshot("narrow-window");
        b.resize(1280, 800);
    }

    private void autoFollowPatterns() {
        b.find("#tab-auto-follow").click();
        b.awaitVisible("#patterns-empty", UI);
        b.find("#create-pattern").click();
        b.awaitVisible("#pattern-dialog", UI);
        b.await("the remotes in the pattern form", UI, d -> !b.findAll("#p-remote option[value='leader']").isEmpty());
        assertThat(b.find("#p-remote").getAttribute("value")).as("a connected remote first").isEqualTo("leader");
        b.find("#p-name").sendKeys("logs");
        b.find("#p-patterns").sendKeys("logs-*, metrics-*");
        b.find("#p-follow").clear();
        b.find("#p-follow").sendKeys("copy-{{leader_index}}");
        b.screenshot("create-pattern");
        b.find("#p-submit").click();
        String row = "tr[data-pattern='logs']";
        b.awaitVisible(row, UI);
        assertThat(b.find(row).getText()).contains("logs-*, metrics-*", "copy-{{leader_index}}", "Active");
        b.find(row + " button[data-action='pause']").click();
        b.await("the keyboard focus kept in the row", UI, d -> "resume".equals(b.script(
                "return document.activeElement.dataset.action")));
        b.await("the pattern paused", UI, d -> b.find(row + " .badge").getAttribute("data-status").equals("paused"));
        JsonNode pattern = Http.expect(200, follower.get("/_ccr/auto_follow/logs"), "pattern").json();
        assertThat(pattern.at("/patterns/0/pattern/active").asBoolean()).isFalse();
        b.screenshot("pattern-paused");
        b.find(row + " button[data-action='resume']").click();
        b.await("the pattern active", UI, d -> b.find(row + " .badge").getAttribute("data-status").equals("active"));
        b.find(row + " button[data-action='delete']").click();
        b.awaitVisible("#confirm-dialog", UI);
        assertThat(b.find("#confirm-body").getText()).contains("will no longer be followed");
        b.find("#confirm-ok").click();
        b.await("the pattern gone", UI, d -> b.findAll(row).isEmpty());
        Http.expect(404, follower.get("/_ccr/auto_follow/logs"), "deleted pattern");
        b.find("#tab-followers").click();
    }

    private void unfollow() {
        b.awaitVisible(ROW, UI);
        b.find(ROW + " button[data-action='unfollow']").click();
        b.awaitVisible("#confirm-dialog", UI);
        assertThat(b.find("#confirm-body").getText()).contains("stops for good", "cannot be resumed");
        b.screenshot("unfollow-confirm");
        b.find("#confirm-ok").click();
        b.await("the follower row gone", UI, d -> b.findAll(ROW).isEmpty());
        assertThat(Http.expect(200, follower.get("/" + FOLLOWER + "/_ccr/info"), "info").json()
                .path("follower_indices")).isEmpty();
        // the row goes once unfollow answers; the page's last call, _open, may still be on its way
        b.await("the unfollowed index to take a write", UI, d -> follower.put("/" + FOLLOWER
                + "/_doc/after-unfollow", "{\"a\":1}").status() == 201);
        b.screenshot("unfollowed");
    }
}
