package io.kccr.core.feed;

import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One read request of a shard: records of its partition from one poll (at most its read limits), and, for the last
 * one of a poll, the consumer's position after it (records before it that were not returned are no ops: transaction
 * markers, aborted records). A batch without records only moves the position.
 *
 * @param positionAfter the consumer's position after these records, or -1 when another batch of the poll follows
 */
record ReadBatch(List<ConsumerRecord<byte[], byte[]>> records, long bytes, long positionAfter) {

    /** Key and value bytes of a record, the size read and write limits count. */
    static long size(ConsumerRecord<byte[], byte[]> r) {
        return Math.max(0, r.serializedKeySize()) + Math.max(0, r.serializedValueSize());
    }
}
