package io.kccr.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kccr stats}: {@code GET /<follower>/_ccr/stats} (or every follower's) as a table per shard. */
@Command(name = "stats",
        mixinStandardHelpOptions = true,
        versionProvider = Kccr.Version.class,
        sortOptions = false,
        headerHeading = "",
        header = "Show follower indices' replication stats, one row per shard.",
        description = {
                "Reads GET /<follower>/_ccr/stats (without a name: GET /_ccr/stats, every follower of the node) and"
                        + " GET /<follower>/_ccr/info, and prints per shard: status, ops lag (leader's global"
                        + " checkpoint minus the follower's), lag in seconds (age of the oldest operation not yet"
                        + " applied), the checkpoints, and the operations written; per index its document count.",
                "",
                "Examples:",
                "  kccr stats",
                "  kccr stats geonames-follower",
                "  kccr stats --json geonames-follower | jq '.indices[0].shards[0].lag_seconds'"},
        footerHeading = "%n",
        footer = "Exit codes: 0 ok, 1 error answer (e.g. not a follower), 2 node unreachable.")
final class StatsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    NodeUrl node;

    @Option(names = "--json", description = "Print the node's JSON answer as it is.")
    boolean json;

    @Parameters(index = "0", arity = "0..1", paramLabel = "<follower>",
            description = "The follower index (comma-separated names work too); default: every follower.")
    String follower;

    @Override
    public Integer call() throws Exception {
        NodeClient client = node.client();
        PrintWriter out = spec.commandLine().getOut();
        JsonNode stats = client.get(follower == null ? "/_ccr/stats" : "/" + follower + "/_ccr/stats");
        if (json) {
            out.println(NodeClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(stats));
            out.flush();
            return 0;
        }
        JsonNode indices = follower == null ? stats.path("follow_stats").path("indices") : stats.path("indices");
        if (indices.isEmpty()) {
            out.println("no follower indices on " + client.url() + "; create one with kccr follow");
            out.flush();
            return 0;
        }
        Map<String, String> status = statuses(client.get("/" + (follower == null ? "_all" : follower)
                + "/_ccr/info"));
        Map<String, Long> docs = new HashMap<>();
        for (JsonNode index : indices) {
            String name = index.path("index").asText();
            docs.put(name, count(client, name));
        }
        out.print(table(indices, status, docs));
        out.flush();
        return 0;
    }

    /** Follower name to status, from a {@code _ccr/info} answer. */
    static Map<String, String> statuses(JsonNode info) {
        Map<String, String> status = new HashMap<>();
        for (JsonNode f : info.path("follower_indices")) {
            status.put(f.path("follower_index").asText(), f.path("detailed_status").asText());
        }
        return status;
    }

    /** The index's document count; -1 when it cannot be searched (e.g. closed). */
    static long count(NodeClient client, String index) {
        try {
            return client.get("/" + index + "/_count").path("count").asLong(-1);
        } catch (NodeError e) {
            return -1;
        }
    }

    /** The per-shard table of a stats answer's {@code indices}. */
    static String table(JsonNode indices, Map<String, String> status, Map<String, Long> docs) {
        TextTable table = new TextTable("index", "shard", "status", "ops_lag", "lag_s", "leader_gcp", "follower_gcp",
                "ops_written", "docs");
        for (JsonNode index : indices) {
            String name = index.path("index").asText();
            String indexStatus = status.getOrDefault(name, "?");
            boolean first = true;
            for (JsonNode s : index.path("shards")) {
                long lag = Math.max(0, s.path("leader_global_checkpoint").asLong()
                        - s.path("follower_global_checkpoint").asLong());
                Long count = docs.get(name);
                table.row(name, s.path("shard_id").asInt(), shardStatus(indexStatus, s), lag,
                        String.format(Locale.ROOT, "%.1f", s.path("lag_seconds").asDouble()),
                        s.path("leader_global_checkpoint").asLong(), s.path("follower_global_checkpoint").asLong(),
                        s.path("operations_written").asLong(),
                        first ? (count == null || count < 0 ? "-" : count.toString()) : "");
                first = false;
            }
        }
        return table.render();
    }

    /** A shard's status: the index's, unless the shard failed or is still copying files. */
    static String shardStatus(String indexStatus, JsonNode shard) {
        if (shard.hasNonNull("fatal_exception")) {
            return "failed";
        }
        JsonNode bootstrap = shard.path("bootstrap");
        if (indexStatus.equals("bootstrapping") && bootstrap.isObject()
                && !bootstrap.path("stage").asText().equals("done")) {
            return "bootstrapping " + bootstrap.path("percent").asDouble() + "%";
        }
        return indexStatus;
    }
}
