package io.kccr.follower.bootstrap;

import io.kccr.core.recovery.RestoreManifest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * Where a bootstrap reads a leader index's pinned commits from: the leader's restore sessions
 * ({@code POST /<index>/_ccr/restore_session}, file ranges, release).
 */
public interface RestoreSource {

    /** Pins the current commit of every shard of {@code leaderIndex} and describes them. */
    RestoreManifest open(String leaderIndex) throws IOException;

    /**
     * The node of the follower's own cluster the last session {@link #open} opened copies from (a peer copy); null
     * when it is the leader's.
     */
    default String peer() {
        return null;
    }

    /**
     * Streams bytes {@code [from, from + length)} of {@code file} of shard {@code shard} in the session into
     * {@code sink}, in order, as they arrive: the source holds no more of them than it received at a time. The
     * future completes once every byte it received was given to the sink (the caller checks that they were
     * {@code length}); it fails with {@link SessionGoneException} when the session expired or was released, with
     * an {@link IOException} otherwise, and with the sink's exception when the sink threw (the read then stops).
     * Cancelling it stops the read.
     */
    CompletableFuture<Void> read(String session, int shard, String file, long from, int length, ChunkSink sink);

    /** Releases the session (the leader may then delete the files only it pinned); best effort. */
    void release(String session);

    /**
     * Frees what the source holds for reading (connections, threads); reads still running fail. The
     * {@link BootstrapJob} it was given to closes it once the job's run returns.
     */
    default void close() {
    }

    /**
     * Takes one chunk's bytes as a {@link RestoreSource} receives them. Calls for one chunk come one at a time and
     * in order, from any thread.
     */
    @FunctionalInterface
    interface ChunkSink {
        /** Consumes every remaining byte of {@code bytes}, the next ones of the chunk; the buffer is not kept. */
        void accept(ByteBuffer bytes) throws IOException;
    }

    /** The leader no longer knows the session: it expired or was released. Open a new one. */
    final class SessionGoneException extends IOException {
        public SessionGoneException(String message) {
            super(message);
        }
    }
}
