package io.kccr.node.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.kccr.core.shard.SearchableIndex;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Cluster-level APIs: {@code GET /}, {@code _cluster/health}, {@code _cat/indices}. Client IO only. */
final class ClusterController {
    /** The Elasticsearch version the API is compatible with, as the official client checks it. */
    static final String COMPATIBLE_VERSION = "9.0.0";

    private final IndexResolver indices;
    private final String clusterName;
    private final String nodeName;
    private final String clusterUuid;

    ClusterController(IndexResolver indices, String clusterName, String nodeName, String clusterUuid) {
        this.indices = indices;
        this.clusterName = clusterName;
        this.nodeName = nodeName;
        this.clusterUuid = clusterUuid;
    }

    /** {@code GET /}: who this is, in Elasticsearch's shape. */
    void root(Context ctx) {
        ObjectNode out = Json.object();
        out.put("name", nodeName);
        out.put("cluster_name", clusterName);
        out.put("cluster_uuid", clusterUuid);
        ObjectNode version = out.putObject("version");
        version.put("number", COMPATIBLE_VERSION);
        version.put("build_flavor", "default");
        version.put("build_type", "kccr");
        version.put("build_hash", "kccr");
        version.put("build_date", "2026-01-01T00:00:00.000Z");
        version.put("build_snapshot", false);
        version.put("lucene_version", org.apache.lucene.util.Version.LATEST.toString());
        version.put("minimum_wire_compatibility_version", "8.18.0");
        version.put("minimum_index_compatibility_version", "8.0.0");
        out.put("tagline", "You Know, for Search");
        Responses.json(ctx, 200, out);
    }

    /** {@code GET /_cluster/health[/<index>]}: green, as every shard here is active. */
    void health(Context ctx) {
        String only = ctx.pathParamMap().get("index");
        Collection<SearchableIndex> selected = only == null ? indices.all() : List.of(indices.read(only));
        int shards = selected.stream().mapToInt(i -> i.metadata().numberOfShards()).sum();
        ObjectNode out = Json.object();
        out.put("cluster_name", clusterName);
        out.put("status", "green");
        out.put("timed_out", false);
        out.put("number_of_nodes", 1);
        out.put("number_of_data_nodes", 1);
        out.put("active_primary_shards", shards);
        out.put("active_shards", shards);
        out.put("relocating_shards", 0);
        out.put("initializing_shards", 0);
        out.put("unassigned_shards", 0);
        out.put("unassigned_primary_shards", 0);
        out.put("delayed_unassigned_shards", 0);
        out.put("number_of_pending_tasks", 0);
        out.put("number_of_in_flight_fetch", 0);
        out.put("task_max_waiting_in_queue_millis", 0);
        out.put("active_shards_percent_as_number", 100.0);
        Responses.json(ctx, 200, out);
    }

    /** {@code GET /_cat/indices[/<index>]}: text table, or JSON with {@code ?format=json}. */
    void catIndices(Context ctx) {
        String only = ctx.pathParamMap().get("index");
        Collection<SearchableIndex> selected = only == null ? indices.all() : List.of(indices.read(only));
        List<String[]> rows = new ArrayList<>();
        String[] header = {"health", "status", "index", "uuid", "pri", "rep", "docs.count", "docs.deleted",
            "store.size", "pri.store.size", "dataset.size"};
        for (SearchableIndex index : selected) {
            String size = bytes(index.sizeInBytes());
            rows.add(new String[] {"green", "open", index.name(), index.metadata().uuid(),
                String.valueOf(index.metadata().numberOfShards()), "0", String.valueOf(index.docCount()), "0",
                size, size, size});
        }
        if ("json".equals(ctx.queryParam("format"))) {
            ArrayNode out = Json.MAPPER.createArrayNode();
            for (String[] row : rows) {
                ObjectNode obj = out.addObject();
                for (int i = 0; i < header.length; i++) {
                    obj.put(header[i], row[i]);
                }
            }
            Responses.json(ctx, 200, out);
            return;
        }
        boolean verbose = ctx.queryParam("v") != null && !"false".equals(ctx.queryParam("v"));
        Responses.text(ctx, 200, CatTable.render(header, rows, verbose));
    }

    /** Elasticsearch's human byte sizes: {@code 4.2mb}, {@code 812b}. */
    static String bytes(long n) {
        String[] units = {"b", "kb", "mb", "gb", "tb"};
        double v = n;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? n + "b" : String.format(java.util.Locale.ROOT, "%.1f%s", v, units[u]);
    }
}
