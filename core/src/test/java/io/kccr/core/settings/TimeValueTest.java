package io.kccr.core.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimeValueTest {

    private static TimeValue parse(String value) {
        return TimeValue.parse(value, "test.setting");
    }

    @ParameterizedTest
    @CsvSource({
        "10nanos, 10, NANOSECONDS",
        "10micros, 10, MICROSECONDS",
        "500ms, 500, MILLISECONDS",
        "30s, 30, SECONDS",
        "2m, 2, MINUTES",
        "1h, 1, HOURS",
        "7d, 7, DAYS",
        "10S, 10, SECONDS",
        "10MS, 10, MILLISECONDS",
        "3H, 3, HOURS",
        "' 60s ', 60, SECONDS",
        "+5s, 5, SECONDS",
    })
    void parsesElasticsearchUnits(String text, long duration, TimeUnit unit) {
        assertThat(parse(text)).isEqualTo(new TimeValue(duration, unit));
    }

    @Test
    void zeroAndMinusOneNeedNoUnit() {
        assertThat(parse("0")).isEqualTo(TimeValue.ZERO);
        assertThat(parse("000")).isEqualTo(TimeValue.ZERO);
        assertThat(parse("-1")).isEqualTo(TimeValue.MINUS_ONE);
        assertThat(parse("-1s")).isEqualTo(TimeValue.MINUS_ONE);
        assertThat(parse("0s")).isEqualTo(TimeValue.ofSeconds(0));
        assertThat(TimeValue.MINUS_ONE.isMinusOne()).isTrue();
        assertThat(TimeValue.MINUS_ONE.nanos()).isEqualTo(-1);
        assertThat(TimeValue.MINUS_ONE).isLessThan(TimeValue.ZERO);
        assertThatThrownBy(TimeValue.MINUS_ONE::toDuration).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("isMinusOne");
    }

    @Test
    void aMissingOrUnknownUnitIsNamed() {
        for (String bad : new String[] {"10", "banana", "10sec", "1w", "10M", "1y"}) {
            assertThatThrownBy(() -> parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("failed to parse setting [test.setting] with value [" + bad + "] as a time value: unit "
                            + "is missing or unrecognized (use nanos, micros, ms, s, m, h or d, e.g. 30s)");
        }
    }

    @Test
    void negativeFractionalAndMalformedValuesAreRejected() {
        assertThatThrownBy(() -> parse("-5s"))
                .hasMessage("failed to parse setting [test.setting] with value [-5s] as a time value: negative "
                        + "durations are not supported");
        assertThatThrownBy(() -> parse("-99999999999999999999s")).hasMessageContaining("negative durations");
        assertThatThrownBy(() -> parse("1.5s"))
                .hasMessageStartingWith("failed to parse [1.5s], fractional time values are not supported");
        assertThatThrownBy(() -> parse(".5m")).hasMessageContaining("fractional time values are not supported");
        for (String bad : new String[] {"s", "ms", "10 s", "1-0s", "fast", "", " "}) {
            assertThatThrownBy(() -> parse(bad)).as("[" + bad + "]").isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("[" + bad + "]");
        }
    }

    @Test
    void valuesBeyondLongMaxNanosAreRejected() {
        assertThat(parse("9223372036854775807nanos").nanos()).isEqualTo(Long.MAX_VALUE);
        assertThat(parse("106751d").toDuration()).isEqualTo(Duration.ofDays(106751));
        for (String bad : new String[] {"106752d", "9223372036854775807ms", "99999999999999999999s",
                "9223372036854775808nanos"}) {
            assertThatThrownBy(() -> parse(bad)).as(bad)
                    .hasMessage("failed to parse setting [test.setting] with value [" + bad + "] as a time value: "
                            + "larger than 9223372036854775807nanos (about 106751d)");
        }
        assertThatThrownBy(() -> TimeValue.ofDays(106752)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TimeValue.ofSeconds(-2)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({
        "0, SECONDS, 0s",
        "10, NANOSECONDS, 10nanos",
        "999, NANOSECONDS, 999nanos",
        "1000, NANOSECONDS, 1micros",
        "1500, MICROSECONDS, 1.5ms",
        "10, MILLISECONDS, 10ms",
        "1533, MILLISECONDS, 1.5s",
        "1999, MILLISECONDS, 1.9s",
        "60000, MILLISECONDS, 1m",
        "90, SECONDS, 1.5m",
        "61, SECONDS, 1m",
        "90, MINUTES, 1.5h",
        "36, HOURS, 1.5d",
        "1000, DAYS, 1000d",
        "1, DAYS, 1d",
    })
    void rendersAsElasticsearchsToString(long duration, TimeUnit unit, String expected) {
        assertThat(new TimeValue(duration, unit)).hasToString(expected);
    }

    @Test
    void stringRepKeepsTheUnitAndParsesBack() {
        assertThat(TimeValue.ofMillis(60000).stringRep()).isEqualTo("60000ms");
        assertThat(TimeValue.ofMinutes(1).stringRep()).isEqualTo("1m");
        assertThat(TimeValue.MINUS_ONE.stringRep()).isEqualTo("-1");
        assertThat(TimeValue.MINUS_ONE).hasToString("-1");
        for (String text : new String[] {"10nanos", "7micros", "250ms", "30s", "2m", "5h", "3d", "-1"}) {
            assertThat(parse(text).stringRep()).isEqualTo(text);
        }
    }

    @Test
    void comparesBySpanOfTime() {
        assertThat(TimeValue.ofSeconds(60)).isEqualByComparingTo(TimeValue.ofMinutes(1))
                .isNotEqualTo(TimeValue.ofMinutes(1));
        assertThat(TimeValue.ofMillis(999)).isLessThan(TimeValue.ofSeconds(1));
        assertThat(TimeValue.ofMillis(1500).toDuration()).isEqualTo(Duration.ofMillis(1500));
        assertThat(TimeValue.ofNanos(1_999_999).millis()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1s", "1m", "1h"})
    void wholeUnitsRenderTheSameBothWays(String text) {
        assertThat(parse(text).toString()).isEqualTo(parse(text).stringRep()).isEqualTo(text);
    }
}
