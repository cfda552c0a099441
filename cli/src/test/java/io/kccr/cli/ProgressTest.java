package io.kccr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ProgressTest {

    /** A clock the test moves. */
    private static final class TestClock extends Clock {
        long millis;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    @Test
    void onATerminalOneLineIsRedrawn() {
        StringWriter sw = new StringWriter();
        Progress p = new Progress(new PrintWriter(sw), true, new TestClock(), Duration.ofSeconds(5));
        p.update("copy", 1, 4, "1/4 files");
        p.update("copy", 4, 4, "4/4");
        p.finish("done");
        String out = sw.toString();
        assertThat(out).startsWith("\rcopy [########----------------------]  25.0%  1/4 files");
        // the shorter second drawing blanks what is left of the first
        assertThat(out).contains("\rcopy [##############################] 100.0%  4/4      ");
        assertThat(out).endsWith(System.lineSeparator() + "done" + System.lineSeparator());
    }

    @Test
    void elsewhereLinesAreRateLimitedAndTheLastOneIsPrintedOnce() {
        StringWriter sw = new StringWriter();
        TestClock clock = new TestClock();
        Progress p = new Progress(new PrintWriter(sw), false, clock, Duration.ofSeconds(5));
        p.update("copy", 0, 100, null); // the first: printed
        clock.millis += 1_000;
        p.update("copy", 10, 100, null); // too soon
        clock.millis += 4_000;
        p.update("copy", 50, 100, null); // 5 s after the first
        clock.millis += 100;
        p.update("copy", 100, 100, "all"); // 100%: printed at once
        clock.millis += 10_000;
        p.update("copy", 100, 100, "all"); // and only once
        p.finish(null);
        assertThat(sw.toString().lines()).containsExactly("copy 0.0%", "copy 50.0%", "copy 100.0%  all");
    }
}
