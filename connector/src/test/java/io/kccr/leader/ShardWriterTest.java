package io.kccr.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kccr.core.error.UnavailableException;
import io.kccr.core.error.VersionConflictException;
import io.kccr.core.mapping.DocumentMapper;
import io.kccr.core.mapping.Mappings;
import io.kccr.core.mapping.ParsedDocument;
import io.kccr.core.shard.DocState;
import io.kccr.core.wire.OpType;
import io.kccr.core.wire.Operation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ShardWriter} over a real Lucene shard, publishing through Kafka's {@link
 * org.apache.kafka.clients.producer.MockProducer}: how writes are grouped into transactions, what a
 * failed or fenced transaction acknowledges, and how the shard gets back to the log after a failure.
 */
class ShardWriterTest {
    private static final String HISTORY = "history-1";
    private static final long TERM = 3;

    @TempDir
    Path dir;

    private final DocumentMapper mapper = new DocumentMapper();
    private final MockOpsLog log = new MockOpsLog();
    private final AtomicLong latestTerm = new AtomicLong(TERM);
    private final RecordingListener listener = new RecordingListener();
    private LeaderShard shard;
    private ShardWriter writer;
    private CountDownLatch gate;

    @BeforeEach
    void start() throws Exception {
        shard = new LeaderShard(0, dir, HISTORY);
        writer = new ShardWriter("books", shard, MockOpsLog.TOPIC, TERM, latestTerm::get, HISTORY, log.publishers(),
                log.replayer(), MockOpsLog.mappings(), listener);
        writer.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (gate != null) {
            gate.countDown();
        }
        writer.close();
        shard.close();
    }

    @Test
    void writesQueuedTogetherByConcurrentRequestsGoIntoOneTransactionInOrder() throws Exception {
        holdTheWriter();
        List<List<CompletableFuture<WriteResult>>> requests = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<List<CompletableFuture<WriteResult>>>> submitted = new ArrayList<>();
            for (int r = 0; r < 40; r++) {
                int n = r;
                submitted.add(clients.submit(() -> writer.submit(List.of(index("r" + n + "-a"), index("r" + n + "-b")))));
            }
            for (var s : submitted) {
                requests.add(s.get(10, TimeUnit.SECONDS));
            }
        } finally {
            clients.shutdownNow();
        }
        releaseTheWriter();

        for (List<CompletableFuture<WriteResult>> request : requests) {
            WriteResult a = ack(request.get(0));
            WriteResult b = ack(request.get(1));
            assertThat(b.seqNo()).as("a request's writes are adjacent in the log").isEqualTo(a.seqNo() + 1);
            assertThat(a.result()).isEqualTo(WriteResult.Result.CREATED);
            assertThat(a.primaryTerm()).isEqualTo(TERM);
        }
        assertThat(log.transactions()).isEqualTo(1);
        assertThat(log.committed()).extracting(Operation::seqNo)
                .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 80).boxed().toList());
        assertThat(log.committed()).allMatch(op -> op.historyUuid().equals(HISTORY) && op.primaryTerm() == TERM);
        assertThat(listener.published).containsExactly(80);
        assertThat(listener.latencies).as("one latency per request").hasSize(40);
        shard.refresh();
        assertThat(shard.docCount()).isEqualTo(80);
        assertThat(shard.maxSeqNo()).isEqualTo(79);
    }

    @Test
    void aTransactionTakesRequestsUntilItHoldsTwentyThousandOpsAndNeverSplitsOne() throws Exception {
        holdTheWriter();
        List<List<CompletableFuture<WriteResult>>> requests = new ArrayList<>();
        for (int size : new int[] {12_000, 9_000, 1}) {
            List<WriteRequest> bulk = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                bulk.add(index(size + "-" + i));
            }
            requests.add(writer.submit(bulk));
        }
        releaseTheWriter();

        for (List<CompletableFuture<WriteResult>> request : requests) {
            ack(request.getLast());
        }
        assertThat(listener.published).as("ops per transaction").containsExactly(21_000, 1);
    }

    @Test
    void conditionsAreCheckedAgainstTheWritesBeforeThemInTheSameTransaction() throws Exception {
        holdTheWriter();
        List<CompletableFuture<WriteResult>> results = writer.submit(List.of(
                write(OpType.INDEX, "a", WriteCondition.CREATE),
                write(OpType.INDEX, "a", WriteCondition.CREATE),
                write(OpType.INDEX, "a", WriteCondition.ifMatch(0, TERM)),
                write(OpType.INDEX, "a", WriteCondition.ifMatch(0, TERM)),
                write(OpType.DELETE, "a", WriteCondition.NONE),
                write(OpType.INDEX, "a", WriteCondition.CREATE)));
        releaseTheWriter();

        assertThat(ack(results.get(0))).extracting(WriteResult::seqNo, WriteResult::version, WriteResult::result)
                .containsExactly(0L, 1L, WriteResult.Result.CREATED);
        assertThat(failure(results.get(1))).isInstanceOf(VersionConflictException.class)
                .hasMessageContaining("document already exists (current version [1])");
        assertThat(ack(results.get(2))).extracting(WriteResult::seqNo, WriteResult::version, WriteResult::result)
                .containsExactly(1L, 2L, WriteResult.Result.UPDATED);
        assertThat(failure(results.get(3))).isInstanceOf(VersionConflictException.class)
                .hasMessageContaining("current document has seqNo [1]");
        assertThat(ack(results.get(4)).result()).isEqualTo(WriteResult.Result.DELETED);
        assertThat(ack(results.get(5))).extracting(WriteResult::seqNo, WriteResult::result)
                .containsExactly(3L, WriteResult.Result.CREATED);
        assertThat(log.committed()).extracting(Operation::seqNo).containsExactly(0L, 1L, 2L, 3L);
        assertThat(log.transactions()).isEqualTo(1);
    }

    @Test
    void aCommitRefusedOnceIsPublishedOnceMoreAfterTheShardResyncs() throws Exception {
        ack(writer.submit(List.of(index("a"))).getFirst());
        log.failingCommits.set(1);

        List<CompletableFuture<WriteResult>> retried = writer.submit(List.of(index("a"), index("b")));

        assertThat(ack(retried.get(0))).extracting(WriteResult::seqNo, WriteResult::version).containsExactly(1L, 2L);
        assertThat(ack(retried.get(1)).seqNo()).isEqualTo(2);
        assertThat(log.producersOpened()).as("a new producer after the refusal").isEqualTo(2);
        assertThat(log.committed()).as("each write once").extracting(Operation::id).containsExactly("a", "a", "b");
    }

    @Test
    void aCommitRefusedTwiceAcknowledgesNothingAndTakesItsSeqNosBack() throws Exception {
        ack(writer.submit(List.of(index("a"))).getFirst());
        log.failingCommits.set(2);

        List<CompletableFuture<WriteResult>> failed = writer.submit(List.of(index("a"), index("b")));

        assertThat(failure(failed.get(0))).isInstanceOf(UnavailableException.class)
                .hasMessageContaining("could not publish to Kafka topic [" + MockOpsLog.TOPIC + "]")
                .hasMessageContaining("InvalidTxnStateException");
        assertThat(failure(failed.get(1))).isInstanceOf(UnavailableException.class);
        WriteResult next = ack(writer.submit(List.of(index("a"))).getFirst());
        assertThat(next.seqNo()).as("the failed batch's seq_nos are used again").isEqualTo(1);
        assertThat(next.version()).as("the failed update of [a] was undone in the version map").isEqualTo(2);
        assertThat(log.producersOpened()).as("a new producer after each failure").isEqualTo(3);
        assertThat(log.committed()).extracting(Operation::id, Operation::seqNo)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", 0L), org.assertj.core.groups.Tuple.tuple("a", 1L));
    }

    @Test
    void aCommitThatReachedTheLogDespiteAnErrorIsAppliedBeforeTheNextWrite() throws Exception {
        ack(writer.submit(List.of(index("a"))).getFirst());
        log.current().commitThenTimeOut = true;

        WriteResult b = ack(writer.submit(List.of(index("b"))).getFirst());
        assertThat(b.seqNo()).as("the failed commit is settled from the log, which holds [b]: acknowledged").isEqualTo(1);
        WriteResult c = ack(writer.submit(List.of(index("c"))).getFirst());

        assertThat(c.seqNo()).as("after [b], which the log holds").isEqualTo(2);
        assertThat(log.replays()).as("at start, then the re-sync that settled the commit").isEqualTo(2);
        assertThat(lookup(shard, "b")).extracting(DocState::seqNo).isEqualTo(1L);
        shard.refresh();
        assertThat(shard.docCount()).isEqualTo(3);
    }

    @Test
    void fencedByANewerLeaderTheShardStopsTakingWritesForGood() throws Exception {
        ack(writer.submit(List.of(index("a"))).getFirst());
        latestTerm.set(TERM + 1);
        log.current().fenceProducer(); // another process registered the shard's transactional id

        Throwable fenced = failure(writer.submit(List.of(index("b"))).getFirst());

        assertThat(fenced).isInstanceOf(UnavailableException.class)
                .hasMessageContaining("another leader process took over this shard")
                .hasMessageContaining("primary term " + (TERM + 1));
        assertThat(writer.isFenced()).isTrue();
        CompletableFuture<WriteResult> later = writer.submit(List.of(index("c"))).getFirst();
        assertThat(later).as("refused at once").isCompletedExceptionally();
        assertThat(failure(later)).hasMessage(fenced.getMessage());
        assertThat(log.producersOpened()).as("a superseded process never registers again").isEqualTo(1);
        assertThat(log.committed()).extracting(Operation::id).containsExactly("a");
    }

    @Test
    void fencedWithoutANewerLeaderTheWriterRegistersAgainAndGoesOn() throws Exception {
        ack(writer.submit(List.of(index("a"))).getFirst());
        log.current().fenceProducer(); // e.g. the broker aborted a transaction that outlived its timeout

        assertThat(failure(writer.submit(List.of(index("b"))).getFirst())).isInstanceOf(UnavailableException.class);
        WriteResult c = ack(writer.submit(List.of(index("c"))).getFirst());

        assertThat(writer.isFenced()).isFalse();
        assertThat(c.seqNo()).isEqualTo(1);
        assertThat(log.producersOpened()).isEqualTo(2);
        assertThat(log.committed()).extracting(Operation::id).containsExactly("a", "c");
    }

    @Test
    void aBatchThatCannotBeAppliedIsReplayedFromTheLogBeforeTheNextWrite() throws Exception {
        holdTheWriter();
        List<CompletableFuture<WriteResult>> first = writer.submit(List.of(index("a"), unindexable("b")));
        releaseTheWriter();

        assertThat(failure(first.get(0))).isInstanceOf(io.kccr.core.error.FailedException.class)
                .hasMessageContaining("the write is in the log").hasRootCauseInstanceOf(IllegalArgumentException.class);
        assertThat(failure(first.get(1))).isInstanceOf(io.kccr.core.error.FailedException.class);
        assertThat(failure(writer.submit(List.of(index("c"))).getFirst())).as("committed behind a batch Lucene lacks")
                .hasMessageContaining("the write is in the log")
                .hasMessageContaining("applying the batch before this one to Lucene failed");
        WriteResult d = ack(writer.submit(List.of(index("d"))).getFirst());

        assertThat(d.seqNo()).isEqualTo(3);
        assertThat(log.committed()).extracting(Operation::id).containsExactly("a", "b", "c", "d");
        assertThat(log.replays()).as("at start, then the re-sync from the log").isEqualTo(2);
        shard.refresh();
        assertThat(shard.docCount()).as("the index is the log's projection again").isEqualTo(4);
        assertThat(lookup(shard, "b")).extracting(DocState::seqNo).isEqualTo(1L);
    }

    @Test
    void aControlTaskRunsBetweenBatchesOnceTheBatchBeforeIsApplied() throws Exception {
        holdTheWriter();
        CompletableFuture<WriteResult> a = writer.submit(List.of(index("a"))).getFirst();
        CompletableFuture<Long> seen = writer.control(shard::maxSeqNo);
        CompletableFuture<WriteResult> b = writer.submit(List.of(index("b"))).getFirst();
        releaseTheWriter();

        assertThat(seen.get(10, TimeUnit.SECONDS)).as("[a] applied, [b] not yet").isEqualTo(ack(a).seqNo());
        assertThat(ack(b).seqNo()).isEqualTo(1);
        assertThat(log.transactions()).isEqualTo(2);
    }

    /**
     * Returns once the writer thread waits in a control task, which it leaves at {@link #releaseTheWriter}:
     * then it drains everything queued meanwhile at once.
     */
    private void holdTheWriter() throws InterruptedException {
        gate = new CountDownLatch(1);
        CountDownLatch held = gate;
        CountDownLatch entered = new CountDownLatch(1);
        writer.control(() -> {
            entered.countDown();
            held.await();
            return null;
        });
        assertThat(entered.await(10, TimeUnit.SECONDS)).as("the writer runs the control task").isTrue();
    }

    private void releaseTheWriter() {
        gate.countDown();
    }

    private WriteRequest index(String id) {
        return write(OpType.INDEX, id, WriteCondition.NONE);
    }

    private WriteRequest write(OpType op, String id, WriteCondition condition) {
        byte[] source = ("{\"title\":\"book " + id + "\"}").getBytes(StandardCharsets.UTF_8);
        ParsedDocument doc = op == OpType.DELETE ? null : mapper.parse(id, source, Mappings.empty());
        return new WriteRequest(op, id, doc, false, 1, condition);
    }

    @Test
    void aCommitWhoseOutcomeCannotBeSettledSaysSoAndTheNextWriteSettlesIt() throws Exception {
        ack(writer.submit(List.of(index("a"))).getFirst());
        log.current().commitThenTimeOut = true;
        log.failingReplays.set(1); // Kafka cannot be reached to settle it

        Throwable unknown = failure(writer.submit(List.of(index("b"))).getFirst());
        assertThat(unknown).isInstanceOf(UnavailableException.class).hasMessageContaining("may or may not be in the log")
                .hasMessageNotContaining("Nothing was written");
        WriteResult c = ack(writer.submit(List.of(index("c"))).getFirst());
        assertThat(c.seqNo()).as("[b] was in the log after all: the next re-sync applied it").isEqualTo(2);
        assertThat(lookup(shard, "b")).extracting(DocState::seqNo).isEqualTo(1L);
    }

    @Test
    void aWriteWhoseCallerGaveUpBeforeItWasSequencedIsNeverWritten() throws Exception {
        holdTheWriter();
        CompletableFuture<WriteResult> late = writer.submit(List.of(index("late"))).getFirst();
        assertThatThrownBy(() -> Acks.awaitUntil(late, System.nanoTime(), java.time.Duration.ofMillis(1)))
                .isInstanceOf(UnavailableException.class).hasMessageContaining("nothing was written");
        releaseTheWriter();
        WriteResult next = ack(writer.submit(List.of(index("next"))).getFirst());

        assertThat(next.seqNo()).isZero();
        assertThat(log.committed()).extracting(Operation::id).containsExactly("next");
    }

    @Test
    void anErrorWhileApplyingAnswersTheWritesAndTheWriterLivesOn() throws Exception {
        byte[] source = "{\"title\":\"boom\"}".getBytes(StandardCharsets.UTF_8);
        Field exploding = new Field("title", "boom", StringField.TYPE_NOT_STORED) {
            @Override
            public String stringValue() {
                throw new AssertionError("a bug deep inside the indexing chain");
            }
        };
        WriteRequest poison = new WriteRequest(OpType.INDEX, "boom", new ParsedDocument("boom", source,
                List.of(exploding), null), false, 1, WriteCondition.NONE);

        assertThat(failure(writer.submit(List.of(poison)).getFirst())).hasMessageContaining("AssertionError")
                .hasMessageContaining("the write is in the log");
        // the next write may be published before the failure is seen: it is answered too, honestly
        CompletableFuture<WriteResult> after = writer.submit(List.of(index("after"))).getFirst();
        after.handle((r, e) -> null).get(10, TimeUnit.SECONDS); // so that [again] is a batch of its own
        WriteResult again = ack(writer.submit(List.of(index("again"))).getFirst());

        assertThat(again.seqNo()).as("the writer thread lives on, after [boom] and [after] in the log").isEqualTo(2);
        assertThat(lookup(shard, "boom")).as("applied again from the log").isNotNull();
        assertThat(lookup(shard, "after")).isNotNull();
    }

    /** A write whose source is fine (a replay parses it) but whose parsed document Lucene refuses: an immense term. */
    private WriteRequest unindexable(String id) {
        byte[] source = ("{\"title\":\"book " + id + "\"}").getBytes(StandardCharsets.UTF_8);
        ParsedDocument doc = new ParsedDocument(id, source, List.of(new StringField("title", "x".repeat(40_000),
                Field.Store.NO)), null);
        return new WriteRequest(OpType.INDEX, id, doc, false, 1, WriteCondition.NONE);
    }

    private static WriteResult ack(CompletableFuture<WriteResult> result) throws Exception {
        return result.get(10, TimeUnit.SECONDS);
    }

    private static Throwable failure(CompletableFuture<WriteResult> result) {
        Throwable thrown = catchThrowable(() -> result.get(10, TimeUnit.SECONDS));
        assertThat(thrown).as("the write fails").isInstanceOf(ExecutionException.class);
        return thrown.getCause();
    }

    /** What the writer tells its publish listener. */
    private static final class RecordingListener implements PublishListener.Shard {
        final List<Integer> published = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<Long> latencies = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void published(int ops) {
            published.add(ops);
        }

        @Override
        public void latency(long nanos) {
            latencies.add(nanos);
        }
    }

    /** The current state of {@code id} as the writer sees it: the live version map, then the last refreshed searcher. */
    private static DocState lookup(LeaderShard shard, String id) throws IOException {
        try (LeaderShard.Lookup lookup = shard.newLookup()) {
            return lookup.get(id);
        }
    }
}
