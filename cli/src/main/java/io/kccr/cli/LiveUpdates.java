package io.kccr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The quickstart's demonstration of replication: updates a few documents on the leader index over HTTP (a field
 * {@code quickstart} with a marker unique to this run) and, for each, polls the follower index's realtime get until
 * it shows the marker, printing how long that took.
 */
final class LiveUpdates {
    static final String FIELD = "quickstart";
    /** Cities the demo prefers to touch, when the loaded sample has them. */
    private static final List<String> CITIES = List.of("Paris", "Tokyo", "Nairobi");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(5);

    private final NodeClient leader;
    private final String leaderIndex;
    private final NodeClient follower;
    private final String followerIndex;
    private final PrintWriter out;
    private final Clock clock;

    LiveUpdates(NodeClient leader, String leaderIndex, NodeClient follower, String followerIndex, PrintWriter out) {
        this.leader = leader;
        this.leaderIndex = leaderIndex;
        this.follower = follower;
        this.followerIndex = followerIndex;
        this.out = out;
        this.clock = Clock.systemUTC();
    }

    /** Updates {@code n} documents one after the other, each followed until the follower has it. */
    void run(int n) throws InterruptedException {
        out.println();
        out.println("live updates: written on the leader, read back from the follower");
        String run = Long.toString(clock.millis(), 36);
        int i = 0;
        for (JsonNode hit : pick(n)) {
            i++;
            String id = hit.path("_id").asText();
            String name = hit.path("_source").path("name").asText(id);
            String marker = "run " + run + " update " + i;
            ObjectNode body = NodeClient.object();
            body.putObject("doc").put(FIELD, marker);
            long start = System.nanoTime();
            JsonNode written = leader.post("/" + leaderIndex + "/_update/" + id, body);
            long acked = System.nanoTime();
            out.printf("  leader   [%s] %s (id %s): %s=\"%s\", seq_no %d, acknowledged in %d ms%n", leaderIndex,
                    name, id, FIELD, marker, written.path("_seq_no").asLong(), (acked - start) / 1_000_000);
            out.flush();
            awaitOnFollower(id, marker);
            out.printf("  follower [%s] has it %d ms later%n", followerIndex, (System.nanoTime() - acked) / 1_000_000);
            out.flush();
        }
    }

    /** Up to {@code n} documents of the leader: the preferred cities first, then any. */
    private List<JsonNode> pick(int n) {
        Set<String> ids = new LinkedHashSet<>();
        List<JsonNode> hits = new ArrayList<>();
        for (String city : CITIES) {
            ObjectNode query = NodeClient.object();
            query.put("size", 1);
            query.putObject("query").putObject("match").put("name", city);
            add(leader.post("/" + leaderIndex + "/_search", query), ids, hits, n);
        }
        if (hits.size() < n) {
            ObjectNode query = NodeClient.object();
            query.put("size", n * 2);
            query.putObject("query").putObject("match_all");
            add(leader.post("/" + leaderIndex + "/_search", query), ids, hits, n);
        }
        return hits;
    }

    private static void add(JsonNode answer, Set<String> ids, List<JsonNode> hits, int n) {
        for (JsonNode hit : answer.path("hits").path("hits")) {
            if (hits.size() < n && ids.add(hit.path("_id").asText())) {
                hits.add(hit);
            }
        }
    }

    private void awaitOnFollower(String id, String marker) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            try {
                JsonNode doc = follower.get("/" + followerIndex + "/_doc/" + id);
                if (marker.equals(doc.path("_source").path(FIELD).asText())) {
                    return;
                }
            } catch (NodeError notYet) {
                // not found yet
            }
            if (System.nanoTime() > deadline) {
                throw new NodeError(504, "timeout_exception", "the follower did not show the update of [" + id
                        + "] within " + TIMEOUT.toSeconds() + "s; see kccr stats " + followerIndex);
            }
            Thread.sleep(POLL.toMillis());
        }
    }
}
