package io.kccr.follower;

import static org.assertj.core.api.Assertions.assertThat;

import io.kccr.core.index.IndexMetadata;
import io.kccr.core.index.IndexSettings;
import io.kccr.core.mapping.Mappings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower whose start fails for a reason that may pass (its leader's Kafka cannot be reached) is failed, showing
 * why, and retries by itself; it never shows active while nothing runs.
 */
class FollowerStartFailureTest {
    @TempDir
    Path dir;

    @Test
    void aStartThatFailsIsAVisibleFailureThatRetries() {
        // nothing listens on port 1: every Kafka call of the follower times out
        Map<String, Object> unreachable = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1",
                CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000, CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG,
                1_000);
        IndexMetadata leader = new IndexMetadata("leader", "uuid", "history", 1L, IndexSettings.defaults(),
                Mappings.empty(), 1, 1);
        FollowParameters parameters = FollowParameters.DEFAULTS;
        FollowerDefinition definition = new FollowerDefinition("copy", "remote", "leader", "kccr-test-follow-copy",
                "r.leader.ops", "r.leader.meta", parameters);
        try (FollowerRuntime runtime = FollowerRuntime.withDefaults(Duration.ofSeconds(10), Clock.systemUTC())) {
            FollowerIndex follower = new FollowerIndex(definition, leader,
                    new LeaderMetadataReader(unreachable, "r.leader.meta", Duration.ofSeconds(2)), unreachable, dir,
                    runtime, Clock.systemUTC(), null);
            try {
                follower.start();
                assertThat(follower.status()).isEqualTo(FollowerStatus.FAILED);
                assertThat(follower.fatalError().reason()).contains("could not start following", "Retrying by itself");
                assertThat(follower.untilActive()).isCompletedExceptionally();
            } finally {
                follower.close();
            }
        }
    }
}
