package io.kccr.follower.replay;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Map;

/**
 * Where a point-in-time rebuild stops: the leader's state as of a time, or as of a seq_no. A
 * {@code timestamp} (epoch millis) keeps every op the leader committed to its log at or before it
 * (Kafka's record timestamp: the leader's publish time), in every shard: a consistent cut of the
 * whole index. A {@code seqNo} keeps, in every shard, the ops up to that seq_no; seq_nos count per
 * shard, so {@code shardSeqNos} names one per shard where they differ (a shard not named takes
 * {@code seqNo}, or has no cut). All null: no cut, the whole log.
 *
 * <p>Serialised with Jackson (snake_case) into the follower's rebuild marker; the camelCase names an
 * earlier version wrote are still read.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AsOf(Long timestamp, @JsonAlias("seqNo") Long seqNo,
                   @JsonAlias("shardSeqNos") Map<Integer, Long> shardSeqNos) {

    public AsOf {
        shardSeqNos = shardSeqNos == null ? Map.of() : Map.copyOf(shardSeqNos);
    }

    /** The whole log: a rebuild that follows on afterwards. */
    public static AsOf none() {
        return new AsOf(null, null, Map.of());
    }

    /** Whether this is a point in time (the rebuilt follower stays paused there), not the whole log. */
    @JsonIgnore
    public boolean isPointInTime() {
        return timestamp != null || seqNo != null || !shardSeqNos.isEmpty();
    }

    /** The highest seq_no shard {@code shard} keeps; {@link Long#MAX_VALUE} when no seq_no cut applies. */
    public long seqNoCut(int shard) {
        Long cut = shardSeqNos.getOrDefault(shard, seqNo);
        return cut == null ? Long.MAX_VALUE : cut;
    }
}
