package io.kccr.node.rest;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ccr.FollowInfoResponse;
import co.elastic.clients.elasticsearch.ccr.follow_info.FollowerIndexStatus;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kccr.follower.FatalError;
import io.kccr.follower.FollowParameters;
import io.kccr.follower.FollowerInfo;
import io.kccr.follower.FollowerStatus;
import io.kccr.follower.ShardFollowStats;
import io.kccr.node.autofollow.AutoFollowStats;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CCR API bodies: each record round-trips through Jackson, and renders Elasticsearch's JSON, field for
 * field as the API answered before the bodies were records.
 */
class CcrResponsesTest {
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final String DEFAULT_PARAMETERS = "{\"max_read_request_operation_count\":5120,"
            + "\"max_outstanding_read_requests\":12,\"max_read_request_size\":\"32mb\","
            + "\"max_write_request_operation_count\":5120,\"max_write_request_size\":\"9223372036854775807b\","
            + "\"max_outstanding_write_requests\":9,\"max_write_buffer_count\":2147483647,"
            + "\"max_write_buffer_size\":\"512mb\",\"max_retry_delay\":\"500ms\",\"read_poll_timeout\":\"1m\"}";
    private static final FatalError LOST = new FatalError("illegal_state_exception", "history lost: re-bootstrap", null);

    @Test
    void followCloseAndOpen() throws Exception {
        assertJson(new CcrResponses.Follow(true, false, false), CcrResponses.Follow.class,
                "{\"follow_index_created\":true,\"follow_index_shards_acked\":false,\"index_following_started\":false}");
        assertJson(CcrResponses.Close.of("f"), CcrResponses.Close.class,
                "{\"acknowledged\":true,\"shards_acknowledged\":true,\"indices\":{\"f\":{\"closed\":true}}}");
        assertJson(new CcrResponses.Open(true, true), CcrResponses.Open.class,
                "{\"acknowledged\":true,\"shards_acknowledged\":true}");
    }

    @Test
    void infoShowsElasticsearchsStatusTheDetailedOneParametersUnlessPausedAndProgress() throws Exception {
        CcrResponses.Info info = CcrResponses.Info.of(List.of(
                new FollowerInfo("a", "leader", "la", FollowerStatus.ACTIVE, FollowParameters.DEFAULTS, null, null,
                        null),
                new FollowerInfo("b", "leader", "lb", FollowerStatus.PAUSED, FollowParameters.DEFAULTS, null, null,
                        null),
                new FollowerInfo("c", "leader", "lc", FollowerStatus.FAILED, FollowParameters.DEFAULTS, LOST, null,
                        null),
                new FollowerInfo("d", "leader", "ld", FollowerStatus.BOOTSTRAPPING, FollowParameters.DEFAULTS, null,
                        new FollowerInfo.Progress(3000, 1000), null),
                new FollowerInfo("e", "leader", "le", FollowerStatus.REBUILDING, FollowParameters.DEFAULTS, null, null,
                        new FollowerInfo.Progress(0, 0))));
        assertJson(info, CcrResponses.Info.class, "{\"follower_indices\":["
                + "{\"follower_index\":\"a\",\"remote_cluster\":\"leader\",\"leader_index\":\"la\",\"status\":\"active\",\"detailed_status\":\"active\","
                + "\"parameters\":" + DEFAULT_PARAMETERS + "},"
                + "{\"follower_index\":\"b\",\"remote_cluster\":\"leader\",\"leader_index\":\"lb\",\"status\":\"paused\",\"detailed_status\":\"paused\"},"
                + "{\"follower_index\":\"c\",\"remote_cluster\":\"leader\",\"leader_index\":\"lc\",\"status\":\"active\",\"detailed_status\":\"failed\","
                + "\"parameters\":" + DEFAULT_PARAMETERS + ","
                + "\"fatal_exception\":\"illegal_state_exception: history lost: re-bootstrap\"},"
                + "{\"follower_index\":\"d\",\"remote_cluster\":\"leader\",\"leader_index\":\"ld\","
                + "\"status\":\"paused\",\"detailed_status\":\"bootstrapping\",\"parameters\":" + DEFAULT_PARAMETERS + ","
                + "\"bootstrap\":{\"bytes_total\":3000,\"bytes_done\":1000,\"percent\":33.3}},"
                + "{\"follower_index\":\"e\",\"remote_cluster\":\"leader\",\"leader_index\":\"le\","
                + "\"status\":\"paused\",\"detailed_status\":\"rebuilding\",\"parameters\":" + DEFAULT_PARAMETERS + ","
                + "\"rebuild\":{\"operations_total\":0,\"operations_done\":0,\"percent\":0.0}}]}");
    }

    @Test
    void theOfficialClientReadsInfoAndStatsInEveryStatus() throws Exception {
        JacksonJsonpMapper mapper = new JacksonJsonpMapper();
        for (FollowerStatus status : FollowerStatus.values()) {
            FollowerInfo f = new FollowerInfo("f", "leader", "l", status, FollowParameters.DEFAULTS,
                    status == FollowerStatus.FAILED ? LOST : null, status == FollowerStatus.BOOTSTRAPPING
                    ? new FollowerInfo.Progress(10, 5) : null, null);
            String json = JSON.writeValueAsString(CcrResponses.Info.of(List.of(f)));
            FollowInfoResponse info = FollowInfoResponse._DESERIALIZER.deserialize(
                    mapper.jsonProvider().createParser(new StringReader(json)), mapper);
            FollowerIndexStatus expected = status == FollowerStatus.ACTIVE || status == FollowerStatus.FAILED
                    ? FollowerIndexStatus.Active : FollowerIndexStatus.Paused;
            assertThat(info.followerIndices().getFirst().status()).as("%s", status).isEqualTo(expected);
            assertThat(JSON.readTree(json).at("/follower_indices/0/detailed_status").asText())
                    .isEqualTo(status.jsonName());

            ShardFollowStats shard = new ShardFollowStats("leader", "l", "f", 0, null, null, null, null, null, null,
                    null, null, null, null, 2L, 1L, null, null, null, null, null, null, null, null, null, null,
                    List.of(), null, status == FollowerStatus.FAILED ? LOST : null, null, null, null);
            String stats = JSON.writeValueAsString(new FollowStatsResponse(List.of(
                    FollowStatsResponse.IndexStats.of("f", List.of(shard), List.of()))));
            co.elastic.clients.elasticsearch.ccr.FollowStatsResponse parsed = co.elastic.clients.elasticsearch.ccr
                    .FollowStatsResponse._DESERIALIZER.deserialize(mapper.jsonProvider().createParser(
                            new StringReader(stats)), mapper);
            assertThat(parsed.indices().getFirst().shards().getFirst().shardId()).isZero();
        }
    }

    @Test
    void aStreamingShardShowsWhatItMeasuredAndElasticsearchsInitialValuesForTheRest() throws Exception {
        ShardFollowStats streaming = new ShardFollowStats("leader", "l", "f", 1, 120L, 120L, 100L, 100L, 100L, null,
                null, null, null, 3L, 2L, 1L, null, null, null, null, 90L, 9000L, 40L, null, null, 80L,
                List.of(new ShardFollowStats.ReadException(101, 2, "broker down")), 250L, null, 21L, 1.5, 10L);
        FollowStatsResponse stats = new FollowStatsResponse(List.of(FollowStatsResponse.IndexStats.of("f",
                List.of(streaming), List.of())));
        assertJson(stats, FollowStatsResponse.class, "{\"indices\":[{\"index\":\"f\",\"total_global_checkpoint_lag\":20,"
                + "\"follower_to_leader_lagging_ops_count\":20,\"shards\":[{\"remote_cluster\":\"leader\","
                + "\"leader_index\":\"l\",\"follower_index\":\"f\",\"shard_id\":1,\"leader_global_checkpoint\":120,"
                + "\"leader_max_seq_no\":120,\"follower_global_checkpoint\":100,\"follower_max_seq_no\":100,"
                + "\"last_requested_seq_no\":100,\"outstanding_read_requests\":0,\"outstanding_write_requests\":0,"
                + "\"write_buffer_operation_count\":0,\"write_buffer_size_in_bytes\":0,\"follower_mapping_version\":3,"
                + "\"follower_settings_version\":2,\"follower_aliases_version\":1,\"total_read_time_millis\":0,"
                + "\"total_read_remote_exec_time_millis\":0,\"successful_read_requests\":0,\"failed_read_requests\":0,"
                + "\"operations_read\":90,\"bytes_read\":9000,\"total_write_time_millis\":40,"
                + "\"successful_write_requests\":0,\"failed_write_requests\":0,\"operations_written\":80,"
                + "\"read_exceptions\":[{\"from_seq_no\":101,\"retries\":2,\"exception\":{\"type\":\"exception\","
                + "\"reason\":\"broker down\"}}],\"time_since_last_read_millis\":250,\"consumer_lag_records\":21,"
                + "\"lag_seconds\":1.5,\"operations_skipped_duplicate\":10}]}]}");
    }

    @Test
    void aShardWithNothingOpenShowsNoSeqNosNoLagAndItsFatalError() throws Exception {
        ShardFollowStats copying = new ShardFollowStats("leader", "l", "f", 0, null, null, null, null, null, null,
                null, null, null, null, 2L, 1L, null, null, null, null, null, null, null, null, null, null, List.of(),
                null, LOST, null, null, null);
        FollowStatsResponse.ShardStats shard = FollowStatsResponse.ShardStats.of(copying, null);
        assertJson(shard, FollowStatsResponse.ShardStats.class, "{\"remote_cluster\":\"leader\",\"leader_index\":\"l\","
                + "\"follower_index\":\"f\",\"shard_id\":0,\"leader_global_checkpoint\":-1,\"leader_max_seq_no\":-1,"
                + "\"follower_global_checkpoint\":-1,\"follower_max_seq_no\":-1,\"last_requested_seq_no\":-1,"
                + "\"outstanding_read_requests\":0,\"outstanding_write_requests\":0,\"write_buffer_operation_count\":0,"
                + "\"write_buffer_size_in_bytes\":0,\"follower_mapping_version\":0,\"follower_settings_version\":2,"
                + "\"follower_aliases_version\":1,\"total_read_time_millis\":0,\"total_read_remote_exec_time_millis\":0,"
                + "\"successful_read_requests\":0,\"failed_read_requests\":0,\"operations_read\":0,\"bytes_read\":0,"
                + "\"total_write_time_millis\":0,\"successful_write_requests\":0,\"failed_write_requests\":0,"
                + "\"operations_written\":0,\"read_exceptions\":[],\"time_since_last_read_millis\":-1,"
                + "\"fatal_exception\":{\"type\":\"illegal_state_exception\",\"reason\":\"history lost: re-bootstrap\"}}");
        assertThat(FollowStatsResponse.IndexStats.of("f", List.of(copying), List.of()).totalGlobalCheckpointLag())
                .as("unknown, counted as none").isZero();
    }

    @Test
    void shardBootstrapProgressRoundTrips() throws Exception {
        assertJson(new FollowStatsResponse.Bootstrap("index", 10, 4, 1000, 200, 300, 50.0, 7),
                FollowStatsResponse.Bootstrap.class, "{\"stage\":\"index\",\"files_total\":10,\"files_done\":4,"
                        + "\"bytes_total\":1000,\"bytes_reused\":200,\"bytes_recovered\":300,\"percent\":50.0,"
                        + "\"throttle_time_millis\":7}");
    }

    @Test
    void autoFollowStatsAndTheWholeCcrStats() throws Exception {
        AutoFollowStats auto = new AutoFollowStats(2, 1, 5, List.of(new AutoFollowStats.Error("logs-1", 1700000000000L,
                new AutoFollowStats.Cause("index_not_found_exception", "no such index [logs-1]"))),
                List.of(new AutoFollowStats.FollowedCluster("leader", 300, 4)));
        String autoJson = "{\"number_of_failed_follow_indices\":2,\"number_of_failed_remote_cluster_state_requests\":1,"
                + "\"number_of_successful_follow_indices\":5,\"recent_auto_follow_errors\":[{\"leader_index\":\"logs-1\","
                + "\"timestamp\":1700000000000,\"auto_follow_exception\":{\"type\":\"index_not_found_exception\","
                + "\"reason\":\"no such index [logs-1]\"}}],\"auto_followed_clusters\":[{\"cluster_name\":\"leader\","
                + "\"time_since_last_check_millis\":300,\"last_seen_metadata_version\":4}]}";
        assertJson(auto, AutoFollowStats.class, autoJson);
        assertJson(new CcrResponses.CcrStats(auto, new FollowStatsResponse(List.of())), CcrResponses.CcrStats.class,
                "{\"auto_follow_stats\":" + autoJson + ",\"follow_stats\":{\"indices\":[]}}");
    }

    @Test
    void autoFollowPatternsShowTheirParametersInline() throws Exception {
        AutoFollowController.AutoFollowPatterns patterns = new AutoFollowController.AutoFollowPatterns(List.of(
                new AutoFollowController.NamedPattern("logs", new AutoFollowController.PatternJson(true, "leader",
                        List.of("logs-*"), List.of(), "{{leader_index}}-copy", FollowParameters.DEFAULTS.toJson()))));
        assertJson(patterns, AutoFollowController.AutoFollowPatterns.class, "{\"patterns\":[{\"name\":\"logs\","
                + "\"pattern\":{\"active\":true,\"remote_cluster\":\"leader\",\"leader_index_patterns\":[\"logs-*\"],"
                + "\"leader_index_exclusion_patterns\":[],\"follow_index_pattern\":\"{{leader_index}}-copy\","
                + DEFAULT_PARAMETERS.substring(1) + "}]}");
    }

    /** {@code value} renders as {@code expected} and reads back equal. */
    private static <T> void assertJson(T value, Class<T> type, String expected) throws Exception {
        String json = JSON.writeValueAsString(value);
        assertThat(json).isEqualTo(expected);
        assertThat(JSON.readValue(json, type)).as("read back").isEqualTo(value);
        assertThat(JSON.readTree(json)).isEqualTo(JSON.readTree(expected));
    }
}
