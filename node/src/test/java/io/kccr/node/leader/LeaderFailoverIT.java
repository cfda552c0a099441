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
import java.util.HashMap;
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
 * the two nodes left.
 */
class LeaderFailoverIT {
    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker();

    private static final String INDEX = "orders";
    private static final String PREFIX = "fo";
    private static final String TOPIC = PREFIX + "." + INDEX + ".ops";
    private static final int WRITERS = 2;

    @TempDir
    Path data;

    private final List<Node> nodes = new ArrayList<>();
    private ChildNode child;

    @AfterEach
    void stop() {
        if (child != null) {
            child.killQuietly();
        }
        nodes.forEach(Node::close);
    }

    private TestNode node(String name) {
        return TestNode.on(kafka).dir(data.resolve(name)).name(name).cluster("failover").topicPrefix(PREFIX);
    }

    @Test
    void aKilledNodesPrimariesTakeWritesOnAnotherNodeAndNoAcknowledgedWriteIsLost() throws Exception {
        nodes.add(node("n1").start());
        nodes.add(node("n2").start());
        child = node("n3").startChild(data.resolve("n3.log"));
        List<Http> http = nodes.stream().map(n -> new Http(n.httpAddress())).toList();
        Http.expect(200, http.get(0).put("/" + INDEX,
                "{\"settings\":{\"number_of_shards\":3,\"number_of_replicas\":1}}"), "create");
        Http.expect(200, http.get(1).get("/_cluster/health?wait_for_status=green&wait_for_nodes=3&timeout=120s"),
                "green on three nodes");

        var table = nodes.getFirst().cluster().table();
        String lostId = table.nodes().stream().filter(n -> n.name().equals("n3")).map(NodeInfo::id).findFirst()
                .orElseThrow();
        Set<Integer> lost = table.placements(INDEX).stream().filter(p -> lostId.equals(p.primary()))
                .map(p -> p.shard().shard()).collect(Collectors.toSet());
        assertThat(lost).as("shards whose primary is on n3 (%s)", table).isNotEmpty();

        List<Ack> acks = Collections.synchronizedList(new ArrayList<>());
        Map<Integer, Long> termBefore = new ConcurrentHashMap<>();
        AtomicLong killedAt = new AtomicLong(Long.MAX_VALUE);
        AtomicLong resumedAt = new AtomicLong(Long.MAX_VALUE);
        AtomicBoolean stop = new AtomicBoolean();
        List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
        List<Thread> writers = new ArrayList<>();
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
                    if (sent < killedAt.get()) {
                        termBefore.merge(shard, ack.primaryTerm(), Math::max);
                    } else if (ack.primaryTerm() > termBefore.getOrDefault(shard, 0L)) {
                        resumedAt.accumulateAndGet(done, Math::min);
                    }
                }
            }));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> acks.size() >= 200);
        killedAt.set(System.nanoTime());
        child.kill();
        await().atMost(Duration.ofSeconds(90)).until(() -> resumedAt.get() != Long.MAX_VALUE);
        double pause = (resumedAt.get() - killedAt.get()) / 1e9;
        System.out.printf("LeaderFailoverIT: writes to the lost primaries %s resumed %.1f s after kill -9%n", lost,
                pause);
        int before = acks.size();
        await().atMost(Duration.ofSeconds(60)).until(() -> acks.size() >= before + 100);
        stop.set(true);
        for (Thread t : writers) {
            t.join(Duration.ofSeconds(120));
        }
        assertThat(unexpected).as("answers other than an ack or a 503").isEmpty();
        assertThat(pause).as("seconds from kill -9 to the first write acknowledged by a new primary")
                .isLessThan(30.0);

        Http.expect(200, http.get(0).get("/_cluster/health?wait_for_status=green&wait_for_nodes=2&timeout=120s"),
                "green again on the two nodes left");
        for (ShardPlacement p : nodes.getFirst().cluster().table().placements(INDEX)) {
            assertThat(p.primary()).isNotEqualTo(lostId);
        }

        OpsLog.Contents log = OpsLog.read(kafka.bootstrapServers(), TOPIC);
        OpsLog.assertSeqNosContiguous(log);
        OpsLog.assertRoutedByKey(log);
        OpsLog.assertAcksInLog(log, acks);
        for (Http h : http) {
            OpsLog.assertIndexIsProjection(h, INDEX, log);
        }
        Map<String, Long> count = new HashMap<>();
        acks.forEach(a -> count.merge(a.id(), 1L, Long::sum));
        assertThat(count.values()).as("every id written once").allMatch(c -> c == 1);
    }
}
