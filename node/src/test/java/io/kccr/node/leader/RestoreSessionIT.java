package io.kccr.node.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch.ccr.ForgetFollowerResponse;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import com.fasterxml.jackson.databind.JsonNode;
import io.kccr.core.routing.ShardRouting;
import io.kccr.node.Node;
import io.kccr.node.sample.SampleData;
import io.kccr.testkit.Http;
import io.kccr.testkit.KafkaBroker;
import io.kccr.testkit.TestNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
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
 * The leader side of remote recovery over HTTP on a real node: a restore session pins a commit of
 * every shard of a 3-shard index, serves exactly its files (whole or by range), keeps them through
 * later writes and flushes, and deletes what only it held once released, expired or its index deleted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestoreSessionIT {
    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker();

    private static final String INDEX = "restore";
    private static final int SHARDS = 3;

    @TempDir
    static Path data;

    private Node node;
    private Http rest;
    private List<byte[]> corpus;
    private int nextDoc;
    /** The highest acknowledged seq_no of each shard. */
    private final long[] maxSeqNo = {-1, -1, -1};
    /** The ids indexed into each shard (never deleted). */
    private final List<Set<String>> idsByShard = List.of(new HashSet<>(), new HashSet<>(), new HashSet<>());

    @BeforeAll
    void startNode() throws Exception {
        node = TestNode.on(kafka).dir(data).topicPrefix("restore").start();
        rest = new Http(node.httpAddress());
        corpus = SampleData.documents().subList(0, 4000);
        Http.Response created = rest.put("/" + INDEX, "{\"settings\":{\"number_of_shards\":" + SHARDS
                + "},\"mappings\":" + SampleData.MAPPINGS + "}");
        assertThat(created.status()).as("%s", created).isEqualTo(200);
        for (int round = 0; round < 4; round++) { // several bulks and flushes: several segments per shard
            indexDocs(500);
            assertThat(rest.post("/" + INDEX + "/_flush", null).status()).isEqualTo(200);
        }
        indexDocs(300); // not flushed: opening a session commits it
    }

    @AfterAll
    void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    private void indexDocs(int count) throws Exception {
        Bulk bulk = new Bulk();
        for (int i = 0; i < count; i++) {
            int n = nextDoc++;
            bulk.index("doc-" + n, corpus.get(n % corpus.size()));
        }
        for (Bulk.Outcome o : bulk.send(rest, INDEX)) {
            assertThat(o.status()).as("%s", o.result()).isEqualTo(201);
            int shard = ShardRouting.shardFor(o.item().id(), SHARDS);
            maxSeqNo[shard] = Math.max(maxSeqNo[shard], o.ack().seqNo());
            idsByShard.get(shard).add(o.item().id());
        }
    }

    private Http.Response send(String method, String path, String range, String... headers) {
        List<String> all = new ArrayList<>(List.of(headers));
        if (range != null) {
            all.addAll(List.of("Range", range));
        }
        return rest.request(method, path, null, null, all.toArray(String[]::new));
    }

    private JsonNode openSession(String index) throws Exception {
        Http.Response r = send("POST", "/" + index + "/_ccr/restore_session", null);
        assertThat(r.status()).as("open a restore session: %s", r).isEqualTo(200);
        return r.json();
    }

    private Http.Response file(String session, int shard, String name, String range) throws Exception {
        return send("GET", "/_ccr/restore_session/" + session + "/" + shard + "/" + name, range);
    }

    private Path shardDir(String index, int shard) {
        return node.indices().get(index).shards().get(shard).path();
    }

    private static List<String> names(JsonNode shard) {
        List<String> names = new ArrayList<>();
        shard.get("files").forEach(f -> names.add(f.get("name").asText()));
        return names;
    }

    private static Collection<String> lastCommitFiles(Path dir) throws IOException {
        try (Directory d = FSDirectory.open(dir)) {
            return DirectoryReader.listCommits(d).getLast().getFileNames();
        }
    }

    /** Copies every file of {@code shard} through the session and checks it against the manifest and the disk. */
    private void copyAndVerify(String session, JsonNode shard, Path into) throws Exception {
        int number = shard.get("shard").asInt();
        Files.createDirectories(into);
        for (JsonNode f : shard.get("files")) {
            String name = f.get("name").asText();
            Http.Response r = file(session, number, name, null);
            assertThat(r.status()).as("GET %s of shard %d: %s", name, number, r).isEqualTo(200);
            assertThat(r.body().length).as("bytes of %s", name).isEqualTo(f.get("length").asLong());
            assertThat(r.header("Content-Length")).isEqualTo(f.get("length").asText());
            Path onDisk = shardDir(INDEX, number).resolve(name);
            assertThat(r.body()).as("%s as on disk", name).isEqualTo(Files.readAllBytes(onDisk));
            Files.write(into.resolve(name), r.body());
        }
        try (Directory copy = FSDirectory.open(into)) {
            for (JsonNode f : shard.get("files")) {
                try (IndexInput in = copy.openInput(f.get("name").asText(), IOContext.READONCE)) {
                    assertThat(CodecUtil.checksumEntireFile(in)).as("checksum of %s", f.get("name").asText())
                            .isEqualTo(f.get("checksum").asLong());
                }
            }
        }
    }

    @Test
    @Order(1)
    void manifestListsEveryFileOfEachShardsPinnedCommit(@TempDir Path copies) throws Exception {
        JsonNode manifest = openSession(INDEX);
        String session = manifest.get("session_uuid").asText();
        assertThat(manifest.get("index").asText()).isEqualTo(INDEX);
        JsonNode getIndex = rest.get("/" + INDEX).json().get(INDEX);
        JsonNode metadata = manifest.get("metadata");
        assertThat(metadata.get("history_uuid").asText()).isEqualTo(getIndex.at("/settings/index/history_uuid").asText())
                .isNotEmpty();
        assertThat(metadata.get("mapping_version").asLong()).isPositive();
        assertThat(metadata.get("mappings")).isEqualTo(getIndex.get("mappings"));
        assertThat(metadata.get("settings")).isEqualTo(getIndex.get("settings"));
        assertThat(manifest.get("shards")).hasSize(SHARDS);

        for (int i = 0; i < SHARDS; i++) {
            JsonNode shard = manifest.get("shards").get(i);
            assertThat(shard.get("shard").asInt()).isEqualTo(i);
            List<String> names = names(shard);
            long generation = shard.get("generation").asLong();
            assertThat(names.getLast()).isEqualTo("segments_" + Long.toString(generation, Character.MAX_RADIX));
            try (Directory d = FSDirectory.open(shardDir(INDEX, i))) {
                IndexCommit commit = DirectoryReader.listCommits(d).stream()
                        .filter(c -> c.getGeneration() == generation).findFirst().orElseThrow();
                assertThat(names).containsExactlyInAnyOrderElementsOf(commit.getFileNames());
            }
            JsonNode userData = shard.get("user_data");
            assertThat(userData.get("max_seq_no").asLong()).as("max_seq_no of shard %d", i).isEqualTo(maxSeqNo[i]);
            assertThat(userData.get("kafka_next_offset").asLong()).isGreaterThan(maxSeqNo[i]);
            assertThat(userData.get("history_uuid").asText()).isEqualTo(metadata.get("history_uuid").asText());

            Path copy = copies.resolve(Integer.toString(i));
            copyAndVerify(session, shard, copy);
            try (Directory d = FSDirectory.open(copy); DirectoryReader reader = DirectoryReader.open(d)) {
                assertThat(reader.numDocs()).as("documents in the copy of shard %d", i)
                        .isEqualTo(idsByShard.get(i).size());
                assertThat(reader.getIndexCommit().getUserData().get("max_seq_no")).isEqualTo(Long.toString(maxSeqNo[i]));
            }
        }
        assertThat(send("DELETE", "/_ccr/restore_session/" + session, null).status()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void rangesServeExactlyTheirBytes() throws Exception {
        JsonNode manifest = openSession(INDEX);
        String session = manifest.get("session_uuid").asText();
        JsonNode largest = null;
        for (JsonNode f : manifest.at("/shards/0/files")) {
            if (largest == null || f.get("length").asLong() > largest.get("length").asLong()) {
                largest = f;
            }
        }
        String name = largest.get("name").asText();
        long length = largest.get("length").asLong();
        assertThat(length).isGreaterThan(200);
        byte[] disk = Files.readAllBytes(shardDir(INDEX, 0).resolve(name));

        Http.Response middle = file(session, 0, name, "bytes=100-" + (length - 51));
        assertThat(middle.status()).as("%s", middle).isEqualTo(206);
        assertThat(middle.header("Content-Range")).isEqualTo("bytes 100-" + (length - 51) + "/" + length);
        assertThat(middle.header("Content-Length")).isEqualTo(Long.toString(length - 150));
        assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(disk, 100, (int) length - 50));

        Http.Response tail = file(session, 0, name, "bytes=" + (length - 10) + "-" + (length + 1000));
        assertThat(tail.status()).isEqualTo(206);
        assertThat(tail.header("Content-Range")).isEqualTo("bytes " + (length - 10) + "-" + (length - 1) + "/" + length);
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(disk, (int) length - 10, (int) length));

        Http.Response whole = send("GET", "/_ccr/restore_session/" + session + "/0/" + name, null,
                "Accept-Encoding", "gzip");
        assertThat(whole.status()).isEqualTo(200);
        assertThat(whole.header("Content-Encoding")).as("files are sent as they are, even to a client taking gzip")
                .isNull();
        assertThat(whole.body()).isEqualTo(disk);

        Http.Response oneByte = file(session, 0, name, "bytes=7-7");
        assertThat(oneByte.status()).isEqualTo(206);
        assertThat(oneByte.body()).containsExactly(disk[7]);

        for (String bad : List.of("bytes=" + length + "-" + (length + 10), "bytes=" + (length + 5) + "-",
                "bytes=20-10", "bytes=0-1,5-6", "lines=0-5")) {
            Http.Response r = file(session, 0, name, bad);
            assertThat(r.status()).as("range %s: %s", bad, r).isEqualTo(416);
            assertThat(r.header("Content-Range")).isEqualTo("bytes */" + length);
            assertThat(r.json().at("/error/type").asText()).isEqualTo("requested_range_not_satisfiable_exception");
            assertThat(r.json().get("status").asInt()).isEqualTo(416);
        }
        assertThat(send("DELETE", "/_ccr/restore_session/" + session, null).status()).isEqualTo(200);
    }

    @Test
    @Order(3)
    void sessionKeepsItsFilesThroughWritesAndFlushesUntilReleased(@TempDir Path copies) throws Exception {
        JsonNode manifest = openSession(INDEX);
        String session = manifest.get("session_uuid").asText();

        // the leader keeps taking writes, and newer commits replace the pinned one
        for (int round = 0; round < 3; round++) {
            indexDocs(200);
            Http.Response flushed = rest.post("/" + INDEX + "/_flush", null);
            assertThat(flushed.status()).as("%s", flushed).isEqualTo(200);
        }
        // searchers opened before the last merges hold merged-away segments too, until they are refreshed
        assertThat(rest.post("/" + INDEX + "/_refresh", null).status()).isEqualTo(200);
        Map<Integer, List<String>> pinnedOnly = new HashMap<>();
        for (int i = 0; i < SHARDS; i++) {
            Collection<String> last = lastCommitFiles(shardDir(INDEX, i));
            List<String> only = names(manifest.get("shards").get(i)).stream().filter(n -> !last.contains(n)).toList();
            assertThat(only).as("files of shard %d only the session holds (its segments_N at least)", i).isNotEmpty();
            pinnedOnly.put(i, only);
            for (String name : only) {
                assertThat(shardDir(INDEX, i).resolve(name)).as("pinned file").exists();
            }
            // still served, intact
            copyAndVerify(session, manifest.get("shards").get(i), copies.resolve(Integer.toString(i)));
        }

        Http.Response released = send("DELETE", "/_ccr/restore_session/" + session, null);
        assertThat(released.status()).as("%s", released).isEqualTo(200);
        assertThat(released.json().get("acknowledged").asBoolean()).isTrue();
        for (Map.Entry<Integer, List<String>> e : pinnedOnly.entrySet()) {
            for (String name : e.getValue()) {
                assertThat(shardDir(INDEX, e.getKey()).resolve(name)).as("file only the released session held")
                        .doesNotExist();
            }
        }
        String anyFile = manifest.at("/shards/0/files/0/name").asText();
        Http.Response gone = file(session, 0, anyFile, null);
        assertSessionNotFound(gone);
        assertSessionNotFound(send("DELETE", "/_ccr/restore_session/" + session, null));
        // the index itself is intact
        Http.Response count = rest.get("/" + INDEX + "/_count");
        assertThat(count.json().get("count").asInt()).isEqualTo(nextDoc);
    }

    private static void assertSessionNotFound(Http.Response r) throws IOException {
        assertThat(r.status()).as("%s", r).isEqualTo(404);
        assertThat(r.json().at("/error/type").asText()).isEqualTo("resource_not_found_exception");
        assertThat(r.json().at("/error/reason").asText()).contains("not found").contains("expired")
                .contains("released").contains("open a new session");
    }

    @Test
    @Order(4)
    void idleSessionIsReleasedByItself() throws Exception {
        setTransient("ccr.indices.recovery.recovery_activity_timeout", "\"5s\"");
        try {
            JsonNode manifest = openSession(INDEX);
            String session = manifest.get("session_uuid").asText();
            String segments = names(manifest.at("/shards/1")).getLast();
            indexDocs(30);
            assertThat(file(session, 1, segments, null).status()).isEqualTo(200);
            assertThat(rest.post("/" + INDEX + "/_flush", null).status()).isEqualTo(200);
            Path pinned = shardDir(INDEX, 1).resolve(segments);
            assertThat(lastCommitFiles(shardDir(INDEX, 1))).doesNotContain(segments);
            assertThat(pinned).as("the session's segments file, after a newer commit").exists();

            // no request from now on: polled without touching the session
            await("the idle session to be released and its files deleted").atMost(Duration.ofSeconds(60))
                    .until(() -> !node.restoreSessions().isOpen(session) && !Files.exists(pinned));
            assertSessionNotFound(file(session, 1, segments, null));
            assertThat(pinned).as("the expired session's segments file").doesNotExist();
            assertThat(node.restoreSessions().size()).isZero();
        } finally {
            setTransient("ccr.indices.recovery.recovery_activity_timeout", "null");
        }
    }

    @Test
    @Order(5)
    void onlyTheManifestsFilesAreServed() throws Exception {
        JsonNode manifest = openSession(INDEX);
        String session = manifest.get("session_uuid").asText();
        String base = "/_ccr/restore_session/" + session + "/0/";
        for (String path : List.of(base + "..%2F..%2Fetc%2Fpasswd", base + "..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd",
                base + "../x", base + "%2Fetc%2Fpasswd", base + "/etc/passwd", base + "%2E%2E", base + "..",
                base + "..%5C..%5Cetc%5Cpasswd", base + "a%00b", "/_ccr/restore_session/" + session + "/../../etc/passwd")) {
            Http.Response r = send("GET", path, null);
            assertThat(r.status()).as("GET %s: %s", path, r).isIn(400, 404);
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).as("GET %s", path).doesNotContain("root:")
                    .contains("\"error\"");
        }
        // files that are in the shard directory but not in the pinned commit
        Collection<String> listed = names(manifest.at("/shards/0"));
        List<String> notListed = new ArrayList<>(List.of("write.lock", "_zz.cfs", "segments_zz"));
        try (var files = Files.list(shardDir(INDEX, 0))) {
            files.map(p -> p.getFileName().toString()).filter(n -> !listed.contains(n)).forEach(notListed::add);
        }
        for (String name : notListed) {
            Http.Response r = file(session, 0, name, null);
            assertThat(r.status()).as("GET %s: %s", name, r).isEqualTo(404);
            assertThat(r.json().at("/error/type").asText()).isEqualTo("resource_not_found_exception");
            assertThat(r.json().at("/error/reason").asText()).contains("[" + name + "]").contains("manifest");
        }
        Http.Response noShard = file(session, 7, listed.iterator().next(), null);
        assertThat(noShard.status()).as("%s", noShard).isEqualTo(404);
        assertThat(send("GET", "/_ccr/restore_session/" + session + "/x/" + listed.iterator().next(), null).status())
                .as("a shard that is not a number").isEqualTo(400);
        assertSessionNotFound(file("no-such-session", 0, listed.iterator().next(), null));

        Http.Response unknownIndex = send("POST", "/no-such-index/_ccr/restore_session", null);
        assertThat(unknownIndex.status()).isEqualTo(404);
        assertThat(unknownIndex.json().at("/error/type").asText()).isEqualTo("index_not_found_exception");
        assertThat(send("DELETE", "/_ccr/restore_session/" + session, null).status()).isEqualTo(200);
    }

    @Test
    @Order(6)
    void sessionsOverTheCapAreRejected() throws Exception {
        setTransient("ccr.recovery.max_sessions", "2");
        try {
            String first = openSession(INDEX).get("session_uuid").asText();
            String second = openSession(INDEX).get("session_uuid").asText();
            Http.Response third = send("POST", "/" + INDEX + "/_ccr/restore_session", null);
            assertThat(third.status()).as("%s", third).isEqualTo(429);
            assertThat(third.json().at("/error/type").asText()).isEqualTo("es_rejected_execution_exception");
            assertThat(third.json().at("/error/reason").asText()).contains("ccr.recovery.max_sessions")
                    .contains("DELETE /_ccr/restore_session/");
            assertThat(send("DELETE", "/_ccr/restore_session/" + first, null).status()).isEqualTo(200);
            String fourth = openSession(INDEX).get("session_uuid").asText();
            assertThat(send("DELETE", "/_ccr/restore_session/" + second, null).status()).isEqualTo(200);
            assertThat(send("DELETE", "/_ccr/restore_session/" + fourth, null).status()).isEqualTo(200);
        } finally {
            setTransient("ccr.recovery.max_sessions", "null");
        }
        assertThat(node.restoreSessions().size()).isZero();
    }

    @Test
    @Order(7)
    void deletingTheIndexReleasesItsSessions() throws Exception {
        String other = "restore-other";
        assertThat(rest.put("/" + other, "{\"settings\":{\"number_of_shards\":2}}").status()).isEqualTo(200);
        assertThat(rest.put("/" + other + "/_doc/1", "{\"a\":1}").status()).isEqualTo(201);
        JsonNode manifest = openSession(other);
        String session = manifest.get("session_uuid").asText();
        assertThat(manifest.get("shards")).hasSize(2);
        assertThat(rest.delete("/" + other).status()).isEqualTo(200);
        assertSessionNotFound(file(session, 0, names(manifest.at("/shards/0")).getLast(), null));
        assertThat(node.restoreSessions().size()).isZero();
        // the slot is free again
        String again = openSession(INDEX).get("session_uuid").asText();
        assertThat(send("DELETE", "/_ccr/restore_session/" + again, null).status()).isEqualTo(200);
    }

    @Test
    @Order(8)
    void forgetFollowerReleasesThatFollowersSessionsOnly() throws Exception {
        String holder = "?follower_cluster=fc&follower_index=copy&follower_index_uuid=u1&leader_remote_cluster=lead";
        Http.Response held = send("POST", "/" + INDEX + "/_ccr/restore_session" + holder, null);
        assertThat(held.status()).as("%s", held).isEqualTo(200);
        String forgotten = held.json().get("session_uuid").asText();
        JsonNode keptManifest = openSession(INDEX);
        String kept = keptManifest.get("session_uuid").asText();
        String last = names(held.json().at("/shards/0")).getLast();
        String keptLast = names(keptManifest.at("/shards/0")).getLast();

        try (Rest5ClientTransport transport = new Rest5ClientTransport(Rest5Client.builder(
                URI.create(node.httpAddress())).build(), new JacksonJsonpMapper())) {
            ElasticsearchClient client = new ElasticsearchClient(transport);
            ElasticsearchException other = catchThrowableOfType(ElasticsearchException.class, () -> client.ccr()
                    .forgetFollower(f -> f.index(INDEX).followerCluster("fc").followerIndex("copy")
                            .followerIndexUuid("another").leaderRemoteCluster("lead")));
            assertThat(other).as("another follower's uuid: nothing to release, still an answer").isNull();
            assertThat(file(forgotten, 0, last, null).status()).isEqualTo(200);

            ForgetFollowerResponse answer = client.ccr().forgetFollower(f -> f.index(INDEX).followerCluster("fc")
                    .followerIndex("copy").followerIndexUuid("u1").leaderRemoteCluster("lead"));
            assertThat(answer.shards().total().intValue()).isEqualTo(SHARDS);
            assertThat(answer.shards().successful().intValue()).isEqualTo(SHARDS);
            assertThat(answer.shards().failed().intValue()).isZero();
            assertSessionNotFound(file(forgotten, 0, last, null));
            assertThat(file(kept, 0, keptLast, null).status()).as("a session of no named follower stays").isEqualTo(200);

            ElasticsearchException unknown = catchThrowableOfType(ElasticsearchException.class, () -> client.ccr()
                    .forgetFollower(f -> f.index("nope").followerCluster("fc").followerIndex("copy")
                            .followerIndexUuid("u1").leaderRemoteCluster("lead")));
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.error().type()).isEqualTo("index_not_found_exception");
        }
        Http.Response missing = rest.post("/" + INDEX + "/_ccr/forget_follower",
                "{\"follower_cluster\":\"fc\",\"follower_index\":\"copy\"}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().at("/error/type").asText()).isEqualTo("illegal_argument_exception");
        assertThat(missing.json().at("/error/reason").asText())
                .isEqualTo("Required [follower_index_uuid, leader_remote_cluster]");
        Http.Response unknownField = rest.post("/" + INDEX + "/_ccr/forget_follower", "{\"follower\":\"x\"}");
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.json().at("/error/type").asText()).isEqualTo("x_content_parse_exception");
        Http.Response wrongType = rest.post("/" + INDEX + "/_ccr/forget_follower", "{\"follower_cluster\":{},"
                + "\"follower_index\":\"copy\",\"follower_index_uuid\":\"u1\",\"leader_remote_cluster\":\"lead\"}");
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(file(kept, 0, keptLast, null).status()).as("bad requests release nothing").isEqualTo(200);
        assertThat(send("DELETE", "/_ccr/restore_session/" + kept, null).status()).isEqualTo(200);
    }

    private void setTransient(String key, String jsonValue) throws Exception {
        Http.Response r = rest.put("/_cluster/settings", "{\"transient\":{\"" + key + "\":" + jsonValue + "}}");
        assertThat(r.status()).as("%s", r).isEqualTo(200);
    }
}
