package io.kccr.core.feed;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The read requests of one {@link FeedShard} that its fetcher handed over and its task has not written yet, in
 * offset order: counted in reads, records and bytes against the shard's buffer limits, and as their footprint against
 * the feed's {@link FeedBudget}; and cut into write requests of at most the shard's write limits as the task takes
 * them.
 *
 * <p>Thread-safety: the fetcher thread adds and drops ({@link #add}, {@link #drop}); the shard's task takes
 * ({@link #take}, {@link #dropHead}), one turn at a time; the counts may be read by anyone.
 */
final class ReadBuffer {
    /** What {@link #take} returns when the buffer had nothing to take. */
    static final long NOTHING = Long.MIN_VALUE;

    private final FeedLimits limits;
    private final FeedBudget budget;
    private final ConcurrentLinkedQueue<ReadBatch> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger bufferedReads = new AtomicInteger();
    private final AtomicLong bufferedOps = new AtomicLong();
    private final AtomicLong bufferedBytes = new AtomicLong();

    // the task's: the read request it is taking records from, and how far it took
    private ReadBatch head;
    private int headIndex;

    ReadBuffer(FeedLimits limits, FeedBudget budget) {
        this.limits = limits;
        this.budget = budget;
    }

    /** Fetcher thread: adds a read request, counting it and taking its footprint from the budget. */
    void add(ReadBatch batch) {
        long ops = batch.records().size();
        bufferedReads.incrementAndGet();
        bufferedOps.addAndGet(ops);
        bufferedBytes.addAndGet(batch.bytes());
        budget.take(FeedBudget.footprint(ops, batch.bytes()));
        queue.add(batch);
    }

    /** Fetcher thread: drops every read request not yet taken, releasing what they held. */
    void drop() {
        for (ReadBatch b = queue.poll(); b != null; b = queue.poll()) {
            long ops = b.records().size();
            bufferedReads.decrementAndGet();
            bufferedOps.addAndGet(-ops);
            bufferedBytes.addAndGet(-b.bytes());
            budget.release(FeedBudget.footprint(ops, b.bytes()));
        }
    }

    /** Whether the buffer holds as many reads, records or bytes as the shard's limits allow: reads must pause. */
    boolean atLimit() {
        return bufferedReads.get() >= limits.maxBufferedReads() || bufferedOps.get() >= limits.maxBufferedOps()
                || bufferedBytes.get() >= limits.maxBufferedBytes();
    }

    /** Task: whether there is anything left to take. */
    boolean hasMore() {
        return head != null || !queue.isEmpty();
    }

    /**
     * Task: forgets the read request it was taking from, after a failed write (it is read again), releasing what its
     * records not yet taken held.
     */
    void dropHead() {
        if (head == null) {
            return;
        }
        List<ConsumerRecord<byte[], byte[]>> records = head.records();
        long bytes = 0;
        for (int i = headIndex; i < records.size(); i++) {
            bytes += ReadBatch.size(records.get(i));
        }
        long ops = records.size() - headIndex;
        bufferedReads.decrementAndGet();
        bufferedOps.addAndGet(-ops);
        bufferedBytes.addAndGet(-bytes);
        budget.release(FeedBudget.footprint(ops, bytes));
        head = null;
    }

    /**
     * Task: moves the records of the next write request into {@code request} (empty on entry): at most the shard's
     * write limits, and never past the end of a poll, so that the position moves before more is taken. What they
     * held is released from the counts and the budget.
     *
     * @return the consumer's position after them when they end a poll, else -1; {@link #NOTHING} when the buffer was
     *         empty
     */
    long take(List<ConsumerRecord<byte[], byte[]>> request) {
        long bytes = 0;
        long advance = -1;
        int readsDone = 0;
        while (request.size() < limits.maxWriteOps()) {
            if (head == null) {
                head = queue.poll();
                headIndex = 0;
                if (head == null) {
                    break;
                }
            }
            List<ConsumerRecord<byte[], byte[]>> records = head.records();
            while (headIndex < records.size() && request.size() < limits.maxWriteOps()) {
                ConsumerRecord<byte[], byte[]> r = records.get(headIndex);
                long size = ReadBatch.size(r);
                if (!request.isEmpty() && bytes + size > limits.maxWriteBytes()) {
                    break;
                }
                request.add(r);
                bytes += size;
                headIndex++;
            }
            if (headIndex < records.size()) {
                break; // the write request is full
            }
            advance = head.positionAfter();
            readsDone++;
            head = null;
            if (advance >= 0) {
                break; // the end of a poll: move the position before taking more
            }
        }
        if (request.isEmpty() && advance < 0 && readsDone == 0) {
            return NOTHING;
        }
        int ops = request.size();
        bufferedOps.addAndGet(-ops);
        bufferedBytes.addAndGet(-bytes);
        bufferedReads.addAndGet(-readsDone);
        budget.release(FeedBudget.footprint(ops, bytes));
        return advance;
    }

    int bufferedReads() {
        return bufferedReads.get();
    }

    long bufferedOps() {
        return bufferedOps.get();
    }

    long bufferedBytes() {
        return bufferedBytes.get();
    }
}
