package io.kccr.core.feed;

import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The shard side of an assignment: what the feed hands one partition's records to.
 *
 * <p>Threads: {@link #apply}, {@link #advanceTo}, {@link #maintain} and {@link #onFailure} for an apply failure are
 * called on the feed's apply threads, never two at a time for one shard, each seeing what the previous call did (the
 * shard's owner thread, in {@code LuceneShard}'s terms). {@link #onFailure} for a read failure comes from a fetcher
 * thread, possibly while an apply runs. {@link #nextOffset}, {@link #maintenanceDue} and {@link #position} may be
 * called from any thread and must be cheap.
 */
public interface ShardSink {

    /** Applies one write request: consecutive records of the partition, in offset order. */
    void apply(List<ConsumerRecord<byte[], byte[]>> records) throws Exception;

    /** Every record before {@code position} was handed over: those left after the last applied one are no ops. */
    void advanceTo(long position);

    /** The offset of the next record the shard needs: where reading starts again after a failed write request. */
    long nextOffset();

    /** The position to show as the shard's committed offset in its consumer group: everything before it applied. */
    long position();

    /** Whether {@link #maintain} has work now (e.g. a durable commit is due); asked about once a second. */
    boolean maintenanceDue(long nowNanos);

    /** Periodic work of the shard between write requests, e.g. a durable commit. */
    void maintain() throws Exception;

    /**
     * Decides what {@code error} means. {@code reading}: the shard's consumer failed (the records it holds stay);
     * otherwise a write request or maintenance failed after applying what {@link #nextOffset} says.
     *
     * @return milliseconds to wait before trying again (reading again from {@link #nextOffset} after a failed write),
     *         or a negative number to stop: the shard is then unassigned, and its owner says why
     */
    long onFailure(Throwable error, boolean reading);
}
