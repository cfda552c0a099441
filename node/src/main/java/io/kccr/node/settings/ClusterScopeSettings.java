package io.kccr.node.settings;

import io.kccr.core.settings.ByteSizeValue;
import io.kccr.core.settings.Setting;
import io.kccr.core.settings.Setting.Scope;
import io.kccr.core.settings.TimeValue;
import java.util.List;

/**
 * The dynamic cluster settings with plain keys: how followers copy a leader's files and how long a leader keeps its
 * restore sessions. {@code PUT /_cluster/settings} changes them at run time; a node also takes them at start-up.
 * The remote cluster settings are in {@link RemoteClusterSettings}.
 */
public final class ClusterScopeSettings {

    public static final Setting<ByteSizeValue> RECOVERY_MAX_BYTES_PER_SEC =
            Setting.byteSize("ccr.indices.recovery.max_bytes_per_sec")
                    .validator(v -> v.bytes() >= 0)
                    .accepted("a byte size with unit b, kb, mb or gb (e.g. 40mb); 0 means unlimited")
                    .defaultValue("40mb")
                    .scope(Scope.CLUSTER).dynamic()
                    .doc("Largest rate at which a follower copies index files from a leader during recovery, per "
                            + "node; 0 for no limit.")
                    .build();
    // 8mb rather than Elasticsearch's 1mb: each chunk is an HTTP request here, whose fixed cost dominates at 1mb
    public static final Setting<ByteSizeValue> RECOVERY_CHUNK_SIZE = Setting.byteSize("ccr.indices.recovery.chunk_size")
            .validator(v -> v.bytes() >= 1 && v.bytes() <= Integer.MAX_VALUE)
            .accepted("a byte size with unit b, kb, mb or gb, from 1b to 2147483647b (e.g. 1mb)")
            .defaultValue("8mb")
            .scope(Scope.CLUSTER).dynamic()
            .doc("Size of the pieces in which a follower copies index files from a leader during recovery; each is "
                    + "an HTTP request.")
            .build();
    public static final Setting<Integer> RECOVERY_MAX_CONCURRENT_FILE_CHUNKS =
            Setting.integer("ccr.indices.recovery.max_concurrent_file_chunks", 1, 10)
                    .defaultValue("5")
                    .scope(Scope.CLUSTER).dynamic()
                    .doc("How many file chunks a follower requests at a time per shard during recovery.")
                    .build();
    public static final Setting<TimeValue> RECOVERY_ACTIVITY_TIMEOUT =
            Setting.time("ccr.indices.recovery.recovery_activity_timeout")
                    .validator(t -> t.nanos() > 0)
                    .accepted("a time value above 0 with unit ms, s, m or h (e.g. 60s)")
                    .defaultValue("60s")
                    .scope(Scope.CLUSTER).dynamic()
                    .doc("How long a leader keeps a restore session that receives no request; then it releases the "
                            + "session and the index commits it pins.")
                    .build();
    public static final Setting<Integer> RECOVERY_MAX_SESSIONS = Setting.integer("ccr.recovery.max_sessions", 1, 1024)
            .defaultValue("16")
            .scope(Scope.CLUSTER).dynamic()
            .doc("How many restore sessions (followers bootstrapping from this node's indices) a leader node keeps "
                    + "open at once; one more is refused with 429.")
            .build();

    public static final Setting<Integer> SEARCH_MAX_BUCKETS = Setting.integer("search.max_buckets", 1,
                    Integer.MAX_VALUE)
            .defaultValue("65536")
            .scope(Scope.CLUSTER).dynamic()
            .doc("Most buckets one search's aggregations may return, over all levels; more is a 400"
                    + " too_many_buckets_exception.")
            .build();
    public static final Setting<Integer> SEARCH_MAX_OPEN_SCROLL_CONTEXT = Setting.integer(
                    "search.max_open_scroll_context", 0, Integer.MAX_VALUE)
            .defaultValue("500")
            .scope(Scope.CLUSTER).dynamic()
            .doc("Most scrolls open at once on this node; one more is refused with 429"
                    + " too_many_scroll_contexts_exception.")
            .build();
    public static final Setting<TimeValue> SEARCH_MAX_KEEP_ALIVE = Setting.time("search.max_keep_alive")
            .validator(t -> t.nanos() > 0)
            .accepted("a time value above 0 (e.g. 24h)")
            .defaultValue("24h")
            .scope(Scope.CLUSTER).dynamic()
            .doc("Longest keep_alive a scroll or point in time may ask for.")
            .build();
    public static final Setting<Long> BREAKER_REQUEST_LIMIT = Setting.of("indices.breaker.request.limit",
                    Setting.Type.BYTE_SIZE, v -> ByteSizeValue.parseBytesOrHeapRatio(v,
                    "indices.breaker.request.limit"))
            .accepted("a percentage of the heap (e.g. 60%) or a byte size (e.g. 512mb)")
            .defaultValue("60%")
            .scope(Scope.CLUSTER).dynamic()
            .doc("Memory all running searches may hold for aggregations at once; a search that would pass it gets"
                    + " 429 circuit_breaking_exception.")
            .build();

    public static final Setting<Boolean> DISK_THRESHOLD_ENABLED = Setting.bool(
                    "cluster.routing.allocation.disk.threshold_enabled")
            .defaultValue("true")
            .scope(Scope.CLUSTER).dynamic()
            .doc("Whether the disk watermarks apply.")
            .build();
    public static final Setting<String> DISK_WATERMARK_HIGH = watermark("cluster.routing.allocation.disk.watermark.high",
            "90%", "Disk usage under which the flood-stage block is lifted again.");
    public static final Setting<String> DISK_WATERMARK_FLOOD_STAGE = watermark(
            "cluster.routing.allocation.disk.watermark.flood_stage", "95%", "Disk usage of path.data at which every"
                    + " index of the node gets index.blocks.read_only_allow_delete (writes: 429 cluster_block_exception)"
                    + " and followers stop applying until usage is below the high watermark.");
    public static final Setting<io.kccr.core.settings.TimeValue> CLUSTER_INFO_UPDATE_INTERVAL = Setting.time(
                    "cluster.info.update.interval")
            .validator(t -> t.millis() >= 1000)
            .accepted("a time value of at least 1s (e.g. 30s)")
            .defaultValue("30s")
            .scope(Scope.CLUSTER).dynamic()
            .doc("How often the node checks its disk usage against the watermarks.")
            .build();

    /** The table, in the order help and docs show it. */
    public static final List<Setting<?>> ALL = List.of(RECOVERY_MAX_BYTES_PER_SEC, RECOVERY_CHUNK_SIZE,
            RECOVERY_MAX_CONCURRENT_FILE_CHUNKS, RECOVERY_ACTIVITY_TIMEOUT, RECOVERY_MAX_SESSIONS,
            SEARCH_MAX_BUCKETS, SEARCH_MAX_OPEN_SCROLL_CONTEXT, SEARCH_MAX_KEEP_ALIVE, BREAKER_REQUEST_LIMIT,
            DISK_THRESHOLD_ENABLED, DISK_WATERMARK_HIGH, DISK_WATERMARK_FLOOD_STAGE, CLUSTER_INFO_UPDATE_INTERVAL);

    /** A disk watermark: a percentage of the disk used (e.g. 95%), or a byte size of the disk left free (e.g. 1gb). */
    private static Setting<String> watermark(String key, String defaultValue, String doc) {
        return Setting.string(key)
                .validator(v -> {
                    try {
                        Watermark.parse(v, key);
                        return true;
                    } catch (IllegalArgumentException e) {
                        return false;
                    }
                })
                .accepted("a percentage of the disk used (e.g. 95%) or a byte size left free (e.g. 1gb)")
                .defaultValue(defaultValue)
                .scope(Scope.CLUSTER).dynamic()
                .doc(doc)
                .build();
    }

    private ClusterScopeSettings() {
    }
}
