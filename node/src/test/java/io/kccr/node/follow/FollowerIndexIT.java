package io.kccr.node.follow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kccr.core.index.IndexMetadata;
import io.kccr.core.mapping.MetaFields;
import io.kccr.follower.FollowParameters;
import io.kccr.follower.FollowerDefinition;
import io.kccr.follower.FollowerIndex;
import io.kccr.follower.FollowerRuntime;
import io.kccr.follower.FollowerStatus;
import io.kccr.follower.LeaderMetadataReader;
import io.kccr.follower.ShardFollowStats;
import io.kccr.follower.ShardSubset;
import io.kccr.follower.bootstrap.BootstrapJob;
import io.kccr.follower.bootstrap.RecoverySettings;
import io.kccr.node.remote.HttpRestoreSource;
import org.apache.lucene.store.RateLimiter;
import io.kccr.follower.apply.FollowerShard;
import io.kccr.leader.Acks;
import io.kccr.leader.LeaderIndex;
import io.kccr.leader.WriteCondition;
import io.kccr.node.Node;
import io.kccr.node.sample.SampleData;
import io.kccr.testkit.KafkaBroker;
import io.kccr.testkit.TestNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.util.Bits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A follower index, applied by the node-wide runtime, converges to its leader doc by doc, across pause and resume. */
class FollowerIndexIT {
    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker();

    @TempDir
    Path leaderData;
    @TempDir
    Path followerData;

    @Test
    void followerConvergesToTheLeaderAcrossPauseAndResume() throws Exception {
        try (Node leader = TestNode.on(kafka).dir(leaderData).start()) {
            LeaderIndex index = leader.indices().create("cities", SampleData.settings(), SampleData.mappings());
            List<byte[]> docs = SampleData.documents().subList(0, 3000);
            write(index, docs, 0);

            Map<String, Object> client = client();
            FollowerDefinition def = definition("ccr");
            LeaderMetadataReader meta = new LeaderMetadataReader(client, def.metaTopic(), Duration.ofSeconds(10));
            IndexMetadata leaderMeta = meta.refresh();
            try (FollowerRuntime runtime = FollowerRuntime.withDefaults(Duration.ofSeconds(1), Clock.systemUTC());
                 FollowerIndex follower = new FollowerIndex(def, leaderMeta, meta, client, followerData, runtime,
                         Clock.systemUTC(), null)) {
                follower.start();
                awaitConverged(index, follower);

                follower.pause();
                assertThat(follower.status()).isEqualTo(FollowerStatus.PAUSED);
                write(index, docs.subList(0, 1000), 3000); // new ids
                for (int i = 0; i < 200; i++) {
                    Acks.await(index.delete(Integer.toString(i + 1), WriteCondition.NONE), Duration.ofSeconds(10));
                }
                follower.resume(null);
                awaitConverged(index, follower);
                List<ShardFollowStats> stats = follower.stats();
                long written = stats.stream().mapToLong(ShardFollowStats::operationsWritten).sum();
                long skipped = stats.stream().mapToLong(ShardFollowStats::operationsSkippedDuplicate).sum();
                long read = stats.stream().mapToLong(ShardFollowStats::operationsRead).sum();
                assertThat(written).as("each of the leader's 3000 + 1000 index and 200 delete ops applied once")
                        .isEqualTo(4200);
                assertThat(read).as("every op read is either applied or skipped").isEqualTo(written + skipped);
            }
        }
    }

    @Test
    void followersOfDisjointShardsCopyStreamAndServeOnlyTheirOwnAndTogetherHoldTheLeader() throws Exception {
        try (Node leader = TestNode.on(kafka).dir(leaderData.resolve("parts")).topicPrefix("parts").start()) {
            LeaderIndex index = leader.indices().create("cities", SampleData.settings(), SampleData.mappings());
            List<byte[]> docs = SampleData.documents().subList(0, 3000);
            write(index, docs.subList(0, 2000), 0);
            index.flush(); // the commits the followers copy

            Map<String, Object> client = client();
            FollowerDefinition def = definition("parts");
            LeaderMetadataReader meta = new LeaderMetadataReader(client, def.metaTopic(), Duration.ofSeconds(10));
            IndexMetadata leaderMeta = meta.refresh();
            Path evenDir = followerData.resolve("even");
            Path oddDir = followerData.resolve("odd");
            try (FollowerRuntime runtime = FollowerRuntime.withDefaults(Duration.ofSeconds(1), Clock.systemUTC());
                 FollowerIndex even = new FollowerIndex(def, leaderMeta, ShardSubset.of(3, 0, 2), meta, client,
                         evenDir, runtime, Clock.systemUTC(), bootstrap(leader, List.of(0, 2)));
                 FollowerIndex odd = new FollowerIndex(def, leaderMeta, ShardSubset.of(3, 1), meta, client, oddDir,
                         runtime, Clock.systemUTC(), bootstrap(leader, List.of(1)))) {
                even.start();
                odd.start();
                even.untilActive().get(60, java.util.concurrent.TimeUnit.SECONDS);
                odd.untilActive().get(60, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(even.recovery()).extracting(r -> r.shard()).containsExactly(0, 2);
                assertThat(odd.recovery()).extracting(r -> r.shard()).containsExactly(1);
                assertThat(odd.recovery().getFirst().bytesTotal()).as("copied, not replayed").isPositive();
                assertThat(evenDir.resolve("shards").toFile().list()).containsExactlyInAnyOrder("0", "2");
                assertThat(oddDir.resolve("shards").toFile().list()).containsExactly("1");

                write(index, docs.subList(2000, 3000), 2000); // streamed
                index.refresh();
                Map<String, String> expected = snapshot(index::search);
                await("the two followers to hold the leader's documents between them").atMost(Duration.ofSeconds(60))
                        .untilAsserted(() -> {
                            even.refresh();
                            odd.refresh();
                            Map<String, String> both = new TreeMap<>(snapshotShards(even.shards()));
                            both.putAll(snapshotShards(odd.shards()));
                            assertThat(both).isEqualTo(expected);
                        });
                assertThat(even.shards()).extracting(FollowerShard::shardId).containsExactly(0, 2);
                assertThat(even.stats()).extracting(ShardFollowStats::shardId).containsExactly(0, 2);
                assertThat(odd.stats()).extracting(ShardFollowStats::shardId).containsExactly(1);
                String routedToOdd = expected.keySet().stream()
                        .filter(id -> io.kccr.core.routing.ShardRouting.shardFor(id, 3) == 1).findFirst().orElseThrow();
                assertThat(odd.get(routedToOdd).found()).isTrue();
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> even.get(routedToOdd))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shard [1]");
            }
        }
    }

    private static Map<String, Object> client() {
        Map<String, Object> client = new HashMap<>();
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return client;
    }

    /** Follower {@code cities-copy} of leader index {@code cities}, whose topics are under {@code prefix}. */
    private static FollowerDefinition definition(String prefix) {
        return new FollowerDefinition("cities-copy", "leader", "cities", "kccr-test-" + prefix + "-copy",
                prefix + ".cities.ops", prefix + ".cities.meta", FollowParameters.DEFAULTS);
    }

    /** Bootstraps of shards {@code held} of {@code leader}'s index, over its HTTP API. */
    private static java.util.function.Function<Path, BootstrapJob> bootstrap(Node leader, List<Integer> held) {
        return shardsDir -> new BootstrapJob(new HttpRestoreSource(java.net.http.HttpClient.newHttpClient(),
                leader.httpAddress(), Duration.ofSeconds(30), "test", "cities-copy", "uuid", "leader"), "cities",
                shardsDir, 3, held, () -> new RecoverySettings(1 << 20, 2, 0), new RateLimiter.SimpleRateLimiter(0),
                Clock.systemUTC());
    }

    private static void write(LeaderIndex index, List<byte[]> docs, int idBase) {
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            pending.add(index.index(Integer.toString(idBase + i + 1), docs.get(i), WriteCondition.NONE));
        }
        pending.forEach(CompletableFuture::join);
    }

    private static void awaitConverged(LeaderIndex leader, FollowerIndex follower) throws Exception {
        leader.refresh();
        Map<String, String> expected = snapshot(leader::search);
        await("the follower to hold the leader's documents").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            follower.refresh();
            assertThat(snapshotShards(follower.shards())).isEqualTo(expected);
        });
    }

    interface Searchable {
        <T> T search(io.kccr.core.shard.SearchableIndex.SearchAction<T> action) throws java.io.IOException;
    }

    private static Map<String, String> snapshot(Searchable s) throws Exception {
        return s.search(FollowerIndexIT::read);
    }

    private static Map<String, String> snapshotShards(List<FollowerShard> shards) throws Exception {
        Map<String, String> all = new TreeMap<>();
        for (FollowerShard shard : shards) {
            IndexSearcher searcher = shard.acquireSearcher();
            try {
                all.putAll(read(searcher));
            } finally {
                shard.releaseSearcher(searcher);
            }
        }
        return all;
    }

    /** id → seq_no + source of every live document. */
    private static Map<String, String> read(IndexSearcher searcher) throws java.io.IOException {
        Map<String, String> out = new TreeMap<>();
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            Bits live = leaf.reader().getLiveDocs();
            StoredFields stored = leaf.reader().storedFields();
            NumericDocValues seqNos = leaf.reader().getNumericDocValues(MetaFields.SEQ_NO);
            for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
                if (live != null && !live.get(doc)) {
                    continue;
                }
                var d = stored.document(doc);
                seqNos.advanceExact(doc);
                out.put(d.get(MetaFields.ID), seqNos.longValue() + " " + d.getBinaryValue(MetaFields.SOURCE).utf8ToString());
            }
        }
        return out;
    }
}
