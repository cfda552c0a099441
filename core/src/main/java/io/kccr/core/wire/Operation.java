package io.kccr.core.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * One index operation, as it travels in the ops topic (see {@link OperationCodec} for the
 * record layout): key {@code _id}, value the {@code _source} JSON bytes or null for a delete,
 * the rest in headers.
 *
 * @param id             the document id
 * @param source         the source JSON bytes exactly as indexed; null for a delete
 * @param seqNo          the shard's sequence number, strictly increasing with the partition offset
 * @param primaryTerm    the primary term of the leader shard that wrote it
 * @param op             index or delete
 * @param version        the document's version after this op
 * @param mappingVersion the mapping version the source was parsed with
 * @param historyUuid    the leader's history identity
 */
public record Operation(String id, byte[] source, long seqNo, long primaryTerm, OpType op, long version,
                        long mappingVersion, String historyUuid) {

    public Operation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(historyUuid, "historyUuid");
        if ((op == OpType.DELETE) != (source == null)) {
            throw new IllegalArgumentException("a delete has no source and an index op has one: " + op);
        }
    }

    public static Operation index(String id, byte[] source, long seqNo, long primaryTerm, long version,
                                  long mappingVersion, String historyUuid) {
        return new Operation(id, source, seqNo, primaryTerm, OpType.INDEX, version, mappingVersion, historyUuid);
    }

    public static Operation delete(String id, long seqNo, long primaryTerm, long version, long mappingVersion,
                                   String historyUuid) {
        return new Operation(id, null, seqNo, primaryTerm, OpType.DELETE, version, mappingVersion, historyUuid);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Operation other && id.equals(other.id) && Arrays.equals(source, other.source)
                && seqNo == other.seqNo && primaryTerm == other.primaryTerm && op == other.op
                && version == other.version && mappingVersion == other.mappingVersion
                && historyUuid.equals(other.historyUuid);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, Arrays.hashCode(source), seqNo, primaryTerm, op, version, mappingVersion, historyUuid);
    }

    @Override
    public String toString() {
        return "Operation[" + op.wireName() + " id=" + id + " seq_no=" + seqNo + " term=" + primaryTerm
                + " version=" + version + " mapping_version=" + mappingVersion + "]";
    }
}
