package io.kccr.node.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kccr.core.wire.OpType;
import io.kccr.node.sample.SampleData;
import io.kccr.testkit.ChildNode;
import io.kccr.testkit.Http;
import io.kccr.testkit.KafkaBroker;
import io.kccr.testkit.TestNode;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leader node in its own JVM is killed with SIGKILL in the middle of concurrent bulks, then
 * restarted on the same data path, several times: every acknowledged write is in the topic and
 * in the index, and the index is exactly the projection of the topic. The broker stays up.
 */
class LeaderCrashIT {
    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker();

    private static final String INDEX = "crash";
    private static final String TOPIC = "ccr." + INDEX + ".ops";
    private static final int CYCLES = 3;
    private static final int THREADS = 4;
    private static final int BULK_SIZE = 100;
    private static final int IDS = 3000;
    private static final int FLUSH_AFTER_BULKS = 10;
    private static final int KILL_AFTER_BULKS = 25;
    private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    Path data;

    private final List<ChildNode> started = new ArrayList<>();
    private List<byte[]> docs;

    @AfterEach
    void stopNodes() {
        started.forEach(ChildNode::killQuietly);
    }

    @Test
    void killedLeaderRecoversEveryAcknowledgedWrite() throws Exception {
        docs = new ArrayList<>(SampleData.documents().subList(0, 20_000));
        long seed = System.nanoTime();
        System.out.println("LeaderCrashIT seed " + seed);
        Random seeds = new Random(seed);
        List<Ack> acks = Collections.synchronizedList(new ArrayList<>());

        ChildNode node = start(0);
        Http.Response created = rest(node).put("/" + INDEX,
                "{\"settings\":{\"number_of_shards\":3},\"mappings\":" + SampleData.MAPPINGS + "}");
        assertThat(created.status()).as("%s", created).isEqualTo(200);

        for (int cycle = 1; cycle <= CYCLES; cycle++) {
            Load load = new Load(rest(node), seeds.nextLong(), acks);
            load.awaitAckedBulks(FLUSH_AFTER_BULKS);
            if (cycle > 1) { // the first restart replays the whole log, later ones from a flushed commit
                Http.Response flushed = rest(node).post("/" + INDEX + "/_flush", null);
                assertThat(flushed.status()).as("flush: %s", flushed).isEqualTo(200);
            }
            load.awaitAckedBulks(KILL_AFTER_BULKS);
            int inFlight = load.inFlight();
            node.kill();
            load.awaitStopped();
            System.out.printf("cycle %d: killed with %d bulks in flight; %d bulks acknowledged, %d cut off;"
                    + " %d acks so far%n", cycle, inFlight, load.ackedBulks(), load.cutOff(), acks.size());
            assertThat(load.unexpected()).as("unexpected failures of the load").isEmpty();
            assertThat(load.cutOff()).as("bulks cut off by the kill (the node was killed in the middle of bulks)")
                    .isGreaterThan(0);

            node = start(cycle);
            long t0 = System.nanoTime();
            OpsLog.Contents log = OpsLog.read(kafka.bootstrapServers(), TOPIC);
            OpsLog.assertSeqNosContiguous(log);
            OpsLog.assertRoutedByKey(log);
            OpsLog.assertAcksInLog(log, List.copyOf(acks));
            OpsLog.assertIndexIsProjection(rest(node), INDEX, log);
            assertThat(log.size()).as("ops in the log vs acknowledged ops").isGreaterThanOrEqualTo(acks.size());
            System.out.printf("cycle %d: after restart (%.1fs), %d ops in the log, %d acknowledged, %d live docs;"
                    + " verified in %.1fs%n", cycle, node.startSeconds(), log.size(), acks.size(),
                    log.projection().size(), (System.nanoTime() - t0) / 1e9);
        }
        // the restarted node takes writes again: its seq_nos continue the log's
        Http.Response r = rest(node).put("/" + INDEX + "/_doc/after-last-restart", docs.getFirst());
        assertThat(r.status()).as("%s", r).isEqualTo(201);
        Ack last = Ack.of(r.json(), r.status(), OpType.INDEX, docs.getFirst());
        OpsLog.Contents log = OpsLog.read(kafka.bootstrapServers(), TOPIC);
        OpsLog.assertSeqNosContiguous(log);
        OpsLog.assertAcksInLog(log, List.of(last));
        node.stop();
    }

    private static Http rest(ChildNode node) {
        return node.http();
    }

    private ChildNode start(int generation) throws Exception {
        Path logFile = Path.of("target", "leader-crash-it", "node-" + generation + ".log");
        ChildNode node = TestNode.on(kafka).dir(data).startChild(logFile);
        started.add(node);
        return node;
    }

    /** Several client threads sending bulks of index and delete ops on known ids until the node goes away. */
    private final class Load {
        private final Http rest;
        private final List<Ack> acks;
        private final List<Thread> threads = new ArrayList<>();
        private final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
        private int ackedBulks;
        private int cutOff;
        private int inFlight;
        private int running;

        Load(Http rest, long seed, List<Ack> acks) {
            this.rest = rest;
            this.acks = acks;
            Random seeds = new Random(seed);
            running = THREADS;
            for (int t = 0; t < THREADS; t++) {
                long threadSeed = seeds.nextLong();
                Thread thread = new Thread(() -> run(new Random(threadSeed)), "bulk-client-" + t);
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
        }

        private void run(Random random) {
            try {
                while (true) {
                    Bulk bulk = new Bulk();
                    for (int i = 0; i < BULK_SIZE; i++) {
                        String id = "k-" + random.nextInt(IDS);
                        if (random.nextInt(5) == 0) {
                            bulk.delete(id);
                        } else {
                            bulk.index(id, docs.get(random.nextInt(docs.size())));
                        }
                    }
                    List<Bulk.Outcome> outcomes;
                    synchronized (this) {
                        inFlight++;
                    }
                    try {
                        outcomes = bulk.send(rest, INDEX);
                    } catch (UncheckedIOException e) {
                        synchronized (this) {
                            cutOff++; // the node went away: outcome unknown
                        }
                        return;
                    } finally {
                        synchronized (this) {
                            inFlight--;
                        }
                    }
                    for (Bulk.Outcome o : outcomes) {
                        Ack ack = o.ack();
                        if (ack != null) {
                            acks.add(ack);
                        } else {
                            unexpected.add("item " + o.item().action() + " " + o.item().id() + ": " + o.result());
                        }
                    }
                    synchronized (this) {
                        ackedBulks++;
                    }
                }
            } catch (Throwable t) {
                unexpected.add(Thread.currentThread().getName() + ": " + t);
            } finally {
                synchronized (this) {
                    running--;
                }
            }
        }

        void awaitAckedBulks(int n) {
            await("the load to get " + n + " bulks acknowledged").atMost(LOAD_TIMEOUT)
                    .failFast(() -> assertThat(running()).as("bulk clients running; unexpected: %s", unexpected)
                            .isPositive())
                    .until(() -> ackedBulks() >= n);
        }

        void awaitStopped() {
            await("the bulk clients to stop after the node was killed").atMost(Duration.ofSeconds(120))
                    .until(() -> running() == 0);
        }

        private synchronized int running() {
            return running;
        }

        synchronized int ackedBulks() {
            return ackedBulks;
        }

        synchronized int cutOff() {
            return cutOff;
        }

        synchronized int inFlight() {
            return inFlight;
        }

        List<String> unexpected() {
            return List.copyOf(unexpected);
        }
    }
}
