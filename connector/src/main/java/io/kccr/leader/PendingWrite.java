package io.kccr.leader;

import java.util.concurrent.CompletableFuture;

/** A write queued for its shard's writer, and the future its caller waits on. */
record PendingWrite(WriteRequest request, CompletableFuture<WriteResult> result) {
}
