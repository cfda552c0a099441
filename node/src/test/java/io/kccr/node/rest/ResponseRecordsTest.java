package io.kccr.node.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.kccr.core.error.NotFoundException;
import io.kccr.leader.WriteResult;
import io.kccr.node.remote.RemoteCluster;
import io.kccr.node.remote.RemoteStatus;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The response records serialize to exactly the JSON the API has always answered: field names, order, and the
 * fields left out. Each expected string is a real answer of the API.
 */
class ResponseRecordsTest {

    private static String json(Object value) throws JsonProcessingException {
        return Json.MAPPER.writeValueAsString(value);
    }

    @Test
    void errorBodyPutsTheMetadataBetweenReasonAndRootCauseAndCausedByLast() throws Exception {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("index_uuid", "_na_");
        metadata.put("index", "nope");
        RestErrors.Reply reply = new RestErrors.Reply(404, "index_not_found_exception", "no such index [nope]",
                metadata, null);
        assertThat(json(RestErrors.body(reply))).isEqualTo("{\"error\":{\"type\":\"index_not_found_exception\","
                + "\"reason\":\"no such index [nope]\",\"index_uuid\":\"_na_\",\"index\":\"nope\",\"root_cause\":[{"
                + "\"type\":\"index_not_found_exception\",\"reason\":\"no such index [nope]\",\"index_uuid\":\"_na_\","
                + "\"index\":\"nope\"}]},\"status\":404}");

        RestErrors.Reply wrapped = new RestErrors.Reply(400, "mapper_parsing_exception", "failed to parse", Map.of(),
                new IllegalArgumentException("Malformed content, must start with an object"));
        assertThat(json(RestErrors.body(wrapped))).isEqualTo("{\"error\":{\"type\":\"mapper_parsing_exception\","
                + "\"reason\":\"failed to parse\",\"root_cause\":[{\"type\":\"mapper_parsing_exception\",\"reason\":"
                + "\"failed to parse\"}],\"caused_by\":{\"type\":\"illegal_argument_exception\",\"reason\":"
                + "\"Malformed content, must start with an object\"}},\"status\":400}");
    }

    @Test
    void errorBodyNamesAnUnderlyingDomainErrorByItsOwnType() throws Exception {
        RestErrors.Reply reply = new RestErrors.Reply(500, "exception", "failed", Map.of(),
                NotFoundException.resource("gone"));
        assertThat(json(RestErrors.body(reply))).endsWith("\"caused_by\":{\"type\":\"resource_not_found_exception\","
                + "\"reason\":\"gone\"}},\"status\":500}");
    }

    @Test
    void aBulkItemIsWrittenFieldByFieldExactlyAsTheMapperWritesIt() throws Exception {
        for (WriteResult.Result result : WriteResult.Result.values()) {
            DocumentResponses.BulkDone done = DocumentResponses.BulkDone.of("geonames",
                    new WriteResult("Vila \"1\"", 2, 17, 3, 5, result));
            StringWriter written = new StringWriter();
            try (JsonGenerator generator = Json.MAPPER.createGenerator(written)) {
                done.writeTo(generator);
            }
            assertThat(written.toString()).as(result.name()).isEqualTo(json(done));
        }
    }

    @Test
    void rootHealthAndCatRows() throws Exception {
        assertThat(json(ClusterResponses.Root.of("leader-1", "leader-cluster", "1QJetOt_Tcm-4Ox23vzTtA")))
                .isEqualTo("{\"name\":\"leader-1\",\"cluster_name\":\"leader-cluster\",\"cluster_uuid\":"
                        + "\"1QJetOt_Tcm-4Ox23vzTtA\",\"version\":{\"number\":\"9.0.0\",\"build_flavor\":\"default\","
                        + "\"build_type\":\"kccr\",\"build_hash\":\"kccr\",\"build_date\":\"2026-01-01T00:00:00.000Z\","
                        + "\"build_snapshot\":false,\"lucene_version\":\"" + org.apache.lucene.util.Version.LATEST
                        + "\",\"minimum_wire_compatibility_version\":\"8.18.0\","
                        + "\"minimum_index_compatibility_version\":\"8.0.0\"},\"tagline\":\"You Know, for Search\"}");
        assertThat(json(ClusterResponses.Health.green("leader-cluster", List.of()))).isEqualTo("{\"cluster_name\":"
                + "\"leader-cluster\",\"status\":\"green\",\"timed_out\":false,\"number_of_nodes\":1,"
                + "\"number_of_data_nodes\":1,\"active_primary_shards\":0,\"active_shards\":0,\"relocating_shards\":0,"
                + "\"initializing_shards\":0,\"unassigned_shards\":0,\"unassigned_primary_shards\":0,"
                + "\"delayed_unassigned_shards\":0,\"number_of_pending_tasks\":0,\"number_of_in_flight_fetch\":0,"
                + "\"task_max_waiting_in_queue_millis\":0,\"active_shards_percent_as_number\":100.0}");
        ClusterResponses.CatIndex row = new ClusterResponses.CatIndex("green", "open", "idx", "TQy8SiC2RNG8Yr1X21c99Q",
                "2", "0", "6", "0", "18.0kb", "18.0kb", "18.0kb");
        assertThat(json(List.of(row))).isEqualTo("[{\"health\":\"green\",\"status\":\"open\",\"index\":\"idx\","
                + "\"uuid\":\"TQy8SiC2RNG8Yr1X21c99Q\",\"pri\":\"2\",\"rep\":\"0\",\"docs.count\":\"6\","
                + "\"docs.deleted\":\"0\",\"store.size\":\"18.0kb\",\"pri.store.size\":\"18.0kb\","
                + "\"dataset.size\":\"18.0kb\"}]");
        assertThat(CatTable.render(ClusterResponses.CatIndex.HEADER, List.<String[]>of(row.cells()), true)).isEqualTo(
                "health status index uuid                   pri rep docs.count docs.deleted store.size pri.store.size"
                        + " dataset.size\ngreen  open   idx   TQy8SiC2RNG8Yr1X21c99Q 2   0   6          0            "
                        + "18.0kb     18.0kb         18.0kb\n");
        assertThat(ClusterResponses.bytes(812)).isEqualTo("812b");
        assertThat(ClusterResponses.bytes(18_432)).isEqualTo("18.0kb");
    }

    @Test
    void indexAnswers() throws Exception {
        assertThat(json(new IndexResponses.Created(true, true, "idx")))
                .isEqualTo("{\"acknowledged\":true,\"shards_acknowledged\":true,\"index\":\"idx\"}");
        assertThat(json(IndexResponses.Shards.all(2))).isEqualTo("{\"_shards\":{\"total\":2,\"successful\":2,"
                + "\"failed\":0}}");
        assertThat(json(new Responses.Acknowledged(true))).isEqualTo("{\"acknowledged\":true}");
    }

    @Test
    void writesAndGets() throws Exception {
        WriteResult created = new WriteResult("1", 0, 0, 1, 1, WriteResult.Result.CREATED);
        assertThat(json(DocumentResponses.Written.of("idx", created, true))).isEqualTo("{\"_index\":\"idx\","
                + "\"_id\":\"1\",\"_version\":1,\"result\":\"created\",\"_shards\":{\"total\":1,\"successful\":1,"
                + "\"failed\":0},\"_seq_no\":0,\"_primary_term\":1,\"forced_refresh\":true}");
        WriteResult noop = new WriteResult("1", 0, 3, 1, 3, WriteResult.Result.NOOP);
        assertThat(json(DocumentResponses.Written.of("idx", noop, false))).isEqualTo("{\"_index\":\"idx\","
                + "\"_id\":\"1\",\"_version\":3,\"result\":\"noop\",\"_shards\":{\"total\":1,\"successful\":0,"
                + "\"failed\":0},\"_seq_no\":3,\"_primary_term\":1}");
        assertThat(DocumentResponses.status(created)).isEqualTo(201);
        assertThat(DocumentResponses.status(noop)).isEqualTo(200);
        assertThat(DocumentResponses.status(new WriteResult("9", 0, 6, 1, 1, WriteResult.Result.NOT_FOUND)))
                .isEqualTo(404);

        io.kccr.core.shard.GetResult found = new io.kccr.core.shard.GetResult("1", true, 1, 1, 2, null);
        assertThat(json(DocumentResponses.Got.of("idx", found, Json.MAPPER.readTree("{\"name\":\"uno\"}"))))
                .isEqualTo("{\"_index\":\"idx\",\"_id\":\"1\",\"_version\":2,\"_seq_no\":1,\"_primary_term\":1,"
                        + "\"found\":true,\"_source\":{\"name\":\"uno\"}}");
        assertThat(json(DocumentResponses.Got.of("idx", found, null))).isEqualTo("{\"_index\":\"idx\",\"_id\":\"1\","
                + "\"_version\":2,\"_seq_no\":1,\"_primary_term\":1,\"found\":true}");
        assertThat(json(DocumentResponses.Got.of("idx", io.kccr.core.shard.GetResult.notFound("nope"), null)))
                .isEqualTo("{\"_index\":\"idx\",\"_id\":\"nope\",\"found\":false}");
    }

    @Test
    void bulkItemsAnswerTheirResultOrTheirError() throws Exception {
        WriteResult created = new WriteResult("b1", 0, 7, 1, 1, WriteResult.Result.CREATED);
        assertThat(json(Map.of("index", DocumentResponses.BulkDone.of("idx", created)))).isEqualTo("{\"index\":{"
                + "\"_index\":\"idx\",\"_id\":\"b1\",\"_version\":1,\"result\":\"created\",\"_shards\":{\"total\":1,"
                + "\"successful\":1,\"failed\":0},\"_seq_no\":7,\"_primary_term\":1,\"status\":201}}");
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("index_uuid", "_na_");
        metadata.put("index", "idx");
        metadata.put("shard", "0"); // as VersionConflictException carries it
        RestErrors.Reply conflict = new RestErrors.Reply(409, "version_conflict_engine_exception",
                "[b1]: version conflict, document already exists (current version [1])", metadata, null);
        DocumentResponses.BulkItemResponse failed = new DocumentResponses.BulkFailed("idx", "b1", 409,
                RestErrors.cause(conflict));
        assertThat(json(Map.of("create", failed))).isEqualTo("{\"create\":{\"_index\":\"idx\",\"_id\":\"b1\","
                + "\"status\":409,\"error\":{\"type\":\"version_conflict_engine_exception\",\"reason\":\"[b1]: version"
                + " conflict, document already exists (current version [1])\",\"index_uuid\":\"_na_\",\"index\":"
                + "\"idx\",\"shard\":\"0\"}}}");
    }

    @Test
    void recoveriesKeepTheirFieldOrderPerType() throws Exception {
        RecoveryResponses.IndexPhase copied = new RecoveryResponses.IndexPhase(
                new RecoveryResponses.Size(14195, 0, 14195, "100.0%"), new RecoveryResponses.Files(10, 0, 10, "100.0%"),
                66, 0, 0);
        RecoveryResponses.Translog none = new RecoveryResponses.Translog(0, 0, "100.0%", 0, 0);
        RecoveryResponses.VerifyIndex verify = new RecoveryResponses.VerifyIndex(0, 0);
        assertThat(json(new RecoveryResponses.CopiedShard(0, "SNAPSHOT", "DONE", true, 1796603358160L,
                1796603358226L, 66, new RecoveryResponses.SnapshotSource("_ccr_leader", "idx"), copied, none, verify)))
                .isEqualTo("{\"id\":0,\"type\":\"SNAPSHOT\",\"stage\":\"DONE\",\"primary\":true,"
                        + "\"start_time_in_millis\":1796603358160,\"stop_time_in_millis\":1796603358226,"
                        + "\"total_time_in_millis\":66,\"source\":{\"repository\":\"_ccr_leader\",\"index\":\"idx\"},"
                        + "\"index\":{\"size\":{\"total_in_bytes\":14195,\"reused_in_bytes\":0,\"recovered_in_bytes\":"
                        + "14195,\"percent\":\"100.0%\"},\"files\":{\"total\":10,\"reused\":0,\"recovered\":10,"
                        + "\"percent\":\"100.0%\"},\"total_time_in_millis\":66,\"source_throttle_time_in_millis\":0,"
                        + "\"target_throttle_time_in_millis\":0},\"translog\":{\"recovered\":0,\"total\":0,\"percent\":"
                        + "\"100.0%\",\"total_on_start\":0,\"total_time_in_millis\":0},\"verify_index\":{"
                        + "\"check_index_time_in_millis\":0,\"total_time_in_millis\":0}}");
        assertThat(json(new RecoveryResponses.CopiedShard(1, "EXISTING_STORE", "DONE", true, 0, null, 0, null, copied,
                none, verify))).startsWith("{\"id\":1,\"type\":\"EXISTING_STORE\",\"stage\":\"DONE\",\"primary\":true,"
                + "\"start_time_in_millis\":0,\"total_time_in_millis\":0,\"index\":{");
        RecoveryResponses.IndexPhase nothing = new RecoveryResponses.IndexPhase(
                new RecoveryResponses.Size(0, 0, 0, "100.0%"), new RecoveryResponses.Files(0, 0, 0, "100.0%"), 0, 0, 0);
        assertThat(json(new RecoveryResponses.ReplayedShard(0, "LOG_REPLAY", "DONE", true, 1796603359078L, 40,
                nothing, new RecoveryResponses.Translog(10, 10, "100.0%", 10, 40), verify, 1796603359118L,
                new RecoveryResponses.LogSource("lc.idx.ops", "idx")))).isEqualTo("{\"id\":0,\"type\":\"LOG_REPLAY\","
                + "\"stage\":\"DONE\",\"primary\":true,\"start_time_in_millis\":1796603359078,"
                + "\"total_time_in_millis\":40,\"index\":{\"size\":{\"total_in_bytes\":0,\"reused_in_bytes\":0,"
                + "\"recovered_in_bytes\":0,\"percent\":\"100.0%\"},\"files\":{\"total\":0,\"reused\":0,\"recovered\":0,"
                + "\"percent\":\"100.0%\"},\"total_time_in_millis\":0,\"source_throttle_time_in_millis\":0,"
                + "\"target_throttle_time_in_millis\":0},\"translog\":{\"recovered\":10,\"total\":10,\"percent\":"
                + "\"100.0%\",\"total_on_start\":10,\"total_time_in_millis\":40},\"verify_index\":{"
                + "\"check_index_time_in_millis\":0,\"total_time_in_millis\":0},\"stop_time_in_millis\":1796603359118,"
                + "\"source\":{\"topic\":\"lc.idx.ops\",\"index\":\"idx\"}}");
    }

    @Test
    void remotesAndTheClusterIdentity() throws Exception {
        RemoteCluster leader = new RemoteCluster("leader", List.of("http://127.0.0.1:34851"), null, null, null, null);
        RemoteStatus connected = new RemoteStatus(leader, false, true, "http://127.0.0.1:34851", "127.0.0.1:36095",
                "lc", "leader-cluster", "1QJetOt_Tcm-4Ox23vzTtA", null);
        assertThat(json(RemoteResponses.RemoteInfo.of(connected, java.util.Map.of()))).isEqualTo("{\"connected\":true,\"mode\":\"sniff\","
                + "\"seeds\":[\"127.0.0.1:34851\"],\"num_nodes_connected\":1,\"max_connections_per_cluster\":3,"
                + "\"max_connections_per_node\":3,\"initial_connect_timeout\":\"30s\",\"skip_unavailable\":false,"
                + "\"http_address\":\"http://127.0.0.1:34851\",\"kafka_bootstrap_servers\":\"127.0.0.1:36095\","
                + "\"topic_prefix\":\"lc\",\"cluster_name\":\"leader-cluster\",\"cluster_uuid\":"
                + "\"1QJetOt_Tcm-4Ox23vzTtA\"}");
        RemoteCluster other = new RemoteCluster("other", List.of(), "http://127.0.0.1:1", null, null, null);
        RemoteStatus down = new RemoteStatus(other, true, false, "http://127.0.0.1:1", null, null, null, null,
                "refused");
        assertThat(json(RemoteResponses.RemoteInfo.of(down, java.util.Map.of()))).isEqualTo("{\"connected\":false,\"mode\":\"sniff\","
                + "\"seeds\":[\"127.0.0.1:1\"],\"num_nodes_connected\":0,\"max_connections_per_cluster\":3,"
                + "\"max_connections_per_node\":3,\"initial_connect_timeout\":\"30s\",\"skip_unavailable\":true,"
                + "\"http_address\":\"http://127.0.0.1:1\",\"reason\":\"refused\"}");
        assertThat(json(new RemoteResponses.ClusterIdentity("leader-1", "leader-cluster", "u",
                new RemoteResponses.Kafka("127.0.0.1:36095", "lc")))).isEqualTo("{\"name\":\"leader-1\","
                + "\"cluster_name\":\"leader-cluster\",\"cluster_uuid\":\"u\",\"kafka\":{\"bootstrap_servers\":"
                + "\"127.0.0.1:36095\",\"topic_prefix\":\"lc\"}}");
        assertThat(json(new RemoteResponses.Settings(Json.object(), Json.object(), null)))
                .isEqualTo("{\"persistent\":{},\"transient\":{}}");
        assertThat(json(new RemoteResponses.SettingsUpdated(true, Json.object(), Json.object())))
                .isEqualTo("{\"acknowledged\":true,\"persistent\":{},\"transient\":{}}");
    }

    @Test
    void resolvedIndices() throws Exception {
        assertThat(json(new ResolveIndexController.Resolved(List.of(new ResolveIndexController.Index("leader:idx",
                List.of("open"))), List.of(), List.of()))).isEqualTo("{\"indices\":[{\"name\":\"leader:idx\","
                + "\"attributes\":[\"open\"]}],\"aliases\":[],\"data_streams\":[]}");
    }
}
