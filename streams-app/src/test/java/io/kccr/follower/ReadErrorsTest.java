package io.kccr.follower;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReadErrorsTest {

    @Test
    void readErrorsAreReportedUntilAReadSucceedsAfterThem() {
        AtomicLong now = new AtomicLong(1000);
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(now.get());
            }
        };
        ReadErrors errors = new ReadErrors(clock);
        assertThat(errors.record("broker down")).isEqualTo(1);
        now.set(2000);
        assertThat(errors.record("broker down")).isEqualTo(2);
        assertThat(errors.recent(500)).containsExactly("broker down", "broker down");
        assertThat(errors.recent(3000)).isEmpty();
        assertThat(errors.record("again")).isEqualTo(1);
    }
}
