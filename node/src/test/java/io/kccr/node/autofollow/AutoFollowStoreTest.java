package io.kccr.node.autofollow;

import static org.assertj.core.api.Assertions.assertThat;

import io.kccr.follower.FollowParameters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AutoFollowStoreTest {
    @TempDir
    Path data;

    @Test
    void patternsRoundTripThroughTheFile() throws Exception {
        AutoFollowStore store = new AutoFollowStore(data);
        assertThat(store.load()).isEmpty();
        AutoFollowPattern unread = new AutoFollowPattern("logs", "leader", List.of("logs-*"), List.of("logs-tmp*"),
                "{{leader_index}}-copy", FollowParameters.DEFAULTS, true, null, Set.of());
        AutoFollowPattern paused = new AutoFollowPattern("metrics", "leader", List.of("metrics-*"), List.of(), null,
                FollowParameters.DEFAULTS, false, Set.of("metrics-b", "metrics-a"), Set.of("metrics-c"),
                java.util.Map.of("index.refresh_interval", "-1"));
        store.save(List.of(unread, paused));
        assertThat(store.load()).containsExactly(unread, paused);
        String file = Files.readString(data.resolve(AutoFollowStore.FILE));
        assertThat(file).contains("\"preexisting\" : [ \"metrics-a\", \"metrics-b\" ]")
                .contains("\"index.refresh_interval\" : \"-1\"");
        assertThat(file.indexOf("\"settings\"")).as("only the pattern with settings has them")
                .isEqualTo(file.lastIndexOf("\"settings\""));
    }

    @Test
    void aFileOfAnEarlierVersionLoads() throws Exception {
        Files.writeString(data.resolve(AutoFollowStore.FILE), """
                {
                  "patterns" : [ {
                    "name" : "logs",
                    "remote_cluster" : "leader",
                    "leader_index_patterns" : [ "logs-*" ],
                    "leader_index_exclusion_patterns" : [ ],
                    "follow_index_pattern" : "{{leader_index}}",
                    "active" : true,
                    "parameters" : {
                      "max_read_request_operation_count" : 5120,
                      "max_outstanding_read_requests" : 12,
                      "max_read_request_size" : "32mb",
                      "max_write_request_operation_count" : 5120,
                      "max_write_request_size" : "9223372036854775807b",
                      "max_outstanding_write_requests" : 9,
                      "max_write_buffer_count" : 2147483647,
                      "max_write_buffer_size" : "512mb",
                      "max_retry_delay" : "500ms",
                      "read_poll_timeout" : "60000ms"
                    },
                    "preexisting" : [ "logs-old" ],
                    "followed" : [ "logs-new" ]
                  } ]
                }""");
        assertThat(new AutoFollowStore(data).load()).containsExactly(new AutoFollowPattern("logs", "leader",
                List.of("logs-*"), List.of(), "{{leader_index}}", FollowParameters.DEFAULTS, true, Set.of("logs-old"),
                Set.of("logs-new")));
    }

    @Test
    void storedPatternsRoundTrip() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        AutoFollowStore.PatternsFile content = new AutoFollowStore.PatternsFile(List.of(AutoFollowStore.StoredPattern.of(
                new AutoFollowPattern("p", "r", List.of("a*"), List.of(), null, FollowParameters.DEFAULTS, true, null,
                        Set.of("a1")))));
        assertThat(json.readValue(json.writeValueAsString(content), AutoFollowStore.PatternsFile.class))
                .isEqualTo(content);
    }
}
