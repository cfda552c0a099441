package io.kccr.node.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kccr.node.Node;
import io.kccr.testkit.Http;
import io.kccr.testkit.KafkaBroker;
import io.kccr.testkit.TestNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flood of concurrent bulks against a node whose {@code indexing_pressure.memory.limit} is small: the writes beyond
 * it get 429 {@code es_rejected_execution_exception} at once, the node stays responsive (cluster health answers
 * within a second throughout), and every acknowledged item is in the index.
 */
class BackpressureIT {
    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker();

    private static final int CLIENTS = 12;
    private static final int BULKS_PER_CLIENT = 15;
    private static final int ITEMS = 100;

    @TempDir
    Path data;

    @Test
    void aFloodOfBulksGets429sAndTheNodeStaysResponsive() throws Exception {
        try (Node node = TestNode.on(kafka).dir(data).setting("indexing_pressure.memory.limit", "512kb").start()) {
            Http http = new Http(node.httpAddress());
            Http.expect(200, http.put("/flood", "{\"settings\":{\"number_of_shards\":2}}"), "create");
            String padding = "p".repeat(1_000);
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicInteger rejected = new AtomicInteger();
            AtomicInteger otherFailures = new AtomicInteger();
            AtomicLong slowestHealthNanos = new AtomicLong();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.add(Thread.ofPlatform().start(() -> {
                    for (int b = 0; b < BULKS_PER_CLIENT; b++) {
                        StringBuilder body = new StringBuilder();
                        List<String> ids = new ArrayList<>();
                        for (int i = 0; i < ITEMS; i++) {
                            String id = client + "-" + b + "-" + i;
                            ids.add(id);
                            body.append("{\"index\":{\"_id\":\"").append(id).append("\"}}\n{\"pad\":\"").append(padding)
                                    .append("\"}\n");
                        }
                        Http.Response r = http.bulk("/flood/_bulk", body.toString());
                        if (r.status() == 429) {
                            assertThat(r.json().at("/error/type").asText()).isEqualTo("es_rejected_execution_exception");
                            rejected.incrementAndGet();
                        } else if (r.status() == 200) {
                            JsonNode items = r.json().get("items");
                            for (int i = 0; i < ITEMS; i++) {
                                if (items.get(i).at("/index/status").asInt() == 201) {
                                    acknowledged.add(ids.get(i));
                                }
                            }
                        } else {
                            otherFailures.incrementAndGet();
                        }
                    }
                }));
            }
            Thread prober = Thread.ofPlatform().start(() -> {
                while (clients.stream().anyMatch(Thread::isAlive)) {
                    long t0 = System.nanoTime();
                    assertThat(http.get("/_cluster/health").status()).isEqualTo(200);
                    slowestHealthNanos.accumulateAndGet(System.nanoTime() - t0, Math::max);
                    Thread.onSpinWait();
                }
            });
            for (Thread t : clients) {
                t.join();
            }
            prober.join();
            System.out.println("BackpressureIT: " + acknowledged.size() + " items acknowledged, " + rejected.get()
                    + " bulks rejected with 429, slowest health " + slowestHealthNanos.get() / 1_000_000 + " ms");
            assertThat(rejected.get()).as("bulks beyond the limit get 429").isPositive();
            assertThat(otherFailures.get()).isZero();
            assertThat(acknowledged).isNotEmpty();
            assertThat(Duration.ofNanos(slowestHealthNanos.get())).isLessThan(Duration.ofSeconds(1));
            Http.expect(200, http.post("/flood/_refresh", null), "refresh");
            assertThat(http.get("/flood/_count").json().get("count").asLong()).isEqualTo(acknowledged.size());
        }
    }
}
