package io.kccr.core.error;

import java.util.Map;

/** {@code version_conflict_engine_exception}: {@code op_type=create} of an existing id, or a failed {@code if_seq_no}. */
public final class VersionConflictException extends KccrException {

    public VersionConflictException(String index, String id, String detail) {
        super("version_conflict_engine_exception", "[" + id + "]: version conflict, " + detail,
                Map.of("index_uuid", "_na_", "shard", "0", "index", index), null);
    }
}
