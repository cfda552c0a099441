package io.kccr.leader;

import io.kccr.core.shard.DocState;
import io.kccr.core.wire.Operation;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * A write that was given its seq_no and sent in the shard's open transaction.
 *
 * @param write    the queued write
 * @param op       the operation published
 * @param sent     completes with the op's offset once the producer has sent it
 * @param previous the document's live-version-map entry before this write (to undo it), or null
 * @param result   what the write does to the document
 */
record SequencedWrite(PendingWrite write, Operation op, Future<RecordMetadata> sent, DocState previous,
                      WriteResult.Result result) {
}
