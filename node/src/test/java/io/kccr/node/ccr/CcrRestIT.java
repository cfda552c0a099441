package io.kccr.node.ccr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.Result;
import co.elastic.clients.elasticsearch.ccr.CcrStatsResponse;
import co.elastic.clients.elasticsearch.ccr.FollowIndexStats;
import co.elastic.clients.elasticsearch.ccr.FollowInfoResponse;
import co.elastic.clients.elasticsearch.ccr.FollowResponse;
import co.elastic.clients.elasticsearch.ccr.FollowStatsResponse;
import co.elastic.clients.elasticsearch.ccr.ShardStats;
import co.elastic.clients.elasticsearch.ccr.follow_info.FollowerIndex;
import co.elastic.clients.elasticsearch.ccr.follow_info.FollowerIndexParameters;
import co.elastic.clients.elasticsearch.ccr.follow_info.FollowerIndexStatus;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.GetResponse;
import co.elastic.clients.elasticsearch.core.IndexResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.ContentType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.kccr.node.sample.SampleData;
import io.kccr.testkit.Http;
import io.kccr.testkit.KafkaBroker;
import io.kccr.testkit.Topics;
import io.kccr.testkit.TwoClusters;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CCR API through the unchanged official Elasticsearch Java client (9.5.6): a leader cluster and a follower
 * cluster (two nodes on one Kafka, different topic prefixes; the follower knows the leader as remote
 * {@code leader} by its HTTP seed). Follow, info, stats, search / count / get on the follower, the 403 on writes,
 * convergence under random index / update / delete traffic, pause / resume, and the unfollow runbook (pause, close,
 * unfollow, open) after which the index is a leader index of its own. Tests run in order on one follower.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CcrRestIT {
    private static final String LEADER = "cities";
    private static final String FOLLOWER = "cities-copy";
    private static final String REMOTE = TwoClusters.REMOTE;
    private static final int INITIAL_DOCS = 5_000;
    private static final Duration CATCH_UP = Duration.ofSeconds(90);

    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker();

    @TempDir
    static Path data;

    private TwoClusters clusters;
    private Http leader;
    private Http follower;
    private Rest5ClientTransport leaderTransport;
    private Rest5ClientTransport followerTransport;
    private ElasticsearchClient leaderClient;
    private ElasticsearchClient followerClient;
    private List<byte[]> corpus;
    private final long seed = System.nanoTime();

    @BeforeAll
    void startClusters() throws Exception {
        System.out.println("CcrRestIT seed " + seed);
        clusters = TwoClusters.start(kafka, data);
        leader = clusters.leader();
        follower = clusters.follower();
        leaderTransport = new Rest5ClientTransport(Rest5Client.builder(URI.create(leader.base())).build(),
                new JacksonJsonpMapper());
        leaderClient = new ElasticsearchClient(leaderTransport);
        followerTransport = new Rest5ClientTransport(
                Rest5Client.builder(URI.create(follower.base())).build(), new JacksonJsonpMapper());
        followerClient = new ElasticsearchClient(followerTransport);
        corpus = SampleData.documents().subList(0, 20_000);
    }

    @AfterAll
    void stop() throws IOException {
        if (leaderTransport != null) {
            leaderTransport.close();
        }
        if (followerTransport != null) {
            followerTransport.close();
        }
        if (clusters != null) {
            clusters.close();
        }
    }

    // ------------------------------------------------------------------------------------------ follow

    @Test
    @Order(1)
    void followCreatesAFollowerThatCatchesUp() throws IOException {
        assertThat(leaderClient.indices().create(c -> c.index(LEADER).settings(s -> s.numberOfShards("3"))
                .mappings(m -> m.withJson(new StringReader(SampleData.MAPPINGS)))).acknowledged()).isTrue();
        BulkRequest.Builder bulk = new BulkRequest.Builder().index(LEADER);
        for (int i = 0; i < INITIAL_DOCS; i++) {
            byte[] doc = corpus.get(i);
            String id = "c" + i;
            bulk.operations(op -> op.index(x -> x.id(id).document(BinaryData.of(doc, ContentType.APPLICATION_JSON))));
        }
        long t0 = System.nanoTime();
        BulkResponse loaded = leaderClient.bulk(bulk.build());
        System.out.printf("loaded %d docs in %d ms%n", INITIAL_DOCS, (System.nanoTime() - t0) / 1_000_000);
        assertThat(loaded.errors()).as("errors of the initial bulk").isFalse();
        assertThat(loaded.items()).hasSize(INITIAL_DOCS);

        FollowResponse followed = followerClient.ccr().follow(f -> f.index(FOLLOWER).remoteCluster(REMOTE)
                .leaderIndex(LEADER).maxReadRequestOperationCount(700).maxRetryDelay(t -> t.time("250ms"))
                .waitForActiveShards(w -> w.count(1)));
        assertThat(followed.followIndexCreated()).isTrue();
        assertThat(followed.followIndexShardsAcked()).isTrue();
        assertThat(followed.indexFollowingStarted()).isTrue();

        FollowInfoResponse info = followerClient.ccr().followInfo(i -> i.index(FOLLOWER));
        assertThat(info.followerIndices()).hasSize(1);
        FollowerIndex f = info.followerIndices().getFirst();
        assertThat(f.followerIndex()).isEqualTo(FOLLOWER);
        assertThat(f.remoteCluster()).isEqualTo(REMOTE);
        assertThat(f.leaderIndex()).isEqualTo(LEADER);
        assertThat(f.status()).isEqualTo(FollowerIndexStatus.Active);
        FollowerIndexParameters p = f.parameters();
        assertThat(p).as("parameters of an active follower").isNotNull();
        assertThat(p.maxReadRequestOperationCount()).isEqualTo(700);
        assertThat(p.maxRetryDelay().time()).isEqualTo("250ms");
        assertThat(p.maxOutstandingReadRequests()).isEqualTo(12L);
        assertThat(p.maxWriteRequestOperationCount()).isEqualTo(5120);
        assertThat(p.maxWriteBufferCount()).isEqualTo(Integer.MAX_VALUE);
        assertThat(p.maxReadRequestSize()).isEqualTo("32mb");
        assertThat(p.readPollTimeout().time()).as("as Elasticsearch renders it").isEqualTo("1m");

        // waiting for active shards means the bootstrap copied every shard's files
        JsonNode recovery = Http.expect(200, follower.get("/" + FOLLOWER + "/_recovery"), "recovery").json();
        JsonNode shards = recovery.path(FOLLOWER).path("shards");
        assertThat(shards).hasSize(3);
        for (JsonNode shard : shards) {
            assertThat(shard.path("type").asText()).isEqualTo("SNAPSHOT");
            assertThat(shard.path("stage").asText()).isEqualTo("DONE");
            assertThat(shard.path("index").path("size").path("percent").asText()).isEqualTo("100.0%");
            assertThat(shard.path("index").path("files").path("recovered").asLong()).isPositive();
            assertThat(shard.path("index").path("size").path("recovered_in_bytes").asLong()).isEqualTo(
                    shard.path("index").path("size").path("total_in_bytes").asLong());
        }

        long t1 = System.nanoTime();
        Ccr.awaitCaughtUp(follower, FOLLOWER, CATCH_UP);
        System.out.printf("caught up in %d ms%n", (System.nanoTime() - t1) / 1_000_000);
        Map<String, Ccr.Doc> docs = Ccr.awaitSameDocuments(leader, LEADER, follower, FOLLOWER, CATCH_UP);
        assertThat(docs).hasSize(INITIAL_DOCS);

        // the same name again, an unknown remote, an unknown leader index: Elasticsearch's errors
        ElasticsearchException again = catchThrowableOfType(ElasticsearchException.class, () -> followerClient.ccr()
                .follow(x -> x.index(FOLLOWER).remoteCluster(REMOTE).leaderIndex(LEADER)));
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.error().type()).isEqualTo("resource_already_exists_exception");
        ElasticsearchException noRemote = catchThrowableOfType(ElasticsearchException.class, () -> followerClient
                .ccr().follow(x -> x.index("other").remoteCluster("nowhere").leaderIndex(LEADER)));
        assertThat(noRemote.status()).isEqualTo(404);
        assertThat(noRemote.error().type()).isEqualTo("no_such_remote_cluster_exception");
        assertThat(noRemote.error().reason()).isEqualTo("no such remote cluster: [nowhere]");
        ElasticsearchException noLeader = catchThrowableOfType(ElasticsearchException.class, () -> followerClient
                .ccr().follow(x -> x.index("other").remoteCluster(REMOTE).leaderIndex("no-such-leader")));
        assertThat(noLeader.status()).isEqualTo(404);
        assertThat(noLeader.error().type()).isEqualTo("index_not_found_exception");
        assertThat(followerClient.indices().exists(e -> e.index("other")).value()).isFalse();
    }

    @Test
    @Order(2)
    void followStatsParseAndShowTheFollowerCaughtUp() throws IOException {
        ArrayNode raw = Ccr.awaitCaughtUp(follower, FOLLOWER, CATCH_UP);
        FollowStatsResponse stats = followerClient.ccr().followStats(s -> s.index(FOLLOWER));
        assertThat(stats.indices()).hasSize(1);
        FollowIndexStats index = stats.indices().getFirst();
        assertThat(index.index()).isEqualTo(FOLLOWER);
        assertThat(index.shards()).hasSize(3);
        assertThat(index.shards().stream().map(ShardStats::shardId).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder(0, 1, 2);
        long written = 0;
        long ops = 0;
        for (ShardStats s : index.shards()) {
            assertThat(s.remoteCluster()).isEqualTo(REMOTE);
            assertThat(s.leaderIndex()).isEqualTo(LEADER);
            assertThat(s.followerIndex()).isEqualTo(FOLLOWER);
            assertThat(s.leaderGlobalCheckpoint()).as("shard %d has ops", s.shardId()).isPositive();
            assertThat(s.followerGlobalCheckpoint()).as("shard %d caught up", s.shardId())
                    .isEqualTo(s.leaderGlobalCheckpoint());
            assertThat(s.followerMaxSeqNo()).isEqualTo(s.leaderMaxSeqNo());
            assertThat(s.leaderMaxSeqNo()).isEqualTo(s.leaderGlobalCheckpoint());
            assertThat(s.lastRequestedSeqNo()).isGreaterThanOrEqualTo(s.followerGlobalCheckpoint());
            assertThat(s.operationsRead()).isGreaterThanOrEqualTo(s.operationsWritten());
            assertThat(s.bytesRead() > 0).as("bytes read exactly when ops were read").isEqualTo(s.operationsRead() > 0);
            assertThat(s.successfulReadRequests() > 0).as("reads exactly when ops were read")
                    .isEqualTo(s.operationsRead() > 0);
            assertThat(s.failedReadRequests()).isZero();
            assertThat(s.failedWriteRequests()).isZero();
            assertThat(s.readExceptions()).isEmpty();
            assertThat(s.fatalException()).isNull();
            assertThat(s.followerMappingVersion()).isPositive();
            assertThat(s.timeSinceLastReadMillis() == -1).as("-1 exactly when it never read, as in Elasticsearch")
                    .isEqualTo(s.operationsRead() == 0);
            assertThat(s.writeBufferOperationCount()).isZero();
            written += s.operationsWritten();
            ops += s.leaderGlobalCheckpoint() + 1; // seq_nos 0..checkpoint, no gaps
        }
        assertThat(ops).as("ops of the leader (seq_nos per shard)").isEqualTo(INITIAL_DOCS);
        // the initial docs were in the leader's commit when the follower bootstrapped: copied, not replayed
        assertThat(written).as("ops written by the follower after its bootstrap").isLessThanOrEqualTo(INITIAL_DOCS);

        // ours, through raw HTTP (the client has no fields for them)
        for (JsonNode s : raw) {
            assertThat(s.path("consumer_lag_records").asLong(-1)).as("lag of %s", s).isZero();
            assertThat(s.path("lag_seconds").asDouble(-1)).as("lag seconds of %s", s).isZero();
            assertThat(s.path("operations_skipped_duplicate").asLong(-1)).as("skipped of %s", s).isZero();
        }
        JsonNode rawIndex = follower.get("/" + FOLLOWER + "/_ccr/stats").json().at("/indices/0");
        assertThat(rawIndex.path("total_global_checkpoint_lag").asLong(-1)).isZero();

        // GET /_ccr/stats: auto-follow stats and the same follower
        CcrStatsResponse all = followerClient.ccr().stats();
        assertThat(all.autoFollowStats().numberOfFailedFollowIndices()).isZero();
        assertThat(all.autoFollowStats().recentAutoFollowErrors()).isEmpty();
        assertThat(all.followStats().indices()).extracting(FollowIndexStats::index).containsExactly(FOLLOWER);
        assertThat(all.followStats().indices().getFirst().shards()).hasSize(3);

        // stats of an index that is no follower: 404 on the follower cluster
        ElasticsearchException missing = catchThrowableOfType(ElasticsearchException.class,
                () -> followerClient.ccr().followStats(s -> s.index("no-such-index")));
        assertThat(missing.status()).isEqualTo(404);
    }

    @Test
    @Order(3)
    void searchCountAndGetOnTheFollowerMatchTheLeader() throws IOException {
        Ccr.awaitCaughtUp(follower, FOLLOWER, CATCH_UP);
        for (String country : List.of("FR", "US", "AD", "ZZ")) {
            SearchResponse<JsonNode> l = leaderClient.search(s -> s.index(LEADER).size(10_000)
                    .query(q -> q.term(t -> t.field("country").value(country))).seqNoPrimaryTerm(true)
                    .trackTotalHits(t -> t.enabled(true)), JsonNode.class);
            SearchResponse<JsonNode> f = followerClient.search(s -> s.index(FOLLOWER).size(10_000)
                    .query(q -> q.term(t -> t.field("country").value(country))).seqNoPrimaryTerm(true)
                    .trackTotalHits(t -> t.enabled(true)), JsonNode.class);
            assertThat(f.hits().total().value()).as("hits for country %s", country)
                    .isEqualTo(l.hits().total().value());
            assertThat(hitsById(f)).as("hits for country %s", country).isEqualTo(hitsById(l));
            assertThat(f.hits().hits()).allSatisfy(h -> assertThat(h.index()).isEqualTo(FOLLOWER));
            long count = followerClient.count(c -> c.index(FOLLOWER).query(q -> q.term(t -> t.field("country")
                    .value(country)))).count();
            assertThat(count).isEqualTo(l.hits().total().value());
        }
        assertThat(followerClient.count(c -> c.index(FOLLOWER)).count()).isEqualTo(INITIAL_DOCS);
        SearchResponse<JsonNode> match = followerClient.search(s -> s.index(FOLLOWER)
                .query(q -> q.match(m -> m.field("name").query("santa cruz"))).size(50), JsonNode.class);
        assertThat(match.hits().total().value()).isEqualTo(leaderClient.search(s -> s.index(LEADER)
                .query(q -> q.match(m -> m.field("name").query("santa cruz"))), JsonNode.class).hits().total().value());

        Random random = new Random(seed);
        for (int i = 0; i < 20; i++) {
            String id = "c" + random.nextInt(INITIAL_DOCS);
            GetResponse<JsonNode> l = leaderClient.get(g -> g.index(LEADER).id(id), JsonNode.class);
            GetResponse<JsonNode> f = followerClient.get(g -> g.index(FOLLOWER).id(id), JsonNode.class);
            assertThat(f.found()).as("get %s", id).isTrue();
            assertThat(f.index()).isEqualTo(FOLLOWER);
            assertThat(f.source()).isEqualTo(l.source());
            assertThat(f.seqNo()).isEqualTo(l.seqNo());
            assertThat(f.primaryTerm()).isEqualTo(l.primaryTerm());
            assertThat(f.version()).isEqualTo(l.version());
        }
        assertThat(followerClient.get(g -> g.index(FOLLOWER).id("no-such-id"), JsonNode.class).found()).isFalse();
        assertThat(followerClient.indices().getMapping(m -> m.index(FOLLOWER)).get(FOLLOWER).mappings()
                .properties()).containsKeys("name", "country", "lat");
    }

    @Test
    @Order(4)
    void writesToTheFollowerAreForbidden() throws IOException {
        byte[] doc = corpus.get(INITIAL_DOCS);
        ElasticsearchException index = catchThrowableOfType(ElasticsearchException.class, () -> followerClient
                .index(i -> i.index(FOLLOWER).id("direct").document(BinaryData.of(doc, ContentType.APPLICATION_JSON))));
        assertThat(index.status()).isEqualTo(403);
        assertThat(index.error().type()).isEqualTo("status_exception");
        assertThat(index.error().reason()).contains(FOLLOWER).contains("follower index");
        ElasticsearchException delete = catchThrowableOfType(ElasticsearchException.class,
                () -> followerClient.delete(d -> d.index(FOLLOWER).id("c1")));
        assertThat(delete.status()).isEqualTo(403);
        ElasticsearchException update = catchThrowableOfType(ElasticsearchException.class, () -> followerClient
                .update(u -> u.index(FOLLOWER).id("c1").doc(Map.of("admin2", "x")), JsonNode.class));
        assertThat(update.status()).isEqualTo(403);
        BulkResponse bulk = followerClient.bulk(b -> b.index(FOLLOWER).operations(op -> op.index(i -> i.id("direct")
                .document(BinaryData.of(doc, ContentType.APPLICATION_JSON)))).operations(op -> op.delete(d -> d
                .id("c2"))));
        assertThat(bulk.errors()).isTrue();
        assertThat(bulk.items()).extracting(BulkResponseItem::status).containsExactly(403, 403);
        assertThat(followerClient.get(g -> g.index(FOLLOWER).id("direct"), JsonNode.class).found()).isFalse();
        assertThat(followerClient.get(g -> g.index(FOLLOWER).id("c1"), JsonNode.class).found()).isTrue();
        assertThat(followerClient.get(g -> g.index(FOLLOWER).id("c2"), JsonNode.class).found()).isTrue();
    }

    // ------------------------------------------------------------------------------------------ convergence

    @Test
    @Order(5)
    void randomIndexUpdateDeleteTrafficConverges() throws IOException {
        Random random = new Random(seed + 5);
        Set<String> live = new HashSet<>();
        for (int i = 0; i < INITIAL_DOCS; i++) {
            live.add("c" + i);
        }
        int updates = 0;
        int deletes = 0;
        for (int round = 0; round < 12; round++) {
            BulkRequest.Builder bulk = new BulkRequest.Builder().index(LEADER);
            List<String> actions = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String id = "c" + random.nextInt(INITIAL_DOCS + 2_000);
                int dice = random.nextInt(10);
                if (dice < 3 && live.contains(id)) {
                    bulk.operations(op -> op.delete(d -> d.id(id)));
                    live.remove(id);
                    actions.add("delete");
                    deletes++;
                } else if (dice < 7 && live.contains(id)) {
                    Map<String, Object> partial = Map.of("admin2", "u" + random.nextInt(1000),
                            "lat", random.nextDouble() * 180 - 90);
                    bulk.operations(op -> op.update(u -> u.id(id).action(a -> a.doc(partial))));
                    actions.add("update");
                    updates++;
                } else {
                    byte[] doc = corpus.get(random.nextInt(corpus.size()));
                    bulk.operations(op -> op.index(x -> x.id(id).document(BinaryData.of(doc,
                            ContentType.APPLICATION_JSON))));
                    live.add(id);
                    actions.add("index");
                }
            }
            long t0 = System.nanoTime();
            BulkResponse r = leaderClient.bulk(bulk.build());
            System.out.printf("round %d: bulk of 200 in %d ms%n", round, (System.nanoTime() - t0) / 1_000_000);
            List<BulkResponseItem> failed = r.items().stream().filter(i -> i.error() != null).toList();
            assertThat(failed).as("failed items of round %d", round).isEmpty();
        }
        long t1 = System.nanoTime();
        Map<String, Ccr.Doc> docs = Ccr.awaitSameDocuments(leader, LEADER, follower, FOLLOWER, CATCH_UP);
        System.out.printf("converged in %d ms%n", (System.nanoTime() - t1) / 1_000_000);
        assertThat(docs.keySet()).as("the leader's live ids").isEqualTo(live);
        assertThat(updates).isPositive();
        assertThat(deletes).isPositive();
        assertThat(docs.values().stream().filter(d -> d.version() > 1).count()).as("updated docs").isPositive();
        ArrayNode stats = Ccr.awaitCaughtUp(follower, FOLLOWER, CATCH_UP);
        long leaderOps = 0;
        for (JsonNode s : stats) {
            leaderOps += s.path("leader_global_checkpoint").asLong() + 1;
        }
        // the bootstrap copied the ops of the leader's commit; streaming wrote the rest, none twice
        assertThat(Ccr.sum(stats, "operations_written")).as("ops written after the bootstrap")
                .isLessThanOrEqualTo(leaderOps);
        assertThat(Ccr.sum(stats, "operations_skipped_duplicate")).as("ops applied twice").isZero();
        // get of an updated document: the follower's view is the leader's
        Ccr.Doc updated = docs.values().stream().filter(d -> d.version() > 1).findFirst().orElseThrow();
        GetResponse<JsonNode> got = followerClient.get(g -> g.index(FOLLOWER).id(updated.id()), JsonNode.class);
        assertThat(got.source()).isEqualTo(updated.source());
        assertThat(got.seqNo()).isEqualTo(updated.seqNo());
    }

    // ------------------------------------------------------------------------------------------ pause, resume

    @Test
    @Order(6)
    void pauseStopsFollowingAndResumeCatchesUp() throws IOException {
        Map<String, Ccr.Doc> before = Ccr.documents(follower, FOLLOWER);
        assertThat(followerClient.ccr().pauseFollow(p -> p.index(FOLLOWER)).acknowledged()).isTrue();
        FollowerIndex paused = followerClient.ccr().followInfo(i -> i.index(FOLLOWER)).followerIndices().getFirst();
        assertThat(paused.status()).isEqualTo(FollowerIndexStatus.Paused);
        assertThat(paused.parameters()).as("a paused follower shows no parameters, as in Elasticsearch").isNull();

        ElasticsearchException again = catchThrowableOfType(ElasticsearchException.class,
                () -> followerClient.ccr().pauseFollow(p -> p.index(FOLLOWER)));
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.error().type()).isEqualTo("resource_not_found_exception");
        assertThat(again.error().reason()).startsWith("no shard follow tasks for [" + FOLLOWER + "]");

        Ccr.Traffic traffic = new Ccr.Traffic(leader, LEADER, corpus, seed + 6, "p", 300);
        for (int i = 0; i < 5; i++) {
            traffic.bulk(100);
        }
        // the leader moved on; the paused follower shows the lag and has not moved
        await("the paused follower's stats to show the lag").atMost(CATCH_UP)
                .until(() -> Ccr.sum(Ccr.shardStats(follower, FOLLOWER), "consumer_lag_records") >= traffic.ops());
        assertThat(Ccr.differences(before, Ccr.documents(follower, FOLLOWER), 5)).as("paused follower changed")
                .isEmpty();
        for (JsonNode s : Ccr.shardStats(follower, FOLLOWER)) {
            assertThat(s.path("leader_global_checkpoint").asLong()).isGreaterThan(
                    s.path("follower_global_checkpoint").asLong());
        }

        ElasticsearchException badSize = catchThrowableOfType(ElasticsearchException.class,
                () -> followerClient.ccr().resumeFollow(r -> r.index(FOLLOWER).maxReadRequestSize("banana")));
        assertThat(badSize.status()).isEqualTo(400);
        assertThat(badSize.error().type()).isEqualTo("x_content_parse_exception");
        assertThat(badSize.error().causedBy().reason()).contains("[max_read_request_size] with value [banana]");
        ElasticsearchException zero = catchThrowableOfType(ElasticsearchException.class,
                () -> followerClient.ccr().resumeFollow(r -> r.index(FOLLOWER).maxOutstandingWriteRequests(0L)));
        assertThat(zero.error().type()).isEqualTo("action_request_validation_exception");
        assertThat(zero.error().reason()).isEqualTo(
                "Validation Failed: 1: max_outstanding_write_requests must be larger than 0;");
        assertThat(followerClient.ccr().followInfo(i -> i.index(FOLLOWER)).followerIndices().getFirst().status())
                .as("a refused resume changes nothing").isEqualTo(FollowerIndexStatus.Paused);

        assertThat(followerClient.ccr().resumeFollow(r -> r.index(FOLLOWER).maxReadRequestOperationCount(900L)
                .readPollTimeout(t -> t.time("30s")).maxWriteBufferSize("64mb")).acknowledged()).isTrue();
        FollowerIndex resumed = followerClient.ccr().followInfo(i -> i.index(FOLLOWER)).followerIndices().getFirst();
        assertThat(resumed.status()).isEqualTo(FollowerIndexStatus.Active);
        FollowerIndexParameters replaced = resumed.parameters();
        assertThat(replaced.maxReadRequestOperationCount()).isEqualTo(900);
        assertThat(replaced.readPollTimeout().time()).isEqualTo("30s");
        assertThat(replaced.maxWriteBufferSize()).isEqualTo("64mb");
        assertThat(replaced.maxRetryDelay().time()).as("left out of the resume: back to the default, as in"
                + " Elasticsearch").isEqualTo("500ms");
        ElasticsearchException active = catchThrowableOfType(ElasticsearchException.class,
                () -> followerClient.ccr().resumeFollow(r -> r.index(FOLLOWER)));
        assertThat(active.status()).isEqualTo(400);
        Ccr.awaitSameDocuments(leader, LEADER, follower, FOLLOWER, CATCH_UP);
        Ccr.awaitCaughtUp(follower, FOLLOWER, CATCH_UP);
    }

    // ------------------------------------------------------------------------------------------ unfollow

    @Test
    @Order(7)
    void unfollowNeedsPausedAndClosedThenTheIndexIsALeader() throws IOException {
        ElasticsearchException notPaused = catchThrowableOfType(ElasticsearchException.class,
                () -> followerClient.ccr().unfollow(u -> u.index(FOLLOWER)));
        assertThat(notPaused.status()).isEqualTo(400);
        assertThat(notPaused.error().type()).isEqualTo("illegal_argument_exception");
        assertThat(notPaused.error().reason()).startsWith("cannot convert the follower index [" + FOLLOWER
                + "] to a non-follower, because it has not been paused");

        Map<String, Ccr.Doc> leaderDocs = Ccr.awaitSameDocuments(leader, LEADER, follower, FOLLOWER, CATCH_UP);
        assertThat(followerClient.ccr().pauseFollow(p -> p.index(FOLLOWER)).acknowledged()).isTrue();
        ElasticsearchException notClosed = catchThrowableOfType(ElasticsearchException.class,
                () -> followerClient.ccr().unfollow(u -> u.index(FOLLOWER)));
        assertThat(notClosed.status()).isEqualTo(400);
        assertThat(notClosed.error().reason()).startsWith("cannot convert the follower index [" + FOLLOWER
                + "] to a non-follower, because it has not been closed");

        assertThat(followerClient.indices().close(c -> c.index(FOLLOWER)).acknowledged()).isTrue();
        ElasticsearchException closed = catchThrowableOfType(ElasticsearchException.class,
                () -> followerClient.count(c -> c.index(FOLLOWER)));
        assertThat(closed.status()).isEqualTo(400);
        assertThat(closed.error().type()).isEqualTo("index_closed_exception");

        assertThat(followerClient.ccr().unfollow(u -> u.index(FOLLOWER)).acknowledged()).isTrue();
        assertThat(followerClient.ccr().followInfo(i -> i.index(FOLLOWER)).followerIndices())
                .as("no longer a follower").isEmpty();
        assertThat(followerClient.indices().open(o -> o.index(FOLLOWER)).acknowledged()).isTrue();
        ElasticsearchException noStats = catchThrowableOfType(ElasticsearchException.class,
                () -> followerClient.ccr().followStats(s -> s.index(FOLLOWER)));
        assertThat(noStats.status()).isEqualTo(404);

        // it holds the follower's documents: the leader's ids and sources (a new history: seq_nos start over)
        Map<String, Ccr.Doc> converted = Ccr.documents(follower, FOLLOWER);
        assertThat(converted.keySet()).isEqualTo(leaderDocs.keySet());
        for (Ccr.Doc d : converted.values()) {
            assertThat(d.source()).as("source of %s", d.id()).isEqualTo(leaderDocs.get(d.id()).source());
        }

        // it takes writes now, and they go to its own ops topic: it is a leader index of the follower cluster
        byte[] doc = corpus.get(19_999);
        IndexResponse created = followerClient.index(i -> i.index(FOLLOWER).id("after-unfollow")
                .document(BinaryData.of(doc, ContentType.APPLICATION_JSON)));
        assertThat(created.result()).isEqualTo(Result.Created);
        String existing = converted.keySet().stream().sorted().findFirst().orElseThrow(); // random traffic deleted some
        IndexResponse overwritten = followerClient.index(i -> i.index(FOLLOWER).id(existing)
                .document(BinaryData.of(doc, ContentType.APPLICATION_JSON)));
        assertThat(overwritten.result()).isEqualTo(Result.Updated);
        GetResponse<JsonNode> got = followerClient.get(g -> g.index(FOLLOWER).id("after-unfollow"), JsonNode.class);
        assertThat(got.found()).isTrue();
        assertThat(got.source()).isEqualTo(Http.JSON.readTree(doc));

        Map<String, ConsumerRecord<byte[], byte[]>> lastById = readTopic("ccr." + FOLLOWER + ".ops");
        assertThat(lastById).as("ids in ccr.%s.ops", FOLLOWER).containsKey("after-unfollow");
        assertThat(lastById.keySet()).as("every converted document and the new one are in its topic")
                .containsAll(converted.keySet());
        assertThat(Http.JSON.readTree(lastById.get("after-unfollow").value())).isEqualTo(Http.JSON.readTree(doc));
        assertThat(Http.JSON.readTree(lastById.get(existing).value())).isEqualTo(Http.JSON.readTree(doc));
        assertThat(followerClient.count(c -> c.index(FOLLOWER)).count()).isEqualTo(converted.size()
                + (converted.containsKey("after-unfollow") ? 0 : 1));
        // and it can be followed in turn, here by the follower cluster itself (a cluster may be its own remote)
        Http.expect(200, follower.put("/_cluster/settings", "{\"persistent\":{\"cluster.remote.self.seeds\":\""
                + follower.hostPort() + "\"}}"), "add remote self");
        // without wait_for_active_shards the call returns once the follower exists, before its bootstrap is done
        FollowResponse copy = followerClient.ccr().follow(f -> f.index("copy-of-copy").remoteCluster("self")
                .leaderIndex(FOLLOWER));
        assertThat(copy.followIndexCreated()).isTrue();
        assertThat(copy.followIndexShardsAcked()).isFalse();
        assertThat(copy.indexFollowingStarted()).isFalse();
        Ccr.awaitSameDocuments(follower, FOLLOWER, follower, "copy-of-copy", CATCH_UP);
    }

    // ------------------------------------------------------------------------------------------ own settings

    @Test
    @Order(8)
    void aFollowersOwnRefreshIntervalIsAppliedFromTheFollowRequestAndPutSettings() throws IOException {
        String index = "refresh-by-hand";
        ElasticsearchException replicated = catchThrowableOfType(ElasticsearchException.class, () -> followerClient
                .ccr().follow(f -> f.index(index).remoteCluster(REMOTE).leaderIndex(LEADER)
                        .settings(s -> s.numberOfShards("5"))));
        assertThat(replicated.status()).isEqualTo(400);
        assertThat(replicated.error().reason()).isEqualTo(
                "can not put follower index that could override leader settings {\"index.number_of_shards\":\"5\"}");
        followerClient.ccr().follow(f -> f.index(index).remoteCluster(REMOTE).leaderIndex(LEADER)
                .settings(s -> s.refreshInterval(t -> t.time("-1"))).waitForActiveShards(w -> w.count(1)));
        assertThat(followerClient.indices().getSettings(g -> g.index(index)).get(index).settings().index()
                .refreshInterval().time()).isEqualTo("-1");
        assertThat(Http.expect(200, follower.get("/" + index), "get index").json()
                .at("/" + index + "/settings/index/number_of_shards").asText()).as("the leader's").isEqualTo("3");
        long before = followerClient.count(c -> c.index(index)).count();

        Http.expect(201, leader.put("/" + LEADER + "/_doc/own-1", "{\"name\":\"x\"}"), "index");
        Ccr.awaitCaughtUp(follower, index, CATCH_UP);
        assertThat(followerClient.count(c -> c.index(index)).count()).as("applied, not refreshed (-1)")
                .isEqualTo(before);
        Http.expect(200, follower.post("/" + index + "/_refresh", ""), "refresh");
        assertThat(followerClient.count(c -> c.index(index)).count()).isEqualTo(before + 1);

        for (String bad : List.of("banana", "-5s")) {
            ElasticsearchException e = catchThrowableOfType(ElasticsearchException.class, () -> followerClient
                    .indices().putSettings(p -> p.index(index).settings(s -> s.refreshInterval(t -> t.time(bad)))));
            assertThat(e.status()).as(bad).isEqualTo(400);
            assertThat(e.error().type()).isEqualTo("illegal_argument_exception");
            assertThat(e.error().reason()).contains("index.refresh_interval", bad);
        }
        Http.Response shards = follower.put("/" + index + "/_settings", "{\"index\":{\"number_of_shards\":2}}");
        assertThat(shards.status()).isEqualTo(400);
        assertThat(shards.json().at("/error/reason").asText())
                .startsWith("can not put follower index that could override leader settings");
        Http.Response onLeader = leader.put("/" + LEADER + "/_settings", "{\"index\":{\"refresh_interval\":\"2s\"}}");
        assertThat(onLeader.status()).isEqualTo(400);
        assertThat(followerClient.indices().getSettings(g -> g.index(index)).get(index).settings().index()
                .refreshInterval().time()).as("nothing changed by the refused updates").isEqualTo("-1");

        assertThat(followerClient.indices().putSettings(p -> p.index(index).settings(s -> s
                .refreshInterval(t -> t.time("100ms")))).acknowledged()).isTrue();
        JsonNode flat = Http.expect(200, follower.get("/" + index + "/_settings?flat_settings=true"), "settings")
                .json().at("/" + index + "/settings");
        assertThat(flat.path("index.refresh_interval").asText()).isEqualTo("100ms");
        Http.expect(201, leader.put("/" + LEADER + "/_doc/own-2", "{\"name\":\"y\"}"), "index");
        await("refreshed at its new interval").atMost(CATCH_UP).until(() -> followerClient
                .count(c -> c.index(index)).count() == before + 2);
        String stored = java.nio.file.Files.readString(data.resolve("follower").resolve("followers").resolve(index)
                .resolve("follow.json"));
        assertThat(stored).as("kept for a restart").contains("\"index.refresh_interval\" : \"100ms\"");

        Http.expect(200, follower.put("/" + index + "/_settings", "{\"index.max_result_window\":5}"), "window");
        ElasticsearchException window = catchThrowableOfType(ElasticsearchException.class, () -> followerClient
                .search(x -> x.index(index).size(10), Void.class));
        assertThat(window.status()).isEqualTo(400);
        assertThat(window.error().reason()).as("the follower's own window").contains("index.max_result_window", "[5]");
        assertThat(followerClient.search(x -> x.index(FOLLOWER).size(10), Void.class).hits().hits())
                .as("another index keeps its own").hasSize(10);
    }

    /** id → "seq_no term source" of every hit. */
    private static Map<String, String> hitsById(SearchResponse<JsonNode> r) {
        Map<String, String> out = new TreeMap<>();
        for (Hit<JsonNode> h : r.hits().hits()) {
            out.put(h.id(), h.seqNo() + " " + h.primaryTerm() + " " + h.source());
        }
        return out;
    }

    /** The last record per key of a topic, read committed from the beginning to its end. */
    private Map<String, ConsumerRecord<byte[], byte[]>> readTopic(String topic) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> tps = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> end = consumer.endOffsets(tps);
            Map<String, ConsumerRecord<byte[], byte[]>> out = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : Topics.readTo(consumer, end, Duration.ofSeconds(60))) {
                out.put(new String(r.key(), StandardCharsets.UTF_8), r);
            }
            return out;
        }
    }
}
