package io.kccr.follower.bootstrap;

import io.kccr.core.recovery.RestoreManifest;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * Where a bootstrap reads a leader index's pinned commits from: the leader's restore sessions
 * ({@code POST /<index>/_ccr/restore_session}, file ranges, release).
 */
public interface RestoreSource {

    /** Pins the current commit of every shard of {@code leaderIndex} and describes them. */
    RestoreManifest open(String leaderIndex) throws IOException;

    /**
     * Bytes {@code [from, from + length)} of {@code file} of shard {@code shard} in the session; the
     * future fails with {@link SessionGoneException} when the session expired or was released, with
     * an {@link IOException} otherwise.
     */
    CompletableFuture<byte[]> read(String session, int shard, String file, long from, int length);

    /** Releases the session (the leader may then delete the files only it pinned); best effort. */
    void release(String session);

    /** The leader no longer knows the session: it expired or was released. Open a new one. */
    final class SessionGoneException extends IOException {
        public SessionGoneException(String message) {
            super(message);
        }
    }
}
