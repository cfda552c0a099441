package io.kccr.node.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kccr.core.cluster.NodeInfo;
import io.kccr.core.cluster.ShardPlacement;
import io.kccr.core.routing.ShardRouting;
import io.kccr.core.wire.OpType;
import io.kccr.node.Node;
import io.kccr.testkit.ChildNode;
import io.kccr.testkit.Http;
import io.kccr.testkit.KafkaBroker;
import io.kccr.testkit.TestNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes of one cluster, the third in a child JVM, an index of three shards with one replica each: the third
 * node is killed with SIGKILL while writes keep coming through the other two. The shards whose primary it held take
 * writes again once a replica elsewhere is promoted (the group notices the loss within its session timeout); every
 * acknowledged write is in the log and in the index, no seq_no is issued twice, and the cluster goes green again on
 * the two nodes left. The same with a node paused (SIGSTOP) instead, then resumed after the takeover: whatever it
 * was sent meanwhile lands only through the new primaries, never as the old one's.
 */
class LeaderFailoverIT {
    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker();

    private static final String INDEX = "orders";
    private static final java.util.concurrent.atomic.AtomicInteger CLUSTERS = new java.util.concurrent.atomic.AtomicInteger();
    private static final int WRITERS = 2;

    @TempDir
    Path data;

    private final List<Node> nodes = new ArrayList<>();
    private ChildNode child;
    private List<Http> http;
    private String childId;
    /** Each test's cluster on its own topics of the shared broker. */
    private final String prefix = "fo" + CLUSTERS.incrementAndGet();

    @AfterEach
    void stop() {
        if (child != null) {
            child.killQuietly();
        }
        nodes.forEach(Node::close);
    }

    private TestNode node(String name) {
        return TestNode.on(kafka).dir(data.resolve(name)).name(name).cluster(prefix).topicPrefix(prefix)
                .setting("discovery.type", "multi-node");
    }

    /** The cluster of n1, n2 (here) and n3 (child JVM) with the index green; the shards whose primary n3 holds. */
    private Set<Integer> startClusterWithPrimariesOnTheChild() throws Exception {
        nodes.add(node("n1").start());
        nodes.add(node("n2").start());
        child = node("n3").startChild(data.resolve("n3.log"));
        http = nodes.stream().map(n -> new Http(n.httpAddress())).toList();
        Http.expect(200, http.get(0).put("/" + INDEX,
                "{\"settings\":{\"number_of_shards\":3,\"number_of_replicas\":1}}"), "create");
        Http.expect(200, http.get(1).get("/_cluster/health?wait_for_status=green&wait_for_nodes=3&timeout=120s"),
                "green on three nodes");
        var table = nodes.getFirst().cluster().table();
        childId = table.nodes().stream().filter(n -> n.name().equals("n3")).map(NodeInfo::id).findFirst()
                .orElseThrow();
        Set<Integer> lost = table.placements(INDEX).stream().filter(p -> childId.equals(p.primary()))
                .map(p -> p.shard().shard()).collect(Collectors.toSet());
        assertThat(lost).as("shards whose primary is on n3 (%s)", table).isNotEmpty();
        return lost;
    }

    /**
     * Writes through n1 and n2 until stopped, keeping every ack; notes when a write to a shard of {@code lost} was
     * first acknowledged by a newer primary term than before {@link #outage}.
     */
    private final class Load {
        final List<Ack> acks = Collections.synchronizedList(new ArrayList<>());
        final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
        final Map<Integer, Long> termBefore = new ConcurrentHashMap<>();
        final AtomicLong outage = new AtomicLong(Long.MAX_VALUE);
        final AtomicLong resumedAt = new AtomicLong(Long.MAX_VALUE);
        final AtomicBoolean stop = new AtomicBoolean();
        final List<Thread> writers = new ArrayList<>();

        Load(Set<Integer> lost) {
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(Thread.ofPlatform().name("writer-" + w).start(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        String id = "w" + writer + "-" + i;
                        byte[] source = ("{\"w\":" + writer + ",\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8);
                        long sent = System.nanoTime();
                        Http.Response r = http.get(i % http.size()).put("/" + INDEX + "/_doc/" + id, source);
                        long done = System.nanoTime();
                        Ack ack = r.ok() ? Ack.of(r.json(), r.status(), OpType.INDEX, source) : null;
                        if (ack == null) {
                            if (r.status() != 503) { // 503: no primary yet, or the outcome is unknown
                                unexpected.add(id + ": " + r);
                            }
                            continue;
                        }
                        acks.add(ack);
                        int shard = ShardRouting.shardFor(id, 3);
                        if (!lost.contains(shard)) {
                            continue;
                        }
                        if (sent < outage.get()) {
                            termBefore.merge(shard, ack.primaryTerm(), Math::max);
                        } else if (ack.primaryTerm() > termBefore.getOrDefault(shard, 0L)) {
                            resumedAt.accumulateAndGet(done, Math::min);
                        }
                    }
                }));
            }
        }

        void awaitAcks(int n) {
            await().atMost(Duration.ofSeconds(60)).until(() -> acks.size() >= n);
        }

        /** Seconds from the outage to the first write a new primary acknowledged on a lost shard. */
        double awaitResumed() {
            await().atMost(Duration.ofSeconds(90)).until(() -> resumedAt.get() != Long.MAX_VALUE);
            return (resumedAt.get() - outage.get()) / 1e9;
        }

        void stop() throws InterruptedException {
            stop.set(true);
            for (Thread t : writers) {
                t.join(Duration.ofSeconds(120));
            }
            assertThat(unexpected).as("answers other than an ack or a 503").isEmpty();
        }
    }

    /** Every ack is in the log and on every node's view of the index; seq_nos once each, terms never go back. */
    private void assertLogAndIndex(List<Ack> acks) throws Exception {
        OpsLog.Contents log = OpsLog.read(kafka.bootstrapServers(), prefix + "." + INDEX + ".ops");
        OpsLog.assertSeqNosContiguous(log);
        OpsLog.assertRoutedByKey(log);
        OpsLog.assertAcksInLog(log, acks);
        for (int p = 0; p < log.partitions(); p++) {
            long term = 0;
            for (var r : log.partition(p)) {
                assertThat(OpsLog.primaryTerm(r)).as("%s: a write of an older primary after a newer one's",
                        OpsLog.describe(r)).isGreaterThanOrEqualTo(term);
                term = OpsLog.primaryTerm(r);
            }
        }
        for (Http h : http) {
            OpsLog.assertIndexIsProjection(h, INDEX, log);
        }
    }

    @Test
    void aKilledNodesPrimariesTakeWritesOnAnotherNodeAndNoAcknowledgedWriteIsLost() throws Exception {
        Set<Integer> lost = startClusterWithPrimariesOnTheChild();
        Load load = new Load(lost);
        load.awaitAcks(200);
        load.outage.set(System.nanoTime());
        child.kill();
        double pause = load.awaitResumed();
        System.out.printf("LeaderFailoverIT: writes to the lost primaries %s resumed %.1f s after kill -9%n", lost,
                pause);
        load.awaitAcks(load.acks.size() + 100);
        load.stop();
        assertThat(pause).as("seconds from kill -9 to the first write acknowledged by a new primary")
                .isLessThan(30.0);

        Http.expect(200, http.get(0).get("/_cluster/health?wait_for_status=green&wait_for_nodes=2&timeout=120s"),
                "green again on the two nodes left");
        for (ShardPlacement p : nodes.getFirst().cluster().table().placements(INDEX)) {
            assertThat(p.primary()).isNotEqualTo(childId);
        }
        assertLogAndIndex(load.acks);
    }

    @Test
    void aPausedNodeResumedAfterTheTakeoverIsFencedAndNothingItWasSentLandsAsItsOwn() throws Exception {
        Set<Integer> lost = startClusterWithPrimariesOnTheChild();
        Load load = new Load(lost);
        load.awaitAcks(200);
        load.outage.set(System.nanoTime());
        child.pause();
        // writes sent to the paused node itself, for the shards it held: it reads them only once resumed
        List<String> zombieIds = new ArrayList<>();
        for (int i = 0; zombieIds.size() < 5; i++) {
            if (lost.contains(ShardRouting.shardFor("z-" + i, 3))) {
                zombieIds.add("z-" + i);
            }
        }
        List<Ack> zombieAcks = Collections.synchronizedList(new ArrayList<>());
        List<Thread> zombieWrites = new ArrayList<>();
        for (String id : zombieIds) {
            zombieWrites.add(Thread.ofPlatform().start(() -> {
                byte[] source = ("{\"zombie\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8);
                Http.Response r = child.http().put("/" + INDEX + "/_doc/" + id, source);
                Ack ack = r.ok() ? Ack.of(r.json(), r.status(), OpType.INDEX, source) : null;
                if (ack != null) {
                    zombieAcks.add(ack);
                }
            }));
        }
        double pause = load.awaitResumed();
        System.out.printf("LeaderFailoverIT: writes to the paused node's primaries %s resumed %.1f s after SIGSTOP%n",
                lost, pause);
        // a write forwarded to the paused node is given up once its shard moved: the writers are not held up
        assertThat(pause).as("seconds from SIGSTOP to the first write acknowledged by a new primary")
                .isLessThan(30.0);
        child.resume();
        for (Thread t : zombieWrites) {
            t.join(Duration.ofSeconds(120));
        }
        load.awaitAcks(load.acks.size() + 100);
        load.stop();
        Http.expect(200, http.get(0).get("/_cluster/health?wait_for_status=green&wait_for_nodes=3&timeout=120s"),
                "green again once the resumed node is back in the cluster");

        List<Ack> all = new ArrayList<>(load.acks);
        all.addAll(zombieAcks); // acknowledged: then by the shard's new primary, in its term
        assertLogAndIndex(all);
        for (Ack a : zombieAcks) {
            assertThat(a.primaryTerm()).as("%s acknowledged after the takeover", a)
                    .isGreaterThan(load.termBefore.getOrDefault(ShardRouting.shardFor(a.id(), 3), 0L));
        }
    }
}
