package io.kccr.follower;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kccr.core.index.IndexMetadata;
import io.kccr.core.index.IndexSettings;
import io.kccr.core.mapping.DocumentMapper;
import io.kccr.core.mapping.Mappings;
import io.kccr.core.shard.LuceneShard;
import io.kccr.core.wire.Operation;
import io.kccr.core.wire.OperationCodec;
import io.kccr.follower.apply.FollowerFailure;
import io.kccr.follower.apply.FollowerShard;
import io.kccr.follower.apply.OperationApplier;
import io.kccr.follower.apply.ShardRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The follower's topology, store and processor under Kafka Streams' {@link TopologyTestDriver}: the
 * leader's ops topic in, a real Lucene shard on disk out.
 */
class FollowerTopologyTest {
    private static final String TOPIC = "ccr.books.ops";
    private static final String HISTORY = "history-1";

    @TempDir
    Path dir;

    private final LeaderMappings leader = new LeaderMappings();
    private ShardRegistry registry;
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> ops;
    private long nextSeqNo;

    /** Starts the follower's topology over shard 0 under {@link #dir}, committing Lucene at most every {@code interval}. */
    private void start(Duration luceneCommitInterval) {
        DocumentMapper mapper = new DocumentMapper();
        registry = new ShardRegistry(shard -> {
            FollowerShard s = new FollowerShard(shard, dir.resolve("shards").resolve(Integer.toString(shard)), HISTORY);
            return new ShardRegistry.Handle(s, new OperationApplier(s, mapper, leader, TOPIC, Clock.systemUTC()));
        });
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "kccr-test-follow-books");
        config.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("streams-state").toString());
        driver = new TopologyTestDriver(FollowerTopology.build(TOPIC, registry, luceneCommitInterval, Runnable::run),
                config);
        ops = driver.createInputTopic(TOPIC, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private FollowerShard shard() {
        return registry.shard(0);
    }

    @Test
    void appliesOpsInLogOrderAndSkipsThoseAtOrBelowTheShardsSeqNo() throws IOException {
        start(Duration.ofHours(1));
        Operation a = index("a", "{\"title\":\"one\"}", 1);
        Operation b = index("b", "{\"title\":\"two\"}", 1);
        Operation deleteA = Operation.delete("a", nextSeqNo++, 1, 2, 1, HISTORY);
        pipe(a, b, deleteA);
        pipe(a, b); // a replay: already applied
        pipe(index("c", "{\"title\":\"three\"}", 1));

        FollowerShard shard = shard();
        assertThat(shard.maxSeqNo()).isEqualTo(3);
        assertThat(shard.operationsWritten()).isEqualTo(4);
        assertThat(shard.operationsSkipped()).isEqualTo(2);
        assertThat(shard.nextOffset()).as("after the last record, offset 5").isEqualTo(6);
        shard.refresh();
        assertThat(shard.docCount()).as("b and c; a was deleted").isEqualTo(2);
        assertThat(ids(shard, "a", "b", "c")).containsExactlyInAnyOrder("b", "c");
    }

    @Test
    void anOpOfANewerMappingVersionWaitsForTheLeadersMappingsBeforeItIsParsed() throws Exception {
        start(Duration.ofHours(1));
        pipe(index("a", "{\"title\":\"one\"}", 1)); // the mappings have no [code]: dynamic mapping would make it text
        leader.publish(Mappings.fromJson(new ObjectMapper().readTree("{\"properties\":{\"code\":{\"type\":\"keyword\"}}}")));
        pipe(index("b", "{\"code\":\"A B\"}", 2));
        pipe(index("c", "{\"code\":\"A B\"}", 2));

        assertThat(leader.awaited).as("fetched once, for the first op that needed it").containsExactly(2L);
        FollowerShard shard = shard();
        assertThat(shard.mappingVersion()).isEqualTo(2);
        shard.refresh();
        IndexSearcher searcher = shard.acquireSearcher();
        try {
            assertThat(searcher.count(new TermQuery(new Term("code", "A B")))).as("b and c indexed as keyword")
                    .isEqualTo(2);
        } finally {
            shard.releaseSearcher(searcher);
        }
    }

    @Test
    void aRecordThatIsNotAnOperationStopsTheFollowerAndSaysWhere() {
        start(Duration.ofHours(1));
        pipe(index("a", "{\"title\":\"one\"}", 1));

        Throwable thrown = catchThrowable(() -> ops.pipeInput(new TestRecord<>("b".getBytes(StandardCharsets.UTF_8),
                "not an op".getBytes(StandardCharsets.UTF_8), new RecordHeaders(), 1000L)));

        FollowerFailure failure = FollowerFailure.find(thrown);
        assertThat(failure).as("a failure that stops the follower (status failed), not a retry: %s", thrown)
                .isNotNull();
        assertThat(failure.getMessage()).contains("topic [" + TOPIC + "] partition [0] offset [1]")
                .contains("re-bootstrap");
        assertThat(shard().maxSeqNo()).isZero();
        assertThat(shard().operationsWritten()).isEqualTo(1);
    }

    @Test
    void anOpOfAnotherHistoryStopsTheFollower() {
        start(Duration.ofHours(1));

        Throwable thrown = catchThrowable(() -> pipe(Operation.index("a", "{}".getBytes(StandardCharsets.UTF_8), 0, 1,
                1, 1, "another-history")));

        assertThat(FollowerFailure.find(thrown)).isNotNull().extracting(Throwable::getMessage).asString()
                .contains("history_uuid [another-history]").contains("must be re-bootstrapped");
        assertThat(shard().maxSeqNo()).isEqualTo(-1);
    }

    @Test
    void aLuceneCommitFollowsAStreamsCommitOnceTheIntervalIsDueAndTheStoreReportsItsOffset() {
        start(Duration.ZERO);
        pipe(index("a", "{}", 1), index("b", "{}", 1));

        LuceneShardStore store = (LuceneShardStore) driver.getStateStore(FollowerTopology.STORE);
        assertThat(store.committedOffset(new TopicPartition(TOPIC, 0))).as("the last offset in the Lucene commit")
                .isEqualTo(1);
        assertThat(shard().committedMaxSeqNo()).isEqualTo(1);
    }

    @Test
    void luceneCommitsWaitForTheIntervalAndTheLastHolderCommitsOnClose() throws IOException {
        start(Duration.ofHours(1));
        pipe(index("a", "{}", 1), index("b", "{}", 1));

        LuceneShardStore store = (LuceneShardStore) driver.getStateStore(FollowerTopology.STORE);
        assertThat(store.committedOffset(new TopicPartition(TOPIC, 0)))
                .as("Streams committed its offsets, but no Lucene commit was due: a restart restores from the log")
                .isNull();
        assertThat(shard().committedMaxSeqNo()).isEqualTo(-1);
        driver.close();
        driver = null;

        try (FollowerShard reopened = new FollowerShard(0, dir.resolve("shards").resolve("0"), HISTORY)) {
            assertThat(reopened.committedMaxSeqNo()).isEqualTo(1);
            assertThat(reopened.committedNextOffset()).isEqualTo(2);
        }
    }

    private Operation index(String id, String source, long mappingVersion) {
        return Operation.index(id, source.getBytes(StandardCharsets.UTF_8), nextSeqNo++, 1, 1, mappingVersion, HISTORY);
    }

    /** Pipes each op as the leader's publisher writes it (key, source, headers). */
    private void pipe(Operation... operations) {
        for (Operation op : operations) {
            ops.pipeInput(new TestRecord<>(op.id().getBytes(StandardCharsets.UTF_8), op.source(),
                    OperationCodec.headers(op), 1000L));
        }
    }

    /** The ids of {@code candidates} the shard's last refreshed searcher holds. */
    private static List<String> ids(FollowerShard shard, String... candidates) throws IOException {
        List<String> ids = new ArrayList<>();
        IndexSearcher searcher = shard.acquireSearcher();
        try {
            for (String id : candidates) {
                if (LuceneShard.lookup(searcher, id) != null) {
                    ids.add(id);
                }
            }
        } finally {
            shard.releaseSearcher(searcher);
        }
        return ids;
    }

    /** The leader's metadata as the follower sees it; a newer mapping version only once published and awaited. */
    private static final class LeaderMappings implements OperationApplier.LeaderMetadata {
        final List<Long> awaited = new ArrayList<>();
        private volatile IndexMetadata current = metadata(Mappings.empty(), 1);
        private volatile IndexMetadata published = current;

        private static IndexMetadata metadata(Mappings mappings, long version) {
            return new IndexMetadata("books", "uuid", HISTORY, 0, IndexSettings.defaults(), mappings, version, 1);
        }

        void publish(Mappings mappings) {
            published = metadata(mappings, published.mappingVersion() + 1);
        }

        @Override
        public IndexMetadata current() {
            return current;
        }

        @Override
        public IndexMetadata awaitMappingVersion(long mappingVersion) {
            awaited.add(mappingVersion);
            assertThat(published.mappingVersion()).as("the leader published mapping version %d", mappingVersion)
                    .isGreaterThanOrEqualTo(mappingVersion);
            current = published;
            return current;
        }
    }
}
