package io.kccr.node.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kccr.testkit.Http;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends mixed bulks (index and delete, over a small id range so documents are updated) to one index from one
 * thread until stopped, and remembers what each acknowledged item left: the expected last state of every id. An id
 * whose last write failed (its outcome may be unknown) is not expected either way until a later write is
 * acknowledged. Also measures the longest time without an acknowledged bulk: how long writes paused.
 */
final class ContinuousWriter implements AutoCloseable {
    private static final int IDS = 2_000;
    private static final int BULK = 20;

    private final Http http;
    private final String index;
    private final Map<String, String> expected = new HashMap<>(); // id -> source, or null when deleted
    private final Set<String> uncertain = new HashSet<>();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private volatile long lastAckNanos = System.nanoTime();
    private volatile long longestPauseNanos;

    private ContinuousWriter(Http http, String index) {
        this.http = http;
        this.index = index;
        this.thread = Thread.ofPlatform().name("continuous-writer").start(this::run);
    }

    static ContinuousWriter start(Http http, String index) {
        return new ContinuousWriter(http, index);
    }

    private void run() {
        Random random = new Random(42);
        long n = 0;
        while (running.get()) {
            StringBuilder body = new StringBuilder();
            String[] ids = new String[BULK];
            String[] sources = new String[BULK];
            for (int i = 0; i < BULK; i++, n++) {
                ids[i] = "d" + random.nextInt(IDS);
                if (random.nextInt(10) == 0) {
                    body.append("{\"delete\":{\"_id\":\"").append(ids[i]).append("\"}}\n");
                } else {
                    sources[i] = "{\"n\":" + n + ",\"text\":\"write " + n + "\"}";
                    body.append("{\"index\":{\"_id\":\"").append(ids[i]).append("\"}}\n").append(sources[i]).append('\n');
                }
            }
            Http.Response r;
            try {
                r = http.bulk("/" + index + "/_bulk", body.toString());
            } catch (RuntimeException e) {
                r = null;
            }
            synchronized (this) {
                if (r == null || r.status() != 200) {
                    for (String id : ids) {
                        uncertain.add(id);
                    }
                    failed.addAndGet(BULK);
                    continue;
                }
                JsonNode items = r.json().get("items");
                boolean any = false;
                for (int i = 0; i < BULK; i++) {
                    JsonNode item = items.get(i).elements().next();
                    int status = item.get("status").asInt();
                    boolean ok = sources[i] != null ? status == 200 || status == 201 : status == 200 || status == 404;
                    if (ok) {
                        expected.put(ids[i], sources[i]);
                        uncertain.remove(ids[i]);
                        acked.incrementAndGet();
                        any = true;
                    } else {
                        uncertain.add(ids[i]);
                        failed.incrementAndGet();
                    }
                }
                if (any) {
                    long now = System.nanoTime();
                    longestPauseNanos = Math.max(longestPauseNanos, now - lastAckNanos);
                    lastAckNanos = now;
                }
            }
        }
    }

    long acked() {
        return acked.get();
    }

    /** Waits until {@code count} items were acknowledged in all. */
    void awaitAcked(long count) {
        await("" + count + " acknowledged writes").atMost(Duration.ofMinutes(2)).until(() -> acked.get() >= count);
    }

    Duration longestPause() {
        return Duration.ofNanos(longestPauseNanos);
    }

    String summary() {
        return acked.get() + " writes acknowledged, " + failed.get() + " failed, longest pause "
                + longestPause().toMillis() + " ms, " + uncertain.size() + " ids of unknown state";
    }

    void stop() throws InterruptedException {
        running.set(false);
        thread.join(120_000);
    }

    /** Every id whose last write was acknowledged is in {@code leader} as that write left it. */
    synchronized void assertEveryAcknowledgedWriteIn(Http leader) throws Exception {
        Http.expect(200, leader.post("/" + index + "/_refresh", null), "refresh");
        int checked = 0;
        for (Map.Entry<String, String> e : expected.entrySet()) {
            if (uncertain.contains(e.getKey())) {
                continue;
            }
            Http.Response r = leader.get("/" + index + "/_doc/" + e.getKey());
            if (e.getValue() == null) {
                assertThat(r.status()).as("deleted " + e.getKey()).isEqualTo(404);
            } else {
                assertThat(r.status()).as("acknowledged " + e.getKey()).isEqualTo(200);
                assertThat(r.json().get("_source").toString()).isEqualTo(Http.JSON.readTree(e.getValue()).toString());
            }
            checked++;
        }
        assertThat(checked).isGreaterThan(0);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
