package io.kccr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rows of {@code kccr lag}, one per follower index, from consecutive samples of {@code GET /_ccr/stats} and
 * {@code GET /_all/_ccr/info}: status, ops lag, lag in seconds, and the apply rate (operations written per second
 * since the previous sample). Keeps the previous sample; not thread-safe.
 */
final class LagView {

    /** One follower: {@code applyRate} is NaN on the first sample (no rate yet). */
    record Row(String index, String status, long opsLag, double lagSeconds, double applyRate) {
    }

    private record Sample(long operationsWritten, long millis) {
    }

    private final Map<String, Sample> previous = new HashMap<>();

    /** The rows for a {@code GET /_ccr/stats} answer and a {@code _ccr/info} answer taken at {@code nowMillis}. */
    List<Row> sample(JsonNode allStats, JsonNode info, long nowMillis) {
        Map<String, String> status = StatsCommand.statuses(info);
        List<Row> rows = new ArrayList<>();
        Map<String, Sample> current = new HashMap<>();
        for (JsonNode index : allStats.path("follow_stats").path("indices")) {
            String name = index.path("index").asText();
            long written = 0;
            double lagSeconds = 0;
            for (JsonNode shard : index.path("shards")) {
                written += shard.path("operations_written").asLong();
                lagSeconds = Math.max(lagSeconds, shard.path("lag_seconds").asDouble());
            }
            Sample before = previous.get(name);
            double rate = before == null || nowMillis <= before.millis() ? Double.NaN
                    : Math.max(0, written - before.operationsWritten()) * 1000.0 / (nowMillis - before.millis());
            current.put(name, new Sample(written, nowMillis));
            rows.add(new Row(name, status.getOrDefault(name, "?"),
                    index.path("follower_to_leader_lagging_ops_count").asLong(), lagSeconds, rate));
        }
        previous.clear();
        previous.putAll(current);
        return rows;
    }

    /** The rows as a table (for a terminal). */
    static String table(List<Row> rows) {
        TextTable table = new TextTable("index", "status", "ops_lag", "lag_s", "apply_ops/s");
        for (Row r : rows) {
            table.row(r.index(), r.status(), r.opsLag(), String.format(Locale.ROOT, "%.1f", r.lagSeconds()),
                    rate(r.applyRate()));
        }
        return table.render();
    }

    /** The rows as one line (for a log or a pipe). */
    static String line(List<Row> rows) {
        if (rows.isEmpty()) {
            return "no follower indices";
        }
        List<String> parts = new ArrayList<>();
        for (Row r : rows) {
            parts.add(String.format(Locale.ROOT, "%s %s ops_lag=%d lag=%.1fs apply=%s/s", r.index(), r.status(),
                    r.opsLag(), r.lagSeconds(), rate(r.applyRate())));
        }
        return String.join("; ", parts);
    }

    private static String rate(double rate) {
        return Double.isNaN(rate) ? "-" : String.format(Locale.ROOT, "%.0f", rate);
    }
}
