package io.kccr.bench;

import io.kccr.core.cluster.CopyRole;
import io.kccr.core.cluster.CopyState;
import io.kccr.core.cluster.GroupMembership;
import io.kccr.core.cluster.HeldCopy;
import io.kccr.core.cluster.IndexLayout;
import io.kccr.core.cluster.MemberReport;
import io.kccr.core.cluster.NodeInfo;
import io.kccr.core.cluster.RoutingTable;
import io.kccr.core.cluster.ShardAllocator;
import io.kccr.core.cluster.ShardPlacement;
import io.kccr.node.kafka.EmbeddedKafka;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.lucene.util.IOUtils;

/**
 * How fast the cluster's membership notices a crashed node and hands its shards to the survivor, with the two ways
 * Kafka offers: (a) a classic consumer group with our assignor ({@link GroupMembership}), session timeout
 * {@code --session-ms} (the broker allows 6 s and up by default); (b) a Kafka Streams application on a KIP-1071
 * streams group ({@code group.protocol=streams}), whose session timeout is a group setting the broker bounds to
 * 45-60 s by default; (c) the same Streams application on the classic protocol. A crash is a member that stops
 * without leaving its group, as a {@code kill -9} does. Prints each trial and the medians.
 */
public final class MembershipBenchmark implements Benchmark {
    private static final int SHARDS = 6;

    @Override
    public String name() {
        return "membership";
    }

    @Override
    public String description() {
        return "time from a member's crash to its shards' reassignment: classic group + our assignor vs Kafka Streams"
                + " (streams group, classic group)";
    }

    @Override
    public void run(List<String> argList, PrintStream out) throws Exception {
        BenchArgs args = new BenchArgs(argList);
        if (args.has("--help")) {
            out.println("kccr bench membership [--trials N (5)] [--streams-trials N (2)] [--session-ms MS (6000)]");
            return;
        }
        int trials = args.intOption("--trials", 5);
        int streamsTrials = args.intOption("--streams-trials", 2);
        int sessionMs = args.intOption("--session-ms", 6000);
        Path work = Files.createTempDirectory("kccr-bench-membership");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"), 0,
                Map.of("group.initial.rebalance.delay.ms", "0"))) {
            Map<String, Object> client = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            try (Admin admin = Admin.create(client)) {
                admin.createTopics(List.of(new NewTopic("membership", 1, (short) 1),
                        new NewTopic("input", SHARDS, (short) 1))).all().get();
            }
            out.printf("%d shards over 2 members; crash = stop without leaving the group; %d trials each%n", SHARDS,
                    trials);
            List<Double> ours = new ArrayList<>();
            List<Double> oursLeave = new ArrayList<>();
            for (int t = 1; t <= trials; t++) {
                double crash = groupMembership(client, "kccr-bench-" + t, sessionMs, true);
                double leave = groupMembership(client, "kccr-bench-leave-" + t, sessionMs, false);
                ours.add(crash);
                oursLeave.add(leave);
                out.printf("(a) classic group + our assignor, session %d ms: crash %.2f s, graceful leave %.2f s%n",
                        sessionMs, crash, leave);
            }
            if (streamsTrials > 0) {
                out.printf("(b) streams group: lowering streams.session.timeout.ms to %d ms: %s%n", sessionMs,
                        tryLowerStreamsSession(client, sessionMs));
            }
            List<Double> streams = new ArrayList<>();
            for (int t = 1; t <= streamsTrials; t++) {
                double s = streams(kafka.bootstrapServers(), work, "kccr-bench-streams-" + t, "streams", sessionMs);
                streams.add(s);
                out.printf("(b) Kafka Streams, streams group (KIP-1071), broker defaults: crash %.2f s%n", s);
            }
            List<Double> classicStreams = new ArrayList<>();
            for (int t = 1; t <= streamsTrials; t++) {
                double s = streams(kafka.bootstrapServers(), work, "kccr-bench-classic-streams-" + t, "classic",
                        sessionMs);
                classicStreams.add(s);
                out.printf("(c) Kafka Streams, classic group, session %d ms: crash %.2f s%n", sessionMs, s);
            }
            out.printf("median time from crash to reassignment: (a) %s s (graceful leave %s s)   (b) %s s   (c) %s s%n",
                    median(ours), median(oursLeave), median(streams), median(classicStreams));
        } finally {
            IOUtils.rm(work);
        }
    }

    private static String median(List<Double> values) {
        return values.isEmpty() ? "-" : String.format("%.2f", Stats.median(values));
    }

    /** Seconds from member a's crash (or leave) to b holding every shard. */
    private static double groupMembership(Map<String, Object> client, String group, int sessionMs, boolean crash)
            throws Exception {
        IndexLayout index = new IndexLayout("bench", "u", SHARDS, 0);
        GroupMembership.Config config = new GroupMembership.Config(group, "membership", "bench",
                Duration.ofMillis(sessionMs), new ShardAllocator.Settings(SHARDS));
        AtomicReference<GroupMembership> aRef = new AtomicReference<>();
        AtomicReference<GroupMembership> bRef = new AtomicReference<>();
        GroupMembership a = new GroupMembership(client, config, () -> report("a", aRef.get(), index));
        GroupMembership b = new GroupMembership(client, config, () -> report("b", bRef.get(), index));
        aRef.set(a);
        bRef.set(b);
        try {
            a.start(Duration.ofSeconds(30));
            b.start(Duration.ofSeconds(30));
            b.await(t -> primaries(t, "a") == SHARDS / 2 && primaries(t, "b") == SHARDS / 2, Duration.ofSeconds(60),
                    Duration.ofMillis(500), "balance");
            long t0 = System.nanoTime();
            if (crash) {
                a.crash();
            } else {
                a.close();
            }
            waitFor(() -> primaries(b.table(), "b") == SHARDS, Duration.ofSeconds(120));
            return (System.nanoTime() - t0) / 1e9;
        } finally {
            a.close();
            b.close();
        }
    }

    private static MemberReport report(String id, GroupMembership self, IndexLayout index) {
        List<HeldCopy> copies = new ArrayList<>();
        if (self != null) {
            // every copy the last table gave this member is at once a started copy: only membership is measured
            for (ShardPlacement p : self.table().placements()) {
                CopyRole role = p.roleOf(id);
                if (role != null) {
                    copies.add(new HeldCopy(p.shard(), index.uuid(), role, CopyState.STARTED, 0, 1));
                }
            }
        }
        return new MemberReport(new NodeInfo(id, id, id, "http://" + id, 0), "bench", false, copies, 1,
                List.of(index));
    }

    private static long primaries(RoutingTable t, String node) {
        return t.placements().stream().filter(p -> node.equals(p.primary())).count();
    }

    private static String tryLowerStreamsSession(Map<String, Object> client, int sessionMs) {
        try (Admin admin = Admin.create(client)) {
            ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, "kccr-bench-streams-probe");
            admin.incrementalAlterConfigs(Map.of(group, List.of(new AlterConfigOp(
                    new ConfigEntry("streams.session.timeout.ms", Integer.toString(sessionMs)),
                    AlterConfigOp.OpType.SET)))).all().get();
            return "accepted";
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return "refused (" + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")";
        }
    }

    /** Seconds from instance a's crash to b running every task, for a Streams app on {@code protocol}. */
    private static double streams(String bootstrap, Path work, String appId, String protocol, int sessionMs)
            throws Exception {
        KafkaStreams a = streamsApp(bootstrap, work.resolve(appId + "-a"), appId, protocol, sessionMs);
        KafkaStreams b = streamsApp(bootstrap, work.resolve(appId + "-b"), appId, protocol, sessionMs);
        try {
            a.start();
            b.start();
            waitFor(() -> activeTasks(a) == SHARDS / 2 && activeTasks(b) == SHARDS / 2, Duration.ofSeconds(180));
            long t0 = System.nanoTime();
            a.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP)
                    .withTimeout(Duration.ofSeconds(10)));
            waitFor(() -> activeTasks(b) == SHARDS, Duration.ofSeconds(180));
            return (System.nanoTime() - t0) / 1e9;
        } finally {
            a.close(Duration.ofSeconds(10));
            b.close(Duration.ofSeconds(10));
        }
    }

    private static KafkaStreams streamsApp(String bootstrap, Path stateDir, String appId, String protocol,
                                           int sessionMs) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("input").foreach((k, v) -> { });
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        p.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        p.put(StreamsConfig.GROUP_PROTOCOL_CONFIG, protocol);
        if (protocol.equals("classic")) {
            p.put(StreamsConfig.consumerPrefix("session.timeout.ms"), sessionMs);
            p.put(StreamsConfig.consumerPrefix("heartbeat.interval.ms"), Math.max(100, sessionMs / 6));
        }
        return new KafkaStreams(builder.build(), p);
    }

    private static int activeTasks(KafkaStreams streams) {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            return -1;
        }
        int n = 0;
        for (ThreadMetadata t : streams.metadataForLocalThreads()) {
            n += t.activeTasks().size();
        }
        return n;
    }

    private static void waitFor(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not reached within " + timeout);
            }
            Thread.sleep(10); // polling a condition the clients update on their own threads
        }
    }
}
