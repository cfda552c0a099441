package io.kccr.core.index;

import java.util.HashMap;
import java.util.Map;

/**
 * What every Lucene commit of a shard, leader and follower alike, says about where it is
 * (invariant 3): all ops up to {@code maxSeqNo} are in the commit; the next op to apply is at
 * Kafka offset {@code nextOffset} of the shard's partition. A leader's commit holds no op after
 * {@code maxSeqNo}; a follower's, made beside its applying thread, may hold a few, which replaying
 * from {@code nextOffset} applies again to the same effect.
 *
 * @param maxSeqNo       the highest seq_no applied, -1 when none
 * @param nextOffset     the offset in the ops partition of the next op to apply
 * @param historyUuid    the leader history these ops belong to
 * @param mappingVersion the mapping version the commit's documents were indexed with
 */
public record ShardCommitData(long maxSeqNo, long nextOffset, String historyUuid, long mappingVersion) {

    public static final String MAX_SEQ_NO = "max_seq_no";
    public static final String NEXT_OFFSET = "kafka_next_offset";
    public static final String HISTORY_UUID = "history_uuid";
    public static final String MAPPING_VERSION = "mapping_version";

    /** The state of a shard that has applied nothing yet. */
    public static ShardCommitData empty(String historyUuid) {
        return new ShardCommitData(-1, 0, historyUuid, 0);
    }

    public Map<String, String> toUserData() {
        Map<String, String> data = new HashMap<>();
        data.put(MAX_SEQ_NO, Long.toString(maxSeqNo));
        data.put(NEXT_OFFSET, Long.toString(nextOffset));
        data.put(HISTORY_UUID, historyUuid);
        data.put(MAPPING_VERSION, Long.toString(mappingVersion));
        return data;
    }

    /** Reads a commit's user data; null when the commit carries none of ours (e.g. an empty index). */
    public static ShardCommitData fromUserData(Map<String, String> data) {
        if (data == null || !data.containsKey(NEXT_OFFSET)) {
            return null;
        }
        return new ShardCommitData(Long.parseLong(data.get(MAX_SEQ_NO)), Long.parseLong(data.get(NEXT_OFFSET)),
                data.get(HISTORY_UUID), Long.parseLong(data.get(MAPPING_VERSION)));
    }
}
