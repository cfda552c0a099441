package io.kccr.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LagCommandTest {

    @Test
    void theIntervalTakesElasticsearchsTimeUnits() {
        assertThat(LagCommand.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(LagCommand.parseDuration("1s")).isEqualTo(Duration.ofSeconds(1));
        assertThat(LagCommand.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(LagCommand.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(LagCommand.parseDuration("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(LagCommand.parseDuration(" 5S ")).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void anythingButAPositiveTimeOfAtLeastOneMillisecondIsRefused() {
        for (String bad : new String[] {"fast", "0s", "0", "-1", "10", "1.5s", "500micros", "1 s"}) {
            assertThatThrownBy(() -> LagCommand.parseDuration(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("failed to parse [" + bad + "]: give a positive time such as 500ms, 1s or 1m");
        }
    }
}
