package io.kccr.leader;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The outcome of one queued write, and who got to it first: the shard's writer, which sequences it into the log
 * ({@link #claim}), or its caller, who gave up waiting ({@link #abandon}). Exactly one of them wins, so a write whose
 * caller was told "not written" is never sequenced afterwards.
 */
public final class WriteFuture extends CompletableFuture<WriteResult> {
    private static final int QUEUED = 0;
    private static final int SEQUENCED = 1;
    private static final int ABANDONED = 2;

    private final AtomicInteger state = new AtomicInteger(QUEUED);

    /** The writer takes the write: false when its caller gave up first (the write is dropped). */
    boolean claim() {
        return state.compareAndSet(QUEUED, SEQUENCED) || state.get() == SEQUENCED;
    }

    /**
     * The caller gives up on the write: true when the writer had not taken it yet, so it never will (nothing is
     * written); false when it was sequenced already, so its outcome is unknown until the log says.
     */
    public boolean abandon() {
        return state.compareAndSet(QUEUED, ABANDONED) || state.get() == ABANDONED;
    }
}
