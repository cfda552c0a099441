package io.kccr.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The rebuild request's body and the options that build it (the endpoint itself is exercised where it lives). */
class RebuildCommandTest {

    @Test
    void withoutAPointTheBodyIsEmpty() {
        assertThat(RebuildCommand.body(null, null).toString()).isEqualTo("{}");
    }

    @Test
    void aSeqNoGoesAsIs() {
        assertThat(RebuildCommand.body(120_000L, null).toString()).isEqualTo("{\"as_of\":{\"seq_no\":120000}}");
        assertThat(RebuildCommand.body(0L, null).toString()).isEqualTo("{\"as_of\":{\"seq_no\":0}}");
        assertThatThrownBy(() -> RebuildCommand.body(-1L, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--as-of-seq-no must be 0 or more");
    }

    @Test
    void aTimeGoesAsAnIsoInstantInUtc() {
        assertThat(RebuildCommand.body(null, "2024-05-01T12:00:00Z").toString())
                .isEqualTo("{\"as_of\":{\"timestamp\":\"2024-05-01T12:00:00Z\"}}");
        assertThat(RebuildCommand.body(null, "2024-05-01T14:00:00.250+02:00").toString())
                .isEqualTo("{\"as_of\":{\"timestamp\":\"2024-05-01T12:00:00.250Z\"}}");
        assertThat(RebuildCommand.body(null, "1714564800000").toString())
                .isEqualTo("{\"as_of\":{\"timestamp\":\"2024-05-01T12:00:00Z\"}}");
        assertThatThrownBy(() -> RebuildCommand.body(null, "yesterday")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("failed to parse [yesterday]");
    }

    @Test
    void theTwoPointsExcludeEachOtherAndABadTimeIsAUsageError() {
        StringWriter err = new StringWriter();
        CommandLine cmd = Kccr.commandLine();
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute("rebuild", "--as-of-seq-no", "5", "--as-of", "1714564800000", "geonames-follower");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("mutually exclusive");

        StringWriter err2 = new StringWriter();
        CommandLine cmd2 = Kccr.commandLine();
        cmd2.setErr(new PrintWriter(err2));
        assertThat(cmd2.execute("rebuild", "--as-of", "soon", "--url", "http://127.0.0.1:1", "f")).isEqualTo(2);
        assertThat(err2.toString()).contains("failed to parse [soon]");
    }
}
