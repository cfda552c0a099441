package io.kccr.node.security;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kccr.core.error.RejectedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Failed authentications are limited per client address for a minute, with the clock given. */
class FailedLoginsTest {
    private Instant now = Instant.parse("2026-12-07T10:00:00Z");
    private final Clock clock = new Clock() {
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
            return now;
        }
    };

    @Test
    void anAddressIsRefusedAfterTooManyFailuresUntilTheWindowEnds() {
        FailedLogins limits = new FailedLogins(clock);
        for (int i = 0; i < FailedLogins.MAX_FAILURES; i++) {
            limits.check("10.0.0.1");
            limits.failed("10.0.0.1");
        }
        assertThatThrownBy(() -> limits.check("10.0.0.1")).isInstanceOf(RejectedException.class)
                .hasMessageContaining("too many failed authentication attempts from [10.0.0.1]")
                .hasMessageContaining("wait 60s");
        assertThatCode(() -> limits.check("10.0.0.2")).as("another address").doesNotThrowAnyException();
        now = now.plus(FailedLogins.WINDOW).plus(Duration.ofMillis(1));
        assertThatCode(() -> limits.check("10.0.0.1")).as("a minute later").doesNotThrowAnyException();
    }
}
