package io.kccr.leader;

import io.kccr.core.shard.DocState;
import io.kccr.core.wire.Operation;
import java.util.List;
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

    /**
     * Tells {@code listener} that {@code batch} was committed: its size, then one latency per request
     * (a request's writes are queued together, so they are adjacent and share their queue time). One
     * call per request rather than per write keeps the writer thread cheap on large bulks.
     */
    static void committed(List<SequencedWrite> batch, PublishListener.Shard listener) {
        long now = System.nanoTime();
        listener.published(batch.size());
        long queued = 0;
        for (int i = 0; i < batch.size(); i++) {
            long q = batch.get(i).write().queuedNanos();
            if (i == 0 || q != queued) {
                queued = q;
                listener.latency(now - q);
            }
        }
    }
}
