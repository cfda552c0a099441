package io.kccr.node.indices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kccr.core.error.RejectedException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class IndexingPressureTest {
    @Test
    void bytesPastTheLimitAreRefusedAndGivenBackOnce() {
        IndexingPressure pressure = new IndexingPressure(100);
        IndexingPressure.Ticket held = pressure.acquire(60);
        assertThatThrownBy(() -> pressure.acquire(50)).isInstanceOf(RejectedException.class);
        assertThat(pressure.rejections()).isEqualTo(1);
        held.close();
        held.close();
        assertThat(pressure.currentBytes()).isZero();
    }

    @Test
    void quietOnlyOnceNothingIsInFlightAndNothingCameForTheQuietTime() throws InterruptedException {
        IndexingPressure pressure = new IndexingPressure(100);
        IndexingPressure.Ticket held = pressure.acquire(10);
        assertThat(pressure.awaitQuiet(Duration.ZERO, Duration.ofMillis(100))).as("a write in flight").isFalse();
        held.close();
        // a write just came: not quiet for a minute, whatever the timeout allows
        assertThat(pressure.awaitQuiet(Duration.ofMinutes(1), Duration.ofMillis(100))).isFalse();
        assertThat(pressure.awaitQuiet(Duration.ofMillis(50), Duration.ofSeconds(10))).isTrue();
    }
}
