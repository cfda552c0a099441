package io.kccr.node.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.kccr.core.shard.SearchableIndex;
import io.kccr.follower.FollowerIndex;
import io.kccr.follower.bootstrap.ShardRecoveryState;
import io.kccr.follower.replay.ShardReplayState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The answer of {@code GET /_recovery}, in Elasticsearch's shape: per index, per shard, the stage, files and
 * bytes (total, reused, recovered, percent), times and throttle time. A follower's shards show their bootstrap
 * from the leader (type {@code SNAPSHOT}, as Elasticsearch's CCR remote recovery does) or their rebuild from the
 * leader's log (type {@code LOG_REPLAY}, ours), whichever came last; a leader index's shards were recovered from
 * their own store ({@code EXISTING_STORE}).
 */
final class RecoveryResponses {
    private static final String DONE = "100.0%";
    private static final Translog NO_TRANSLOG = new Translog(0, 0, DONE, 0, 0);
    private static final VerifyIndex NO_VERIFY = new VerifyIndex(0, 0);
    /** What a shard that copied nothing shows as its index phase. */
    private static final IndexPhase NOTHING_COPIED = new IndexPhase(new Size(0, 0, 0, DONE), new Files(0, 0, 0, DONE),
            0, 0, 0);

    private RecoveryResponses() {
    }

    /** One index's entry. */
    record IndexRecovery(List<ShardRecovery> shards) {
    }

    /** One shard's recovery: copied from files, or replayed from the log. */
    sealed interface ShardRecovery permits CopiedShard, ReplayedShard {
    }

    /**
     * A shard recovered from files: a follower's bootstrap from its leader ({@code SNAPSHOT}, with its
     * {@code source}), its copy from the node of its cluster that hosts it ({@code PEER}, as Elasticsearch's replicas
     * recover from their primary) or a leader's shard opened from its own store ({@code EXISTING_STORE}).
     *
     * @param stopTimeInMillis when it finished; null (and left out) while it runs
     * @param source           what it copies from; null (and left out) for a leader's shard
     */
    record CopiedShard(int id, String type, String stage, boolean primary, long startTimeInMillis,
                       @JsonInclude(JsonInclude.Include.NON_NULL) Long stopTimeInMillis, long totalTimeInMillis,
                       @JsonInclude(JsonInclude.Include.NON_NULL) CopySource source, IndexPhase index,
                       Translog translog, VerifyIndex verifyIndex) implements ShardRecovery {
    }

    /**
     * A follower shard rebuilt from the leader's log: Elasticsearch's {@code translog} phase counts the ops
     * replayed (in log offsets); no file is copied. Its fields come in the order this API always gave them.
     *
     * @param stopTimeInMillis when it finished; null (and left out) while it runs
     */
    record ReplayedShard(int id, String type, String stage, boolean primary, long startTimeInMillis,
                         long totalTimeInMillis, IndexPhase index, Translog translog, VerifyIndex verifyIndex,
                         @JsonInclude(JsonInclude.Include.NON_NULL) Long stopTimeInMillis, LogSource source)
            implements ShardRecovery {
    }

    /** Where a follower's copy comes from. */
    sealed interface CopySource permits SnapshotSource, PeerSource {
    }

    /** Where a bootstrap copies from: Elasticsearch's CCR repository of the remote, and the leader index. */
    record SnapshotSource(String repository, String index) implements CopySource {
    }

    /** The node of the follower's cluster a copy comes from, by name. */
    record PeerSource(String name) implements CopySource {
    }

    /** Where a rebuild replays from: the leader's ops topic, and the leader index. */
    record LogSource(String topic, String index) {
    }

    /** The files phase. */
    record IndexPhase(Size size, Files files, long totalTimeInMillis, long sourceThrottleTimeInMillis,
                      long targetThrottleTimeInMillis) {
    }

    /** Bytes of the files phase. */
    record Size(long totalInBytes, long reusedInBytes, long recoveredInBytes, String percent) {
    }

    /** Files of the files phase. */
    record Files(long total, long reused, long recovered, String percent) {
    }

    /** The ops phase: ops replayed of a rebuild; empty otherwise, as streaming follows the copy. */
    record Translog(long recovered, long total, String percent, long totalOnStart, long totalTimeInMillis) {
    }

    /** A phase that means nothing here, reported done and empty. */
    record VerifyIndex(long checkIndexTimeInMillis, long totalTimeInMillis) {
    }

    /**
     * The recovery of each of {@code indices} with at least one shard to show, by index name.
     *
     * @param activeOnly leave out the shards that are done ({@code ?active_only=true})
     * @param nowMillis  the time a running recovery's total time is measured to
     */
    static Map<String, IndexRecovery> of(List<SearchableIndex> indices, boolean activeOnly, long nowMillis) {
        Map<String, IndexRecovery> out = new LinkedHashMap<>();
        for (SearchableIndex index : indices) {
            List<ShardRecovery> shards = new ArrayList<>();
            if (index instanceof FollowerIndex f && f.rebuiltLast()) {
                for (ShardReplayState s : f.replay()) {
                    if (!activeOnly || s.stage() != ShardReplayState.Stage.DONE) {
                        shards.add(replayed(f, s, nowMillis));
                    }
                }
            } else if (index instanceof FollowerIndex f && !f.recovery().isEmpty()) {
                for (ShardRecoveryState s : f.recovery()) {
                    if (!activeOnly || s.stage() != ShardRecoveryState.Stage.DONE) {
                        shards.add(bootstrapped(f, s, nowMillis));
                    }
                }
            } else if (!activeOnly) {
                for (int shard : index.heldShards()) { // a part of a follower index spread over nodes: its own
                    shards.add(new CopiedShard(shard, "EXISTING_STORE", "DONE", true, 0, null, 0, null, NOTHING_COPIED,
                            NO_TRANSLOG, NO_VERIFY));
                }
            }
            if (!shards.isEmpty()) { // another part of the same index adds its shards
                IndexRecovery before = out.get(index.name());
                if (before != null) {
                    shards.addAll(0, before.shards());
                }
                out.put(index.name(), new IndexRecovery(shards));
            }
        }
        return out;
    }

    private static CopiedShard bootstrapped(FollowerIndex f, ShardRecoveryState s, long nowMillis) {
        long start = s.startMillis();
        long stop = s.stopMillis(); // read once: the total and the stop time agree though the copy goes on
        long total = totalMillis(start, stop, nowMillis);
        IndexPhase index = new IndexPhase(
                new Size(s.bytesTotal(), s.bytesReused(), s.bytesRecovered(), percent(s.bytesPercent())),
                new Files(s.filesTotal(), s.filesReused(), s.filesRecovered(), percent(s.filesPercent())),
                total, 0, s.throttleMillis());
        String peer = s.peer();
        return new CopiedShard(s.shard(), peer == null ? "SNAPSHOT" : "PEER", s.stage().name(), true, start,
                stopTime(stop), total, peer != null ? new PeerSource(peer)
                : new SnapshotSource("_ccr_" + f.definition().remoteCluster(), f.definition().leaderIndex()),
                index, NO_TRANSLOG, NO_VERIFY);
    }

    private static ReplayedShard replayed(FollowerIndex f, ShardReplayState s, long nowMillis) {
        long start = s.startMillis();
        long stop = s.stopMillis();
        long total = totalMillis(start, stop, nowMillis);
        return new ReplayedShard(s.shard(), "LOG_REPLAY", s.stage().name(), true, start, total,
                NOTHING_COPIED, new Translog(s.replayed(), s.total(), percent(s.percent()), s.total(), total),
                NO_VERIFY, stopTime(stop), new LogSource(f.definition().opsTopic(),
                        f.definition().leaderIndex()));
    }

    /** From the start to the stop, or to now while it runs; 0 before it started. */
    private static long totalMillis(long start, long stop, long nowMillis) {
        return start == 0 ? 0 : (stop == 0 ? nowMillis : stop) - start;
    }

    private static Long stopTime(long stopMillis) {
        return stopMillis > 0 ? stopMillis : null;
    }

    private static String percent(double value) {
        return String.format(Locale.ROOT, "%.1f%%", value);
    }
}
