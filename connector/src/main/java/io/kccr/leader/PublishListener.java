package io.kccr.leader;

/**
 * Told what each leader shard commits to Kafka, on the shard's writer thread right after the
 * transaction committed: implementations must be cheap and must never block, as every write of
 * the shard waits behind them.
 */
public interface PublishListener {
    /** Listens to nothing. */
    PublishListener NONE = (index, shard) -> Shard.NONE;

    /** The listener of one shard's writer, from its start until {@link Shard#close} (the index closes). */
    Shard open(String index, LeaderShard shard);

    /** One shard's listener. */
    interface Shard extends AutoCloseable {
        Shard NONE = new Shard() {
            @Override
            public void published(int ops) {
            }

            @Override
            public void latency(long nanos) {
            }
        };

        /** A transaction holding {@code ops} ops committed. */
        void published(int ops);

        /**
         * One request's writes to the shard were committed {@code nanos} after they were queued
         * (called once per request of the transaction, after {@link #published}).
         */
        void latency(long nanos);

        /** The shard's writer stopped: nothing more is published through it. */
        @Override
        default void close() {
        }
    }
}
