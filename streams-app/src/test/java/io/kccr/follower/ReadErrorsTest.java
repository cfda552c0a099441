package io.kccr.follower;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReadErrorsTest {
    private final AtomicLong now = new AtomicLong(1000);
    private final ReadErrors errors = new ReadErrors(new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }
    });

    @Test
    void aReadFailureCountsItsRetriesFromOneSeqNoUntilAReadSucceedsAfterIt() {
        assertThat(errors.record(5, "broker down", false, 0)).isEqualTo(1);
        now.set(2000);
        assertThat(errors.record(5, "broker still down", false, 0)).isEqualTo(2);
        ReadErrors.Failure current = errors.current(1500, 0);
        assertThat(current).isNotNull();
        assertThat(current.retries()).as("the retries of the one failure, not one entry per error").isEqualTo(2);
        assertThat(current.reason()).isEqualTo("broker still down");
        assertThat(current.fromSeqNo()).isEqualTo(5);

        assertThat(errors.current(2500, 0)).as("a read succeeded after it").isNull();
        assertThat(errors.record(5, "again", false, 0)).isEqualTo(1);
        assertThat(errors.record(9, "further on", false, 0)).as("another seq_no: another failure").isEqualTo(1);
    }

    @Test
    void aWriteFailureLastsUntilAWriteRequestSucceeds() {
        errors.record(3, "disk full", true, 7);
        now.set(5000);
        assertThat(errors.current(4000, 7)).as("reads go on; the write did not").isNotNull();
        assertThat(errors.current(4000, 8)).isNull();
    }

    @Test
    void theBackoffGrowsAndIsCapped() {
        assertThat(errors.recordAndBackoff(1, "x", false, 0, 10_000)).as("100 ms, jittered").isBetween(50L, 100L);
        assertThat(errors.recordAndBackoff(1, "x", false, 0, 10_000)).as("200 ms, jittered").isBetween(100L, 200L);
        errors.recordAndBackoff(1, "x", false, 0, 10_000);
        for (int i = 0; i < 20; i++) {
            assertThat(errors.recordAndBackoff(1, "x", false, 0, 500)).as("capped").isBetween(250L, 500L);
        }
    }
}
