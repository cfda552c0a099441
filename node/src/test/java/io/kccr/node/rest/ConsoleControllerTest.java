package io.kccr.node.rest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which requests for {@code /} get the console's page: browsers, not the clients relying on the root JSON. */
class ConsoleControllerTest {

    @Test
    void browsersGetThePage() {
        assertThat(ConsoleController.prefersHtml(
                "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8")).isTrue();
        assertThat(ConsoleController.prefersHtml("text/html")).isTrue();
        assertThat(ConsoleController.prefersHtml("application/json;q=0.5, text/html")).isTrue();
    }

    @Test
    void clientsGetJson() {
        assertThat(ConsoleController.prefersHtml(null)).isFalse();
        assertThat(ConsoleController.prefersHtml("*/*")).isFalse();
        assertThat(ConsoleController.prefersHtml("application/json")).isFalse();
        assertThat(ConsoleController.prefersHtml("application/vnd.elasticsearch+json; compatible-with=9")).isFalse();
        assertThat(ConsoleController.prefersHtml("text/html;q=0.5, application/json")).isFalse();
        assertThat(ConsoleController.prefersHtml("text/html;q=0")).isFalse();
        assertThat(ConsoleController.prefersHtml("text/plain")).isFalse();
    }

    @Test
    void filesGetTheirMediaType() {
        assertThat(ConsoleController.contentType("app.js")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(ConsoleController.contentType("console.css")).isEqualTo("text/css; charset=utf-8");
        assertThat(ConsoleController.contentType("index.html")).isEqualTo("text/html; charset=utf-8");
        assertThat(ConsoleController.contentType("uPlot.d.ts")).isEqualTo("application/octet-stream");
    }
}
