package io.kccr.node.remote;

import io.kccr.follower.bootstrap.RestoreSource;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Hands a response body to a {@link RestoreSource.ChunkSink} as it arrives, buffer by buffer, asking the
 * client for the next buffers only once the sink has taken the last ones: the body is never gathered in memory.
 * Its body value is null; it fails with the sink's exception (and cancels the response) when the sink throws.
 */
final class ChunkBodySubscriber implements HttpResponse.BodySubscriber<String> {
    private final RestoreSource.ChunkSink sink;
    private final CompletableFuture<String> body = new CompletableFuture<>();
    private Flow.Subscription subscription;

    ChunkBodySubscriber(RestoreSource.ChunkSink sink) {
        this.sink = sink;
    }

    @Override
    public CompletionStage<String> getBody() {
        return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        subscription.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        try {
            for (ByteBuffer buffer : buffers) {
                sink.accept(buffer);
            }
        } catch (IOException | RuntimeException e) {
            subscription.cancel();
            body.completeExceptionally(e);
            return;
        }
        subscription.request(1);
    }

    @Override
    public void onError(Throwable error) {
        body.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        body.complete(null);
    }
}
