package io.kccr.node.ccr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kccr.testkit.Http;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** What the CCR ITs share: document snapshots through {@code _search}, waits on {@code _ccr/stats}, random traffic. */
final class Ccr {
    private static final Duration POLL = Duration.ofMillis(200);

    private Ccr() {
    }

    /** One live document as {@code _search} shows it. */
    record Doc(String id, long seqNo, long primaryTerm, long version, JsonNode source) {
        @Override
        public String toString() {
            return id + "[seq_no=" + seqNo + " term=" + primaryTerm + " v=" + version + " " + source + "]";
        }
    }

    /**
     * Every live document of {@code index} by id, read after a refresh by paging {@code _search} with
     * {@code search_after} on {@code _id} (pages of 4000), checked against {@code _count}.
     */
    static Map<String, Doc> documents(Http http, String index) {
        return documents(http, index, true);
    }

    /**
     * As {@link #documents(Http, String)}; not {@code strict}, the {@code _count} check is left out (an index still
     * applying ops changes between the pages and the count).
     */
    static Map<String, Doc> documents(Http http, String index, boolean strict) {
        Http.expect(200, http.post("/" + index + "/_refresh", null), "refresh " + index);
        Map<String, Doc> docs = new TreeMap<>();
        String after = null;
        while (true) {
            ObjectNode body = Http.JSON.createObjectNode();
            body.put("size", 4000);
            body.putObject("query").putObject("match_all");
            body.putArray("sort").addObject().put("_id", "asc");
            body.put("seq_no_primary_term", true);
            body.put("version", true);
            body.put("track_total_hits", true);
            if (after != null) {
                body.putArray("search_after").add(after);
            }
            Http.Response r = Http.expect(200, http.post("/" + index + "/_search", body.toString()),
                    "search " + index);
            JsonNode hits = r.json().at("/hits/hits");
            for (JsonNode hit : hits) {
                String id = hit.get("_id").asText();
                Doc previous = docs.put(id, new Doc(id, hit.path("_seq_no").asLong(-2),
                        hit.path("_primary_term").asLong(-2), hit.path("_version").asLong(-2), hit.get("_source")));
                if (previous != null) {
                    fail("_search on [" + index + "] returned id [" + id + "] twice (paging by search_after on _id)");
                }
                after = id;
            }
            if (hits.size() < 4000) {
                break;
            }
        }
        if (!strict) {
            return docs;
        }
        long count = Http.expect(200, http.get("/" + index + "/_count"), "count " + index).json().path("count")
                .asLong(-1);
        if (count != docs.size()) {
            fail("[" + index + "]: _count says " + count + " but paging _search found " + docs.size() + " documents");
        }
        return docs;
    }

    /** Human-readable differences of two snapshots (at most {@code limit}); empty when equal. */
    static List<String> differences(Map<String, Doc> expected, Map<String, Doc> actual, int limit) {
        List<String> out = new ArrayList<>();
        Set<String> ids = new TreeSet<>(expected.keySet());
        ids.addAll(actual.keySet());
        int total = 0;
        for (String id : ids) {
            Doc e = expected.get(id);
            Doc a = actual.get(id);
            String problem = null;
            if (a == null) {
                problem = "missing " + e;
            } else if (e == null) {
                problem = "extra " + a;
            } else if (e.seqNo() != a.seqNo() || !e.source().equals(a.source())) {
                problem = "expected " + e + " got " + a;
            }
            if (problem != null) {
                total++;
                if (out.size() < limit) {
                    out.add(problem);
                }
            }
        }
        if (total > out.size()) {
            out.add("... " + (total - out.size()) + " more");
        }
        return out;
    }

    /**
     * Waits until the follower holds exactly the leader's documents (ids, {@code _seq_no}, {@code _source}); the
     * leader must take no writes meanwhile. Fails early if the follower fails. Returns the leader's documents.
     */
    static Map<String, Doc> awaitSameDocuments(Http leader, String leaderIndex, Http follower, String followerIndex,
                                               Duration timeout) {
        Map<String, Doc> expected = documents(leader, leaderIndex);
        awaitDocuments(expected, follower, followerIndex, timeout);
        return expected;
    }

    /** Waits until the follower holds exactly {@code expected} (ids, {@code _seq_no}, {@code _source}). */
    static void awaitDocuments(Map<String, Doc> expected, Http follower, String followerIndex, Duration timeout) {
        await("follower [" + followerIndex + "] to hold the leader's " + expected.size() + " documents")
                .atMost(timeout).pollInterval(POLL)
                .failFast(() -> assertNotFailed(follower, followerIndex))
                .untilAsserted(() -> {
                    assertThat(differences(expected, documents(follower, followerIndex, false), 10))
                            .as(() -> "stats: " + follower.get("/" + followerIndex + "/_ccr/stats")).isEmpty();
                    // the same documents: now they must stay so, and _count must agree
                    assertThat(differences(expected, documents(follower, followerIndex, true), 10)).isEmpty();
                });
    }

    /** The follower's {@code _ccr/info} entry. */
    static JsonNode info(Http follower, String followerIndex) {
        JsonNode list = Http.expect(200, follower.get("/" + followerIndex + "/_ccr/info"), "ccr info").json()
                .path("follower_indices");
        for (JsonNode f : list) {
            if (f.path("follower_index").asText().equals(followerIndex)) {
                return f;
            }
        }
        return null;
    }

    private static void assertNotFailed(Http follower, String followerIndex) {
        JsonNode info = info(follower, followerIndex);
        assertThat(info == null ? "" : info.path("detailed_status").asText()).as("follower [%s]: %s", followerIndex, info)
                .isNotEqualTo("failed");
    }

    /** The follower's per-shard stats (raw: our fields included). */
    static ArrayNode shardStats(Http follower, String followerIndex) {
        JsonNode indices = Http.expect(200, follower.get("/" + followerIndex + "/_ccr/stats"), "ccr stats").json()
                .path("indices");
        for (JsonNode index : indices) {
            if (index.path("index").asText().equals(followerIndex)) {
                return (ArrayNode) index.path("shards");
            }
        }
        throw new AssertionError("no stats for [" + followerIndex + "] in " + indices);
    }

    /**
     * Waits until every shard of the follower has caught up: no consumer lag and follower global checkpoint equal
     * to the leader's. Fails early if the follower fails. Returns the shards' stats then.
     */
    static ArrayNode awaitCaughtUp(Http follower, String followerIndex, Duration timeout) {
        return await("follower [" + followerIndex + "] to catch up").atMost(timeout).pollInterval(POLL)
                .failFast(() -> assertNotFailed(follower, followerIndex))
                .until(() -> shardStats(follower, followerIndex), Ccr::caughtUp);
    }

    /** No consumer lag and the follower's global checkpoint at the leader's, on every shard. */
    private static boolean caughtUp(ArrayNode shards) {
        boolean caughtUp = !shards.isEmpty();
        for (JsonNode s : shards) {
            caughtUp &= s.path("consumer_lag_records").asLong(-1) == 0
                    && s.path("follower_global_checkpoint").asLong(-2) == s.path("leader_global_checkpoint").asLong(-3);
        }
        return caughtUp;
    }

    static long sum(ArrayNode shards, String field) {
        long sum = 0;
        for (JsonNode s : shards) {
            sum += s.path(field).asLong();
        }
        return sum;
    }

    /**
     * Random index / update / delete traffic on ids {@code <prefix>0 .. <prefix>(ids-1)} of a leader index, as
     * {@code _bulk} requests of GeoNames documents. Remembers which ids it believes live (from the responses), so
     * updates mostly hit live documents. Not thread-safe: one per thread.
     */
    static final class Traffic {
        private final Http http;
        private final String index;
        private final List<byte[]> corpus;
        private final Random random;
        private final String prefix;
        private final int ids;
        private final Set<String> live = new TreeSet<>();
        private volatile long ops; // written by the thread sending, read by others
        private boolean tolerant;
        private volatile long failedBulks;
        private volatile long failedItems;

        Traffic(Http http, String index, List<byte[]> corpus, long seed, String prefix, int ids) {
            this.http = http;
            this.index = index;
            this.corpus = corpus;
            this.random = new Random(seed);
            this.prefix = prefix;
            this.ids = ids;
        }

        long ops() {
            return ops;
        }

        /**
         * Tolerant: a bulk the leader cannot complete (Kafka away: 503s, timeouts) is counted and skipped rather
         * than failing the test; its outcome is unknown, so only the leader's final state is the reference.
         */
        Traffic tolerant() {
            this.tolerant = true;
            return this;
        }

        long failedBulks() {
            return failedBulks;
        }

        long failedItems() {
            return failedItems;
        }

        /** One bulk of {@code size} random ops; fails unless each item succeeded (a delete of a missing id is fine). */
        void bulk(int size) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            List<String> actions = new ArrayList<>();
            List<String> itemIds = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                String id = prefix + random.nextInt(ids);
                int dice = random.nextInt(10);
                String action = dice < 6 || !live.contains(id) && dice < 8 ? "index" : dice < 8 ? "update" : "delete";
                ObjectNode meta = Http.JSON.createObjectNode();
                meta.putObject(action).put("_id", id);
                line(out, meta.toString());
                switch (action) {
                    case "index" -> line(out, new String(corpus.get(random.nextInt(corpus.size())),
                            StandardCharsets.UTF_8));
                    case "update" -> {
                        ObjectNode doc = Http.JSON.createObjectNode();
                        doc.putObject("doc").put("admin2", "u" + random.nextInt(1_000_000))
                                .put("lat", random.nextDouble() * 180 - 90);
                        line(out, doc.toString());
                    }
                    default -> {
                    }
                }
                actions.add(action);
                itemIds.add(id);
            }
            Http.Response r;
            try {
                r = http.bulk("/" + index + "/_bulk", out.toByteArray());
            } catch (RuntimeException e) {
                if (!tolerant) {
                    throw e;
                }
                failedBulks++;
                return;
            }
            if (r.status() != 200 || r.json().path("items").size() != size) {
                if (tolerant) {
                    failedBulks++;
                    return;
                }
                throw new AssertionError("bulk of " + size + " ops on [" + index + "] failed: " + r);
            }
            JsonNode items = r.json().get("items");
            for (int i = 0; i < size; i++) {
                JsonNode result = items.get(i).get(actions.get(i));
                int status = result.path("status").asInt();
                String id = itemIds.get(i);
                boolean missing = status == 404;
                if (tolerant && (status >= 500 || status == 429)) {
                    failedItems++;
                    continue;
                }
                if (status >= 300 && !missing) {
                    throw new AssertionError("bulk item " + i + " (" + actions.get(i) + " " + id + ") failed: " + result);
                }
                if (missing && actions.get(i).equals("index")) {
                    throw new AssertionError("index of " + id + " answered 404: " + result);
                }
                if (actions.get(i).equals("delete")) {
                    live.remove(id);
                } else if (!missing) {
                    live.add(id);
                } else {
                    live.remove(id); // an update of a document deleted meanwhile
                }
                boolean noop = result.path("result").asText().equals("noop");
                if ((!missing || actions.get(i).equals("delete")) && !noop) { // each of these is an op in the log
                    ops++;
                }
            }
        }

        private static void line(ByteArrayOutputStream out, String s) {
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        }
    }

    static String requireText(JsonNode node, String field) {
        return Objects.requireNonNull(node.get(field), field + " in " + node).asText();
    }
}
