package io.kccr.leader;

import io.kccr.core.mapping.DocumentMapper;
import io.kccr.core.mapping.Mappings;
import io.kccr.core.wire.OpType;
import io.kccr.core.wire.Operation;
import io.kccr.core.wire.OperationCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One leader shard's partition of an ops topic, as Kafka's {@link MockProducer}s publish to it: each
 * publisher the writer opens gets a new transactional producer, and the log is what their committed
 * transactions hold, in order. The replayer applies to a shard every op of the log above the shard's
 * {@code max_seq_no}, as {@link ShardReplayer} does from the shard's next offset.
 */
final class MockOpsLog {
    static final String TOPIC = "ccr.books.ops";
    static final int PARTITION = 0;

    /** A producer whose commit can reach the log although the client sees an error (a lost response). */
    static final class LogProducer extends MockProducer<byte[], byte[]> {
        volatile boolean commitThenTimeOut;
        private final AtomicInteger failingCommits;

        LogProducer(Cluster cluster, AtomicInteger failingCommits) {
            super(cluster, true, null, new ByteArraySerializer(), new ByteArraySerializer());
            this.failingCommits = failingCommits;
        }

        @Override
        public void commitTransaction() {
            if (failingCommits.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                abortTransaction();
                throw new InvalidTxnStateException("The producer attempted a transactional operation in an invalid state.");
            }
            super.commitTransaction();
            if (commitThenTimeOut) {
                commitThenTimeOut = false;
                throw new TimeoutException("Timeout expired after 30000ms while awaiting EndTxn(COMMIT)");
            }
        }
    }

    private final Cluster cluster;
    private final List<LogProducer> producers = new CopyOnWriteArrayList<>();
    private final DocumentMapper mapper = new DocumentMapper();
    private final AtomicInteger replays = new AtomicInteger();
    /** How many of the next commits (of whichever producers) fail before reaching the log, as a broker refusing them. */
    final AtomicInteger failingCommits = new AtomicInteger();
    /** How many of the next replays fail as if Kafka could not be reached. */
    final AtomicInteger failingReplays = new AtomicInteger();

    MockOpsLog() {
        Node broker = new Node(1, "localhost", 9092);
        Node[] replicas = {broker};
        cluster = new Cluster("cluster", List.of(broker), List.of(new PartitionInfo(TOPIC, PARTITION, broker, replicas,
                replicas)), Set.of(), Set.of());
    }

    /** Opens each publisher on a new producer. */
    ShardWriter.PublisherFactory publishers() {
        return () -> {
            LogProducer producer = new LogProducer(cluster, failingCommits);
            producers.add(producer);
            return new OperationPublisher(producer, TOPIC, PARTITION);
        };
    }

    /** Applies every committed op above the shard's {@code max_seq_no}, in log order. */
    ShardWriter.Replayer replayer() {
        return (topic, shard, mappings) -> {
            replays.incrementAndGet();
            if (failingReplays.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new java.io.IOException("replay of " + topic + " made no progress; is Kafka reachable?");
            }
            long applied = 0;
            long offset = 0;
            for (Operation op : committed()) {
                if (op.seqNo() > shard.maxSeqNo()) {
                    shard.apply(op, op.op() == OpType.DELETE ? null : mapper.parse(op.id(), op.source(), mappings.get()),
                            offset, false);
                    applied++;
                }
                offset++;
            }
            shard.advanceTo(offset);
            return applied;
        };
    }

    /** Every op of a committed transaction, in log order. */
    List<Operation> committed() {
        List<Operation> ops = new ArrayList<>();
        for (LogProducer producer : producers) {
            for (ProducerRecord<byte[], byte[]> r : producer.history()) {
                ops.add(OperationCodec.decode(r.key(), r.value(), r.headers()));
            }
        }
        return ops;
    }

    /** The producer of the publisher open now (the last one opened). */
    LogProducer current() {
        return producers.getLast();
    }

    /** How many publishers the writer opened (a first one, then one per re-sync). */
    int producersOpened() {
        return producers.size();
    }

    /** How many times the writer brought the shard up to the log. */
    int replays() {
        return replays.get();
    }

    /** Transactions committed, over every producer. */
    long transactions() {
        return producers.stream().mapToLong(MockProducer::commitCount).sum();
    }

    static Supplier<Mappings> mappings() {
        return Mappings::empty;
    }
}
