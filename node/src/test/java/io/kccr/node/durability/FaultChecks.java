package io.kccr.node.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kccr.testkit.Http;
import java.time.Duration;

/** The checks every fault test ends with. */
final class FaultChecks {
    private FaultChecks() {
    }

    /** Waits until {@code _ccr/verify} finds the follower identical to its leader, document by document. */
    static void awaitFollowerIdentical(Http follower, String followerIndex) {
        await("follower [" + followerIndex + "] identical to its leader").atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                    Http.Response r = follower.post("/" + followerIndex + "/_ccr/verify", "{}");
                    assertThat(r.status()).as(r.toString()).isEqualTo(200);
                    JsonNode report = r.json();
                    assertThat(report.get("identical").asBoolean()).as(report.toString()).isTrue();
                });
    }
}
