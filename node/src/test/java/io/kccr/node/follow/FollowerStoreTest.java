package io.kccr.node.follow;

import io.kccr.core.settings.ByteSizeValue;
import static org.assertj.core.api.Assertions.assertThat;

import io.kccr.follower.FatalError;
import io.kccr.follower.FollowParameters;
import io.kccr.follower.FollowerStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FollowerStoreTest {
    @TempDir
    Path data;

    @Test
    void entriesRoundTripThroughTheirFiles() throws Exception {
        FollowerStore store = new FollowerStore(data);
        FollowParameters tuned = new FollowParameters(700, 12, ByteSizeValue.parse("32mb", "t"), 5120,
                ByteSizeValue.parse("9223372036854775807b", "t"), 9, 2147483647,
                ByteSizeValue.parse("512mb", "t"), Duration.ofMillis(250), Duration.ofMinutes(1));
        FollowerStore.Entry active = new FollowerStore.Entry("a", "leader", "la", FollowerStatus.ACTIVE, null, tuned,
                java.util.Map.of("index.refresh_interval", "-1", "index.search.idle.after", "5s"));
        FollowerStore.Entry failed = new FollowerStore.Entry("b", "leader", "lb", FollowerStatus.FAILED,
                new FatalError("exception", "could not set offsets", new FatalError("timeout_exception", "5 s", null)),
                FollowParameters.DEFAULTS);
        store.save(active);
        store.save(failed);
        assertThat(store.loadAll()).containsExactly(active, failed);
        assertThat(Files.readString(store.dir("a").resolve(FollowerStore.FILE))).doesNotContain("fatal_exception")
                .contains("\"max_retry_delay\" : \"250ms\"").contains("\"index.refresh_interval\" : \"-1\"");
        assertThat(Files.readString(store.dir("b").resolve(FollowerStore.FILE))).doesNotContain("settings");
        store.delete("a");
        assertThat(store.loadAll()).containsExactly(failed);
    }

    @Test
    void aFileOfAnEarlierVersionLoads() throws Exception {
        Path file = data.resolve("followers").resolve("lost-dst").resolve(FollowerStore.FILE);
        Files.createDirectories(file.getParent());
        Files.writeString(file, """
                {
                  "follower_index" : "lost-dst",
                  "remote_cluster" : "leader",
                  "leader_index" : "lost",
                  "status" : "failed",
                  "fatal_exception" : "illegal_state_exception: history lost: the log starts at offset 40",
                  "parameters" : {
                    "max_read_request_operation_count" : 700,
                    "max_outstanding_read_requests" : 12,
                    "max_read_request_size" : "32mb",
                    "max_write_request_operation_count" : 5120,
                    "max_write_request_size" : "9223372036854775807b",
                    "max_outstanding_write_requests" : 9,
                    "max_write_buffer_count" : 2147483647,
                    "max_write_buffer_size" : "512mb",
                    "max_retry_delay" : "250ms",
                    "read_poll_timeout" : "60000ms"
                  }
                }""");
        FollowerStore.Entry entry = new FollowerStore(data).loadAll().getFirst();
        assertThat(entry.status()).isEqualTo(FollowerStatus.FAILED);
        assertThat(entry.fatalException()).isEqualTo(new FatalError("illegal_state_exception",
                "history lost: the log starts at offset 40", null));
        assertThat(entry.parameters().maxReadRequestOperationCount()).isEqualTo(700);
        assertThat(entry.parameters().maxRetryDelay()).isEqualTo(Duration.ofMillis(250));
        assertThat(entry.settings()).as("none in a file of an earlier version").isEmpty();
    }
}
