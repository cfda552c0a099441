package io.kccr.node.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kccr.core.cluster.NodeInfo;
import io.kccr.core.cluster.ShardPlacement;
import io.kccr.core.wire.OpType;
import io.kccr.node.Node;
import io.kccr.testkit.Http;
import io.kccr.testkit.KafkaBroker;
import io.kccr.testkit.TestNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster that grows and shrinks under writes: a node that joins takes primaries from the others (the allocator
 * balances them), and a node stopped gracefully hands its primaries over before it leaves; neither stops the
 * writes (no write fails), and every acknowledged write is in the log and on the index afterwards.
 */
class ClusterMembershipIT {
    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker();

    private static final String INDEX = "events";

    @TempDir
    Path data;

    private final List<Node> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(Node::close);
    }

    private Node start(String name) throws Exception {
        Node n = TestNode.on(kafka).dir(data.resolve(name)).name(name).cluster("grow").topicPrefix("grow")
                .setting("discovery.type", "multi-node").start();
        nodes.add(n);
        return n;
    }

    /** Writes through the nodes {@link #targets} names until stopped; every answer but an ack is a failure. */
    private static final class Writes {
        final AtomicReference<List<Http>> targets;
        final List<Ack> acks = Collections.synchronizedList(new ArrayList<>());
        final List<String> failures = Collections.synchronizedList(new ArrayList<>());
        final AtomicLong slowestNanos = new AtomicLong();
        final AtomicBoolean stop = new AtomicBoolean();
        final Thread writer;

        Writes(List<Http> initial) {
            targets = new AtomicReference<>(initial);
            writer = Thread.ofPlatform().name("writer").start(() -> {
                for (int i = 0; !stop.get(); i++) {
                    String id = "e" + i;
                    byte[] source = ("{\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8);
                    List<Http> now = targets.get();
                    long sent = System.nanoTime();
                    Http.Response r = now.get(i % now.size()).put("/" + INDEX + "/_doc/" + id, source);
                    slowestNanos.accumulateAndGet(System.nanoTime() - sent, Math::max);
                    if (r.ok()) {
                        acks.add(Ack.of(r.json(), r.status(), OpType.INDEX, source));
                    } else {
                        failures.add(id + ": " + r);
                    }
                }
            });
        }

        void awaitMore(int n) {
            int target = acks.size() + n;
            await().atMost(Duration.ofSeconds(60)).until(() -> acks.size() >= target);
        }

        void stop() throws InterruptedException {
            stop.set(true);
            writer.join(Duration.ofSeconds(60));
        }
    }

    private static long primariesOn(Node observer, String nodeName) {
        var table = observer.cluster().table();
        String id = table.nodes().stream().filter(n -> n.name().equals(nodeName)).map(NodeInfo::id).findFirst()
                .orElse("?");
        return table.placements(INDEX).stream().map(ShardPlacement::primary).filter(id::equals).count();
    }

    @Test
    void aJoiningNodeTakesPrimariesAndAStoppingOneHandsItsOverWithoutAFailedWrite() throws Exception {
        Node n1 = start("n1");
        Node n2 = start("n2");
        Http h1 = new Http(n1.httpAddress());
        Http h2 = new Http(n2.httpAddress());
        Http.expect(200, h1.put("/" + INDEX, "{\"settings\":{\"number_of_shards\":3,\"number_of_replicas\":1}}"),
                "create");
        Http.expect(200, h2.get("/_cluster/health?wait_for_status=green&wait_for_nodes=2&timeout=120s"), "green");
        Writes writes = new Writes(List.of(h1, h2));
        try {
            writes.awaitMore(100);

            Node n3 = start("n3");
            Http h3 = new Http(n3.httpAddress());
            writes.targets.set(List.of(h1, h2, h3));
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                    assertThat(primariesOn(n1, "n3")).as("primaries balanced onto the new node").isEqualTo(1));
            Http.expect(200, h3.get("/_cluster/health?wait_for_status=green&wait_for_nodes=3"
                    + "&wait_for_no_relocating_shards=true&timeout=120s"), "green on three nodes");
            writes.awaitMore(100);
            assertThat(writes.failures).as("writes failed while a primary moved to the new node").isEmpty();

            writes.targets.set(List.of(h1, h3)); // n2 is going away: its clients go elsewhere, as behind a balancer
            long n2Primaries = primariesOn(n1, "n2");
            nodes.remove(n2);
            n2.close(); // graceful: hands its primaries over first, serving (forwarding) meanwhile
            assertThat(n2Primaries).isPositive();
            assertThat(primariesOn(n1, "n2")).as("no primary left on the stopped node").isZero();
            Http.expect(200, h1.get("/_cluster/health?wait_for_status=green&wait_for_nodes=2&timeout=120s"),
                    "green on the two nodes left");
            writes.awaitMore(100);
        } finally {
            writes.stop();
        }
        System.out.printf("ClusterMembershipIT: %d writes, slowest %.0f ms while nodes joined and left%n",
                writes.acks.size(), writes.slowestNanos.get() / 1e6);
        assertThat(writes.failures).as("writes failed while the cluster grew and shrank").isEmpty();

        OpsLog.Contents log = OpsLog.read(kafka.bootstrapServers(), "grow." + INDEX + ".ops");
        OpsLog.assertSeqNosContiguous(log);
        OpsLog.assertAcksInLog(log, writes.acks);
        for (Node n : nodes) {
            OpsLog.assertIndexIsProjection(new Http(n.httpAddress()), INDEX, log);
        }
    }
}
