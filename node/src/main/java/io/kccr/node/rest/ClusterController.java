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
        Responses.json(ctx, 200, ClusterResponses.Health.green(clusterName,
                indices.readOrAll(ctx.pathParamMap().get("index"))));
    }

    /** {@code GET /_cat/indices[/<index>]}: text table, or JSON with {@code ?format=json}. */
    void catIndices(Context ctx) {
        List<ClusterResponses.CatIndex> rows = indices.resolve(ctx.pathParamMap().get("index"),
                        RequestParams.indicesOptions(ctx, IndicesOptions.STRICT_EXPAND_OPEN_CLOSED)).stream()
                .map(index -> ClusterResponses.CatIndex.of(index, indices.isClosed(index.name()))).toList();
        if ("json".equals(ctx.queryParam("format"))) {
            Responses.json(ctx, 200, rows);
            return;
        }
        boolean verbose = ctx.queryParam("v") != null && !"false".equals(ctx.queryParam("v"));
        Responses.text(ctx, 200, CatTable.render(ClusterResponses.CatIndex.HEADER,
                rows.stream().map(ClusterResponses.CatIndex::cells).toList(), verbose));
    }
}
