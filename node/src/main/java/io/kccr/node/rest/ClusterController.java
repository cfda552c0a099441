package io.kccr.node.rest;

import io.javalin.http.Context;
import io.kccr.node.indices.IndexResolver;
import io.kccr.node.indices.IndicesOptions;
import java.util.List;

/** Cluster-level APIs: {@code GET /}, {@code _cluster/health}, {@code _cat/indices}. Client IO only. */
final class ClusterController {
    private final IndexResolver indices;
    private final String clusterName;
    private final ClusterResponses.Root root;

    ClusterController(IndexResolver indices, String clusterName, String nodeName, String clusterUuid) {
        this.indices = indices;
        this.clusterName = clusterName;
        this.root = ClusterResponses.Root.of(nodeName, clusterName, clusterUuid);
    }

    /** {@code GET /}: who this is, in Elasticsearch's shape. */
    void root(Context ctx) {
        Responses.json(ctx, 200, root);
    }

    /** {@code GET /_cluster/health[/<index>]}: green, as every shard here is active. */
    void health(Context ctx) {
        String name = ctx.pathParamMap().get("index");
        List<io.kccr.leader.FailedIndex> red = name == null ? List.copyOf(indices.red().values())
                : indices.red().containsKey(name) ? List.of(indices.red().get(name)) : List.of();
        List<io.kccr.core.shard.SearchableIndex> open = name != null && !red.isEmpty() ? List.of()
                : indices.readOrAll(name);
        Responses.json(ctx, 200, ClusterResponses.Health.of(clusterName, open, red));
    }

    /** {@code GET /_cat/indices[/<index>]}: text table, or JSON with {@code ?format=json}. */
    void catIndices(Context ctx) {
        String name = ctx.pathParamMap().get("index");
        List<ClusterResponses.CatIndex> rows = new java.util.ArrayList<>();
        if (name == null || !indices.red().containsKey(name)) {
            indices.resolve(name, RequestParams.indicesOptions(ctx, IndicesOptions.STRICT_EXPAND_OPEN_CLOSED)).stream()
                    .map(index -> ClusterResponses.CatIndex.of(index, indices.isClosed(index.name()))).forEach(rows::add);
        }
        indices.red().values().stream().filter(r -> name == null || r.name().equals(name))
                .map(ClusterResponses.CatIndex::red).forEach(rows::add);
        rows.sort(java.util.Comparator.comparing(ClusterResponses.CatIndex::index));
        if ("json".equals(ctx.queryParam("format"))) {
            Responses.json(ctx, 200, rows);
            return;
        }
        boolean verbose = ctx.queryParam("v") != null && !"false".equals(ctx.queryParam("v"));
        Responses.text(ctx, 200, CatTable.render(ClusterResponses.CatIndex.HEADER,
                rows.stream().map(ClusterResponses.CatIndex::cells).toList(), verbose));
    }
}
