package io.kccr.node.rest;

import io.javalin.http.Context;
import io.kccr.node.metrics.NodeMetrics;

/** {@code GET /metrics}: the node's metrics in Prometheus' text format, for Prometheus to scrape. Client IO only. */
final class MetricsController {
    private final NodeMetrics metrics;

    MetricsController(NodeMetrics metrics) {
        this.metrics = metrics;
    }

    void scrape(Context ctx) {
        String body = metrics.scrape();
        ctx.contentType(NodeMetrics.CONTENT_TYPE);
        ctx.result(body);
    }
}
