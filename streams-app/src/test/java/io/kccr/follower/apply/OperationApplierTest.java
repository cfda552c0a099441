package io.kccr.follower.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kccr.core.index.IndexMetadata;
import io.kccr.core.index.IndexSettings;
import io.kccr.core.mapping.DocumentMapper;
import io.kccr.core.mapping.Mappings;
import io.kccr.core.wire.Operation;
import io.kccr.core.wire.OperationCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperationApplierTest {
    private static final String HISTORY = "hist-1";

    @TempDir
    Path dir;

    private final AtomicLong metadataReads = new AtomicLong();

    private OperationApplier.LeaderMetadata metadata(long version) {
        IndexMetadata meta = new IndexMetadata("leader", "u", HISTORY, 0, IndexSettings.defaults(), Mappings.empty(),
                version, 1);
        return new OperationApplier.LeaderMetadata() {
            @Override
            public IndexMetadata current() {
                return meta;
            }

            @Override
            public IndexMetadata awaitMappingVersion(long mappingVersion) {
                metadataReads.incrementAndGet();
                return new IndexMetadata("leader", "u", HISTORY, 0, IndexSettings.defaults(), Mappings.empty(),
                        mappingVersion, 1);
            }
        };
    }

    private static boolean apply(OperationApplier applier, Operation op, long offset) {
        var headers = OperationCodec.headers(op);
        return applier.apply(op.id().getBytes(StandardCharsets.UTF_8), op.source(), headers, offset);
    }

    private static Operation index(String id, long seqNo, long mappingVersion) {
        return Operation.index(id, ("{\"n\":" + seqNo + "}").getBytes(StandardCharsets.UTF_8), seqNo, 1, 1,
                mappingVersion, HISTORY);
    }

    @Test
    void opsAtOrBelowTheCheckpointAreSkippedAndCounted() throws Exception {
        try (FollowerShard shard = new FollowerShard(0, dir, HISTORY)) {
            OperationApplier applier = new OperationApplier(shard, new DocumentMapper(), metadata(1), "t", Clock.systemUTC());
            assertThat(apply(applier, index("a", 0, 1), 0)).isTrue();
            assertThat(apply(applier, index("b", 1, 1), 1)).isTrue();
            assertThat(apply(applier, Operation.delete("a", 2, 1, 2, 1, HISTORY), 2)).isTrue();
            // a replay of all three
            assertThat(apply(applier, index("a", 0, 1), 0)).isFalse();
            assertThat(apply(applier, index("b", 1, 1), 1)).isFalse();
            assertThat(apply(applier, Operation.delete("a", 2, 1, 2, 1, HISTORY), 2)).isFalse();

            assertThat(shard.operationsWritten()).isEqualTo(3);
            assertThat(shard.operationsSkipped()).isEqualTo(3);
            assertThat(shard.maxSeqNo()).isEqualTo(2);
            assertThat(shard.nextOffset()).isEqualTo(3);
            shard.refresh();
            assertThat(shard.docCount()).isEqualTo(1);
        }
    }

    @Test
    void aReplayFromEmptyAddsVersionOneDocumentsAndStillReplacesUpdatedOnes() throws Exception {
        try (FollowerShard shard = new FollowerShard(0, dir, HISTORY)) {
            OperationApplier applier = new OperationApplier(shard, new DocumentMapper(), metadata(1), "t", Clock.systemUTC());
            Operation[] log = {
                    index("a", 0, 1),                                                     // created: added
                    Operation.index("a", "{\"n\":1}".getBytes(StandardCharsets.UTF_8), 1, 1, 2, 1, HISTORY), // updated
                    Operation.delete("a", 2, 1, 3, 1, HISTORY),
                    index("a", 3, 1),                                                     // created again after the delete
                    index("b", 4, 1)};
            for (int i = 0; i < log.length; i++) {
                Operation op = log[i];
                assertThat(applier.apply(op.id().getBytes(StandardCharsets.UTF_8), op.source(),
                        OperationCodec.headers(op), i, true)).isTrue();
            }
            shard.refresh();
            assertThat(shard.docCount()).as("one document per live id, none twice").isEqualTo(2);
        }
    }

    @Test
    void aFreshShardAddsVersionOneDocumentsOnlyWhileItHasSeenEverySeqNo() throws Exception {
        try (FollowerShard shard = new FollowerShard(0, dir, HISTORY)) {
            OperationApplier applier = new OperationApplier(shard, new DocumentMapper(), metadata(1), "t", Clock.systemUTC());
            assertThat(apply(applier, index("a", 0, 1), 0)).isTrue();
            assertThat(apply(applier, index("b", 1, 1), 1)).isTrue();
            // seq_no 2 (a's delete) was compacted away while the follower lagged: a's re-creation is version 1 again
            // though the shard holds a, so from here on it must replace by id
            assertThat(apply(applier, index("a", 3, 1), 3)).isTrue();
            assertThat(apply(applier, index("b", 4, 1), 4)).isTrue();
            shard.refresh();
            assertThat(shard.docCount()).as("one document per id, none twice").isEqualTo(2);
        }
        try (FollowerShard shard = new FollowerShard(0, dir, HISTORY)) {
            // a shard committed with a document in it
            shard.apply(index("a", 0, 1), new DocumentMapper().parse("a", "{}".getBytes(StandardCharsets.UTF_8),
                    Mappings.empty()), 0, false);
            shard.commit();
        }
        try (FollowerShard shard = new FollowerShard(0, dir, HISTORY)) {
            OperationApplier applier = new OperationApplier(shard, new DocumentMapper(), metadata(1), "t", Clock.systemUTC());
            // it opened holding a: whatever seq_nos follow, a version 1 op may be for a document it has
            assertThat(apply(applier, index("b", 1, 1), 1)).isTrue();
            assertThat(apply(applier, Operation.delete("b", 2, 1, 2, 1, HISTORY), 2)).isTrue();
            assertThat(apply(applier, index("a", 3, 1), 3)).isTrue(); // a's delete compacted away
            shard.refresh();
            assertThat(shard.docCount()).isEqualTo(1);
        }
    }

    @Test
    void aNewerMappingVersionIsFetchedBeforeTheOpIsApplied() throws Exception {
        try (FollowerShard shard = new FollowerShard(0, dir, HISTORY)) {
            OperationApplier applier = new OperationApplier(shard, new DocumentMapper(), metadata(1), "t", Clock.systemUTC());
            apply(applier, index("a", 0, 1), 0);
            assertThat(metadataReads).hasValue(0);
            apply(applier, index("b", 1, 3), 1);
            assertThat(metadataReads).hasValue(1);
            assertThat(shard.mappingVersion()).isEqualTo(3);
        }
    }

    @Test
    void anotherHistoryOrAGarbageRecordIsFatalAndSaysWhere() throws Exception {
        try (FollowerShard shard = new FollowerShard(2, dir, HISTORY)) {
            OperationApplier applier = new OperationApplier(shard, new DocumentMapper(), metadata(1), "ccr.x.ops",
                    Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
            Operation foreign = Operation.index("a", "{}".getBytes(StandardCharsets.UTF_8), 0, 1, 1, 1, "other");
            assertThatThrownBy(() -> apply(applier, foreign, 7)).isInstanceOf(FollowerFailure.class)
                    .hasMessageContaining("history changed").hasMessageContaining("offset [7]")
                    .hasMessageContaining("re-bootstrapped");
            assertThatThrownBy(() -> applier.apply("k".getBytes(), "garbage".getBytes(), new RecordHeaders(), 9))
                    .isInstanceOf(FollowerFailure.class).hasMessageContaining("topic [ccr.x.ops] partition [2] offset [9]");
            assertThat(shard.operationsWritten()).isZero();
        }
    }

    @Test
    void opsSkippedBecauseTheLogStartMovedPastTheShardFailTheFollowerWhileCompactionHolesDoNot() throws Exception {
        try (FollowerShard shard = new FollowerShard(0, dir, HISTORY)) {
            AtomicLong logStart = new AtomicLong(0);
            OperationApplier applier = new OperationApplier(shard, new DocumentMapper(), metadata(1), "ccr.x.ops",
                    Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), partition -> logStart.get());
            assertThat(apply(applier, index("a", 0, 1), 0)).isTrue();
            // compaction removed offsets 1..9 (seq_nos 1..4): the log still starts at 0, so nothing is lost
            assertThat(apply(applier, index("b", 5, 1), 10)).isTrue();
            // retention deleted up to offset 40 while the follower was behind, and the consumer skipped there
            logStart.set(40);
            OperationApplier later = new OperationApplier(shard, new DocumentMapper(), metadata(1), "ccr.x.ops",
                    Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), partition -> logStart.get());
            assertThatThrownBy(() -> apply(later, index("c", 20, 1), 40)).isInstanceOf(FollowerFailure.class)
                    .hasMessageContaining("history lost").hasMessageContaining("log now starts at offset [40]")
                    .hasMessageContaining("rebootstrap");
            assertThat(shard.maxSeqNo()).as("nothing past the gap applied").isEqualTo(5);
        }
    }
}
