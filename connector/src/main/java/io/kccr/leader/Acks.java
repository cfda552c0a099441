package io.kccr.leader;

import io.kccr.core.error.KccrException;
import io.kccr.core.error.UnavailableException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting for a write's acknowledgement, bounded by the write timeout. */
public final class Acks {
    private Acks() {
    }

    /**
     * The write's result once it is in the log and applied. Fails with the write's own
     * {@link KccrException}, or a 503 when it is not acknowledged within {@code timeout} (plus a margin
     * for the batch it is in).
     */
    public static WriteResult await(CompletableFuture<WriteResult> future, Duration timeout) {
        try {
            return future.get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof KccrException api) {
                throw api;
            }
            throw new UnavailableException("the write failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new UnavailableException("the write was not acknowledged by Kafka within " + timeout.toMillis()
                    + "ms (ccr.write.timeout); check that Kafka is reachable and retry", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while waiting for the write", e);
        }
    }
}
