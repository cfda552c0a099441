package io.kccr.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;


import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the operator commands share: help, the error shape, an unreachable node. */
class CommandLineTest {

    private static Cli run(String... args) {
        return Cli.run(args);
    }

    @ParameterizedTest
    @ValueSource(strings = {"follow", "pause", "resume", "unfollow", "stats", "lag", "rebuild", "quickstart"})
    void everyCommandHasHelpWithExamples(String command) {
        Cli help = run(command, "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("Usage: kccr " + command).contains("Examples:");
        assertThat(run("--help").out()).contains(command);
    }

    @Test
    void anElasticsearchErrorBecomesANodeError() {
        byte[] body = "{\"error\":{\"type\":\"index_not_found_exception\",\"reason\":\"no such index [x]\"},\"status\":404}"
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> NodeClient.answer(404, body)).isInstanceOfSatisfying(NodeError.class, e -> {
            assertThat(e.status()).isEqualTo(404);
            assertThat(e.type()).isEqualTo("index_not_found_exception");
            assertThat(e.reason()).isEqualTo("no such index [x]");
        });
        assertThat(NodeClient.answer(200, new byte[0]).isEmpty()).isTrue();
        assertThatThrownBy(() -> NodeClient.answer(502, "bad gateway".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(NodeError.class, e -> assertThat(e.reason()).isEqualTo("bad gateway"));
    }

    @Test
    void anUnreachableNodeIsNamedWithExitCode2() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        Cli pause = run("pause", "--url", "http://127.0.0.1:" + port, "f");
        assertThat(pause.code()).isEqualTo(2);
        assertThat(pause.err()).startsWith("error: could not reach http://127.0.0.1:" + port);
    }

    @Test
    void aBadIntervalIsAUsageError() {
        Cli lag = run("lag", "--interval", "fast", "--count", "1");
        assertThat(lag.code()).isEqualTo(2);
        assertThat(lag.err()).contains("--interval: failed to parse [fast]");
    }
}
