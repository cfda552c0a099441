package io.kccr.node.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.kccr.core.cluster.NodeInfo;
import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.error.NotFoundException;
import io.kccr.core.settings.TimeValue;
import io.kccr.core.shard.SearchableIndex;
import io.kccr.leader.LeaderIndex;
import com.fasterxml.jackson.databind.JsonNode;
import io.kccr.node.cluster.ClusterRouting;
import io.kccr.node.cluster.ClusterSearch;
import io.kccr.follower.FollowerIndex;
import io.kccr.node.cluster.FollowerListings;
import io.kccr.node.cluster.ClusterView;
import io.kccr.node.cluster.Health;
import io.kccr.node.cluster.NodeStatus;
import io.kccr.node.indices.IndexResolver;
import io.kccr.node.indices.IndicesOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntPredicate;

/**
 * The cluster APIs of a node in a cluster: {@code _cluster/health} (with {@code wait_for_status},
 * {@code wait_for_nodes}, {@code wait_for_no_relocating_shards}, {@code wait_for_no_initializing_shards},
 * {@code timeout}), {@code _cat/shards}, {@code _cat/nodes}, {@code _nodes}, {@code _cat/indices}, and the
 * endpoints the nodes ask each other ({@link ClusterView#STATUS_PATH}, {@link ClusterSearch#SHARDS_PATH}). Client
 * IO only: {@link ClusterView} gathers what they show.
 */
final class ClusterStateController {
    private static final long POLL_MILLIS = 200;

    private final ClusterView view;
    private final ClusterSearch search;
    private final IndexResolver indices;
    private final String clusterName;
    private final FollowerListings listings;

    ClusterStateController(ClusterView view, ClusterSearch search, IndexResolver indices, String clusterName,
                           FollowerListings listings) {
        this.listings = listings;
        this.view = view;
        this.search = search;
        this.indices = indices;
        this.clusterName = clusterName;
    }

    /** {@code GET /_cluster/health[/<index>]}: waits as asked, up to {@code timeout} (30s), then answers. */
    void health(Context ctx) throws InterruptedException {
        String index = ctx.pathParamMap().get("index");
        if (index != null && !indices.red().containsKey(index)) {
            indices.read(index);
        }
        String waitStatus = ctx.queryParam("wait_for_status");
        IntPredicate nodes = nodesCondition(ctx.queryParam("wait_for_nodes"));
        boolean noRelocating = flag(ctx, "wait_for_no_relocating_shards");
        boolean noInitializing = flag(ctx, "wait_for_no_initializing_shards");
        Duration timeout = ctx.queryParam("timeout") == null ? Duration.ofSeconds(30)
                : TimeValue.parse(ctx.queryParam("timeout"), "timeout").toDuration();
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean waits = waitStatus != null || nodes != null || noRelocating || noInitializing;
        while (true) {
            Health h = health(index);
            boolean done = (waitStatus == null || h.atLeast(waitStatus)) && (nodes == null || nodes.test(h.nodes()))
                    && (!noRelocating || h.relocating() == 0) && (!noInitializing || h.initializing() == 0);
            if (done || !waits || System.nanoTime() > deadline) {
                boolean timedOut = waits && !done;
                Responses.json(ctx, timedOut ? 408 : 200, new ClusterResponses.Health(clusterName, h.status(),
                        timedOut, h.nodes(), h.nodes(), h.activePrimaries(), h.active(), h.relocating(),
                        h.initializing(), h.unassigned(), h.unassignedPrimaries(), 0, 0, 0, 0, h.activePercent()));
                return;
            }
            Thread.sleep(POLL_MILLIS); // the health is asked of every node again
        }
    }

    private Health health(String index) throws InterruptedException {
        ClusterView.Snapshot s = view.snapshot();
        List<io.kccr.leader.FailedIndex> red = index == null ? List.copyOf(indices.red().values())
                : indices.red().containsKey(index) ? List.of(indices.red().get(index)) : List.of();
        // the rows hold the follower indices' copies as their nodes report them, this node's among them
        return Health.of(s.rows(index), s.table().nodes().size(), 0)
                .withRed(red.stream().mapToInt(io.kccr.leader.FailedIndex::shards).sum());
    }

    private static boolean flag(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v != null && !v.equals("false");
    }

    /** {@code wait_for_nodes}: {@code N}, {@code >=N}, {@code <=N}, {@code >N}, {@code <N}, {@code ge(N)} ... */
    static IntPredicate nodesCondition(String spec) {
        if (spec == null || spec.isBlank()) {
            return null;
        }
        String s = spec.trim();
        try {
            if (s.startsWith(">=")) {
                int n = Integer.parseInt(s.substring(2));
                return x -> x >= n;
            } else if (s.startsWith("<=")) {
                int n = Integer.parseInt(s.substring(2));
                return x -> x <= n;
            } else if (s.startsWith(">")) {
                int n = Integer.parseInt(s.substring(1));
                return x -> x > n;
            } else if (s.startsWith("<")) {
                int n = Integer.parseInt(s.substring(1));
                return x -> x < n;
            } else if (s.matches("(ge|le|gt|lt)\\(\\d+\\)")) {
                int n = Integer.parseInt(s.substring(3, s.length() - 1));
                return switch (s.substring(0, 2)) {
                    case "ge" -> x -> x >= n;
                    case "le" -> x -> x <= n;
                    case "gt" -> x -> x > n;
                    default -> x -> x < n;
                };
            }
            int n = Integer.parseInt(s);
            return x -> x == n;
        } catch (NumberFormatException e) {
            throw InvalidRequestException.illegalArgument("cannot parse wait_for_nodes [" + spec + "]: use N, >=N,"
                    + " <=N, >N, <N or ge(N), le(N), gt(N), lt(N)");
        }
    }

    /** One row of {@code _cat/shards}, every cell as text. */
    record CatShard(String index, String shard, String prirep, String state, String docs, String store, String ip,
                    String node, @JsonProperty("unassigned.reason") String unassignedReason) {
        static final String[] HEADER = {"index", "shard", "prirep", "state", "docs", "store", "ip", "node"};

        String[] cells() {
            return new String[] {index, shard, prirep, state, docs, store, ip, node};
        }
    }

    /** {@code GET /_cat/shards[/<index>]}. */
    void catShards(Context ctx) throws InterruptedException {
        String index = ctx.pathParamMap().get("index");
        if (index != null) {
            indices.read(index);
        }
        List<CatShard> rows = new ArrayList<>();
        for (ClusterView.ShardRow r : view.snapshot().rows(index)) {
            boolean assigned = r.state() != ClusterView.State.UNASSIGNED;
            String node = !assigned ? "" : r.relocating() != null ? r.node().name() + " -> " + r.relocating()
                    : r.node().name();
            rows.add(new CatShard(r.index(), Integer.toString(r.shard()), r.primary() ? "p" : "r", r.state().name(),
                    assigned ? Long.toString(r.docs()) : "", assigned ? ClusterResponses.bytes(r.bytes()) : "",
                    assigned ? host(r.node()) : "", node, assigned ? null : "NODE_LEFT"));
        }
        cat(ctx, rows, CatShard.HEADER, rows.stream().map(CatShard::cells).toList());
    }

    /** One row of {@code _cat/nodes}. */
    record CatNode(String ip, @JsonProperty("heap.percent") String heapPercent,
                   @JsonProperty("ram.percent") String ramPercent, String cpu, @JsonProperty("load_1m") String load1m,
                   @JsonProperty("node.role") String role, String master, String name, String id, String shards) {
        static final String[] HEADER = {"ip", "heap.percent", "ram.percent", "cpu", "load_1m", "node.role", "master",
            "name", "id", "shards"};

        String[] cells() {
            return new String[] {ip, heapPercent, ramPercent, cpu, load1m, role, master, name, id, shards};
        }
    }

    /**
     * {@code GET /_cat/nodes}: every node of the cluster, {@code *} marking the group's leader; {@code shards} counts
     * the copies on the node, of leader and follower indices alike, as {@code _cat/shards} lists them.
     */
    void catNodes(Context ctx) throws InterruptedException {
        ClusterView.Snapshot s = view.snapshot();
        List<CatNode> rows = new ArrayList<>();
        for (NodeInfo n : s.table().nodes()) {
            NodeStatus st = s.statuses().get(n.id());
            rows.add(new CatNode(host(n), st == null ? "" : percent(st.heapUsed(), st.heapMax()),
                    st == null ? "" : percent(st.ramUsed(), st.ramTotal()),
                    st == null || st.cpuPercent() < 0 ? "" : Integer.toString(st.cpuPercent()),
                    st == null || st.load1m() < 0 ? "" : String.format(Locale.ROOT, "%.2f", st.load1m()), "dim",
                    n.id().equals(s.table().leader()) ? "*" : "-", n.name(), n.id().substring(0, 4),
                    st == null ? "" : Long.toString(s.rows().stream()
                            .filter(r -> r.node() != null && r.node().id().equals(n.id())).count())));
        }
        cat(ctx, rows, CatNode.HEADER, rows.stream().map(CatNode::cells).toList());
    }

    /** {@code GET /_nodes}: the nodes, with the addresses they are reached at. */
    void nodes(Context ctx) throws InterruptedException {
        ClusterView.Snapshot s = view.snapshot();
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode counts = root.putObject("_nodes");
        counts.put("total", s.table().nodes().size());
        counts.put("successful", s.statuses().size());
        counts.put("failed", s.table().nodes().size() - s.statuses().size());
        root.put("cluster_name", clusterName);
        ObjectNode nodes = root.putObject("nodes");
        for (NodeInfo n : s.table().nodes()) {
            ObjectNode o = nodes.putObject(n.id());
            o.put("name", n.name());
            o.put("ephemeral_id", n.ephemeralId());
            String address = n.httpAddress().replaceFirst("^https?://", "");
            o.put("transport_address", address);
            o.put("host", host(n));
            o.put("ip", host(n));
            o.put("version", ClusterResponses.COMPATIBLE_VERSION);
            o.put("build_flavor", "default");
            o.put("build_type", "kccr");
            o.put("build_hash", "kccr");
            o.putArray("roles").add("data").add("ingest").add("master");
            o.putObject("attributes");
            o.put("start_time_in_millis", n.startedAt());
            ObjectNode http = o.putObject("http");
            http.putArray("bound_address").add(address);
            http.put("publish_address", address);
        }
        Responses.json(ctx, 200, root);
    }

    /**
     * {@code GET /_cat/indices[/<index>]}: the cluster's figures of each open leader index; closed, follower and red
     * indices as a node alone shows them.
     */
    void catIndices(Context ctx) throws InterruptedException {
        String name = ctx.pathParamMap().get("index");
        ClusterView.Snapshot s = view.snapshot();
        List<ClusterResponses.CatIndex> rows = new ArrayList<>();
        IndicesOptions options = RequestParams.indicesOptions(ctx, IndicesOptions.STRICT_EXPAND_OPEN_CLOSED);
        // the follower indices other nodes host are theirs to report: this node's rows, then theirs
        boolean gathers = !ClusterRouting.forwarded(ctx) && FollowerListings.multiTarget(name);
        if (name == null || !indices.red().containsKey(name)) {
            java.util.Set<String> listed = new java.util.HashSet<>();
            for (SearchableIndex index : gathers ? indices.resolveInCluster(name, options)
                    : indices.resolve(name, options)) {
                boolean closed = indices.isClosed(index.name());
                // a follower index spread over nodes: its parts' copies, as their nodes report them, once
                boolean spread = index instanceof FollowerIndex f && !f.subset().isAll();
                if (listed.add(index.name())) {
                    rows.add(closed || !(index instanceof LeaderIndex || spread)
                            ? ClusterResponses.CatIndex.of(index, closed) : row(index, s));
                }
            }
        }
        indices.red().values().stream().filter(r -> name == null || r.name().equals(name))
                .map(ClusterResponses.CatIndex::red).forEach(rows::add);
        if (gathers) {
            rows = withOthers(ctx, rows);
            if (rows.isEmpty() && !options.allowNoIndices()) {
                throw NotFoundException.index(name == null ? "_all" : name);
            }
        }
        rows.sort(java.util.Comparator.comparing(ClusterResponses.CatIndex::index));
        cat(ctx, rows, ClusterResponses.CatIndex.HEADER, rows.stream().map(ClusterResponses.CatIndex::cells).toList());
    }

    /**
     * {@code here} and the rows of the indices the other nodes report that this node does not (the follower indices
     * they host); each node's leader index rows are the cluster's, as here.
     */
    private List<ClusterResponses.CatIndex> withOthers(Context ctx, List<ClusterResponses.CatIndex> here)
            throws InterruptedException {
        List<JsonNode> others = FollowerListings.items(listings.fromOthers(ctx.path()
                + FollowerListings.partQuery(ctx.queryParam("expand_wildcards"), "format=json")), "");
        List<JsonNode> merged = FollowerListings.merge(here.stream().<JsonNode>map(Json.MAPPER::valueToTree).toList(),
                others, "index");
        List<ClusterResponses.CatIndex> rows = new ArrayList<>();
        for (JsonNode row : merged) {
            try {
                rows.add(Json.MAPPER.treeToValue(row, ClusterResponses.CatIndex.class));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("a node answered a row of _cat/indices this node cannot read: " + row,
                        e);
            }
        }
        return rows;
    }

    private static ClusterResponses.CatIndex row(SearchableIndex index, ClusterView.Snapshot s) {
        List<ClusterView.ShardRow> shards = s.rows(index.name());
        Health h = Health.of(shards, s.table().nodes().size(), 0);
        long docs = shards.stream().filter(r -> r.primary() && r.active()).mapToLong(ClusterView.ShardRow::docs).sum();
        long bytes = shards.stream().filter(ClusterView.ShardRow::active).mapToLong(ClusterView.ShardRow::bytes).sum();
        long priBytes = shards.stream().filter(r -> r.primary() && r.active()).mapToLong(ClusterView.ShardRow::bytes)
                .sum();
        return new ClusterResponses.CatIndex(h.status(), "open", index.name(), index.metadata().uuid(),
                Integer.toString(index.metadata().numberOfShards()),
                Integer.toString(index.metadata().settings().numberOfReplicas()), Long.toString(docs), "0",
                ClusterResponses.bytes(bytes), ClusterResponses.bytes(priBytes), ClusterResponses.bytes(priBytes));
    }

    /** {@value ClusterView#STATUS_PATH}: this node's copies and figures, for another node's cluster APIs. */
    void status(Context ctx) throws IOException {
        ctx.status(200);
        ctx.contentType("application/json");
        ctx.result(view.localJson());
    }

    /** {@value ClusterSearch#SHARDS_PATH}{@code <index>/_search}: this node's part of a search. */
    void shardSearch(Context ctx) throws IOException {
        String name = ctx.pathParam("index");
        ClusterSearch.Target target = indices.find(name) instanceof LeaderIndex leader ? search.target(leader)
                : search.spreadFollower(name); // a follower index spread over the nodes: its parts here
        if (target == null) {
            throw NotFoundException.index(name);
        }
        if (indices.find(name) != null) {
            indices.read(name); // closed: refused
        }
        ClusterSearch.PartRequest part = ClusterSearch.PartRequest.parse(ctx.bodyAsBytes());
        byte[] json = ClusterSearch.toJson(search.searchHere(target, part.shards(), part.body(), part.params()));
        ctx.status(200);
        ctx.contentType("application/json");
        ctx.result(json);
    }

    private static <T> void cat(Context ctx, List<T> rows, String[] header, List<String[]> cells) {
        if ("json".equals(ctx.queryParam("format"))) {
            Responses.json(ctx, 200, rows);
            return;
        }
        boolean verbose = ctx.queryParam("v") != null && !"false".equals(ctx.queryParam("v"));
        Responses.text(ctx, 200, CatTable.render(header, cells, verbose));
    }

    private static String host(NodeInfo n) {
        String address = n.httpAddress().replaceFirst("^https?://", "");
        int colon = address.lastIndexOf(':');
        return colon < 0 ? address : address.substring(0, colon);
    }

    private static String percent(long used, long max) {
        return max <= 0 ? "" : Long.toString(Math.round(100.0 * used / max));
    }
}
