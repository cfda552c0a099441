package io.kccr.node.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.kccr.core.cluster.NodeInfo;
import io.kccr.core.cluster.ShardId;
import io.kccr.core.error.UnavailableException;
import io.kccr.core.index.Ids;
import io.kccr.core.routing.ShardRouting;
import io.kccr.leader.IndexCatalog;
import io.kccr.leader.LeaderIndex;
import io.kccr.node.indices.WriteGuard;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code _bulk} whose items go to shards whose primaries are on several nodes: split by node, each part sent to
 * its node as a {@code _bulk} of its own (in the items' order, so a shard's items keep theirs), and the answers put
 * back in the request's order. Items a node answers it did not write (their shard moved meanwhile) are sent again
 * where the routing table says their shard is now. An index item without an id gets one here, since the id decides
 * the shard. A bulk whose every item is for primaries on this node is served here untouched. Thread-safe.
 */
public final class BulkRouter {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One item as sent: its action line, its source line (null for a delete), where it goes. */
    private record Item(String action, String index, String id, byte[] actionLine, byte[] source) {
    }

    private final ClusterService cluster;
    private final IndexCatalog catalog;
    private final WriteGuard guard;
    private final ShardRouter router;
    private final PeerClient peers;

    public BulkRouter(ClusterService cluster, IndexCatalog catalog, WriteGuard guard, ShardRouter router,
                      PeerClient peers) {
        this.cluster = cluster;
        this.catalog = catalog;
        this.guard = guard;
        this.router = router;
        this.peers = peers;
    }

    /**
     * Carries out the bulk in {@code ctx} across the nodes if it needs more than this one, and writes the answer.
     *
     * @return true when it did (the response is written), false when this node serves it alone
     */
    public boolean forward(Context ctx) throws Exception {
        if (ctx.header(PeerClient.FORWARDED) != null) {
            return false;
        }
        List<Item> items = parse(ctx.bodyAsBytes(), ctx.pathParamMap().get("index"));
        if (items == null) {
            return false; // malformed: this node answers the error
        }
        Map<String, LeaderIndex> indices = new HashMap<>();
        boolean allHere = true;
        for (Item item : items) {
            if (!indices.containsKey(item.index())) {
                LeaderIndex index;
                try {
                    index = item.action().equals("delete") ? catalog.getOrNull(item.index())
                            : guard.writableIndex(item.index());
                } catch (RuntimeException e) {
                    index = null; // this node answers the item's error
                }
                indices.put(item.index(), index);
                allHere &= index == null || router.allPrimariesHere(index);
            }
        }
        if (allHere) {
            return false;
        }
        long start = System.nanoTime();
        ShardId[] shards = new ShardId[items.size()];
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            LeaderIndex index = indices.get(item.index());
            if (index == null) {
                continue;
            }
            if (item.id() == null) {
                item = withId(item, Ids.random());
                items.set(i, item);
            }
            shards[i] = new ShardId(index.name(), ShardRouting.shardFor(item.id(), index.metadata().numberOfShards()));
        }
        JsonNode[] results = send(ctx, items, shards, router.requestTimeout(ctx));
        ObjectNode out = JSON.createObjectNode();
        out.put("errors", Arrays.stream(results).anyMatch(r -> r.elements().next().has("error")));
        out.put("took", (System.nanoTime() - start) / 1_000_000);
        ArrayNode array = out.putArray("items");
        Arrays.stream(results).forEach(array::add);
        ShardRouter.write(ctx, new PeerClient.Response(200, "application/json", JSON.writeValueAsBytes(out)));
        return true;
    }

    /** Sends every item until it was answered; returns the answers in the items' order. */
    private JsonNode[] send(Context ctx, List<Item> items, ShardId[] shards, Duration timeout) throws Exception {
        JsonNode[] results = new JsonNode[items.size()];
        List<Integer> pending = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            pending.add(i);
        }
        Map<String, List<String>> headers = ShardRouter.headers(ctx);
        String path = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
        long deadline = System.nanoTime() + timeout.toNanos();
        String why = "";
        while (!pending.isEmpty()) {
            Map<NodeInfo, List<Integer>> byNode = new LinkedHashMap<>();
            List<Integer> waiting = new ArrayList<>();
            for (int i : pending) {
                Forwarder.Target t = shards[i] == null ? new Forwarder.Here() : router.target(shards[i], false);
                switch (t) {
                    case Forwarder.Here h -> byNode.computeIfAbsent(cluster.self(), n -> new ArrayList<>()).add(i);
                    case Forwarder.There there -> byNode.computeIfAbsent(there.node(), n -> new ArrayList<>())
                            .add(i);
                    case Forwarder.Nowhere n -> {
                        waiting.add(i);
                        why = n.why();
                    }
                }
            }
            List<Integer> again = new ArrayList<>(waiting);
            FanOut.ask(byNode.keySet(), node -> sendPart(node, byNode.get(node), items, results, path, headers,
                    deadline), (node, cause) -> {
                        throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
                    }).values().forEach(again::addAll);
            pending = again;
            if (!pending.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    for (int i : pending) {
                        results[i] = failure(items.get(i), new UnavailableException("no node could take the item"
                                + " within " + timeout.toSeconds() + "s" + (why.isEmpty() ? "" : ": " + why)
                                + ". Check GET /_cat/shards and retry.", null));
                    }
                    break;
                }
                Thread.sleep(50); // the routing table changes on the membership's thread
            }
        }
        return results;
    }

    /** Sends the items {@code part} to {@code node}; fills their results; returns those to send again. */
    private List<Integer> sendPart(NodeInfo node, List<Integer> part, List<Item> items, JsonNode[] results,
                                   String path, Map<String, List<String>> headers, long deadline) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i : part) {
            Item item = items.get(i);
            body.writeBytes(item.actionLine());
            body.write('\n');
            if (item.source() != null) {
                body.writeBytes(item.source());
                body.write('\n');
            }
        }
        PeerClient.Response r;
        try {
            r = peers.send(node.httpAddress(), "POST", path, headers, body.toByteArray(),
                    Duration.ofNanos(Math.max(1, deadline - System.nanoTime())).plusSeconds(1));
        } catch (PeerClient.NotSent e) {
            return part; // not received: sent again once the table changes
        } catch (IOException | InterruptedException e) {
            for (int i : part) {
                results[i] = failure(items.get(i), new UnavailableException("node [" + node.name() + "] did not"
                        + " answer in time; the item may or may not have been carried out", e));
            }
            return List.of();
        }
        List<Integer> again = new ArrayList<>();
        JsonNode answer;
        try {
            answer = JSON.readTree(r.body());
        } catch (IOException e) {
            answer = JSON.createObjectNode();
        }
        JsonNode answered = answer.path("items");
        if (r.status() != 200 || answered.size() != part.size()) {
            if (Forwarder.nothingWritten(r)) {
                return part;
            }
            for (int i : part) {
                ObjectNode item = JSON.createObjectNode();
                ObjectNode body2 = item.putObject(items.get(i).action());
                body2.put("_index", items.get(i).index());
                body2.put("status", r.status());
                body2.set("error", answer.path("error"));
                results[i] = item;
            }
            return List.of();
        }
        for (int k = 0; k < part.size(); k++) {
            JsonNode item = answered.get(k);
            JsonNode error = item.elements().next().path("error");
            if (error.path(UnavailableException.NOTHING_WRITTEN).asText().equals("true")) {
                again.add(part.get(k));
            } else {
                results[part.get(k)] = item;
            }
        }
        return again;
    }

    private static JsonNode failure(Item item, UnavailableException e) {
        ObjectNode out = JSON.createObjectNode();
        ObjectNode body = out.putObject(item.action());
        body.put("_index", item.index());
        if (item.id() != null) {
            body.put("_id", item.id());
        }
        body.put("status", 503);
        ObjectNode error = body.putObject("error");
        error.put("type", e.type());
        error.put("reason", e.reason());
        return out;
    }

    private static Item withId(Item item, String id) {
        try {
            ObjectNode line = (ObjectNode) JSON.readTree(item.actionLine());
            ((ObjectNode) line.get(item.action())).put("_id", id);
            return new Item(item.action(), item.index(), id, JSON.writeValueAsBytes(line), item.source());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The items of an NDJSON bulk body, or null when it is malformed in any way (this node answers then). */
    private static List<Item> parse(byte[] body, String defaultIndex) {
        List<Item> out = new ArrayList<>();
        int pos = 0;
        while (pos < body.length) {
            int end = lineEnd(body, pos);
            if (blank(body, pos, end)) {
                pos = end + 1;
                continue;
            }
            JsonNode line;
            try {
                line = JSON.readTree(body, pos, end - pos);
            } catch (IOException e) {
                return null;
            }
            if (line == null || !line.isObject() || line.size() != 1) {
                return null;
            }
            String action = line.fieldNames().next();
            JsonNode meta = line.get(action);
            if (!List.of("index", "create", "delete", "update").contains(action) || !meta.isObject()) {
                return null;
            }
            String index = meta.hasNonNull("_index") ? meta.get("_index").asText() : defaultIndex;
            String id = meta.hasNonNull("_id") ? meta.get("_id").asText() : null;
            if (index == null || (id == null && !action.equals("index") && !action.equals("create"))) {
                return null;
            }
            byte[] actionLine = Arrays.copyOfRange(body, pos, end);
            pos = end + 1;
            byte[] source = null;
            if (!action.equals("delete")) {
                if (pos >= body.length) {
                    return null;
                }
                int srcEnd = lineEnd(body, pos);
                source = Arrays.copyOfRange(body, pos, srcEnd);
                pos = srcEnd + 1;
            }
            out.add(new Item(action, index, id, actionLine, source));
        }
        return out.isEmpty() ? null : out;
    }

    private static int lineEnd(byte[] body, int from) {
        for (int i = from; i < body.length; i++) {
            if (body[i] == '\n') {
                return i;
            }
        }
        return body.length;
    }

    private static boolean blank(byte[] body, int from, int to) {
        for (int i = from; i < to; i++) {
            if (body[i] != ' ' && body[i] != '\r' && body[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
