package io.kccr.node.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.kccr.node.indices.IndexResolver;
import io.kccr.core.shard.SearchableIndex;
import io.kccr.follower.FollowerIndex;
import io.kccr.follower.bootstrap.ShardRecoveryState;
import io.kccr.follower.replay.ShardReplayState;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /_recovery} and {@code GET /<index>/_recovery}, in Elasticsearch's shape: per shard the
 * stage, files and bytes (total, reused, recovered, percent), times and throttle time. A follower's
 * shards show their bootstrap from the leader (type {@code SNAPSHOT}, as Elasticsearch's CCR remote
 * recovery does); a leader index's shards were recovered from their own store.
 * {@code ?active_only=true} leaves out shards that are done.
 */
final class RecoveryController {
    private final IndexResolver resolver;
    private final Clock clock;

    RecoveryController(IndexResolver resolver, Clock clock) {
        this.resolver = resolver;
        this.clock = clock;
    }

    void recovery(Context ctx) {
        boolean activeOnly = "true".equals(ctx.queryParam("active_only"));
        String expression = ctx.pathParamMap().get("index");
        List<SearchableIndex> indices = expression == null ? resolver.all() : List.of(resolver.read(expression));
        ObjectNode out = Json.object();
        for (SearchableIndex index : indices) {
            ArrayNode shards = Json.MAPPER.createArrayNode();
            if (index instanceof FollowerIndex f && f.rebuiltLast()) {
                for (ShardReplayState s : f.replay()) {
                    if (!activeOnly || s.stage() != ShardReplayState.Stage.DONE) {
                        shards.add(replayed(f, s));
                    }
                }
            } else if (index instanceof FollowerIndex f && !f.recovery().isEmpty()) {
                for (ShardRecoveryState s : f.recovery()) {
                    if (!activeOnly || s.stage() != ShardRecoveryState.Stage.DONE) {
                        shards.add(bootstrapped(f, s));
                    }
                }
            } else if (!activeOnly) {
                for (int shard = 0; shard < index.metadata().numberOfShards(); shard++) {
                    shards.add(fromStore(shard));
                }
            }
            if (!shards.isEmpty()) {
                out.putObject(index.name()).set("shards", shards);
            }
        }
        Responses.json(ctx, 200, out);
    }

    private ObjectNode bootstrapped(FollowerIndex f, ShardRecoveryState s) {
        long stop = s.stopMillis();
        long total = s.startMillis() == 0 ? 0 : (stop == 0 ? clock.millis() : stop) - s.startMillis();
        ObjectNode shard = shard(s.shard(), "SNAPSHOT", s.stage().name(), s.startMillis(), stop, total);
        ObjectNode source = shard.putObject("source");
        source.put("repository", "_ccr_" + f.definition().remoteCluster());
        source.put("index", f.definition().leaderIndex());
        ObjectNode index = shard.putObject("index");
        ObjectNode size = index.putObject("size");
        size.put("total_in_bytes", s.bytesTotal());
        size.put("reused_in_bytes", s.bytesReused());
        size.put("recovered_in_bytes", s.bytesRecovered());
        size.put("percent", percent(s.bytesPercent()));
        ObjectNode files = index.putObject("files");
        files.put("total", s.filesTotal());
        files.put("reused", s.filesReused());
        files.put("recovered", s.filesRecovered());
        files.put("percent", percent(s.filesPercent()));
        index.put("total_time_in_millis", total);
        index.put("source_throttle_time_in_millis", 0);
        index.put("target_throttle_time_in_millis", s.throttleMillis());
        rest(shard);
        return shard;
    }

    /**
     * A rebuild from the leader's log: Elasticsearch's {@code translog} phase counts the ops replayed
     * (in log offsets); no file is copied (type {@code LOG_REPLAY}, ours).
     */
    private ObjectNode replayed(FollowerIndex f, ShardReplayState s) {
        long stop = s.stopMillis();
        long total = s.startMillis() == 0 ? 0 : (stop == 0 ? clock.millis() : stop) - s.startMillis();
        ObjectNode shard = fromStore(s.shard());
        shard.setAll(shard(s.shard(), "LOG_REPLAY", s.stage().name(), s.startMillis(), stop, total));
        ObjectNode source = Json.object();
        source.put("topic", f.definition().opsTopic());
        source.put("index", f.definition().leaderIndex());
        shard.set("source", source);
        ObjectNode translog = (ObjectNode) shard.get("translog");
        translog.put("recovered", s.replayed());
        translog.put("total", s.total());
        translog.put("percent", percent(s.percent()));
        translog.put("total_on_start", s.total());
        translog.put("total_time_in_millis", total);
        return shard;
    }

    private static ObjectNode fromStore(int id) {
        ObjectNode shard = shard(id, "EXISTING_STORE", "DONE", 0, 0, 0);
        ObjectNode index = shard.putObject("index");
        ObjectNode size = index.putObject("size");
        size.put("total_in_bytes", 0);
        size.put("reused_in_bytes", 0);
        size.put("recovered_in_bytes", 0);
        size.put("percent", "100.0%");
        ObjectNode files = index.putObject("files");
        files.put("total", 0);
        files.put("reused", 0);
        files.put("recovered", 0);
        files.put("percent", "100.0%");
        index.put("total_time_in_millis", 0);
        index.put("source_throttle_time_in_millis", 0);
        index.put("target_throttle_time_in_millis", 0);
        rest(shard);
        return shard;
    }

    private static ObjectNode shard(int id, String type, String stage, long start, long stop, long total) {
        ObjectNode shard = Json.object();
        shard.put("id", id);
        shard.put("type", type);
        shard.put("stage", stage);
        shard.put("primary", true);
        shard.put("start_time_in_millis", start);
        if (stop > 0) {
            shard.put("stop_time_in_millis", stop);
        }
        shard.put("total_time_in_millis", total);
        return shard;
    }

    /** The phases that mean nothing here (no translog: streaming follows), reported done and empty. */
    private static void rest(ObjectNode shard) {
        ObjectNode translog = shard.putObject("translog");
        translog.put("recovered", 0);
        translog.put("total", 0);
        translog.put("percent", "100.0%");
        translog.put("total_on_start", 0);
        translog.put("total_time_in_millis", 0);
        ObjectNode verify = shard.putObject("verify_index");
        verify.put("check_index_time_in_millis", 0);
        verify.put("total_time_in_millis", 0);
    }

    private static String percent(double value) {
        return String.format(Locale.ROOT, "%.1f%%", value);
    }
}
