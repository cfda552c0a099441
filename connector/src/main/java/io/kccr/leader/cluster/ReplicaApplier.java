package io.kccr.leader.cluster;

import io.kccr.core.index.IndexMetadata;
import io.kccr.core.kafka.LogReaderConfig;
import io.kccr.core.kafka.TopicNames;
import io.kccr.core.mapping.DocumentMapper;
import io.kccr.core.mapping.ParsedDocument;
import io.kccr.core.wire.OpType;
import io.kccr.core.wire.Operation;
import io.kccr.core.wire.OperationCodec;
import io.kccr.leader.LeaderShard;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.lucene.store.AlreadyClosedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's replica copies of leader shards warm: applies each one's partition of its index's ops topic,
 * committed records only, as the primary writes them, skipping what the copy holds already (by seq_no, so a replay
 * is harmless). One thread and one consumer for every replica of the node, however many.
 *
 * <p>A copy is <em>started</em> once it has reached the end of its partition; promoting it to primary then costs
 * only the tail it had not applied yet. The applier is the copy's owner thread while the copy is attached: it
 * applies and commits (every {@link #COMMIT_INTERVAL} and when detached), and nobody else writes to it.
 *
 * <p>Thread-safe: {@link #attach} and {@link #detach} queue commands for the applier's thread.
 */
public final class ReplicaApplier implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReplicaApplier.class);
    static final Duration COMMIT_INTERVAL = Duration.ofSeconds(30);
    private static final Duration MAPPING_WAIT = Duration.ofSeconds(30);

    /** A replica copy being applied. */
    private static final class Replica {
        final String index;
        final LeaderShard shard;
        final CompletableFuture<Void> started = new CompletableFuture<>();
        long lastCommitNanos = System.nanoTime();
        long nextEndCheckNanos;

        Replica(String index, LeaderShard shard) {
            this.index = index;
            this.shard = shard;
        }
    }

    private sealed interface Command permits Attach, Detach {
    }

    private record Attach(Replica replica) implements Command {
    }

    private record Detach(TopicPartition tp, boolean commit, CompletableFuture<Void> done) implements Command {
    }

    private final TopicNames names;
    private final Function<String, IndexMetadata> metadata;
    private final DocumentMapper mapper = new DocumentMapper();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final BlockingQueue<Command> commands = new LinkedBlockingQueue<>();
    private final Map<TopicPartition, Replica> replicas = new HashMap<>(); // applier thread only
    private final Map<TopicPartition, Replica> visible = new ConcurrentHashMap<>();
    /** Partitions attached since the consumer was last assigned (applier thread only); null when it is up to date. */
    private List<TopicPartition> fresh;
    private final Thread thread;
    private volatile boolean closing;

    /**
     * @param metadata the latest metadata of a leader index by name (its mappings parse the ops), null when unknown
     */
    public ReplicaApplier(Map<String, Object> clientProperties, TopicNames names,
                          Function<String, IndexMetadata> metadata) {
        this.names = names;
        this.metadata = metadata;
        this.consumer = new KafkaConsumer<>(LogReaderConfig.of(clientProperties, 2_000));
        this.thread = new Thread(this::run, "kccr-replica-applier");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Starts applying {@code index}'s ops to the replica copy {@code shard}, from the copy's next offset. The future
     * completes once the copy reached the end of its partition (started).
     */
    public CompletableFuture<Void> attach(String index, LeaderShard shard) {
        Replica r = new Replica(index, shard);
        visible.put(partition(index, shard.shardId()), r);
        commands.add(new Attach(r));
        consumer.wakeup();
        return r.started;
    }

    /**
     * Stops applying to {@code index}'s copy of {@code shard}; with {@code commit}, makes a Lucene commit of it
     * first (skipped for a promotion, where the primary's writer takes the copy over at once). The future completes
     * once the applier no longer touches the copy.
     */
    public CompletableFuture<Void> detach(String index, int shard, boolean commit) {
        TopicPartition tp = partition(index, shard);
        CompletableFuture<Void> done = new CompletableFuture<>();
        visible.remove(tp);
        commands.add(new Detach(tp, commit, done));
        consumer.wakeup();
        return done;
    }

    /** Whether {@code index}'s copy of {@code shard} is attached and reached the end of its partition. */
    public boolean isStarted(String index, int shard) {
        Replica r = visible.get(partition(index, shard));
        return r != null && r.started.isDone() && !r.started.isCompletedExceptionally();
    }

    private TopicPartition partition(String index, int shard) {
        return new TopicPartition(names.ops(index), shard);
    }

    private void run() {
        while (!closing) {
            try {
                runCommands();
                if (replicas.isEmpty()) {
                    Command next = commands.poll(200, TimeUnit.MILLISECONDS);
                    if (next != null) {
                        commands.add(next);
                    }
                    continue;
                }
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    try {
                        apply(record);
                    } catch (AlreadyClosedException e) {
                        dropClosed(new TopicPartition(record.topic(), record.partition()));
                    }
                }
                afterPoll();
            } catch (WakeupException e) {
                // a command to run, or closing
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | IOException e) {
                log.warn("applying replicas failed; retrying", e);
                try {
                    Thread.sleep(1000); // back off on this thread after a failure
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
        for (Map.Entry<TopicPartition, Replica> e : replicas.entrySet()) {
            commitQuietly(e.getValue());
        }
        consumer.close(Duration.ofSeconds(2));
    }

    private void runCommands() {
        for (Command c; (c = commands.poll()) != null; ) {
            switch (c) {
                case Attach a -> {
                    TopicPartition tp = partition(a.replica().index, a.replica().shard.shardId());
                    replicas.put(tp, a.replica());
                    freshPartitions().add(tp);
                }
                case Detach d -> {
                    Replica r = replicas.remove(d.tp());
                    if (r != null) {
                        if (d.commit()) {
                            commitQuietly(r);
                        }
                        r.started.completeExceptionally(new IllegalStateException("detached"));
                        freshPartitions().remove(d.tp());
                    }
                    d.done().complete(null);
                }
            }
        }
        if (fresh != null) {
            reassign(fresh); // may be woken up: then it is done again at the next round
            fresh = null;
        }
    }

    private List<TopicPartition> freshPartitions() {
        if (fresh == null) {
            fresh = new ArrayList<>();
        }
        return fresh;
    }

    /** Assigns the consumer the replicas' partitions; those in {@code fresh} start at their copy's next offset. */
    private void reassign(List<TopicPartition> fresh) {
        Map<TopicPartition, Long> positions = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            if (replicas.containsKey(tp) && !fresh.contains(tp)) {
                positions.put(tp, consumer.position(tp));
            }
        }
        consumer.assign(replicas.keySet());
        for (TopicPartition tp : replicas.keySet()) {
            long from = positions.containsKey(tp) ? positions.get(tp) : replicas.get(tp).shard.nextOffset();
            consumer.seek(tp, from);
        }
        if (!fresh.isEmpty()) {
            // a copy that starts after the log's start (compaction, retention) resumes at the log's start
            Map<TopicPartition, Long> beginning = consumer.beginningOffsets(fresh);
            for (TopicPartition tp : fresh) {
                if (consumer.position(tp) < beginning.get(tp)) {
                    consumer.seek(tp, beginning.get(tp));
                }
            }
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) throws IOException {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        Replica r = replicas.get(tp);
        if (r == null) {
            return;
        }
        Operation op = OperationCodec.fromRecord(record);
        if (op.seqNo() <= r.shard.maxSeqNo()) {
            r.shard.advanceTo(record.offset() + 1); // held already: applying it again would change nothing
            return;
        }
        ParsedDocument doc = op.op() == OpType.DELETE ? null
                : mapper.parse(op.id(), op.source(), mappingsFor(r.index, op.mappingVersion()).mappings());
        r.shard.apply(op, doc, record.offset(), false);
    }

    /** The index's metadata with at least {@code version}: the metadata tail publishes it before such an op. */
    private IndexMetadata mappingsFor(String index, long version) {
        long deadline = System.nanoTime() + MAPPING_WAIT.toNanos();
        while (true) {
            IndexMetadata m = metadata.apply(index);
            if (m != null && m.mappingVersion() >= version) {
                return m;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("index [" + index + "] has an op of mapping version " + version
                        + " but this node knows mapping version " + (m == null ? "none" : m.mappingVersion())
                        + " after " + MAPPING_WAIT.toSeconds() + "s; is its .meta topic readable?");
            }
            try {
                Thread.sleep(20); // the metadata tail delivers the new mapping on its own thread
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /** A copy closed under the applier (its index was deleted): it is no replica any more. */
    private void dropClosed(TopicPartition tp) {
        Replica r = replicas.remove(tp);
        if (r != null) {
            visible.remove(tp, r);
            r.started.completeExceptionally(new IllegalStateException("closed"));
            freshPartitions();
        }
    }

    private void afterPoll() throws IOException {
        long now = System.nanoTime();
        List<TopicPartition> unstarted = new ArrayList<>();
        for (Map.Entry<TopicPartition, Replica> e : List.copyOf(replicas.entrySet())) {
            Replica r = e.getValue();
            if (r.shard.isClosed()) {
                dropClosed(e.getKey());
                continue;
            }
            r.shard.advanceTo(consumer.position(e.getKey())); // past transaction markers
            if (!r.started.isDone() && now >= r.nextEndCheckNanos) {
                unstarted.add(e.getKey());
                r.nextEndCheckNanos = now + TimeUnit.MILLISECONDS.toNanos(250);
            }
            if (now - r.lastCommitNanos > COMMIT_INTERVAL.toNanos() && r.shard.hasUncommittedOps()) {
                r.shard.commit();
                r.lastCommitNanos = now;
            }
        }
        if (!unstarted.isEmpty()) {
            Map<TopicPartition, Long> end = consumer.endOffsets(unstarted);
            for (TopicPartition tp : unstarted) {
                if (consumer.position(tp) >= end.get(tp)) {
                    Replica r = replicas.get(tp);
                    r.shard.refresh();
                    r.started.complete(null);
                }
            }
        }
    }

    private static void commitQuietly(Replica r) {
        try {
            r.shard.commit();
        } catch (IOException | RuntimeException e) {
            log.debug("could not commit replica [{}][{}]", r.index, r.shard.shardId(), e);
        }
    }

    @Override
    public void close() {
        closing = true;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
