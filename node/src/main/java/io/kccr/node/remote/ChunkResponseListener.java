package io.kccr.node.remote;

import io.kccr.follower.bootstrap.RestoreSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntPredicate;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.io.Content;

/**
 * Hands the body of one file-range response to a {@link RestoreSource.ChunkSink} as it arrives: each piece is the
 * client's own network buffer (pooled, direct), given to the sink and released once the sink returns, and the next
 * is read only then, so the body is never gathered nor copied on the way. A body with another status (an error) is
 * read whole instead, up to {@value #ERROR_BODY_LIMIT} bytes, to say what went wrong.
 *
 * <p>{@link #outcome} completes with the response's status, or fails with the sink's exception (the response is
 * then aborted) or with what stopped the exchange. Calls for one response come one at a time, from the client's
 * threads.
 */
final class ChunkResponseListener implements Response.ContentSourceListener, Response.CompleteListener {
    private static final int ERROR_BODY_LIMIT = 64 << 10;

    private final RestoreSource.ChunkSink sink;
    private final IntPredicate streamed;
    private final CompletableFuture<Integer> outcome = new CompletableFuture<>();
    private final ByteArrayOutputStream errorBody = new ByteArrayOutputStream();
    private volatile Throwable sinkFailure;

    /** @param streamed the statuses whose body is the range asked for (the others are read as an error answer) */
    ChunkResponseListener(RestoreSource.ChunkSink sink, IntPredicate streamed) {
        this.sink = sink;
        this.streamed = streamed;
    }

    /** The status once the body was read; the sink's exception or the exchange's failure otherwise. */
    CompletableFuture<Integer> outcome() {
        return outcome;
    }

    /** What an error answer said (empty for a streamed body). */
    String errorBody() {
        synchronized (errorBody) {
            return errorBody.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void onContentSource(Response response, Content.Source source) {
        read(source, streamed.test(response.getStatus()));
    }

    /** Reads what has arrived; asks to be called again when more does (a read never blocks the client's thread). */
    private void read(Content.Source source, boolean toSink) {
        while (true) {
            Content.Chunk chunk = source.read();
            if (chunk == null) {
                source.demand(() -> read(source, toSink));
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                return; // the exchange failed: onComplete reports it
            }
            try {
                ByteBuffer bytes = chunk.getByteBuffer();
                if (toSink) {
                    if (bytes.hasRemaining()) {
                        sink.accept(bytes);
                    }
                } else {
                    keepErrorBody(bytes);
                }
            } catch (IOException | RuntimeException e) {
                sinkFailure = e;
                source.fail(e); // stops the exchange: onComplete follows, with this failure
                return;
            } finally {
                chunk.release();
            }
            if (chunk.isLast()) {
                return;
            }
        }
    }

    private void keepErrorBody(ByteBuffer bytes) {
        synchronized (errorBody) {
            int n = Math.min(bytes.remaining(), ERROR_BODY_LIMIT - errorBody.size());
            for (int i = 0; i < n; i++) {
                errorBody.write(bytes.get(bytes.position() + i));
            }
        }
    }

    @Override
    public void onComplete(Result result) {
        Throwable failure = sinkFailure != null ? sinkFailure : result.getFailure();
        if (failure != null) {
            outcome.completeExceptionally(failure);
        } else {
            outcome.complete(result.getResponse().getStatus());
        }
    }
}
