package io.kccr.cli;

import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.error.FailedException;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Future;

/**
 * Watches a follower index through {@code GET /<f>/_ccr/info} (its status) and {@code GET /<f>/_recovery} (its
 * shards' progress), drawing a {@link Progress} bar while the status is one of the given ones; used by follow
 * (bootstrapping) and rebuild (rebuilding).
 */
final class FollowerWatch {
    static final Duration POLL = Duration.ofMillis(500);

    private final NodeClient client;
    private final String follower;
    private final Progress progress;

    FollowerWatch(NodeClient client, String follower, Progress progress) {
        this.client = client;
        this.follower = follower;
        this.progress = progress;
    }

    /** The follower's {@code _ccr/info} entry; a 404 {@code index_not_found_exception} unless it is a follower. */
    static JsonNode info(NodeClient client, String follower) {
        JsonNode list = client.get("/" + follower + "/_ccr/info").path("follower_indices");
        if (list.isEmpty()) {
            throw InvalidRequestException.illegalArgument("index [" + follower + "] is not a follower"
                    + " index; GET /_ccr/stats lists the followers of this node");
        }
        return list.get(0);
    }

    /**
     * Redraws the progress while the follower's status is in {@code whileStatus}, then returns the status it reached.
     * A follower that failed is an error with its {@code fatal_exception}; so is a failed {@code pending} request
     * (e.g. the follow call, when it waits for active shards), which is also waited for before returning.
     */
    String await(Set<String> whileStatus, String label, Future<?> pending) throws InterruptedException {
        if (pending != null) {
            pause(pending); // a call that fails at once (e.g. the index exists) says so before any progress
        }
        while (true) {
            checkPending(pending);
            JsonNode info;
            try {
                info = info(client, follower);
            } catch (NodeError e) {
                if (e.status() == 404 && pending != null && !pending.isDone()) {
                    pause(pending); // the pending call has not created the follower yet
                    continue;
                }
                throw e;
            }
            String status = info.path("detailed_status").asText();
            if (status.equals("failed")) {
                progress.finish(null);
                throw new FailedException("follower [" + follower + "] failed: "
                        + info.path("fatal_exception").asText("no reason given")
                        + "; see GET /" + follower + "/_ccr/stats, then POST /" + follower + "/_ccr/rebootstrap", null);
            }
            if (!whileStatus.contains(status) && (pending == null || pending.isDone())) {
                checkPending(pending);
                show(label);
                progress.finish(null);
                return status;
            }
            show(label);
            pause(pending);
        }
    }

    /** Waits {@link #POLL}, or less when {@code pending} completes meanwhile. */
    private static void pause(Future<?> pending) throws InterruptedException {
        if (pending == null || pending.isDone()) {
            Thread.sleep(POLL.toMillis());
            return;
        }
        try {
            pending.get(POLL.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            // checked on the next round
        }
    }

    private void show(String label) {
        RecoverySummary r = RecoverySummary.of(client.get("/" + follower + "/_recovery"), follower);
        if (r.bytesTotal() == 0 && r.opsTotal() == 0) {
            progress.update(label, 0, 0, r.shards() == 0 ? "starting" : r.shardsDone() + "/" + r.shards()
                    + " shards done");
        } else if (r.replaying()) {
            progress.update(label, r.opsDone(), r.opsTotal(), r.opsDone() + "/" + r.opsTotal() + " ops replayed, "
                    + r.shardsDone() + "/" + r.shards() + " shards done");
        } else {
            progress.update(label, r.bytesDone(), r.bytesTotal(), RecoverySummary.bytes(r.bytesDone()) + "/"
                    + RecoverySummary.bytes(r.bytesTotal()) + ", " + r.shardsDone() + "/" + r.shards()
                    + " shards done");
        }
    }

    private static void checkPending(Future<?> pending) throws InterruptedException {
        if (pending == null || !pending.isDone()) {
            return;
        }
        try {
            pending.get();
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(cause);
        }
    }
}
