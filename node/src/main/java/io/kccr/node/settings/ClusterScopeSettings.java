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

    /** The table, in the order help and docs show it. */
    public static final List<Setting<?>> ALL = List.of(RECOVERY_MAX_BYTES_PER_SEC, RECOVERY_CHUNK_SIZE,
            RECOVERY_MAX_CONCURRENT_FILE_CHUNKS, RECOVERY_ACTIVITY_TIMEOUT, RECOVERY_MAX_SESSIONS);

    private ClusterScopeSettings() {
    }
}
