package io.kccr.node.rest;

import io.kccr.core.error.NotFoundException;
import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.error.FailedException;
import io.kccr.node.follow.FollowRequests;
import io.kccr.node.indices.IndexResolver;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.kccr.node.autofollow.AutoFollower;
import io.kccr.node.indices.ClosedIndices;
import io.kccr.node.follow.FollowerCatalog;
import io.kccr.core.index.IndexSettings;
import io.kccr.core.index.TimeValues;
import io.kccr.follower.FollowParameters;
import io.kccr.follower.FollowerIndex;
import io.kccr.follower.FollowerStatus;
import io.kccr.follower.ShardFollowStats;
import io.kccr.follower.bootstrap.ShardRecoveryState;
import io.kccr.follower.replay.AsOf;
import io.kccr.follower.replay.ShardReplayState;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The cross-cluster replication APIs, with Elasticsearch's paths, fields and errors: follow,
 * pause_follow, resume_follow, unfollow, info, stats; and {@code _close}/{@code _open}. Client IO only.
 */
final class CcrController {
    private static final Set<String> FOLLOW_KEYS = Set.of("remote_cluster", "leader_index", "settings",
            "data_stream_name", "max_read_request_operation_count", "max_outstanding_read_requests",
            "max_read_request_size", "max_write_request_operation_count", "max_write_request_size",
            "max_outstanding_write_requests", "max_write_buffer_count", "max_write_buffer_size", "max_retry_delay",
            "read_poll_timeout");

    private final FollowerCatalog followers;
    private final IndexResolver indices;
    private final ClosedIndices closed;
    private final Unfollowing unfollowing;
    private final AutoFollower autoFollower;

    /** Converts a stopped follower into a plain leader index (the runbook's unfollow step). */
    public interface Unfollowing {
        void unfollow(String follower) throws IOException;
    }

    CcrController(FollowerCatalog followers, IndexResolver indices, ClosedIndices closed, Unfollowing unfollowing,
                  AutoFollower autoFollower) {
        this.autoFollower = autoFollower;
        this.followers = followers;
        this.indices = indices;
        this.closed = closed;
        this.unfollowing = unfollowing;
    }

    /** {@code PUT /<follower>/_ccr/follow}. */
    void follow(Context ctx) {
        String name = ctx.pathParam("index");
        JsonNode body = Json.parseObject(ctx.bodyAsBytes());
        List<String> missing = new ArrayList<>();
        if (!body.hasNonNull("remote_cluster")) {
            missing.add("[remote_cluster] is missing");
        }
        if (!body.hasNonNull("leader_index")) {
            missing.add("[leader_index] is missing");
        }
        if (!missing.isEmpty()) {
            StringBuilder reason = new StringBuilder("Validation Failed: ");
            for (int i = 0; i < missing.size(); i++) {
                reason.append(i + 1).append(": ").append(missing.get(i)).append(';');
            }
            throw InvalidRequestException.validation( reason.toString());
        }
        body.fieldNames().forEachRemaining(key -> {
            if (!FOLLOW_KEYS.contains(key)) {
                throw InvalidRequestException.parsing("[put_follow_request] unknown field [" + key + "]");
            }
        });
        IndexSettings.fromJson(body.get("settings")); // validated; Elasticsearch-only settings mean nothing here
        FollowParameters parameters = FollowRequests.parameters(body, FollowParameters.DEFAULTS);
        boolean wait = waitForActiveShards(ctx.queryParam("wait_for_active_shards"));
        Duration timeout = ctx.queryParam("timeout") == null ? Duration.ofSeconds(30)
                : TimeValues.parse(ctx.queryParam("timeout"), "timeout");
        FollowerIndex follower = followers.follow(name, body.get("remote_cluster").asText(),
                body.get("leader_index").asText(), parameters);
        boolean active = wait && awaitActive(follower, timeout);
        ObjectNode out = Json.object();
        out.put("follow_index_created", true);
        out.put("follow_index_shards_acked", active);
        out.put("index_following_started", active);
        Responses.json(ctx, 200, out);
    }

    /** Elasticsearch's {@code wait_for_active_shards}: {@code all} or a count; 0 (the default) waits for none. */
    private static boolean waitForActiveShards(String value) {
        if (value == null || value.equals("0")) {
            return false;
        }
        if (value.equals("all")) {
            return true;
        }
        try {
            if (Integer.parseInt(value) > 0) {
                return true;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw InvalidRequestException.illegalArgument("failed to parse value [" + value + "] for [wait_for_active_shards]:"
                + " expected [all] or a non-negative number of shards");
    }

    /**
     * Waits until the follower's shards are bootstrapped and it streams (true), or the timeout passes
     * (false, as Elasticsearch answers then); a follower that failed meanwhile is an error.
     */
    private static boolean awaitActive(FollowerIndex follower, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (follower.status() == FollowerStatus.FAILED) {
                throw new FailedException("follower [" + follower.name() + "] failed while starting: "
                        + follower.fatalException(), null);
            }
            if (follower.status() == FollowerStatus.ACTIVE) {
                return true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** {@code POST /<follower>/_ccr/rebootstrap}: copies the leader's files again (e.g. after history loss). */
    void rebootstrap(Context ctx) throws IOException {
        followers.rebootstrap(ctx.pathParam("index"));
        Responses.acknowledged(ctx);
    }

    /**
     * {@code POST /<follower>/_ccr/rebuild}: replays the leader's log into a fresh index, to its end
     * or to {@code as_of} (then the follower stays paused there); answers at once, progress in
     * {@code GET /<follower>/_recovery} and {@code _ccr/info}.
     */
    void rebuild(Context ctx) throws IOException {
        String name = ctx.pathParam("index");
        FollowerIndex follower = followers.follower(name);
        AsOf asOf = RebuildRequests.asOf(Json.parseObject(ctx.bodyAsBytes()),
                follower.leaderMetadata().numberOfShards());
        followers.rebuild(name, asOf);
        Responses.acknowledged(ctx);
    }

    /** {@code POST /<follower>/_ccr/pause_follow}. */
    void pause(Context ctx) throws IOException {
        followers.pause(ctx.pathParam("index"));
        Responses.acknowledged(ctx);
    }

    /** {@code POST /<follower>/_ccr/resume_follow}, optionally with new tuning parameters. */
    void resume(Context ctx) throws IOException {
        String name = ctx.pathParam("index");
        JsonNode body = Json.parseObject(ctx.bodyAsBytes());
        FollowerIndex follower = followers.get(name);
        followers.resume(name, FollowRequests.parameters(body, follower.parameters()));
        Responses.acknowledged(ctx);
    }

    /** {@code POST /<follower>/_ccr/unfollow}: the follower must be paused and closed, as in Elasticsearch. */
    void unfollow(Context ctx) throws IOException {
        String name = ctx.pathParam("index");
        FollowerIndex follower = followers.get(name);
        if (follower.status() == FollowerStatus.ACTIVE || follower.status() == FollowerStatus.BOOTSTRAPPING
                || follower.status() == FollowerStatus.REBUILDING) {
            throw InvalidRequestException.illegalArgument("cannot convert the follower index [" + name
                    + "] to a non-follower, because it has not been paused; POST /" + name + "/_ccr/pause_follow first");
        }
        if (follower.shards().size() < follower.leaderMetadata().numberOfShards()) {
            throw InvalidRequestException.illegalArgument("cannot convert the follower index [" + name + "] to a non-follower,"
                    + " because it holds no complete copy of its leader (it was paused while bootstrapping or"
                    + " rebuilding): resume it with POST /" + name + "/_ccr/resume_follow and wait until it is active,"
                    + " or delete it");
        }
        if (!closed.isClosed(name)) {
            throw InvalidRequestException.illegalArgument("cannot convert the follower index [" + name
                    + "] to a non-follower, because it has not been closed; POST /" + name + "/_close first");
        }
        unfollowing.unfollow(name);
        Responses.acknowledged(ctx);
    }

    /** {@code POST /<index>/_close}. */
    void close(Context ctx) {
        String name = ctx.pathParam("index");
        indices.read(name);
        closed.close(name);
        ObjectNode out = Json.object();
        out.put("acknowledged", true);
        out.put("shards_acknowledged", true);
        out.putObject("indices").putObject(name).put("closed", true);
        Responses.json(ctx, 200, out);
    }

    /** {@code POST /<index>/_open}. */
    void open(Context ctx) {
        String name = ctx.pathParam("index");
        if (!indices.exists(name)) {
            throw NotFoundException.index(name);
        }
        closed.open(name);
        ObjectNode out = Json.object();
        out.put("acknowledged", true);
        out.put("shards_acknowledged", true);
        Responses.json(ctx, 200, out);
    }

    /** {@code GET /<index>/_ccr/info}: followers among the named indices ({@code _all}: every follower). */
    void info(Context ctx) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (FollowerIndex f : named(ctx.pathParam("index"), false)) {
            ObjectNode node = list.addObject();
            node.put("follower_index", f.name());
            node.put("remote_cluster", f.definition().remoteCluster());
            node.put("leader_index", f.definition().leaderIndex());
            node.put("status", f.status().jsonName());
            if (f.status() != FollowerStatus.PAUSED) {
                node.set("parameters", Json.MAPPER.valueToTree(f.parameters().toJson()));
            }
            if (f.fatalException() != null) {
                node.put("fatal_exception", f.fatalException());
            }
            if (f.status() == FollowerStatus.BOOTSTRAPPING && !f.recovery().isEmpty()) {
                long total = 0;
                long done = 0;
                for (ShardRecoveryState r : f.recovery()) {
                    total += r.bytesTotal();
                    done += r.bytesReused() + r.bytesRecovered();
                }
                progress(node.putObject("bootstrap"), "bytes", total, done); // ours: the remote recovery's
            }
            if (f.status() == FollowerStatus.REBUILDING && !f.replay().isEmpty()) {
                long total = 0;
                long done = 0;
                for (ShardReplayState r : f.replay()) {
                    total += r.total();
                    done += r.replayed();
                }
                progress(node.putObject("rebuild"), "operations", total, done); // ours: the replay's, in offsets
            }
        }
        ObjectNode out = Json.object();
        out.set("follower_indices", list);
        Responses.json(ctx, 200, out);
    }

    private static void progress(ObjectNode progress, String unit, long total, long done) {
        progress.put(unit + "_total", total);
        progress.put(unit + "_done", done);
        progress.put("percent", total == 0 ? 0 : Math.round(1000.0 * done / total) / 10.0);
    }

    /** {@code GET /<index>/_ccr/stats}. */
    void stats(Context ctx) {
        ObjectNode out = Json.object();
        out.set("indices", FollowStatsJson.indices(named(ctx.pathParam("index"), true)));
        Responses.json(ctx, 200, out);
    }

    /** {@code GET /_ccr/stats}: auto-follow stats and every follower's stats. */
    void allStats(Context ctx) {
        ObjectNode out = Json.object();
        out.set("auto_follow_stats", AutoFollowController.stats(autoFollower.stats()));
        out.putObject("follow_stats").set("indices", FollowStatsJson.indices(followers.all()));
        Responses.json(ctx, 200, out);
    }

    /** The followers {@code names} (comma-separated, {@code _all}) names; unknown names are a 404 when strict. */
    private Collection<FollowerIndex> named(String names, boolean strict) {
        if (names.equals("_all") || names.equals("*")) {
            return followers.all();
        }
        List<FollowerIndex> out = new ArrayList<>();
        for (String name : names.split(",")) {
            FollowerIndex f = followers.getOrNull(name);
            if (f != null) {
                out.add(f);
            } else if (strict || !indices.exists(name)) {
                throw NotFoundException.index(name);
            }
        }
        return out;
    }


    /** Renders {@link ShardFollowStats} as Elasticsearch's follow stats. */
    static final class FollowStatsJson {
        private FollowStatsJson() {
        }

        static ArrayNode indices(Collection<FollowerIndex> followers) {
            ArrayNode indices = Json.MAPPER.createArrayNode();
            for (FollowerIndex f : followers) {
                List<ShardFollowStats> shards = f.stats();
                long lag = shards.stream().mapToLong(s -> Math.max(0, s.leaderGlobalCheckpoint()
                        - s.followerGlobalCheckpoint())).sum();
                ObjectNode index = indices.addObject();
                index.put("index", f.name());
                index.put("total_global_checkpoint_lag", lag);
                index.put("follower_to_leader_lagging_ops_count", lag);
                ArrayNode array = index.putArray("shards");
                List<ShardRecoveryState> bootstrap = f.recovery();
                for (ShardFollowStats s : shards) {
                    ObjectNode shard = array.addObject().setAll(shard(s));
                    if (s.shardId() < bootstrap.size()) {
                        shard.set("bootstrap", bootstrap(bootstrap.get(s.shardId())));
                    }
                }
            }
            return indices;
        }

        /** Ours: the shard's bootstrap (remote recovery) progress, while and after it ran in this process. */
        static ObjectNode bootstrap(ShardRecoveryState r) {
            ObjectNode n = Json.object();
            n.put("stage", r.stage().name().toLowerCase(java.util.Locale.ROOT));
            n.put("files_total", r.filesTotal());
            n.put("files_done", r.filesReused() + r.filesRecovered());
            n.put("bytes_total", r.bytesTotal());
            n.put("bytes_reused", r.bytesReused());
            n.put("bytes_recovered", r.bytesRecovered());
            n.put("percent", Math.round(r.bytesPercent() * 10) / 10.0);
            n.put("throttle_time_millis", r.throttleMillis());
            return n;
        }

        static ObjectNode shard(ShardFollowStats s) {
            ObjectNode n = Json.object();
            n.put("remote_cluster", s.remoteCluster());
            n.put("leader_index", s.leaderIndex());
            n.put("follower_index", s.followerIndex());
            n.put("shard_id", s.shardId());
            n.put("leader_global_checkpoint", s.leaderGlobalCheckpoint());
            n.put("leader_max_seq_no", s.leaderMaxSeqNo());
            n.put("follower_global_checkpoint", s.followerGlobalCheckpoint());
            n.put("follower_max_seq_no", s.followerMaxSeqNo());
            n.put("last_requested_seq_no", s.lastRequestedSeqNo());
            n.put("outstanding_read_requests", s.outstandingReadRequests());
            n.put("outstanding_write_requests", s.outstandingWriteRequests());
            n.put("write_buffer_operation_count", s.writeBufferOperationCount());
            n.put("write_buffer_size_in_bytes", s.writeBufferSizeInBytes());
            n.put("follower_mapping_version", s.followerMappingVersion());
            n.put("follower_settings_version", s.followerSettingsVersion());
            n.put("follower_aliases_version", s.followerAliasesVersion());
            n.put("total_read_time_millis", s.totalReadTimeMillis());
            n.put("total_read_remote_exec_time_millis", s.totalReadRemoteExecTimeMillis());
            n.put("successful_read_requests", s.successfulReadRequests());
            n.put("failed_read_requests", s.failedReadRequests());
            n.put("operations_read", s.operationsRead());
            n.put("bytes_read", s.bytesRead());
            n.put("total_write_time_millis", s.totalWriteTimeMillis());
            n.put("successful_write_requests", s.successfulWriteRequests());
            n.put("failed_write_requests", s.failedWriteRequests());
            n.put("operations_written", s.operationsWritten());
            ArrayNode errors = n.putArray("read_exceptions");
            s.readExceptions().forEach(e -> {
                ObjectNode r = errors.addObject();
                r.put("from_seq_no", s.followerGlobalCheckpoint() + 1);
                r.put("retries", 1);
                ObjectNode ex = r.putObject("exception");
                ex.put("type", "exception");
                ex.put("reason", e);
            });
            n.put("time_since_last_read_millis", s.timeSinceLastReadMillis());
            if (s.fatalException() != null) {
                ObjectNode fatal = n.putObject("fatal_exception");
                int colon = s.fatalException().indexOf(": ");
                fatal.put("type", colon > 0 ? s.fatalException().substring(0, colon) : "exception");
                fatal.put("reason", colon > 0 ? s.fatalException().substring(colon + 2) : s.fatalException());
            }
            n.put("consumer_lag_records", s.consumerLagRecords());
            n.put("lag_seconds", s.lagSeconds());
            n.put("operations_skipped_duplicate", s.operationsSkippedDuplicate());
            return n;
        }
    }
}
