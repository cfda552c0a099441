package io.kccr.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.kccr.core.wire.OpType;
import io.kccr.kafka.KafkaBroker;
import io.kccr.node.SampleData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    Path data;

    private final List<NodeProcess> started = new ArrayList<>();
    private List<byte[]> docs;

    @AfterEach
    void stopNodes() {
        started.forEach(NodeProcess::killQuietly);
    }

    @Test
    void killedLeaderRecoversEveryAcknowledgedWrite() throws Exception {
        docs = new ArrayList<>(SampleData.documents().subList(0, 20_000));
        long seed = System.nanoTime();
        System.out.println("LeaderCrashIT seed " + seed);
        Random seeds = new Random(seed);
        List<Ack> acks = Collections.synchronizedList(new ArrayList<>());

        NodeProcess node = start(0);
        Rest.Response created = node.rest().put("/" + INDEX,
                "{\"settings\":{\"number_of_shards\":3},\"mappings\":" + SampleData.MAPPINGS + "}");
        assertThat(created.status()).as("%s", created).isEqualTo(200);

        for (int cycle = 1; cycle <= CYCLES; cycle++) {
            Load load = new Load(node.rest(), seeds.nextLong(), acks);
            load.awaitAckedBulks(FLUSH_AFTER_BULKS);
            if (cycle > 1) { // the first restart replays the whole log, later ones from a flushed commit
                Rest.Response flushed = node.rest().post("/" + INDEX + "/_flush", null);
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
            OpsLog.assertIndexIsProjection(node.rest(), INDEX, log);
            assertThat(log.size()).as("ops in the log vs acknowledged ops").isGreaterThanOrEqualTo(acks.size());
            System.out.printf("cycle %d: after restart (%.1fs), %d ops in the log, %d acknowledged, %d live docs;"
                    + " verified in %.1fs%n", cycle, node.startSeconds(), log.size(), acks.size(),
                    log.projection().size(), (System.nanoTime() - t0) / 1e9);
        }
        // the restarted node takes writes again: its seq_nos continue the log's
        Rest.Response r = node.rest().put("/" + INDEX + "/_doc/after-last-restart", docs.getFirst());
        assertThat(r.status()).as("%s", r).isEqualTo(201);
        Ack last = Ack.of(r.json(), r.status(), OpType.INDEX, docs.getFirst());
        OpsLog.Contents log = OpsLog.read(kafka.bootstrapServers(), TOPIC);
        OpsLog.assertSeqNosContiguous(log);
        OpsLog.assertAcksInLog(log, List.of(last));
        node.stop();
    }

    private NodeProcess start(int generation) throws Exception {
        Path logFile = Path.of("target", "leader-crash-it", "node-" + generation + ".log");
        NodeProcess node = NodeProcess.start(data, kafka.bootstrapServers(), logFile);
        started.add(node);
        return node;
    }

    /** Several client threads sending bulks of index and delete ops on known ids until the node goes away. */
    private final class Load {
        private final Rest rest;
        private final List<Ack> acks;
        private final List<Thread> threads = new ArrayList<>();
        private final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
        private int ackedBulks;
        private int cutOff;
        private int inFlight;
        private int running;

        Load(Rest rest, long seed, List<Ack> acks) {
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
                    } catch (IOException e) {
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
                        notifyAll();
                    }
                }
            } catch (Throwable t) {
                unexpected.add(Thread.currentThread().getName() + ": " + t);
            } finally {
                synchronized (this) {
                    running--;
                    notifyAll();
                }
            }
        }

        synchronized void awaitAckedBulks(int n) throws InterruptedException {
            long deadline = System.nanoTime() + LOAD_TIMEOUT.toNanos();
            while (ackedBulks < n) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0 || running == 0) {
                    fail("the load got " + ackedBulks + " of " + n + " bulks acknowledged (threads running: " + running
                            + "); unexpected: " + unexpected);
                }
                wait(left);
            }
        }

        synchronized void awaitStopped() throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (running > 0) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    fail(running + " bulk clients still running 120s after the node was killed");
                }
                wait(left);
            }
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

    /** A node in a child JVM ({@link NodeMain}), its output pumped to a log file. */
    static final class NodeProcess {
        private final Process process;
        private final Rest rest;
        private final Path logFile;
        private final double startSeconds;

        private NodeProcess(Process process, String httpAddress, Path logFile, double startSeconds) {
            this.process = process;
            this.rest = new Rest(httpAddress);
            this.logFile = logFile;
            this.startSeconds = startSeconds;
        }

        static NodeProcess start(Path data, String bootstrapServers, Path logFile) throws Exception {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-Xmx512m");
            cmd.add("-XX:+UseSerialGC");
            if (Runtime.version().feature() >= 24) {
                cmd.add("--sun-misc-unsafe-memory-access=allow");
                cmd.add("--enable-native-access=ALL-UNNAMED");
            }
            cmd.add("-Dorg.slf4j.simpleLogger.log.org.apache.kafka=warn");
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(NodeMain.class.getName());
            cmd.add("-Epath.data=" + data.toAbsolutePath());
            cmd.add("-Ehttp.port=0");
            cmd.add("-Ekafka.bootstrap.servers=" + bootstrapServers);
            long t0 = System.nanoTime();
            Process process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            CompletableFuture<String> ready = new CompletableFuture<>();
            Thread pump = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8));
                     PrintWriter out = new PrintWriter(Files.newBufferedWriter(logFile, StandardCharsets.UTF_8), true)) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        out.println(line);
                        if (line.startsWith(NodeMain.READY)) {
                            ready.complete(line.substring(NodeMain.READY.length()).trim());
                        }
                    }
                } catch (IOException e) {
                    ready.completeExceptionally(e);
                } finally {
                    ready.completeExceptionally(new IllegalStateException("the node's output ended before it was ready"));
                }
            }, "node-output-" + logFile.getFileName());
            pump.setDaemon(true);
            pump.start();
            try {
                String address = ready.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                return new NodeProcess(process, address, logFile, (System.nanoTime() - t0) / 1e9);
            } catch (ExecutionException | TimeoutException e) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                throw new AssertionError("node did not start within " + START_TIMEOUT + " (" + e + "); its log "
                        + logFile.toAbsolutePath() + " ends with:\n" + tail(logFile), e);
            }
        }

        Rest rest() {
            return rest;
        }

        double startSeconds() {
            return startSeconds;
        }

        /** SIGKILL, and wait until the process is gone. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("killed node exits").isTrue();
            assertThat(process.exitValue()).as("exit status of a SIGKILLed process").isEqualTo(137);
        }

        /** SIGTERM (the node closes itself), and wait until the process is gone. */
        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                fail("node did not stop within 60s of SIGTERM; log: " + logFile.toAbsolutePath());
            }
        }

        void killQuietly() {
            if (process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private static String tail(Path file) {
            try {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
            } catch (IOException e) {
                return "(unreadable: " + e + ")";
            }
        }
    }
}
